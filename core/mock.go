package core

import (
	"encoding/json"
	"strings"
	"unicode/utf8"

	"github.com/dlclark/regexp2"

	"github.com/echofn/echofn/core/internal/jsonx"
)

// mock makes example data for a schema, for previews: defaults where the
// schema has them, the first enum value, and otherwise a placeholder of the
// right type.
func mock(schema any) any { return mockDepth(schema, 0) }

func mockDepth(schema any, depth int) any {
	s, ok := schema.(*jsonx.Object)
	if !ok || depth > 8 {
		return nil
	}
	if d, ok := s.Get("default"); ok {
		return jsonx.Clone(d)
	}
	if e, ok := s.Get("enum"); ok {
		if list, ok := e.([]any); ok && len(list) > 0 {
			return jsonx.Clone(list[0])
		}
	}
	if c, ok := s.Get("const"); ok {
		return jsonx.Clone(c)
	}
	for _, k := range []string{"anyOf", "oneOf", "allOf"} {
		if v, ok := s.Get(k); ok {
			if list, ok := v.([]any); ok && len(list) > 0 {
				if m := mockDepth(list[0], depth+1); m != nil {
					if _, hasType := s.Get("type"); !hasType {
						return m
					}
				}
			}
		}
	}
	t, _ := s.Get("type")
	if list, ok := t.([]any); ok && len(list) > 0 {
		t = list[0]
	}
	switch t {
	case "object":
		o := jsonx.NewObject()
		if props, ok := s.Get("properties"); ok {
			if po, ok := props.(*jsonx.Object); ok {
				for _, p := range po.Members {
					if v := mockDepth(p.Value, depth+1); v != nil {
						o.Set(p.Key, v)
					}
				}
			}
		}
		return o
	case "array":
		return []any{}
	case "string":
		switch f, _ := s.Get("format"); f {
		case "uri", "url":
			return "https://example.com"
		case "email":
			return "user@example.com"
		case "date-time":
			return "2024-01-01T00:00:00.000Z"
		case "date":
			return "2024-01-01"
		}
		return mockString(s)
	case "number", "integer":
		if m, ok := s.Get("minimum"); ok {
			return m
		}
		return json.Number("0")
	case "boolean":
		return false
	case "null":
		return nil
	}
	return nil
}

// mockCandidates are tried in order against a string schema's pattern and
// length limits; the first that fits is the example value.
var mockCandidates = []string{"[placeholder]", "123456", "000000", "example", "Example", "a", "A1", "1", "https://example.com", "user@example.com", "2024-01-01"}

func mockString(s *jsonx.Object) string {
	minLen, maxLen := intKeyword(s, "minLength", 0), intKeyword(s, "maxLength", -1)
	var re *regexp2.Regexp
	if p, ok := s.Get("pattern"); ok {
		if ps, ok := p.(string); ok {
			re, _ = regexp2.Compile(ps, regexp2.ECMAScript)
		}
	}
	fits := func(c string) bool {
		n := utf8.RuneCountInString(c)
		if n < minLen || (maxLen >= 0 && n > maxLen) {
			return false
		}
		if re != nil {
			ok, err := re.MatchString(c)
			return ok && err == nil
		}
		return true
	}
	for _, c := range mockCandidates {
		if fits(c) {
			return c
		}
	}
	if re == nil && minLen > 0 {
		return strings.Repeat("x", minLen)
	}
	return "[placeholder]"
}

func intKeyword(s *jsonx.Object, name string, def int) int {
	v, ok := s.Get(name)
	if !ok {
		return def
	}
	n, ok := v.(json.Number)
	if !ok {
		return def
	}
	i, err := n.Int64()
	if err != nil {
		return def
	}
	return int(i)
}

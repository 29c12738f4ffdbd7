package core

import (
	"encoding/json"

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
		return "[placeholder]"
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

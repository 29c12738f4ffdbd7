package tmpl

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"

	"github.com/echofn/echofn/core/internal/jsonx"
)

// A fast template is text with {{ a.b.c }} substitutions and nothing else:
// no tags, filters, indexes or whitespace control. Most control values are
// like that ("Hi {{subscriber.firstName}}"); they are rendered by looking the
// paths up in the ordered values, without the Liquid engine or its
// bindings. Any other template, or a path that reaches an object or an
// array, goes to the engine.
type fastTemplate struct {
	text  []string   // len(paths)+1 pieces of literal text
	paths [][]string // dotted paths, split
}

var (
	fastOutput = regexp.MustCompile(`^\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*)\s*\}\}`)
	fastCache  = newBoundedCache()
)

// liquidProperty names the properties Liquid computes for arrays, strings
// and objects.
var liquidProperty = map[string]bool{"size": true, "first": true, "last": true}

// noFast marks a source that is not a fast template.
var noFast = &fastTemplate{}

func compileFast(s string) *fastTemplate {
	if strings.Contains(s, "{%") {
		return noFast
	}
	t := &fastTemplate{}
	rest := s
	for {
		i := strings.Index(rest, "{{")
		if i < 0 {
			t.text = append(t.text, rest)
			return t
		}
		m := fastOutput.FindStringSubmatch(rest[i:])
		if m == nil || strings.HasPrefix(m[1], "t.") {
			return noFast
		}
		t.text = append(t.text, rest[:i])
		t.paths = append(t.paths, strings.Split(m[1], "."))
		rest = rest[i+len(m[0]):]
		if strings.Contains(t.text[len(t.text)-1], "}}") {
			return noFast
		}
	}
}

// fast renders s without the engine when it can; ok is false when s needs
// the engine.
func (e *Engine) fast(s string, scope Scope) (string, bool) {
	t := fastCache.get(s, func() any { return compileFast(s) }).(*fastTemplate)
	if t == noFast {
		return "", false
	}
	var b strings.Builder
	b.Grow(len(s)) // usually room enough: values are mostly shorter than their paths
	for i, p := range t.paths {
		b.WriteString(t.text[i])
		v, ok := scope.Root(p[0])
		for _, k := range p[1:] {
			if !ok || v == nil {
				ok = false
				break
			}
			o, isObj := v.(*jsonx.Object)
			if !isObj || liquidProperty[k] {
				return "", false // .size of an array, .first of a string, ...: the engine's job
			}
			v, ok = o.Get(k)
		}
		if !ok {
			continue // an undefined variable prints nothing
		}
		switch x := v.(type) {
		case nil:
		case string:
			b.WriteString(x)
		case bool:
			b.WriteString(strconv.FormatBool(x))
		case json.Number:
			f, err := x.Float64()
			if err != nil {
				return "", false
			}
			b.WriteString(formatNumber(f))
		default:
			return "", false // objects and arrays print as JSON: the engine's job
		}
	}
	b.WriteString(t.text[len(t.text)-1])
	return b.String(), true
}

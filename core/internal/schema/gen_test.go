package schema

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/echofn/echofn/core/internal/jsonx"
)

// gen draws random schemas and values from small vocabularies, so that
// keys, strings and numbers often coincide and keywords interact.
type gen struct {
	r *rand.Rand
}

var (
	genKeys    = []string{"a", "b", "c", "d", "x-1", "e"}
	genStrings = []string{"", "a", "ab", "abc", "2020-01-01", "10:00:00", "x@y.io", "http://e.com/a", "é😀", "A"}
	genNumbers = []string{"0", "1", "-1", "1.5", "2", "3", "10", "0.1", "1e3", "2.0"}
	genTypes   = []string{"null", "boolean", "number", "integer", "string", "array", "object"}
	genFormats = []string{"date", "time", "date-time", "email", "uri", "ipv4", "int32", "nope", "duration", "regex"}
)

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }
func (g *gen) chance(p float64) bool     { return g.r.Float64() < p }

func (g *gen) value(depth int) any {
	k := g.r.IntN(7)
	if depth >= 3 {
		k = g.r.IntN(4)
	}
	switch k {
	case 0:
		return nil
	case 1:
		return g.chance(0.5)
	case 2:
		return json.Number(g.pick(genNumbers))
	case 3:
		return g.pick(genStrings)
	case 4:
		n := g.r.IntN(4)
		a := make([]any, n)
		for i := range a {
			a[i] = g.value(depth + 1)
		}
		return a
	default:
		o := &jsonx.Object{}
		for range g.r.IntN(4) {
			o.Set(g.pick(genKeys), g.value(depth+1))
		}
		return o
	}
}

// schema returns a random schema; refs names definitions it may point to.
func (g *gen) schema(depth int, refs []string) any {
	if g.chance(0.08) {
		return g.chance(0.7)
	}
	o := &jsonx.Object{}
	set := func(k string, v any) { o.Set(k, v) }
	n := 1 + g.r.IntN(3)
	if depth >= 3 {
		n = 1
	}
	for range n {
		switch g.r.IntN(22) {
		case 0, 1:
			if g.chance(0.8) {
				set("type", g.pick(genTypes))
			} else {
				set("type", []any{g.pick(genTypes), g.pick(genTypes[:3])})
			}
			if g.chance(0.1) {
				set("nullable", true)
			}
		case 2:
			set("enum", []any{g.value(2), g.value(2)})
		case 3:
			set("const", g.value(2))
		case 4:
			set(g.pick([]string{"maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum", "multipleOf"}), json.Number(g.pick([]string{"1", "2", "0.5", "3"})))
		case 5:
			set(g.pick([]string{"maxLength", "minLength", "maxItems", "minItems", "maxProperties", "minProperties"}), json.Number(g.pick([]string{"0", "1", "2"})))
		case 6:
			set("pattern", g.pick([]string{"^a", "b$", "^[a-z]*$", "\\d", "^.{2}$"}))
		case 7:
			set("format", g.pick(genFormats))
		case 8, 9:
			props := &jsonx.Object{}
			for range 1 + g.r.IntN(3) {
				sub := g.schema(depth+1, refs)
				if so, ok := sub.(*jsonx.Object); ok && g.chance(0.4) {
					so.Set("default", g.value(2))
				}
				props.Set(g.pick(genKeys), sub)
			}
			set("properties", props)
		case 10:
			req := []any{}
			for range 1 + g.r.IntN(2) {
				req = append(req, g.pick(genKeys))
			}
			set("required", uniqueStrings(req))
		case 11:
			if g.chance(0.6) {
				set("additionalProperties", false)
			} else {
				set("additionalProperties", g.schema(depth+1, refs))
			}
		case 12:
			pp := &jsonx.Object{}
			pp.Set(g.pick([]string{"^x-", "^[ab]$", "c"}), g.schema(depth+1, refs))
			set("patternProperties", pp)
		case 13:
			if g.chance(0.5) {
				set("items", g.schema(depth+1, refs))
			} else {
				tuple := []any{}
				for range 1 + g.r.IntN(2) {
					sub := g.schema(depth+1, refs)
					if so, ok := sub.(*jsonx.Object); ok && g.chance(0.4) {
						so.Set("default", g.value(2))
					}
					tuple = append(tuple, sub)
				}
				set("items", tuple)
				if g.chance(0.4) {
					set("additionalItems", g.chance(0.5))
				}
			}
		case 14:
			set(g.pick([]string{"uniqueItems", "contains", "propertyNames"}), map[bool]any{true: true, false: g.schema(depth+1, refs)}[g.chance(0.3)])
			if v, _ := o.Get("uniqueItems"); v != nil && v != true {
				set("uniqueItems", true)
			}
		case 15, 16:
			list := []any{}
			for range 1 + g.r.IntN(3) {
				list = append(list, g.schema(depth+1, refs))
			}
			set(g.pick([]string{"anyOf", "oneOf", "allOf"}), list)
		case 17:
			set("not", g.schema(depth+1, refs))
		case 18:
			set("if", g.schema(depth+1, refs))
			set("then", g.schema(depth+1, refs))
			if g.chance(0.6) {
				set("else", g.schema(depth+1, refs))
			}
		case 19:
			deps := &jsonx.Object{}
			if g.chance(0.5) {
				deps.Set(g.pick(genKeys), uniqueStrings([]any{g.pick(genKeys), g.pick(genKeys)}))
			} else {
				deps.Set(g.pick(genKeys), g.schema(depth+1, refs))
			}
			set("dependencies", deps)
		case 20, 21:
			if len(refs) > 0 {
				set("$ref", g.pick(refs))
			}
		}
	}
	return o
}

func uniqueStrings(list []any) []any {
	var out []any
	seen := map[any]bool{}
	for _, e := range list {
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out
}

// rootSchema is an object schema, or a combination, as Novu requires, with
// a few definitions that its subschemas may reference.
func (g *gen) rootSchema() *jsonx.Object {
	refs := []string{"#"}
	defs := &jsonx.Object{}
	for i := range g.r.IntN(3) {
		name := fmt.Sprintf("d%d", i)
		refs = append(refs, "#/definitions/"+name)
	}
	for i := 1; i < len(refs); i++ {
		defs.Set(strings.TrimPrefix(refs[i], "#/definitions/"), g.schema(1, refs[:i]))
	}
	s, ok := g.schema(0, refs).(*jsonx.Object)
	if !ok {
		s = &jsonx.Object{}
	}
	if g.chance(0.85) {
		s.Set("type", "object")
	} else if _, ok := s.Get("anyOf"); !ok {
		s.Set("allOf", []any{g.schema(1, refs)})
	}
	if g.chance(0.5) {
		props := &jsonx.Object{}
		for range 1 + g.r.IntN(3) {
			sub := g.schema(1, refs)
			if so, ok := sub.(*jsonx.Object); ok && g.chance(0.5) {
				so.Set("default", g.value(2))
			}
			props.Set(g.pick(genKeys), sub)
		}
		s.Set("properties", props)
	}
	if defs.Len() > 0 {
		s.Set("definitions", defs)
	}
	return s
}

// generatedCases returns n deterministic cases: a few values per schema.
func generatedCases(seed uint64, n int) []ajvCase {
	g := &gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	var cases []ajvCase
	for i := 0; len(cases) < n; i++ {
		schema := jsonx.Marshal(g.rootSchema())
		for j := range 3 {
			var data any = g.value(0)
			if g.chance(0.7) {
				o := &jsonx.Object{}
				for range g.r.IntN(4) {
					o.Set(g.pick(genKeys), g.value(1))
				}
				data = o
			}
			cases = append(cases, ajvCase{Name: fmt.Sprintf("generated %d.%d", i, j), Schema: schema, Data: jsonx.Marshal(data)})
		}
	}
	return cases[:n]
}

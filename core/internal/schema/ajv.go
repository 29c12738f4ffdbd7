package schema

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/dlclark/regexp2"
	jsonschema "github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"github.com/echofn/echofn/core/internal/jsonx"
)

// maxRefDepth bounds how many $ref hops the default-filling pass follows.
const maxRefDepth = 32

// prepare fills defaults and removes disallowed additional properties in
// data, in Ajv's order: keywords that apply to every type (allOf, if/then/else)
// first, then the object's own property defaults, then its properties.
// Defaults are not filled inside anyOf, oneOf or not, as in Ajv.
func (s *Schema) prepare(node any, data any, composite bool, depth int) {
	sch, ok := node.(*jsonx.Object)
	if !ok || depth > maxRefDepth {
		return
	}
	if ref, ok := sch.Get("$ref"); ok {
		if r, ok := ref.(string); ok {
			if target := s.resolveRef(r); target != nil {
				s.prepare(target, data, composite, depth+1)
			}
		}
		return
	}
	if all, ok := sch.Get("allOf"); ok {
		if subs, ok := all.([]any); ok {
			for _, sub := range subs {
				s.prepare(sub, data, composite, depth)
			}
		}
	}
	if cond := s.ifs[sch]; cond != nil {
		branch := "else"
		if cond.Validate(jsonx.Plain(data)) == nil {
			branch = "then"
		}
		if b, ok := sch.Get(branch); ok {
			s.prepare(b, data, composite, depth)
		}
	}
	switch d := data.(type) {
	case *jsonx.Object:
		props, _ := sch.Get("properties")
		po, _ := props.(*jsonx.Object)
		if po != nil && !composite {
			for _, p := range po.Members {
				ps, ok := p.Value.(*jsonx.Object)
				if !ok {
					continue
				}
				if def, ok := ps.Get("default"); ok {
					if _, present := d.Get(p.Key); !present {
						d.Set(p.Key, jsonx.Clone(def))
					}
				}
			}
		}
		if ap, ok := sch.Get("additionalProperties"); ok && ap == false {
			s.removeAdditional(sch, po, d)
		}
		if po != nil {
			for _, p := range po.Members {
				if v, ok := d.Get(p.Key); ok {
					s.prepare(p.Value, v, composite, depth)
				}
			}
		}
	case []any:
		if items, ok := sch.Get("items"); ok {
			if _, isSchema := items.(*jsonx.Object); isSchema {
				for _, e := range d {
					s.prepare(items, e, composite, depth)
				}
			}
		}
	}
}

func (s *Schema) removeAdditional(sch, props *jsonx.Object, d *jsonx.Object) {
	patterns := s.patterns[sch]
	kept := d.Members[:0]
	for _, m := range d.Members {
		if _, declared := props.Get(m.Key); declared || matchesAny(patterns, m.Key) {
			kept = append(kept, m)
		}
	}
	for i := len(kept); i < len(d.Members); i++ {
		d.Members[i] = jsonx.Member{}
	}
	d.Members = kept
}

func matchesAny(res []*regexp2.Regexp, s string) bool {
	for _, re := range res {
		if ok, _ := re.MatchString(s); ok {
			return true
		}
	}
	return false
}

// resolveRef follows a local reference ("#/definitions/x", "#/$defs/x").
func (s *Schema) resolveRef(ref string) any {
	ptr, ok := strings.CutPrefix(ref, "#")
	if !ok {
		return nil
	}
	return s.lookup(ptr)
}

func (s *Schema) lookup(ptr string) any {
	node := s.doc
	if ptr == "" {
		return node
	}
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		tok = unescapePointer(tok)
		switch n := node.(type) {
		case *jsonx.Object:
			v, ok := n.Get(tok)
			if !ok {
				return nil
			}
			node = v
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(n) {
				return nil
			}
			node = n[i]
		default:
			return nil
		}
	}
	return node
}

// Ajv evaluates the keywords of a schema in a fixed order: keywords for any
// type first, then those of the value's type. The first failing keyword in
// that order is the error it reports.
var keywordRank = map[string]int{
	"$ref": 0, "const": 2, "enum": 3, "not": 4, "anyOf": 5, "oneOf": 6, "allOf": 7,
	"if": 8, "then": 9, "else": 9,
	"maximum": 21, "minimum": 22, "exclusiveMaximum": 23, "exclusiveMinimum": 24, "multipleOf": 25,
	"maxLength": 26, "minLength": 27, "pattern": 28, "format": 29,
	"maxItems": 30, "minItems": 31, "uniqueItems": 32, "additionalItems": 33, "prefixItems": 33,
	"items": 34, "contains": 35,
	"maxProperties": 41, "minProperties": 42, "required": 43, "dependentRequired": 44,
	"propertyNames": 45, "additionalProperties": 46, "dependencies": 47, "properties": 48,
	"patternProperties": 49,
}

// groupedTypes have keywords of their own in Ajv; a type error for one of them
// is reported after the keywords that apply to any type.
var groupedTypes = map[string]bool{"number": true, "string": true, "array": true, "object": true}

// named keywords are followed in a schema path by a property name; indexed
// ones by an array index.
var named = map[string]bool{"properties": true, "patternProperties": true, "definitions": true, "$defs": true, "dependencies": true, "dependentSchemas": true}
var indexed = map[string]bool{"anyOf": true, "oneOf": true, "allOf": true, "prefixItems": true}

type leaf struct {
	err  *jsonschema.ValidationError
	key  []int
	node *jsonx.Object // the schema object holding the failing keyword
}

func (s *Schema) firstError(root *jsonschema.ValidationError) *Error {
	var leaves []leaf
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			key, node := s.rank(e)
			leaves = append(leaves, leaf{e, key, node})
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(root)
	sort.SliceStable(leaves, func(i, j int) bool {
		a, b := leaves[i], leaves[j]
		for k := 0; k < len(a.key) && k < len(b.key); k++ {
			if a.key[k] != b.key[k] {
				return a.key[k] < b.key[k]
			}
		}
		if len(a.key) != len(b.key) {
			return len(a.key) < len(b.key)
		}
		return lessLocation(a.err.InstanceLocation, b.err.InstanceLocation)
	})
	l := leaves[0]
	return &Error{Path: pointer(l.err.InstanceLocation), Message: s.message(l)}
}

func lessLocation(a, b []string) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			ai, errA := strconv.Atoi(a[i])
			bi, errB := strconv.Atoi(b[i])
			if errA == nil && errB == nil {
				return ai < bi
			}
			return a[i] < b[i]
		}
	}
	return len(a) < len(b)
}

// rank turns the error's schema location into a sort key in Ajv's order.
func (s *Schema) rank(e *jsonschema.ValidationError) ([]int, *jsonx.Object) {
	_, frag, _ := strings.Cut(e.SchemaURL, "#")
	var toks []string
	if frag != "" {
		for _, t := range strings.Split(strings.TrimPrefix(frag, "/"), "/") {
			toks = append(toks, unescapePointer(t))
		}
	}
	toks = append(toks, e.ErrorKind.KeywordPath()...)
	var key []int
	node := s.doc
	var holder *jsonx.Object
	for i := 0; i < len(toks); i++ {
		obj, ok := node.(*jsonx.Object)
		if !ok {
			break
		}
		holder = obj
		kw := toks[i]
		r, known := keywordRank[kw]
		if !known {
			r = 60
		}
		if kw == "type" {
			r = 1
			if t, _ := obj.Get("type"); groupedTypes[fmt.Sprint(t)] {
				r = 20
			}
		}
		key = append(key, r)
		child, _ := obj.Get(kw)
		if i+1 < len(toks) && named[kw] {
			i++
			co, _ := child.(*jsonx.Object)
			idx := 0
			if co != nil {
				for j, m := range co.Members {
					if m.Key == toks[i] {
						idx = j
						break
					}
				}
				child, _ = co.Get(toks[i])
			}
			key = append(key, idx)
		} else if i+1 < len(toks) && (indexed[kw] || kw == "items") {
			if arr, ok := child.([]any); ok {
				i++
				n, _ := strconv.Atoi(toks[i])
				key = append(key, n)
				if n >= 0 && n < len(arr) {
					child = arr[n]
				}
			}
		}
		node = child
	}
	return key, holder
}

func pointer(loc []string) string {
	if len(loc) == 0 {
		return ""
	}
	var b strings.Builder
	for _, t := range loc {
		b.WriteByte('/')
		b.WriteString(escapePointer(t))
	}
	return b.String()
}

// message words the error as Ajv does, reading limits from the schema text so
// that numbers appear as written.
func (s *Schema) message(l leaf) string {
	kw := func(name string) string {
		if l.node == nil {
			return ""
		}
		v, _ := l.node.Get(name)
		return strings.Trim(string(jsonx.Marshal(v)), `"`)
	}
	switch k := l.err.ErrorKind.(type) {
	case *kind.Type:
		if l.node != nil {
			if t, ok := l.node.Get("type"); ok {
				if list, ok := t.([]any); ok {
					names := make([]string, len(list))
					for i, n := range list {
						names[i] = fmt.Sprint(n)
					}
					return "must be " + strings.Join(names, ",")
				}
				return "must be " + fmt.Sprint(t)
			}
		}
		return "must be " + strings.Join(k.Want, ",")
	case *kind.Required:
		return "must have required property '" + k.Missing[0] + "'"
	case *kind.Enum:
		return "must be equal to one of the allowed values"
	case *kind.Const:
		return "must be equal to constant"
	case *kind.Not:
		return "must NOT be valid"
	case *kind.AnyOf:
		return "must match a schema in anyOf"
	case *kind.OneOf:
		return "must match exactly one schema in oneOf"
	case *kind.FalseSchema:
		return "boolean schema is false"
	case *kind.Format:
		return `must match format "` + k.Want + `"`
	case *kind.Pattern:
		return `must match pattern "` + k.Want + `"`
	case *kind.MinLength:
		return fmt.Sprintf("must NOT have fewer than %d characters", k.Want)
	case *kind.MaxLength:
		return fmt.Sprintf("must NOT have more than %d characters", k.Want)
	case *kind.Minimum:
		return "must be >= " + kw("minimum")
	case *kind.Maximum:
		return "must be <= " + kw("maximum")
	case *kind.ExclusiveMinimum:
		return "must be > " + kw("exclusiveMinimum")
	case *kind.ExclusiveMaximum:
		return "must be < " + kw("exclusiveMaximum")
	case *kind.MultipleOf:
		return "must be multiple of " + kw("multipleOf")
	case *kind.MinItems:
		return fmt.Sprintf("must NOT have fewer than %d items", k.Want)
	case *kind.MaxItems:
		return fmt.Sprintf("must NOT have more than %d items", k.Want)
	case *kind.AdditionalItems:
		return "must NOT have more than " + strconv.Itoa(k.Count) + " items"
	case *kind.UniqueItems:
		return fmt.Sprintf("must NOT have duplicate items (items ## %d and %d are identical)", k.Duplicates[0], k.Duplicates[1])
	case *kind.MinProperties:
		return fmt.Sprintf("must NOT have fewer than %d properties", k.Want)
	case *kind.MaxProperties:
		return fmt.Sprintf("must NOT have more than %d properties", k.Want)
	case *kind.AdditionalProperties:
		return "must NOT have additional properties"
	case *kind.PropertyNames:
		return "property name must be valid"
	case *kind.Contains:
		return "must contain at least 1 valid item(s)"
	case *kind.DependentRequired:
		return "must have property " + k.Missing[0] + " when property " + k.Prop + " is present"
	case *kind.Dependency:
		return "must have property " + strings.Join(k.Missing, ", ") + " when property " + k.Prop + " is present"
	default:
		return "must be valid"
	}
}

package schema

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/echofn/echofn/core/internal/jsonx"
)

// compiler turns a schema document into nodes, resolving "$ref" as Ajv
// does and refusing what Ajv refuses to compile.
type compiler struct {
	root  *jsonx.Object
	refs  *refIndex
	nodes map[nodeKey]*node
	links map[string]*refLink // resolved references by absolute URI
	rootN *node
}

type nodeKey struct {
	obj  *jsonx.Object
	base string
	top  bool
}

var (
	alwaysTrue  = &node{isBool: true, boolVal: true}
	alwaysFalse = &node{isBool: true}
	emptyNode   = &node{trivial: true}
)

// ruleKeywords are the keywords Ajv acts on (its RULES.all, with
// ajv-formats' format limits); a schema without any of them is always valid.
func isRule(k string) bool {
	switch k {
	case "$comment", "id", "$ref", "type", "nullable", "const", "enum", "not", "anyOf", "oneOf", "allOf", "if", "then", "else":
		return true
	}
	return keywordGroup(k) != groupNone
}

// keywordGroup is the group of a type-specific keyword; "format" belongs to
// numbers and strings, which keywordGroup reports as strings (see used).
func keywordGroup(k string) group {
	switch k {
	case "maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum", "multipleOf":
		return groupNumber
	case "maxLength", "minLength", "pattern", "format", "formatMaximum", "formatMinimum", "formatExclusiveMaximum", "formatExclusiveMinimum":
		return groupString
	case "maxItems", "minItems", "additionalItems", "items", "contains", "uniqueItems":
		return groupArray
	case "maxProperties", "minProperties", "required", "propertyNames", "additionalProperties", "dependencies", "properties", "patternProperties":
		return groupObject
	}
	return groupNone
}

func compileDoc(root *jsonx.Object) (*node, error) {
	refs, err := indexRefs(root)
	if err != nil {
		return nil, err
	}
	c := &compiler{root: root, refs: refs, nodes: map[nodeKey]*node{}, links: map[string]*refLink{}}
	return c.compile(root, refs.rootBase, true)
}

// always reports whether Ajv treats n as always valid and skips it.
func always(n *node) bool {
	return (n.isBool && n.boolVal) || n.trivial
}

// compile compiles the schema v found at base; top is set for schemas that
// Ajv compiles as functions of their own (the root and called references).
func (c *compiler) compile(v any, base string, top bool) (*node, error) {
	switch s := v.(type) {
	case bool:
		if s {
			return alwaysTrue, nil
		}
		return alwaysFalse, nil
	case *jsonx.Object:
		key := nodeKey{s, base, top}
		if n, ok := c.nodes[key]; ok {
			return n, nil
		}
		n := &node{}
		c.nodes[key] = n
		if top && s == c.root && c.rootN == nil {
			c.rootN = n
		}
		if err := c.object(n, s, base, top); err != nil {
			return nil, err
		}
		return n, nil
	default:
		// Ajv finds no keyword in other values and accepts everything.
		return emptyNode, nil
	}
}

func (c *compiler) sub(s *jsonx.Object, key, base string) (*node, error) {
	v, _ := s.Get(key)
	return c.compile(v, base, false)
}

func (c *compiler) subs(s *jsonx.Object, key, base string) ([]*node, error) {
	v, _ := s.Get(key)
	list, _ := v.([]any)
	out := make([]*node, len(list))
	for i, e := range list {
		n, err := c.compile(e, base, false)
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}

func (c *compiler) object(n *node, s *jsonx.Object, base string, top bool) error {
	hasRules := false
	for _, m := range s.Members {
		if isRule(m.Key) {
			hasRules = true
			break
		}
	}
	if !hasRules {
		n.trivial = true
		return nil
	}
	if !top {
		if id, ok := s.Get("$id"); ok {
			if str, ok := id.(string); ok && str != "" {
				base = resolveURI(base, str)
			}
		}
	}
	if _, ok := s.Get("id"); ok {
		return errors.New(`schema: NOT SUPPORTED: keyword "id", use "$id" for schema ID`)
	}
	if a, ok := s.Get("$async"); ok && jsonx.Truthy(a) {
		return errors.New("schema: asynchronous schemas are not supported")
	}
	if ref, ok := s.Get("$ref"); ok {
		str, ok := ref.(string)
		if !ok {
			return errors.New(`schema: $ref value must be "string"`)
		}
		link, err := c.resolve(str, base)
		if err != nil {
			return err
		}
		n.ref = link
		n.refOnly = true
		for _, m := range s.Members {
			if m.Key != "$ref" && isRule(m.Key) {
				n.refOnly = false
				break
			}
		}
		if n.refOnly {
			return nil
		}
	}
	if err := c.types(n, s); err != nil {
		return err
	}
	for _, m := range s.Members {
		if m.Key == "format" {
			n.used[groupNumber] = true
		}
		if isRule(m.Key) {
			g := keywordGroup(m.Key)
			if g == groupNone {
				g = groupAny
			}
			n.used[g] = true
		}
	}
	if len(n.types) == 1 {
		g := typeGroup(n.types[0])
		if g != groupNone && n.used[g] {
			n.typeGroup = g
		} else {
			n.checkTypes = true
			n.typeGroup = groupNone
		}
	} else {
		n.checkTypes = len(n.types) > 0
		n.typeGroup = groupNone
	}
	for _, step := range []func(*node, *jsonx.Object, string) error{c.anyKeywords, c.numberKeywords, c.stringKeywords, c.arrayKeywords, c.objectKeywords} {
		if err := step(n, s, base); err != nil {
			return err
		}
	}
	return nil
}

// types reads "type" and "nullable" as Ajv does.
func (c *compiler) types(n *node, s *jsonx.Object) error {
	t, hasType := s.Get("type")
	var names []string
	switch tv := t.(type) {
	case string:
		names = []string{tv}
		n.typeMsg = "must be " + tv
	case []any:
		parts := make([]string, len(tv))
		for i, e := range tv {
			str, ok := e.(string)
			if !ok {
				return errors.New("schema: type must be JSONType or JSONType[]")
			}
			parts[i] = str
		}
		names = parts
		n.typeMsg = "must be " + strings.Join(parts, ",")
		if nullable, _ := s.Get("nullable"); nullable == true && !slices.Contains(parts, "null") {
			// Ajv appends "null" to the schema's own list, and words the
			// error from it.
			n.typeMsg += ",null"
		}
	default:
		if hasType && t != nil {
			return errors.New("schema: type must be JSONType or JSONType[]")
		}
	}
	hasNull := false
	for _, name := range names {
		ts, ok := typeNamed(name)
		if !ok {
			return fmt.Errorf("schema: type must be JSONType or JSONType[]: %s", name)
		}
		hasNull = hasNull || ts == tNull
	}
	nullable, hasNullable := s.Get("nullable")
	if hasNullable {
		if _, ok := nullable.(bool); !ok {
			return errors.New(`schema: nullable value must be "boolean"`)
		}
	}
	switch {
	case hasNull:
		if nullable == false {
			return errors.New("schema: type: null contradicts nullable: false")
		}
	case len(names) == 0 && hasNullable:
		return errors.New(`schema: "nullable" cannot be used without "type"`)
	case nullable == true:
		names = append(names, "null")
	}
	for _, name := range names {
		ts, _ := typeNamed(name)
		n.types = append(n.types, ts)
	}
	return nil
}

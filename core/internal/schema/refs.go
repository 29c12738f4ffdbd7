package schema

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/echofn/echofn/core/internal/jsonx"
)

// refIndex holds what "$ref" can name in a document: the root, subschemas
// that declare an absolute or relative "$id", and plain-name fragments
// ("$id": "#name").
type refIndex struct {
	rootBase string
	ids      map[string]*jsonx.Object
	local    map[string]*jsonx.Object
	bases    map[*jsonx.Object]string
}

// normalizeID drops a trailing "#" or "#/", as Ajv does with ids and refs.
func normalizeID(id string) string {
	if s, ok := strings.CutSuffix(id, "#/"); ok {
		return s
	}
	return strings.TrimSuffix(id, "#")
}

// resolveURI resolves ref against base (RFC 3986).
func resolveURI(base, ref string) string {
	r, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	b, err := url.Parse(base)
	if err != nil {
		return ref
	}
	return b.ResolveReference(r).String()
}

// indexRefs walks the document the way Ajv collects ids: through every
// keyword holding subschemas, and through unknown keywords too.
func indexRefs(root *jsonx.Object) (*refIndex, error) {
	idx := &refIndex{ids: map[string]*jsonx.Object{}, local: map[string]*jsonx.Object{}, bases: map[*jsonx.Object]string{}}
	if id, ok := root.Get("$id"); ok {
		s, isStr := id.(string)
		if !isStr {
			return nil, fmt.Errorf("schema: schema $id must be string")
		}
		idx.rootBase = normalizeID(s)
	}
	idx.bases[root] = idx.rootBase
	return idx, idx.walk(root, idx.rootBase)
}

func (idx *refIndex) walk(s *jsonx.Object, base string) error {
	for _, m := range s.Members {
		switch m.Key {
		case "default", "enum", "const", "required", "maximum", "minimum", "exclusiveMaximum", "exclusiveMinimum",
			"multipleOf", "maxLength", "minLength", "pattern", "format", "maxItems", "minItems", "uniqueItems",
			"maxProperties", "minProperties":
			continue
		}
		switch v := m.Value.(type) {
		case []any:
			switch m.Key {
			case "items", "allOf", "anyOf", "oneOf":
				for _, e := range v {
					if err := idx.child(e, base); err != nil {
						return err
					}
				}
			}
		case *jsonx.Object:
			switch m.Key {
			case "$defs", "definitions", "properties", "patternProperties", "dependencies":
				for _, p := range v.Members {
					if err := idx.child(p.Value, base); err != nil {
						return err
					}
				}
			default:
				if err := idx.child(v, base); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (idx *refIndex) child(v any, base string) error {
	s, ok := v.(*jsonx.Object)
	if !ok {
		return nil
	}
	if id, ok := s.Get("$id"); ok {
		if str, ok := id.(string); ok {
			ref := str
			if base != "" {
				ref = resolveURI(base, str)
			}
			ref = normalizeID(ref)
			if strings.HasPrefix(ref, "#") {
				if prev, dup := idx.local[ref]; dup && prev != s {
					return fmt.Errorf("schema: reference %q resolves to more than one schema", ref)
				}
				idx.local[ref] = s
			} else {
				if prev, dup := idx.ids[ref]; dup && prev != s {
					return fmt.Errorf("schema: reference %q resolves to more than one schema", ref)
				}
				idx.ids[ref] = s
			}
			base = ref
		}
	}
	idx.bases[s] = base
	return idx.walk(s, base)
}

// resolve compiles the target of "$ref": ref, met in a schema whose base
// URI is base.
func (c *compiler) resolve(ref, base string) (*refLink, error) {
	if (ref == "#" || ref == "#/") && base == c.refs.rootBase {
		n, err := c.compile(c.root, c.refs.rootBase, true)
		if err != nil {
			return nil, err
		}
		return &refLink{target: n, call: true}, nil
	}
	abs := resolveURI(base, normalizeID(ref))
	if l, ok := c.links[abs]; ok {
		return l, nil
	}
	target, found, err := c.find(abs, 0)
	if err != nil {
		return nil, err
	}
	if !found {
		if t, ok := c.refs.local[abs]; ok {
			target, found = t, true
		}
	}
	if !found {
		return nil, fmt.Errorf("schema: can't resolve reference %s from id %s", ref, base)
	}
	link := &refLink{call: hasRef(target)}
	c.links[abs] = link
	tbase := base
	if o, ok := target.(*jsonx.Object); ok {
		if b, ok := c.refs.bases[o]; ok {
			tbase = b
		}
	}
	n, err := c.compile(target, tbase, link.call)
	if err != nil {
		return nil, err
	}
	link.target = n
	return link, nil
}

// maxRefChain bounds how many references that only point elsewhere are
// followed; Ajv overflows its stack on a longer (cyclic) chain.
const maxRefChain = 64

// find looks abs up in the document: a JSON pointer from the root or from a
// subschema with that "$id". A schema that is only a "$ref" is followed to
// its own target, as Ajv does.
func (c *compiler) find(abs string, depth int) (any, bool, error) {
	if depth > maxRefChain {
		return nil, false, fmt.Errorf("schema: reference chain too long at %s", abs)
	}
	doc, frag, _ := strings.Cut(abs, "#")
	var start any
	if doc == strings.TrimSuffix(c.refs.rootBase, "#") || (doc == "" && c.refs.rootBase == "") {
		start = c.root
	} else if s, ok := c.refs.ids[doc]; ok {
		start = s
		if frag == "" {
			return s, true, nil
		}
	} else {
		return nil, false, nil
	}
	if !strings.HasPrefix(frag, "/") {
		return nil, false, nil
	}
	node := start
	for _, part := range strings.Split(frag[1:], "/") {
		tok, err := url.PathUnescape(part)
		if err != nil {
			return nil, false, fmt.Errorf("schema: %w", err)
		}
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch n := node.(type) {
		case *jsonx.Object:
			v, ok := n.Get(tok)
			if !ok {
				return nil, false, nil
			}
			node = v
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(n) || strconv.Itoa(i) != tok {
				return nil, false, nil
			}
			node = n[i]
		default:
			return nil, false, nil
		}
	}
	if o, ok := node.(*jsonx.Object); ok {
		if r, ok := o.Get("$ref"); ok && refOnly(o) {
			if next, isStr := r.(string); isStr {
				b := c.refs.bases[o]
				nextAbs := resolveURI(b, normalizeID(next))
				if t, found, err := c.find(nextAbs, depth+1); err != nil || found {
					return t, found, err
				}
			}
		}
	}
	return node, true, nil
}

func refOnly(o *jsonx.Object) bool {
	for _, m := range o.Members {
		if m.Key != "$ref" && isRule(m.Key) {
			return false
		}
	}
	return true
}

// hasRef reports whether a reference keyword occurs anywhere in v: Ajv
// inlines only schemas without one and calls the others as functions.
func hasRef(v any) bool {
	switch t := v.(type) {
	case *jsonx.Object:
		for _, m := range t.Members {
			switch m.Key {
			case "$ref", "$recursiveRef", "$recursiveAnchor", "$dynamicRef", "$dynamicAnchor":
				return true
			}
			if hasRef(m.Value) {
				return true
			}
		}
	case []any:
		for _, e := range t {
			if hasRef(e) {
				return true
			}
		}
	}
	return false
}

package schema

import (
	"errors"
	"fmt"
	"strings"

	"github.com/echofn/echofn/core/internal/jsonx"
)

// The keywords of each group, compiled with the messages Ajv words for them.

func (c *compiler) anyKeywords(n *node, s *jsonx.Object, base string) error {
	var err error
	if v, ok := s.Get("const"); ok {
		n.hasConst, n.constVal = true, v
	}
	if v, ok := s.Get("enum"); ok {
		list, isList := v.([]any)
		if !isList || len(list) == 0 {
			return errors.New("schema: enum must have non-empty array")
		}
		n.enum = list
	}
	if _, ok := s.Get("not"); ok {
		if n.not, err = c.sub(s, "not", base); err != nil {
			return err
		}
	}
	if _, ok := s.Get("anyOf"); ok {
		if n.anyOf, err = c.subs(s, "anyOf", base); err != nil {
			return err
		}
		for _, b := range n.anyOf {
			n.anyOfOff = n.anyOfOff || always(b)
		}
	}
	if _, ok := s.Get("oneOf"); ok {
		if n.oneOf, err = c.subs(s, "oneOf", base); err != nil {
			return err
		}
	}
	if _, ok := s.Get("allOf"); ok {
		if n.allOf, err = c.subs(s, "allOf", base); err != nil {
			return err
		}
	}
	if _, ok := s.Get("if"); ok {
		var thenN, elseN *node
		if _, ok := s.Get("then"); ok {
			if thenN, err = c.sub(s, "then", base); err != nil {
				return err
			}
		}
		if _, ok := s.Get("else"); ok {
			if elseN, err = c.sub(s, "else", base); err != nil {
				return err
			}
		}
		if thenN != nil && always(thenN) {
			thenN = nil
		}
		if elseN != nil && always(elseN) {
			elseN = nil
		}
		if thenN != nil || elseN != nil {
			if n.ifNode, err = c.sub(s, "if", base); err != nil {
				return err
			}
			n.thenNode, n.elseNode = thenN, elseN
		}
	}
	return nil
}

func (c *compiler) numberKeywords(n *node, s *jsonx.Object, _ string) error {
	for _, k := range []struct {
		name string
		kind numKind
		op   string
	}{{"maximum", kindMaximum, "<="}, {"minimum", kindMinimum, ">="}, {"exclusiveMaximum", kindExclusiveMaximum, "<"}, {"exclusiveMinimum", kindExclusiveMinimum, ">"}} {
		if v, ok := s.Get(k.name); ok {
			f, err := schemaNumber(k.name, v)
			if err != nil {
				return err
			}
			n.numLimits = append(n.numLimits, numLimit{k.kind, f, "must be " + k.op + " " + jsNumber(f)})
		}
	}
	if v, ok := s.Get("multipleOf"); ok {
		f, err := schemaNumber("multipleOf", v)
		if err != nil {
			return err
		}
		n.multipleOf = &numLimit{limit: f, msg: "must be multiple of " + jsNumber(f)}
	}
	if v, ok := s.Get("format"); ok {
		name, isStr := v.(string)
		if !isStr {
			return errors.New(`schema: format value must be "string"`)
		}
		n.format = lookupFormat(name)
	}
	return nil
}

func (c *compiler) stringKeywords(n *node, s *jsonx.Object, _ string) error {
	var err error
	if n.lenLimits, err = countLimits(s, "maxLength", "minLength", "characters"); err != nil {
		return err
	}
	if v, ok := s.Get("pattern"); ok {
		p, isStr := v.(string)
		if !isStr {
			return errors.New(`schema: pattern value must be "string"`)
		}
		re, err := compilePattern(p)
		if err != nil {
			return err
		}
		n.pattern, n.patternMsg = re, `must match pattern "`+p+`"`
	}
	return c.formatLimits(n, s)
}

func (c *compiler) formatLimits(n *node, s *jsonx.Object) error {
	for _, k := range []struct {
		name string
		kind numKind
		op   string
	}{{"formatMaximum", kindMaximum, "<="}, {"formatMinimum", kindMinimum, ">="}, {"formatExclusiveMaximum", kindExclusiveMaximum, "<"}, {"formatExclusiveMinimum", kindExclusiveMinimum, ">"}} {
		v, ok := s.Get(k.name)
		if !ok {
			continue
		}
		f, hasFormat := s.Get("format")
		if !hasFormat {
			return fmt.Errorf("schema: parent schema must have dependencies of %s: format", k.name)
		}
		limit, isStr := v.(string)
		if !isStr {
			return fmt.Errorf(`schema: %s value must be "string"`, k.name)
		}
		name, _ := f.(string)
		if !knownFormat(name) || n.format == nil {
			continue
		}
		cmp := formatCompare(name)
		if cmp == nil {
			return fmt.Errorf(`schema: "%s": format "%s" does not define "compare" function`, k.name, name)
		}
		n.formatLimits = append(n.formatLimits, formatLimit{cmp, limit, k.kind, "should be " + k.op + " " + limit})
	}
	return nil
}

func (c *compiler) arrayKeywords(n *node, s *jsonx.Object, base string) error {
	var err error
	if n.itemLimits, err = countLimits(s, "maxItems", "minItems", "items"); err != nil {
		return err
	}
	items, hasItems := s.Get("items")
	if list, ok := items.([]any); ok {
		n.isTuple = true
		if n.tuple, err = c.subs(s, "items", base); err != nil {
			return err
		}
		for i, e := range list {
			if o, ok := e.(*jsonx.Object); ok {
				if d, ok := o.Get("default"); ok {
					n.tupleDefaults = append(n.tupleDefaults, indexDefault{i, d})
				}
			}
			if always(n.tuple[i]) {
				n.tuple[i] = nil
			}
		}
		if ai, ok := s.Get("additionalItems"); ok {
			if ai == false {
				n.addItemsFalse = true
			} else if n.addItems, err = c.compile(ai, base, false); err != nil {
				return err
			} else if always(n.addItems) {
				n.addItems = nil
			}
			n.addItemsMsg = "must NOT have more than " + jsNumber(float64(len(list))) + " items"
		}
	} else if hasItems {
		if n.items, err = c.compile(items, base, false); err != nil {
			return err
		}
		if always(n.items) {
			n.items = nil
		}
	}
	if v, ok := s.Get("contains"); ok {
		n.hasContains = true
		if n.contains, err = c.compile(v, base, false); err != nil {
			return err
		}
		n.containsAlways = always(n.contains)
	}
	if v, ok := s.Get("uniqueItems"); ok {
		b, isBool := v.(bool)
		if !isBool {
			return errors.New(`schema: uniqueItems value must be "boolean"`)
		}
		n.unique = b
		if b {
			return c.uniqueTypes(n, items)
		}
	}
	return nil
}

// uniqueTypes decides, as Ajv does, whether duplicates are found by value
// among items of the types that "items" declares.
func (c *compiler) uniqueTypes(n *node, items any) error {
	o, ok := items.(*jsonx.Object)
	if !ok {
		return nil
	}
	probe := &node{}
	if err := c.types(probe, o); err != nil {
		return err
	}
	if len(probe.types) == 0 {
		return nil
	}
	for _, t := range probe.types {
		if t == tObject || t == tArray {
			return nil
		}
		n.uniqueTypes |= t
	}
	n.uniqueByTypeKey = true
	return nil
}

func (c *compiler) objectKeywords(n *node, s *jsonx.Object, base string) error {
	var err error
	if n.propLimits, err = countLimits(s, "maxProperties", "minProperties", "properties"); err != nil {
		return err
	}
	if v, ok := s.Get("required"); ok {
		list, isList := v.([]any)
		if !isList {
			return errors.New(`schema: required value must be "array"`)
		}
		for _, e := range list {
			name := jsString(e)
			n.required = append(n.required, requiredProp{name, "must have required property '" + name + "'"})
		}
	}
	if _, ok := s.Get("propertyNames"); ok {
		pn, err := c.sub(s, "propertyNames", base)
		if err != nil {
			return err
		}
		if !always(pn) {
			n.propertyNames = pn
		}
	}
	if err := c.properties(n, s, base); err != nil {
		return err
	}
	if err := c.additional(n, s, base); err != nil {
		return err
	}
	if err := c.patternProperties(n, s, base); err != nil {
		return err
	}
	return c.dependencies(n, s, base)
}

func (c *compiler) properties(n *node, s *jsonx.Object, base string) error {
	if v, ok := s.Get("properties"); ok {
		po, isObj := v.(*jsonx.Object)
		if !isObj {
			return errors.New(`schema: properties value must be "object"`)
		}
		for _, m := range jsOrder(po) {
			if m.Key == "__proto__" {
				continue
			}
			n.declared = append(n.declared, m.Key)
			ps, isSchema := m.Value.(*jsonx.Object)
			def, hasDefault := ps.Get("default")
			if isSchema && hasDefault {
				n.defaults = append(n.defaults, propDefault{m.Key, def})
			}
			sub, err := c.compile(m.Value, base, false)
			if err != nil {
				return err
			}
			if !always(sub) {
				n.props = append(n.props, propSchema{m.Key, sub, isSchema && hasDefault})
			}
		}
	}
	return nil
}

// patternProperties compiles "patternProperties". Ajv compiles its
// patterns only where it uses them: to validate properties (unless every
// pattern's schema is always valid) and to find additional properties.
func (c *compiler) patternProperties(n *node, s *jsonx.Object, base string) error {
	v, ok := s.Get("patternProperties")
	if !ok {
		return nil
	}
	po, isObj := v.(*jsonx.Object)
	if !isObj {
		return errors.New(`schema: patternProperties value must be "object"`)
	}
	allAlways := true
	var pats []patSchema
	var sources []string
	for _, m := range jsOrder(po) {
		if m.Key == "__proto__" {
			continue
		}
		sub, err := c.compile(m.Value, base, false)
		if err != nil {
			return err
		}
		pats = append(pats, patSchema{node: sub, always: always(sub)})
		sources = append(sources, m.Key)
		allAlways = allAlways && always(sub)
	}
	if allAlways && !n.addPropsFalse && n.addProps == nil {
		return nil
	}
	for i, src := range sources {
		re, err := compilePattern(src)
		if err != nil {
			return err
		}
		pats[i].re = re
		n.addPatterns = append(n.addPatterns, re)
	}
	if !allAlways {
		n.patProps = pats
	}
	return nil
}

func (c *compiler) additional(n *node, s *jsonx.Object, base string) error {
	v, ok := s.Get("additionalProperties")
	if !ok {
		return nil
	}
	if v == false {
		n.addPropsFalse = true
		return nil
	}
	sub, err := c.compile(v, base, false)
	if err != nil {
		return err
	}
	if !always(sub) {
		n.addProps = sub
	}
	return nil
}

func (c *compiler) dependencies(n *node, s *jsonx.Object, base string) error {
	v, ok := s.Get("dependencies")
	if !ok {
		return nil
	}
	do, isObj := v.(*jsonx.Object)
	if !isObj {
		return errors.New(`schema: dependencies value must be "object"`)
	}
	for _, m := range jsOrder(do) {
		if m.Key == "__proto__" {
			continue
		}
		if list, isList := m.Value.([]any); isList {
			if len(list) == 0 {
				continue
			}
			deps := make([]string, len(list))
			for i, e := range list {
				deps[i] = jsString(e)
			}
			word := "properties"
			if len(deps) == 1 {
				word = "property"
			}
			msg := "must have " + word + " " + strings.Join(deps, ", ") + " when property " + m.Key + " is present"
			n.propDeps = append(n.propDeps, propDep{m.Key, deps, msg})
			continue
		}
		sub, err := c.compile(m.Value, base, false)
		if err != nil {
			return err
		}
		if !always(sub) {
			n.schemaDeps = append(n.schemaDeps, schemaDep{m.Key, sub})
		}
	}
	return nil
}

func schemaNumber(keyword string, v any) (float64, error) {
	f, ok := toFloat(v)
	if !ok {
		return 0, fmt.Errorf(`schema: %s value must be "number"`, keyword)
	}
	return f, nil
}

// countLimits reads a maximum and a minimum on a count of noun.
func countLimits(s *jsonx.Object, maxKey, minKey, noun string) ([]lenLimit, error) {
	var out []lenLimit
	for _, key := range []string{maxKey, minKey} {
		v, ok := s.Get(key)
		if !ok {
			continue
		}
		f, err := schemaNumber(key, v)
		if err != nil {
			return nil, err
		}
		word := "fewer"
		if key == maxKey {
			word = "more"
		}
		out = append(out, lenLimit{key == maxKey, f, "must NOT have " + word + " than " + jsNumber(f) + " " + noun})
	}
	return out, nil
}

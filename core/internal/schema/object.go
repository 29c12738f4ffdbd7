package schema

import (
	"slices"

	"github.com/echofn/echofn/core/internal/jsonx"
)

// objectGroup writes the defaults of "properties", then runs the object
// keywords in Ajv's order up to the first that fails: maxProperties,
// minProperties, required, propertyNames, additionalProperties,
// dependencies, properties, patternProperties.
func (v *validator) objectGroup(n *node, o *jsonx.Object, m mode) {
	if !m.composite {
		v.writeDefaults(n, o)
	}
	for _, l := range n.propLimits {
		c := float64(o.Len())
		if (l.max && c > l.limit) || (!l.max && c < l.limit) {
			v.report(m, l.msg, false)
			return
		}
	}
	for _, r := range n.required {
		if _, ok := lookup(o, r.name); !ok {
			v.report(m, r.msg, false)
			return
		}
	}
	if n.propertyNames != nil {
		for _, mem := range jsOrder(o) {
			if _, ok := v.eval(n.propertyNames, mem.Key, m.inComposite()); !ok {
				v.report(m, "property name must be valid", true)
				return
			}
		}
	}
	if n.addPropsFalse || n.addProps != nil {
		v.removeAdditional(n, o, m)
	}
	if !v.dependencies(n, o, m) {
		return
	}
	for _, p := range n.props {
		val, has := lookup(o, p.name)
		if !has && !(p.hasDefault && !m.composite) {
			continue
		}
		if !has {
			val = hole
		}
		nv, ok := v.at(p.node, val, p.name, -1, m)
		if has && val != inherited {
			setValue(o, p.name, nv)
		}
		if !ok {
			return
		}
	}
	for _, p := range n.patProps {
		for _, mem := range jsOrder(o) {
			if !matches(p.re, mem.Key) || p.always {
				continue
			}
			nv, ok := v.at(p.node, mem.Value, mem.Key, -1, m)
			setValue(o, mem.Key, nv)
			if !ok {
				return
			}
		}
	}
}

// writeDefaults adds the defaults of the properties o lacks, growing its
// members once for all of them.
func (v *validator) writeDefaults(n *node, o *jsonx.Object) {
	missing := 0
	for _, d := range n.defaults {
		if _, ok := lookup(o, d.name); !ok {
			missing++
		}
	}
	if missing == 0 || v.unwritten() {
		return
	}
	o.Members = slices.Grow(o.Members, missing)
	for _, d := range n.defaults {
		if _, ok := lookup(o, d.name); !ok {
			o.Members = append(o.Members, jsonx.Member{Key: d.name, Value: jsonx.Clone(d.value)})
		}
	}
}

// setValue stores a value that validation may have replaced (an array a
// default grew); it does nothing when the value is unchanged.
func setValue(o *jsonx.Object, key string, v any) {
	if _, isArr := v.([]any); isArr {
		o.Set(key, v)
	}
}

// removeAdditional deletes the properties that "additionalProperties"
// rejects, as Ajv does with removeAdditional "failing": all of them when
// it is false, otherwise those its schema finds invalid. It never fails.
func (v *validator) removeAdditional(n *node, o *jsonx.Object, m mode) {
	kept := o.Members[:0]
	for _, mem := range o.Members {
		keep := !n.additional(mem.Key)
		if !keep && !n.addPropsFalse {
			start := len(v.errs)
			nv, ok := v.at(n.addProps, mem.Value, mem.Key, -1, m.silenced())
			if ok {
				mem.Value, keep = nv, true
			} else {
				v.truncate(start)
			}
		}
		if keep || v.unwritten() {
			kept = append(kept, mem)
		}
	}
	for i := len(kept); i < len(o.Members); i++ {
		o.Members[i] = jsonx.Member{}
	}
	o.Members = kept
}

// additional reports whether key is neither in "properties" nor matched
// by "patternProperties".
func (n *node) additional(key string) bool {
	for _, d := range n.declared {
		if d == key {
			return false
		}
	}
	for _, re := range n.addPatterns {
		if matches(re, key) {
			return false
		}
	}
	return true
}

// dependencies checks the property dependencies, then the schema
// dependencies, and reports whether they pass.
func (v *validator) dependencies(n *node, o *jsonx.Object, m mode) bool {
	for _, d := range n.propDeps {
		if _, has := lookup(o, d.prop); !has {
			continue
		}
		for _, dep := range d.deps {
			if _, ok := lookup(o, dep); !ok {
				v.report(m, d.msg, false)
				return false
			}
		}
	}
	for _, d := range n.schemaDeps {
		if _, has := lookup(o, d.prop); !has {
			continue
		}
		if _, ok := v.eval(d.node, o, m); !ok {
			return false
		}
	}
	return true
}

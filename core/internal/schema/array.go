package schema

import (
	"strconv"

	"github.com/echofn/echofn/core/internal/jsonx"
)

// arrayGroup writes the defaults of "items" given as an array, then runs
// the array keywords in Ajv's order up to the first that fails: maxItems,
// minItems, additionalItems, items, contains, uniqueItems. It returns the
// array, which a default may have grown.
func (v *validator) arrayGroup(n *node, a []any, m mode) []any {
	if !m.composite {
		for _, d := range n.tupleDefaults {
			if (len(a) <= d.index || a[d.index] == hole) && v.unwritten() {
				continue
			}
			for len(a) <= d.index {
				a = append(a, hole)
				v.holes = true
			}
			if a[d.index] == hole {
				a[d.index] = jsonx.Clone(d.value)
			}
		}
	}
	for _, l := range n.itemLimits {
		c := float64(len(a))
		if (l.max && c > l.limit) || (!l.max && c < l.limit) {
			v.report(m, l.msg, false)
			return a
		}
	}
	if n.isTuple && !v.additionalItems(n, a, m) {
		return a
	}
	if !v.items(n, a, m) {
		return a
	}
	if n.hasContains && !v.contains(n, a, m) {
		return a
	}
	if n.unique && len(a) > 1 {
		v.uniqueItems(n, a, m)
	}
	return a
}

func (v *validator) additionalItems(n *node, a []any, m mode) bool {
	size := len(n.tuple)
	if len(a) <= size {
		return true
	}
	if n.addItemsFalse {
		v.report(m, n.addItemsMsg, false)
		return false
	}
	if n.addItems == nil {
		return true
	}
	for i := size; i < len(a); i++ {
		var ok bool
		if a[i], ok = v.at(n.addItems, a[i], "", i, m); !ok {
			return false
		}
	}
	return true
}

func (v *validator) items(n *node, a []any, m mode) bool {
	if n.items != nil {
		for i := range a {
			var ok bool
			if a[i], ok = v.at(n.items, a[i], "", i, m); !ok {
				return false
			}
		}
	}
	for i, t := range n.tuple {
		if t == nil || i >= len(a) {
			continue
		}
		var ok bool
		if a[i], ok = v.at(t, a[i], "", i, m); !ok {
			return false
		}
	}
	return true
}

const containsMsg = "must contain at least 1 valid item(s)"

func (v *validator) contains(n *node, a []any, m mode) bool {
	if n.containsAlways {
		if len(a) == 0 {
			v.report(m, containsMsg, false)
			return false
		}
		return true
	}
	start := len(v.errs)
	for i := range a {
		var ok bool
		if a[i], ok = v.at(n.contains, a[i], "", i, m.inComposite()); ok {
			v.truncate(start)
			return true
		}
	}
	v.report(m, containsMsg, false)
	return false
}

// uniqueItems finds a duplicate as Ajv does: by value among the items of
// the types "items" declares when it declares only scalar types (the
// higher index named first), else by deep equality (the lower first).
func (v *validator) uniqueItems(n *node, a []any, m mode) {
	if n.uniqueByTypeKey {
		if i, j, found := dupByValue(n.uniqueTypes, a); found {
			v.report(m, duplicateMsg(j, i), false)
		}
		return
	}
	for i := len(a) - 1; i > 0; i-- {
		for j := i - 1; j >= 0; j-- {
			if jsEqual(a[i], a[j]) {
				v.report(m, duplicateMsg(j, i), false)
				return
			}
		}
	}
}

func duplicateMsg(a, b int) string {
	return "must NOT have duplicate items (items ## " + strconv.Itoa(a) + " and " + strconv.Itoa(b) + " are identical)"
}

type scalarKey struct {
	kind typeSet
	s    string
	f    float64
}

func keyOf(v any) scalarKey {
	switch t := v.(type) {
	case nil:
		return scalarKey{kind: tNull}
	case bool:
		if t {
			return scalarKey{kind: tBoolean, s: "true"}
		}
		return scalarKey{kind: tBoolean}
	case string:
		return scalarKey{kind: tString, s: t}
	}
	f, _ := toFloat(v)
	return scalarKey{kind: tNumber, f: f}
}

// dupByValue scans from the end, as Ajv's indexed loop does, and returns
// the first item i that repeats a later one and the nearest such j > i.
func dupByValue(types typeSet, a []any) (i, j int, found bool) {
	typed := func(x any) bool { return typesOf(x)&types != 0 }
	if len(a) <= 32 {
		for i := len(a) - 1; i >= 0; i-- {
			if !typed(a[i]) {
				continue
			}
			ki := keyOf(a[i])
			for j := i + 1; j < len(a); j++ {
				if typed(a[j]) && keyOf(a[j]) == ki {
					return i, j, true
				}
			}
		}
		return 0, 0, false
	}
	seen := make(map[scalarKey]int, len(a))
	for i := len(a) - 1; i >= 0; i-- {
		if !typed(a[i]) {
			continue
		}
		k := keyOf(a[i])
		if j, ok := seen[k]; ok {
			return i, j, true
		}
		seen[k] = i
	}
	return 0, 0, false
}

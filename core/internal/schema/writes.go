package schema

// writes reports whether validating a value against n can change it: write
// a default, or remove a property that "additionalProperties" rejects,
// anywhere n leads to, references included. Validate copies a value only
// for schemas that can.
func writes(n *node) bool { return n.writes(map[*node]bool{}) }

func (n *node) writes(seen map[*node]bool) bool {
	if n == nil || seen[n] {
		return false
	}
	seen[n] = true
	if len(n.defaults) > 0 || len(n.tupleDefaults) > 0 || n.addPropsFalse || n.addProps != nil {
		return true
	}
	for _, sub := range n.subschemas() {
		if sub.writes(seen) {
			return true
		}
	}
	return false
}

// subschemas lists every node that validating against n may evaluate; some
// entries may be nil.
func (n *node) subschemas() []*node {
	out := []*node{n.not, n.ifNode, n.thenNode, n.elseNode, n.addItems, n.items, n.contains, n.propertyNames, n.addProps}
	if n.ref != nil {
		out = append(out, n.ref.target)
	}
	out = append(out, n.anyOf...)
	out = append(out, n.oneOf...)
	out = append(out, n.allOf...)
	out = append(out, n.tuple...)
	for _, d := range n.schemaDeps {
		out = append(out, d.node)
	}
	for _, p := range n.props {
		out = append(out, p.node)
	}
	for _, p := range n.patProps {
		out = append(out, p.node)
	}
	return out
}

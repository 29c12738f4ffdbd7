package schema

import (
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/echofn/echofn/core/internal/jsonx"
)

// validator walks a value and its schema in one pass, as Ajv's generated
// code does with allErrors off: it collects errors as Ajv does (subschemas
// of anyOf, oneOf, not, if and contains collect errors that are dropped
// again when the keyword passes; any other error ends the validation), so
// that what is left at the end is Ajv's list of errors, which Novu reports.
type validator struct {
	errs     []reported
	stopped  bool // an error outside composite keywords ended the current function
	path     []pathSeg
	holes    bool
	calls    int  // nested calls of referenced schemas
	overflow bool // calls exceeded maxCalls: the validation is abandoned
	// dry is set for a pass that changes nothing: where a default would be
	// written or a property removed, it sets wrote instead and goes on as
	// if the value needed no change.
	dry, wrote bool
}

// unwritten reports whether the change about to be made is left unmade,
// in a dry pass, which notes that the value needed it.
func (v *validator) unwritten() bool {
	if v.dry {
		v.wrote = true
	}
	return v.dry
}

// validators keeps validators between validations, with the room their
// error list and path have grown to.
var validators = sync.Pool{New: func() any { return new(validator) }}

// keepRoom is the room above which a validator's error list or path is
// dropped rather than kept for the next validation.
const keepRoom = 256

// release empties v and returns it to validators.
func (v *validator) release() {
	if cap(v.errs) > keepRoom || cap(v.path) > keepRoom {
		return
	}
	clear(v.errs)
	clear(v.path)
	*v = validator{errs: v.errs[:0], path: v.path[:0]}
	validators.Put(v)
}

// maxCalls bounds nested calls of referenced schemas. Data nest at most
// jsonx.MaxDepth deep, so only a cycle of references that applies a schema
// to the same value again reaches it; Ajv overflows its stack there.
const maxCalls = 2000

// errTooDeep is what Validate reports where Ajv throws "Maximum call stack
// size exceeded".
var errTooDeep = Error{Message: "schema references recurse without end"}

// reported is one collected error; quiet ones (inside not and if, where Ajv
// creates none) only count, and are always dropped again.
type reported struct {
	Error
	quiet bool
}

// pathSeg is one step of the instance path: an object key, or an array
// index when index >= 0.
type pathSeg struct {
	key   string
	index int
}

// mode is how Ajv evaluates a subschema: inside a composite keyword (anyOf,
// oneOf, not, if, contains, additionalProperties), errors do not end the
// validation and defaults are not written; quiet errors are never reported.
// base is the error count where the current function started: a function
// of its own (the root, a referenced schema with references inside) starts
// afresh outside any composite keyword.
type mode struct {
	composite bool
	quiet     bool
	base      int
}

func (m mode) inComposite() mode { return mode{composite: true, quiet: m.quiet, base: m.base} }
func (m mode) silenced() mode    { return mode{composite: true, quiet: true, base: m.base} }

// report adds an error. Outside composite keywords Ajv returns at once
// with just that error (extra errors keep those collected before it).
func (v *validator) report(m mode, msg string, extra bool) {
	if v.stopped {
		return // Ajv has returned from the function already
	}
	if !m.composite {
		v.stopped = true
		if !extra && len(v.errs) > m.base {
			v.truncate(m.base)
		}
	}
	if m.quiet {
		v.errs = append(v.errs, reported{quiet: true})
		return
	}
	v.errs = append(v.errs, reported{Error: Error{Path: v.pointer(), Message: msg}})
}

// truncate drops the errors after the first n, as Ajv does when a
// composite keyword passes.
func (v *validator) truncate(n int) { v.errs = v.errs[:n] }

// reportedErrors is the list of errors Ajv would give.
func (v *validator) reportedErrors() []Error {
	var out []Error
	for _, e := range v.errs {
		if !e.quiet {
			out = append(out, e.Error)
		}
	}
	return out
}

func (v *validator) pointer() string {
	if len(v.path) == 0 {
		return ""
	}
	var b strings.Builder
	for _, s := range v.path {
		b.WriteByte('/')
		if s.index >= 0 {
			b.WriteString(strconv.Itoa(s.index))
			continue
		}
		b.WriteString(escapePointer(s.key))
	}
	return b.String()
}

func escapePointer(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// at evaluates n on a part of the value: the property key or the index i.
func (v *validator) at(n *node, data any, key string, i int, m mode) (any, bool) {
	v.path = append(v.path, pathSeg{key, i})
	data, ok := v.eval(n, data, m)
	v.path = v.path[:len(v.path)-1]
	return data, ok
}

// eval applies n to data and returns data, which defaults may have
// replaced (an array grown by a default), and whether it is valid.
func (v *validator) eval(n *node, data any, m mode) (any, bool) {
	if n.isBool {
		if !n.boolVal {
			v.report(m, "boolean schema is false", false)
		}
		return data, n.boolVal
	}
	if n.trivial {
		return data, true
	}
	if n.refOnly {
		return v.ref(n.ref, data, m)
	}
	start := len(v.errs)
	if n.checkTypes && !hasType(n.types, data) {
		v.report(m, n.typeMsg, false)
		if !m.composite {
			return data, false
		}
	}
	// After a wrong type inside a composite keyword, Ajv still runs the
	// first group with keywords; each later one only while nothing failed.
	ran := false
	for g := groupAny; g < groupCount; g++ {
		if !n.used[g] {
			continue
		}
		if ran && len(v.errs) != start {
			break
		}
		ran = true
		data = v.group(n, g, data, m)
	}
	return data, len(v.errs) == start
}

func (v *validator) ref(l *refLink, data any, m mode) (any, bool) {
	if !l.call {
		return v.eval(l.target, data, m)
	}
	if v.overflow || v.calls >= maxCalls {
		v.overflow = true
		v.errs = append(v.errs, reported{Error: errTooDeep})
		return data, false
	}
	if v.stopped {
		return data, false
	}
	v.calls++
	data, ok := v.eval(l.target, data, mode{base: len(v.errs)})
	v.calls--
	v.stopped = false // the called function has returned; its caller goes on
	return data, ok && !v.overflow
}

func (v *validator) group(n *node, g group, data any, m mode) any {
	switch g {
	case groupAny:
		return v.anyGroup(n, data, m)
	case groupNumber:
		if typesOf(data)&tNumber != 0 {
			f, _ := toFloat(data)
			v.numberGroup(n, f, m)
		} else if n.typeGroup == groupNumber {
			v.report(m, n.typeMsg, false)
		}
	case groupString:
		if s, ok := data.(string); ok {
			v.stringGroup(n, s, m)
		} else if n.typeGroup == groupString {
			v.report(m, n.typeMsg, false)
		}
	case groupArray:
		if a, ok := data.([]any); ok {
			return v.arrayGroup(n, a, m)
		} else if n.typeGroup == groupArray {
			v.report(m, n.typeMsg, false)
		}
	case groupObject:
		if o, ok := data.(*jsonx.Object); ok && o != nil {
			v.objectGroup(n, o, m)
		} else if n.typeGroup == groupObject {
			v.report(m, n.typeMsg, false)
		}
	}
	return data
}

// anyGroup runs the keywords for any type, up to the first that fails.
func (v *validator) anyGroup(n *node, data any, m mode) any {
	ok := true
	if n.ref != nil {
		if data, ok = v.ref(n.ref, data, m); !ok {
			return data
		}
	}
	if n.hasConst && !jsEqual(data, n.constVal) {
		v.report(m, "must be equal to constant", false)
		return data
	}
	if n.enum != nil && !inEnum(n.enum, data) {
		v.report(m, "must be equal to one of the allowed values", false)
		return data
	}
	if n.not != nil {
		if data, ok = v.not(n.not, data, m); !ok {
			return data
		}
	}
	if n.anyOf != nil && !n.anyOfOff {
		if data, ok = v.anyOf(n.anyOf, data, m); !ok {
			return data
		}
	}
	if n.oneOf != nil {
		if data, ok = v.oneOf(n.oneOf, data, m); !ok {
			return data
		}
	}
	for _, sub := range n.allOf {
		if always(sub) {
			continue
		}
		if data, ok = v.eval(sub, data, m); !ok {
			return data
		}
	}
	if n.ifNode != nil {
		data, _ = v.ifThenElse(n, data, m)
	}
	return data
}

func inEnum(enum []any, data any) bool {
	for _, e := range enum {
		if jsEqual(data, e) {
			return true
		}
	}
	return false
}

func (v *validator) not(sub *node, data any, m mode) (any, bool) {
	if always(sub) {
		v.report(m, "must NOT be valid", false)
		return data, false
	}
	start := len(v.errs)
	data, valid := v.eval(sub, data, m.silenced())
	if valid {
		v.report(m, "must NOT be valid", false)
		return data, false
	}
	v.truncate(start)
	return data, true
}

func (v *validator) anyOf(branches []*node, data any, m mode) (any, bool) {
	start := len(v.errs)
	for _, b := range branches {
		var ok bool
		if data, ok = v.eval(b, data, m.inComposite()); ok {
			v.truncate(start)
			return data, true
		}
	}
	v.report(m, "must match a schema in anyOf", true)
	return data, false
}

func (v *validator) oneOf(branches []*node, data any, m mode) (any, bool) {
	start := len(v.errs)
	valid := false
	for i, b := range branches {
		ok := true
		if !always(b) {
			data, ok = v.eval(b, data, m.inComposite())
		}
		if i > 0 && ok && valid {
			valid = false
			break
		}
		valid = valid || ok
	}
	if valid {
		v.truncate(start)
		return data, true
	}
	v.report(m, "must match exactly one schema in oneOf", true)
	return data, false
}

func (v *validator) ifThenElse(n *node, data any, m mode) (any, bool) {
	start := len(v.errs)
	data, cond := v.eval(n.ifNode, data, m.silenced())
	v.truncate(start)
	branch, name := n.thenNode, "then"
	if !cond {
		branch, name = n.elseNode, "else"
	}
	if branch == nil {
		return data, true
	}
	data, ok := v.eval(branch, data, m)
	if !ok {
		v.report(m, `must match "`+name+`" schema`, true)
	}
	return data, ok
}

func (v *validator) numberGroup(n *node, f float64, m mode) {
	for _, l := range n.numLimits {
		var fail bool
		switch l.kind {
		case kindMaximum:
			fail = f > l.limit
		case kindMinimum:
			fail = f < l.limit
		case kindExclusiveMaximum:
			fail = f >= l.limit
		case kindExclusiveMinimum:
			fail = f <= l.limit
		}
		if fail {
			v.report(m, l.msg, false)
			return
		}
	}
	if l := n.multipleOf; l != nil && !multipleOf(f, l.limit) {
		v.report(m, l.msg, false)
		return
	}
	if n.format != nil && n.format.number != nil && !n.format.number(f) {
		v.report(m, n.format.msg, false)
	}
}

// multipleOf is Ajv's test: the quotient must survive parseInt, which
// reads numbers of 1e21 and more in exponent notation.
func multipleOf(f, by float64) bool {
	if by == 0 {
		return false
	}
	q := f / by
	return !math.IsInf(q, 0) && q == math.Trunc(q) && math.Abs(q) < 1e21
}

func (v *validator) stringGroup(n *node, s string, m mode) {
	if len(n.lenLimits) > 0 {
		l := float64(utf8.RuneCountInString(s))
		for _, lim := range n.lenLimits {
			if (lim.max && l > lim.limit) || (!lim.max && l < lim.limit) {
				v.report(m, lim.msg, false)
				return
			}
		}
	}
	if n.pattern != nil && !matches(n.pattern, s) {
		v.report(m, n.patternMsg, false)
		return
	}
	if n.format != nil && n.format.str != nil && !n.format.str(s) {
		v.report(m, n.format.msg, false)
		return
	}
	for _, l := range n.formatLimits {
		c, ok := l.compare(s, l.limit)
		if !ok {
			continue
		}
		var fail bool
		switch l.kind {
		case kindMaximum:
			fail = c > 0
		case kindMinimum:
			fail = c < 0
		case kindExclusiveMaximum:
			fail = c >= 0
		case kindExclusiveMinimum:
			fail = c <= 0
		}
		if fail {
			v.report(m, l.msg, false)
			return
		}
	}
}

// fillHoles writes the holes that defaults left in arrays as null, as
// JSON.stringify does.
func fillHoles(v any) any {
	switch t := v.(type) {
	case undefined:
		return nil
	case []any:
		for i, e := range t {
			t[i] = fillHoles(e)
		}
	case *jsonx.Object:
		for i := range t.Members {
			t.Members[i].Value = fillHoles(t.Members[i].Value)
		}
	}
	return v
}

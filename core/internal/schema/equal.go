package schema

import (
	"encoding/json"
	"math"
	"strconv"

	"github.com/echofn/echofn/core/internal/jsonx"
)

// undefined stands for what JavaScript reads where a value is missing: a
// hole left in an array by a default written past its end, or a method
// that every object inherits ("toString", "constructor", ...). It matches
// no type and equals only itself; holes are written as null.
type undefined struct{ inherited bool }

var (
	hole      = undefined{}
	inherited = undefined{inherited: true}
)

// toFloat reads a number as JavaScript holds it, a float64; numbers too
// large for one become ±Inf, as in JSON.parse.
func toFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil && !math.IsInf(f, 0) {
			return 0, false
		}
		return f, true
	case float64:
		return n, true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	}
	return 0, false
}

// jsEqual is Ajv's deep equality (fast-deep-equal) on ordered values:
// numbers by value, objects regardless of key order.
func jsEqual(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := len(x) - 1; i >= 0; i-- {
			if !jsEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case *jsonx.Object:
		y, ok := b.(*jsonx.Object)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for _, m := range x.Members {
			w, ok := y.Get(m.Key)
			if !ok || !jsEqual(m.Value, w) {
				return false
			}
		}
		return true
	case undefined:
		y, ok := b.(undefined)
		return ok && x == y
	}
	fa, ok := toFloat(a)
	if !ok {
		return false
	}
	fb, ok := toFloat(b)
	return ok && fa == fb
}

// jsString is String(v) for the strings and numbers that appear in
// keyword values such as "required".
func jsString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(t)
	}
	if f, ok := toFloat(v); ok {
		return jsNumber(f)
	}
	return string(jsonx.Marshal(v))
}

// jsNumber formats f as JavaScript's String(f) does.
func jsNumber(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0"
	}
	b, _ := json.Marshal(f) // encoding/json formats numbers as ECMAScript does
	return string(b)
}

// isArrayIndex reports whether JavaScript treats key as an array index,
// which objects enumerate first, in numeric order.
func isArrayIndex(key string) bool {
	if key == "" || len(key) > 10 || (len(key) > 1 && key[0] == '0') {
		return false
	}
	n, err := strconv.ParseUint(key, 10, 64)
	return err == nil && n < 1<<32-1
}

// jsOrder returns o's members in the order JavaScript enumerates an
// object's keys: array indices first, ascending, then the others in
// insertion order. It returns o.Members itself when nothing moves.
func jsOrder(o *jsonx.Object) []jsonx.Member {
	first := -1
	for i, m := range o.Members {
		if isArrayIndex(m.Key) {
			first = i
			break
		}
	}
	if first < 0 {
		return o.Members
	}
	var idx, rest []jsonx.Member
	for _, m := range o.Members {
		if isArrayIndex(m.Key) {
			idx = append(idx, m)
		} else {
			rest = append(rest, m)
		}
	}
	for i := 1; i < len(idx); i++ {
		for j := i; j > 0; j-- {
			a, _ := strconv.ParseUint(idx[j-1].Key, 10, 64)
			b, _ := strconv.ParseUint(idx[j].Key, 10, 64)
			if a <= b {
				break
			}
			idx[j-1], idx[j] = idx[j], idx[j-1]
		}
	}
	return append(idx, rest...)
}

// prototypeKeys are the properties every JavaScript object inherits: Ajv
// reads data[key] without checking that the key is the object's own.
func inheritedKey(key string) bool {
	switch key {
	case "constructor", "__defineGetter__", "__defineSetter__", "hasOwnProperty", "__lookupGetter__",
		"__lookupSetter__", "isPrototypeOf", "propertyIsEnumerable", "toString", "valueOf", "__proto__", "toLocaleString":
		return true
	}
	return false
}

// lookup reads o[key] as JavaScript does.
func lookup(o *jsonx.Object, key string) (any, bool) {
	if v, ok := o.Get(key); ok {
		return v, true
	}
	if inheritedKey(key) {
		return inherited, true
	}
	return nil, false
}

package jsonx

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// AppendFromGo appends to dst the JSON text Append(FromGo(v)) would write,
// and returns FromGo's error when it would fail. Maps from strings,
// []any, strings, numbers, booleans and nil, as a step's code builds them,
// are written as they are read, without the values FromGo would build
// first; any other value (a struct, a pointer, an odd key) goes through
// FromGo where it is found.
func AppendFromGo(dst []byte, v any) ([]byte, error) {
	if out, ok := appendAny(dst, v, 0); ok {
		return out, nil
	}
	x, err := FromGo(v)
	if err != nil {
		return dst, err
	}
	return Append(dst, x), nil
}

// appendAny writes x, found depth arrays and objects deep, as
// Append(fromAny(x, depth, 0)) writes it; ok is false where fromAny
// reports false.
func appendAny(dst []byte, x any, depth int) (_ []byte, ok bool) {
	switch y := x.(type) {
	case nil:
		return append(dst, "null"...), true
	case bool:
		return strconv.AppendBool(dst, y), true
	case string:
		// AppendString writes invalid UTF-8 as fromAny's validUTF8 does.
		return AppendString(dst, y), true
	case float64:
		if math.IsNaN(y) || math.IsInf(y, 0) {
			return dst, false
		}
		return appendFloat64(dst, y, 64), true
	case int:
		return strconv.AppendInt(dst, int64(y), 10), true
	case int64:
		return strconv.AppendInt(dst, y, 10), true
	case map[string]any:
		return appendStringMap(dst, y, depth, appendAny)
	case map[string]string:
		return appendStringMap(dst, y, depth, appendString)
	case []any:
		if y == nil {
			return append(dst, "null"...), true
		}
		if depth >= MaxDepth {
			return dst, false
		}
		dst = append(dst, '[')
		for i, e := range y {
			if i > 0 {
				dst = append(dst, ',')
			}
			if dst, ok = appendAny(dst, e, depth+1); !ok {
				return dst, false
			}
		}
		return append(dst, ']'), true
	}
	// json.Number and every other type as fromAny converts them.
	v, ok := fromAny(x, depth, 0)
	if !ok {
		return dst, false
	}
	return Append(dst, v), true
}

// appendString is appendAny for a string.
func appendString(dst []byte, s string, _ int) ([]byte, bool) { return AppendString(dst, s), true }

// appendStringMap writes m with its keys sorted, as fromStringMap converts
// it, each value with write. A key that is not valid UTF-8 leaves the map
// to fromStringMap, which mends keys and then drops the duplicates that
// makes.
func appendStringMap[V any](dst []byte, m map[string]V, depth int, write func([]byte, V, int) ([]byte, bool)) (_ []byte, ok bool) {
	if m == nil {
		return append(dst, "null"...), true
	}
	if depth >= MaxDepth {
		return dst, false
	}
	type entry struct {
		key   string
		value V
	}
	var small [8]entry
	entries := small[:0]
	for k, v := range m {
		if !utf8.ValidString(k) {
			o, ok := fromStringMap(m, depth, 0)
			if !ok {
				return dst, false
			}
			return Append(dst, o), true
		}
		entries = append(entries, entry{k, v})
	}
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.key, b.key) })
	dst = append(dst, '{')
	for i, e := range entries {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = AppendString(dst, e.key)
		dst = append(dst, ':')
		if dst, ok = write(dst, e.value, depth+1); !ok {
			return dst, false
		}
	}
	return append(dst, '}'), true
}

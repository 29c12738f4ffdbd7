package jsonx

import (
	"encoding"
	"encoding/base64"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
)

// ToGo stores the ordered value v in dst, which must be a non-nil pointer,
// exactly as json.Unmarshal(Marshal(v), dst) does: the same Go value, the
// same error, and on an error the same partly decoded value.
//
// When *dst is the zero value, v is stored directly, following the plan of
// dst's type; the methods encoding/json would call (UnmarshalJSON with the
// sub-value's text, UnmarshalText with its string) are called the same way.
// Whatever encoding/json would refuse or report, and any destination that
// is not the zero value, goes through encoding/json instead.
func ToGo(v any, dst any) error {
	rv := reflect.ValueOf(dst)
	if rv.Kind() == reflect.Pointer && !rv.IsNil() {
		p := planFor(rv.Type())
		if e := rv.Elem(); isZero(e, p.elem) {
			if decodeValue(rv, p, v, 0) {
				return nil
			}
			e.SetZero() // as it was; encoding/json starts again
		}
	}
	return json.Unmarshal(Append(nil, v), dst)
}

// maxNest is how deeply ToGo nests arrays and objects itself; deeper values
// go through encoding/json.
const maxNest = 1000

// isZero reports whether v, of plan p, is its type's zero value, down to the
// sign of a floating-point zero (which reflect.Value.IsZero ignores).
func isZero(v reflect.Value, p *plan) bool {
	if !p.floats {
		return v.IsZero()
	}
	return zeroBits(v)
}

func zeroBits(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		return math.Float64bits(v.Float()) == 0
	case reflect.Complex64, reflect.Complex128:
		c := v.Complex()
		return math.Float64bits(real(c)) == 0 && math.Float64bits(imag(c)) == 0
	case reflect.Array:
		for i := range v.Len() {
			if !zeroBits(v.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Struct:
		for i := range v.NumField() {
			if !zeroBits(v.Field(i)) {
				return false
			}
		}
		return true
	}
	return v.IsZero()
}

func isNull(x any) bool {
	o, isObject := x.(*Object)
	return x == nil || isObject && o == nil
}

// decodeValue stores x in v as encoding/json stores a JSON value in a Go
// value: through pointers, allocating them, and through the unmarshaling
// methods it meets on the way, then by kind. It reports false where
// encoding/json would report an error or do something it does not.
func decodeValue(v reflect.Value, p *plan, x any, depth int) bool {
	null := isNull(x)
	// A named type's pointer methods apply to an addressable value.
	if p.kind != reflect.Pointer && p.unmarshal != 0 && v.CanAddr() {
		if done, ok := decodeMethod(v.Addr(), p.unmarshal, x, null, depth); done {
			return ok
		}
	}
	for p.kind == reflect.Pointer {
		if null && v.CanSet() {
			v.SetZero()
			return true
		}
		if v.IsNil() {
			if !v.CanSet() {
				return false
			}
			v.Set(reflect.New(p.t.Elem()))
		}
		if p.unmarshal != 0 {
			if done, ok := decodeMethod(v, p.unmarshal, x, null, depth); done {
				return ok
			}
		}
		v, p = v.Elem(), p.elem
	}
	switch x := x.(type) {
	case nil:
		return decodeNull(v, p)
	case bool:
		if p.kind != reflect.Bool {
			return setAny(v, p, x, true)
		}
		v.SetBool(x)
		return true
	case string:
		return decodeString(v, p, validUTF8(x))
	case json.Number:
		s := string(x)
		if s == "" {
			s = "0"
		}
		return validNumber(s) && decodeNumber(v, p, s)
	case []any:
		return depth < maxNest && decodeArray(v, p, x, depth+1)
	case *Object:
		if x == nil {
			return decodeNull(v, p)
		}
		return depth < maxNest && decodeObject(v, p, x, depth+1)
	}
	return false
}

// decodeMethod calls the UnmarshalJSON or UnmarshalText method of the
// pointer pv, as bits says it has, where encoding/json would call it; done
// is false where it would not.
func decodeMethod(pv reflect.Value, bits uint8, x any, null bool, depth int) (done, ok bool) {
	if !pv.CanInterface() {
		return false, false
	}
	if bits&mJSON != 0 {
		if !wellFormed(x, depth) {
			return true, false
		}
		return true, pv.Interface().(json.Unmarshaler).UnmarshalJSON(Append(nil, x)) == nil
	}
	if bits&mText != 0 && !null {
		s, isString := x.(string)
		return true, isString && pv.Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(validUTF8(s))) == nil
	}
	return false, false
}

// setAny stores x, if ok, in v when p is an interface type without methods,
// which encoding/json fills with map[string]any, []any, float64, string,
// bool or nil; it reports whether it did.
func setAny(v reflect.Value, p *plan, x any, ok bool) bool {
	if !ok || p.kind != reflect.Interface || p.t.NumMethod() != 0 {
		return false
	}
	v.Set(reflect.ValueOf(x))
	return true
}

func decodeNull(v reflect.Value, p *plan) bool {
	switch p.kind {
	case reflect.Interface, reflect.Pointer, reflect.Map, reflect.Slice:
		v.SetZero()
	}
	return true
}

func decodeString(v reflect.Value, p *plan, s string) bool {
	switch {
	case p.kind == reflect.String:
		if p.t == numberType && !validNumber(s) {
			return false
		}
		v.SetString(s)
	case p.kind == reflect.Slice && p.t.Elem().Kind() == reflect.Uint8:
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return false
		}
		v.SetBytes(b)
	default:
		return setAny(v, p, s, true)
	}
	return true
}

// decodeNumber stores the number written s; s need not be JSON's syntax
// (a ",string" field's value is parsed as it comes).
func decodeNumber(v reflect.Value, p *plan, s string) bool {
	switch p.kind {
	case reflect.String:
		if p.t != numberType {
			return false
		}
		v.SetString(s)
	case reflect.Interface:
		f, err := strconv.ParseFloat(s, 64)
		return setAny(v, p, f, err == nil)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || v.OverflowInt(n) {
			return false
		}
		v.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil || v.OverflowUint(n) {
			return false
		}
		v.SetUint(n)
	case reflect.Float32, reflect.Float64:
		f, err := strconv.ParseFloat(s, p.t.Bits())
		if err != nil || v.OverflowFloat(f) {
			return false
		}
		v.SetFloat(f)
	default:
		return false
	}
	return true
}

// decodeArray stores the elements of a as encoding/json does: a slice keeps
// the elements of its backing array that it reuses, an array zeroes those
// past a's end and ignores elements past its own.
func decodeArray(v reflect.Value, p *plan, a []any, depth int) bool {
	switch p.kind {
	case reflect.Interface:
		x, ok := plain(a, depth-1)
		return setAny(v, p, x, ok)
	case reflect.Slice:
		n := len(a)
		if n == 0 {
			v.Set(reflect.MakeSlice(p.t, 0, 0))
			return true
		}
		if c := v.Cap(); n > c {
			v.SetLen(c) // growing keeps every element of the backing array
			v.Grow(n - c)
		}
		v.SetLen(n)
		for i, e := range a {
			if !decodeValue(v.Index(i), p.elem, e, depth) {
				return false
			}
		}
	case reflect.Array:
		for i := range v.Len() {
			if i >= len(a) {
				v.Index(i).SetZero()
			} else if !decodeValue(v.Index(i), p.elem, a[i], depth) {
				return false
			}
		}
		for _, e := range a[min(len(a), v.Len()):] {
			if !wellFormed(e, depth) {
				return false
			}
		}
	default:
		return false
	}
	return true
}

func decodeObject(v reflect.Value, p *plan, o *Object, depth int) bool {
	switch p.kind {
	case reflect.Interface:
		x, ok := plain(o, depth-1)
		return setAny(v, p, x, ok)
	case reflect.Map:
		return decodeMap(v, p, o, depth)
	case reflect.Struct:
		for i := range o.Members {
			m := &o.Members[i]
			f := p.lookup(m.Key)
			if f == nil {
				if !wellFormed(m.Value, depth) {
					return false
				}
				continue
			}
			fv := v
			for j, x := range f.index {
				if j > 0 && fv.Kind() == reflect.Pointer {
					if fv.IsNil() {
						if !fv.CanSet() {
							return false // a pointer to an unexported struct
						}
						fv.Set(reflect.New(fv.Type().Elem()))
					}
					fv = fv.Elem()
				}
				fv = fv.Field(x)
			}
			var ok bool
			if f.quoted {
				ok = decodeQuoted(fv, f.plan, m.Value)
			} else {
				ok = decodeValue(fv, f.plan, m.Value, depth)
			}
			if !ok {
				return false
			}
		}
		return true
	}
	return false
}

var mapOfAny = reflect.TypeFor[map[string]any]()

func decodeMap(v reflect.Value, p *plan, o *Object, depth int) bool {
	if p.keyDec == keyNone {
		return false
	}
	if v.IsNil() {
		v.Set(reflect.MakeMapWithSize(p.t, len(o.Members)))
	}
	if p.t == mapOfAny && v.CanInterface() {
		m := v.Interface().(map[string]any)
		for _, mem := range o.Members {
			x, ok := plain(mem.Value, depth)
			if !ok {
				return false
			}
			m[validUTF8(mem.Key)] = x
		}
		return true
	}
	elem := reflect.New(p.t.Elem()).Elem()
	for i, mem := range o.Members {
		if i > 0 {
			elem.SetZero()
		}
		if !decodeValue(elem, p.elem, mem.Value, depth) {
			return false
		}
		k, ok := decodeKey(p, validUTF8(mem.Key))
		if !ok {
			return false
		}
		v.SetMapIndex(k, elem)
	}
	return true
}

// decodeKey converts an object key to a key of p's map type.
func decodeKey(p *plan, s string) (reflect.Value, bool) {
	kt := p.t.Key()
	if p.keyDec == keyJSON || p.keyDec == keyText {
		k := reflect.New(kt)
		var err error
		if p.keyDec == keyJSON {
			err = k.Interface().(json.Unmarshaler).UnmarshalJSON(AppendString(nil, s))
		} else {
			err = k.Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s))
		}
		return k.Elem(), err == nil
	}
	k := reflect.New(kt).Elem()
	switch p.keyDec {
	case keyString:
		k.SetString(s)
	case keyInt:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || k.OverflowInt(n) {
			return k, false
		}
		k.SetInt(n)
	case keyUint:
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil || k.OverflowUint(n) {
			return k, false
		}
		k.SetUint(n)
	}
	return k, true
}

// decodeQuoted stores the value of a field with the ",string" option: null,
// or a string holding the field's JSON value.
func decodeQuoted(v reflect.Value, p *plan, x any) bool {
	if isNull(x) {
		return decodeValue(v, p, nil, 0)
	}
	s, ok := x.(string)
	if !ok || s == "" {
		return false
	}
	s = validUTF8(s)
	null := s[0] == 'n'
	if p.kind != reflect.Pointer && p.unmarshal != 0 {
		return false
	}
	for p.kind == reflect.Pointer && !(null && v.CanSet()) {
		if p.unmarshal != 0 {
			return false
		}
		if v.IsNil() {
			if !v.CanSet() {
				return false
			}
			v.Set(reflect.New(p.t.Elem()))
		}
		v, p = v.Elem(), p.elem
	}
	switch c := s[0]; {
	case null:
		return s == "null" && decodeNull(v, p)
	case c == 't' || c == 'f':
		if p.kind != reflect.Bool || s != "true" && s != "false" {
			return false
		}
		v.SetBool(c == 't')
		return true
	case c == '"':
		var str string
		if p.kind != reflect.String || s[len(s)-1] != '"' || json.Unmarshal([]byte(s), &str) != nil {
			return false
		}
		return decodeString(v, p, str)
	case c == '-' || '0' <= c && c <= '9':
		return decodeNumber(v, p, s)
	}
	return false
}

// plain converts x as encoding/json decodes JSON into an empty interface:
// map[string]any, []any, float64, string, bool or nil.
func plain(x any, depth int) (any, bool) {
	switch y := x.(type) {
	case nil, bool:
		return x, true
	case string:
		return sameString(x, y), true
	case json.Number:
		s := string(y)
		if s == "" {
			s = "0"
		}
		f, err := strconv.ParseFloat(s, 64)
		return f, err == nil && validNumber(s)
	case []any:
		if depth >= maxNest {
			return nil, false
		}
		out := make([]any, len(y))
		for i, e := range y {
			var ok bool
			if out[i], ok = plain(e, depth+1); !ok {
				return nil, false
			}
		}
		return out, true
	case *Object:
		if y == nil {
			return nil, true
		}
		if depth >= maxNest {
			return nil, false
		}
		m := make(map[string]any, len(y.Members))
		for _, mem := range y.Members {
			e, ok := plain(mem.Value, depth+1)
			if !ok {
				return nil, false
			}
			m[validUTF8(mem.Key)] = e
		}
		return m, true
	}
	return nil, false
}

// wellFormed reports whether x is an ordered value that Append writes as
// valid JSON, so that encoding/json would pass over it without complaint.
func wellFormed(x any, depth int) bool {
	switch x := x.(type) {
	case nil, bool, string:
		return true
	case json.Number:
		return x == "" || validNumber(string(x))
	case []any:
		if depth >= maxNest {
			return false
		}
		for _, e := range x {
			if !wellFormed(e, depth+1) {
				return false
			}
		}
		return true
	case *Object:
		if x == nil {
			return true
		}
		if depth >= maxNest {
			return false
		}
		for _, m := range x.Members {
			if !wellFormed(m.Value, depth+1) {
				return false
			}
		}
		return true
	}
	return false
}

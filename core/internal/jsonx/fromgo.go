package jsonx

import (
	"encoding"
	"encoding/base64"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// FromGo converts a Go value to an ordered value exactly as
// Decode(json.Marshal(v)) does: struct fields in the order encoding/json
// writes them, map keys sorted as it sorts them, numbers as the text it
// writes, and the same error where it fails.
//
// The value is read directly, following the plan of its type. A value whose
// type has a MarshalJSON or MarshalText method that encoding/json would
// call is written by encoding/json and decoded; so is the whole value when
// encoding/json would fail, or when it nests too deeply to follow.
func FromGo(v any) (any, error) {
	if out, ok := fromAny(v, 0, 0); ok {
		return out, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return Decode(b)
}

// maxHops is how many pointers and interfaces FromGo follows on one path
// before it leaves the value to encoding/json, which detects cycles.
const maxHops = 1000

// fromAny converts x, the content of an interface, the way encoding/json
// writes it. depth is how many arrays and objects hold x, hops how many
// pointers and interfaces were followed to reach it. It reports false where
// encoding/json would fail or where Decode would refuse what it writes.
func fromAny(x any, depth, hops int) (any, bool) {
	switch y := x.(type) {
	case nil, bool:
		return x, true
	case string:
		return sameString(x, y), true
	case float64:
		return formatFloat(y, 64, false)
	case int:
		return json.Number(strconv.Itoa(y)), true
	case int64:
		return json.Number(strconv.FormatInt(y, 10)), true
	case json.Number:
		if validNumber(string(y)) {
			return x, true
		}
		return fromNumber(string(y), false)
	case map[string]any:
		return fromStringMap(y, depth, hops)
	case map[string]string:
		return fromStringMap(y, depth, hops)
	case []any:
		if y == nil {
			return nil, true
		}
		if depth >= MaxDepth {
			return nil, false
		}
		out := make([]any, len(y))
		for i, e := range y {
			var ok bool
			if out[i], ok = fromAny(e, depth+1, hops); !ok {
				return nil, false
			}
		}
		return out, true
	}
	rv := reflect.ValueOf(x)
	return fromValue(rv, planFor(rv.Type()), false, depth, hops)
}

// fromStringMap converts a map with string keys as encoding/json writes
// it: members sorted by key, a nil map as null.
func fromStringMap[V any](m map[string]V, depth, hops int) (any, bool) {
	if m == nil {
		return nil, true
	}
	if depth >= MaxDepth {
		return nil, false
	}
	o := NewObjectSize(len(m))
	for k, e := range m {
		o.Members = append(o.Members, Member{k, e})
	}
	slices.SortFunc(o.Members, func(a, b Member) int { return strings.Compare(a.Key, b.Key) })
	for i := range o.Members {
		e, ok := fromAny(o.Members[i].Value, depth+1, hops)
		if !ok {
			return nil, false
		}
		o.Members[i].Value = e
	}
	return fixKeys(o), true
}

// fromValue converts v, of plan p. quoted is the ",string" option of the
// field v is (or is pointed to by).
func fromValue(v reflect.Value, p *plan, quoted bool, depth, hops int) (any, bool) {
	if m := p.marshal; m&(mJSON|mText) != 0 || m&(mAddrJSON|mAddrText) != 0 && v.CanAddr() {
		return marshalVia(v, depth)
	}
	switch p.kind {
	case reflect.Bool:
		if quoted {
			return strconv.FormatBool(v.Bool()), true
		}
		return v.Bool(), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return number(strconv.FormatInt(v.Int(), 10), quoted), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return number(strconv.FormatUint(v.Uint(), 10), quoted), true
	case reflect.Float32, reflect.Float64:
		return formatFloat(v.Float(), p.t.Bits(), quoted)
	case reflect.String:
		s := v.String()
		switch {
		case p.t == numberType:
			return fromNumber(s, quoted)
		case quoted:
			b, err := json.Marshal(s) // the string's JSON text, in a string
			return string(b), err == nil
		}
		return validUTF8(s), true
	case reflect.Interface:
		if v.IsNil() {
			return nil, true
		}
		if hops >= maxHops {
			return nil, false
		}
		if v.CanInterface() {
			return fromAny(v.Interface(), depth, hops+1)
		}
		e := v.Elem()
		return fromValue(e, planFor(e.Type()), false, depth, hops+1)
	case reflect.Pointer:
		if v.IsNil() {
			return nil, true
		}
		if hops >= maxHops {
			return nil, false
		}
		return fromValue(v.Elem(), p.elem, quoted, depth, hops+1)
	case reflect.Struct:
		return fromStruct(v, p, depth, hops)
	case reflect.Map:
		return fromMap(v, p, depth, hops)
	case reflect.Slice:
		if v.IsNil() {
			return nil, true
		}
		if p.base64 {
			return base64.StdEncoding.EncodeToString(v.Bytes()), true
		}
		fallthrough
	case reflect.Array:
		if depth >= MaxDepth {
			return nil, false
		}
		out := make([]any, v.Len())
		for i := range out {
			var ok bool
			if out[i], ok = fromValue(v.Index(i), p.elem, false, depth+1, hops); !ok {
				return nil, false
			}
		}
		return out, true
	}
	return nil, false // channels, functions, complex numbers
}

// marshalVia has encoding/json write v, a value whose MarshalJSON or
// MarshalText method it calls, and decodes the text at v's depth. An
// addressable v is given by address, so that methods on the pointer apply;
// an interface is given by address too, so that its own methods are called
// even for a nil pointer inside it.
func marshalVia(v reflect.Value, depth int) (any, bool) {
	if !v.CanInterface() {
		return nil, false
	}
	var x any
	switch {
	case v.CanAddr():
		x = v.Addr().Interface()
	case v.Kind() == reflect.Interface:
		c := reflect.New(v.Type())
		c.Elem().Set(v)
		x = c.Interface()
	default:
		x = v.Interface()
	}
	b, err := json.Marshal(x)
	if err != nil {
		return nil, false
	}
	out, err := decodeAt(b, depth)
	return out, err == nil
}

func fromStruct(v reflect.Value, p *plan, depth, hops int) (any, bool) {
	if depth >= MaxDepth {
		return nil, false
	}
	var written [8]Member // the members, gathered here when they fit
	members := written[:0]
fields:
	for i := range p.fields {
		f := &p.fields[i]
		fv := v
		for j, x := range f.index {
			if j > 0 && fv.Kind() == reflect.Pointer {
				if fv.IsNil() {
					continue fields // promoted through a nil pointer
				}
				fv = fv.Elem()
			}
			fv = fv.Field(x)
		}
		if f.omitEmpty && isEmpty(fv) || f.omitZero && isZeroField(fv, f.zeroer) {
			continue
		}
		x, ok := fromValue(fv, f.plan, f.quoted, depth+1, hops)
		if !ok {
			return nil, false
		}
		members = append(members, Member{f.name, x})
	}
	o := NewObjectSize(len(members))
	o.Members = append(o.Members, members...)
	return o, true
}

// isZeroField is omitzero's test of the field value v.
func isZeroField(v reflect.Value, how uint8) bool {
	type zeroer = interface{ IsZero() bool }
	switch how {
	case zeroIface:
		return v.IsNil() || v.Elem().Kind() == reflect.Pointer && v.Elem().IsNil() || v.Interface().(zeroer).IsZero()
	case zeroPtr:
		return v.IsNil() || v.Interface().(zeroer).IsZero()
	case zeroMethod:
		return v.Interface().(zeroer).IsZero()
	case zeroAddr:
		if !v.CanAddr() {
			c := reflect.New(v.Type()).Elem()
			c.Set(v)
			v = c
		}
		return v.Addr().Interface().(zeroer).IsZero()
	}
	return v.IsZero()
}

// isEmpty is what omitempty leaves out.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Struct, reflect.Chan, reflect.Func, reflect.Complex64, reflect.Complex128, reflect.UnsafePointer:
		return false
	}
	return v.IsZero()
}

func fromMap(v reflect.Value, p *plan, depth, hops int) (any, bool) {
	if p.keyEnc == keyNone {
		return nil, false // even when nil
	}
	if v.IsNil() {
		return nil, true
	}
	if p.t == mapOfAny && v.CanInterface() {
		return fromAny(v.Interface(), depth, hops)
	}
	if depth >= MaxDepth {
		return nil, false
	}
	type entry struct {
		key string
		val reflect.Value
	}
	entries := make([]entry, 0, v.Len())
	for it := v.MapRange(); it.Next(); {
		k := it.Key()
		var s string
		switch p.keyEnc {
		case keyString:
			s = k.String()
		case keyInt:
			s = strconv.FormatInt(k.Int(), 10)
		case keyUint:
			s = strconv.FormatUint(k.Uint(), 10)
		default:
			if k.Kind() != reflect.Pointer || !k.IsNil() {
				m, ok := k.Interface().(encoding.TextMarshaler)
				if !ok {
					return nil, false // a nil interface
				}
				b, err := m.MarshalText()
				if err != nil {
					return nil, false
				}
				s = string(b)
			}
		}
		entries = append(entries, entry{s, it.Value()})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].key < entries[j].key })
	o := NewObjectSize(len(entries))
	for _, e := range entries {
		x, ok := fromValue(e.val, p.elem, false, depth+1, hops)
		if !ok {
			return nil, false
		}
		o.Members = append(o.Members, Member{e.key, x})
	}
	if p.keyEnc == keyText {
		dedupe(o) // two keys may have written the same text
	}
	return fixKeys(o), true
}

// fixKeys makes the keys of o valid UTF-8 as a round trip through JSON text
// does; keys that become equal then merge as Decode merges them.
func fixKeys(o *Object) *Object {
	fixed := false
	for i := range o.Members {
		if k := o.Members[i].Key; !utf8.ValidString(k) {
			o.Members[i].Key = validUTF8(k)
			fixed = true
		}
	}
	if fixed {
		dedupe(o)
	}
	return o
}

func number(s string, quoted bool) any {
	if quoted {
		return s
	}
	return json.Number(s)
}

// fromNumber converts a json.Number as encoding/json writes it: empty as 0,
// and refused when it is not a JSON number.
func fromNumber(s string, quoted bool) (any, bool) {
	if s == "" {
		s = "0"
	}
	return number(s, quoted), validNumber(s)
}

// formatFloat writes f, of the given bit size, as encoding/json writes
// floating-point numbers (as JavaScript does): plain decimals from 1e-6 up
// to 1e21, exponent notation outside, the exponent without leading zeros.
// NaN and infinities have no JSON form.
func formatFloat(f float64, bits int, quoted bool) (any, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, false
	}
	var buf [32]byte
	return number(string(appendFloat64(buf[:0], f, bits)), quoted), true
}

func appendFloat64(dst []byte, f float64, bits int) []byte {
	a, exp := math.Abs(f), false
	if bits == 32 {
		exp = a != 0 && (float32(a) < 1e-6 || float32(a) >= 1e21)
	} else {
		exp = a != 0 && (a < 1e-6 || a >= 1e21)
	}
	if !exp {
		return strconv.AppendFloat(dst, f, 'f', -1, bits)
	}
	start := len(dst)
	dst = strconv.AppendFloat(dst, f, 'e', -1, bits)
	// Go writes at least two exponent digits: 1e-07 becomes 1e-7.
	if e := dst[start:]; len(e) >= 4 && string(e[len(e)-4:len(e)-1]) == "e-0" {
		dst = append(dst[:len(dst)-2], dst[len(dst)-1])
	}
	return dst
}

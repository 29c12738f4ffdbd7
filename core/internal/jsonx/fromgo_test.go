package jsonx

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

// fromGoText is what FromGo must match: the value through JSON text.
func fromGoText(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return Decode(b)
}

// checkFromGo fails t unless FromGo(v) gives what encoding/json and Decode
// give, error text included.
func checkFromGo(t *testing.T, name string, v any) {
	t.Helper()
	var want, got any
	wantErr := catch(func() (err error) { want, err = fromGoText(v); return err })
	err := catch(func() (err error) { got, err = FromGo(v); return err })
	if errText(err) != errText(wantErr) {
		t.Errorf("%s: FromGo error %q, encoding/json %q", name, errText(err), errText(wantErr))
		return
	}
	if !reflect.DeepEqual(got, want) || string(Marshal(got)) != string(Marshal(want)) {
		t.Errorf("%s: FromGo = %s, encoding/json %s", name, Marshal(got), Marshal(want))
	}
	checkAppendFromGo(t, name, v, got, err)
}

// checkAppendFromGo checks that AppendFromGo(v) writes what Append writes
// of FromGo's value, converted, and fails with FromGo's error.
func checkAppendFromGo(t *testing.T, name string, v, converted any, convErr error) {
	t.Helper()
	var text []byte
	err := catch(func() (err error) { text, err = AppendFromGo([]byte("<"), v); return err })
	if errText(err) != errText(convErr) {
		t.Errorf("%s: AppendFromGo error %q, FromGo %q", name, errText(err), errText(convErr))
		return
	}
	if err != nil {
		if string(text) != "<" {
			t.Errorf("%s: AppendFromGo failed and wrote %q", name, text)
		}
		return
	}
	if want := Append([]byte("<"), converted); string(text) != string(want) {
		t.Errorf("%s: AppendFromGo wrote %s, Append(FromGo) %s", name, text, want)
	}
}

type tinyByte uint8

func (b tinyByte) MarshalJSON() ([]byte, error) {
	return []byte(`"b` + string('0'+rune(b%10)) + `"`), nil
}

// tooDeep writes more nested arrays than Decode accepts.
type tooDeep struct{}

func (tooDeep) MarshalJSON() ([]byte, error) {
	return []byte(strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1)), nil
}

func TestFromGoMatchesEncodingJSON(t *testing.T) {
	full := fullEverything()
	cyclic := &tree{Name: "root"}
	cyclic.Kids = []*tree{{Name: "kid"}, cyclic}
	selfIface := new(any)
	*selfIface = selfIface
	nested := any("leaf")
	for range MaxDepth {
		nested = []any{nested}
	}
	tooNested := any([]any{nested})
	var nilIface fmt_Stringer
	f32 := func(f float32) any { return f }
	cases := []struct {
		name string
		v    any
	}{
		{"nil", nil},
		{"string", "a <b> & \u2028\u2029 \xff\xfe end"},
		{"empty string", ""},
		{"bool", true},
		{"int", -12},
		{"int64", int64(math.MinInt64)},
		{"uint64", uint64(math.MaxUint64)},
		{"uintptr", uintptr(7)},
		{"json.Number", json.Number("-1.5e+300")},
		{"empty json.Number", json.Number("")},
		{"invalid json.Number", json.Number("0x10")},
		{"json.Number with a leading zero", json.Number("01")},
		{"marshaler interface holding a nil pointer", map[string]json.Marshaler{"a": (*nilOK)(nil), "b": nil}},
		{"named pointer with ,string", everything{NP: new(int)}},
		{"everything", full},
		{"pointer to everything", &full},
		{"zero everything", everything{}},
		{"pointer to zero everything", &everything{}},
		{"everything in an interface slice", []any{full, &full}},
		{"map of everything", map[string]everything{"a": full}},
		{"array of everything", [1]everything{full}},
		{"pointer to array", &[2]ptrOnly{{1}, {2}}},
		{"ptrOnly by value", ptrOnly{3}},
		{"ptrOnly by pointer", &ptrOnly{3}},
		{"ptrOnly in a map", map[string]ptrOnly{"x": {4}}},
		{"ptrOnly in a slice", []ptrOnly{{5}}},
		{"nil pointer marshaler", (*ptrOnly)(nil)},
		{"box of int", box[int]{V: 1, L: []int{1, 2}, M: map[string]int{"x": 3}, P: new(int)}},
		{"box of box", &box[box[string]]{V: box[string]{V: "in"}, L: []box[string]{{V: "l"}}}},
		{"box of any", box[any]{V: []any{map[string]any{"k": []byte("b")}}}},
		{"tree", &tree{Name: "a", Kids: []*tree{{Name: "b"}, {Name: "c", Kids: []*tree{{Name: "d"}}}}}},
		{"cycle", cyclic},
		{"interface cycle", selfIface},
		{"deep but fine", nested},
		{"too deep", tooNested},
		{"marshaler too deep", []any{tooDeep{}}},
		{"int keys sort as text", map[int]string{-1: "a", 10: "b", 2: "c", 100: "d"}},
		{"text keys", map[level]int{1: 1, 10: 10, 2: 2}},
		{"pointer text keys", map[*level]int{nil: 1, new(level): 2}},
		{"colliding invalid keys", map[string]int{"a\xff": 1, "a\xfe": 2, "a": 0}},
		{"colliding invalid any keys", map[string]any{"a\xff": 1, "a\xfe": 2}},
		{"string-kind text keys", map[upper]string{"b": "x", "a": "y"}},
		{"unsupported key", map[[2]int]string{{1, 2}: "x"}},
		{"nil map with unsupported key", map[[2]int]string(nil)},
		{"nil slice", []int(nil)},
		{"nil map", map[string]int(nil)},
		{"nil any slice", []any(nil)},
		{"empty slice", []int{}},
		{"nil bytes", []byte(nil)},
		{"empty bytes", []byte{}},
		{"bytes", []byte{0, 1, 254, 255}},
		{"byte array", [3]byte{1, 2, 3}},
		{"marshaling bytes", []tinyByte{1, 2}},
		{"raw", json.RawMessage(`[1, {"a" : "\u00e9"}]`)},
		{"nil raw", json.RawMessage(nil)},
		{"bad raw", json.RawMessage(`{bad`)},
		{"broken", broken{}},
		{"broken in a struct", box[broken]{}},
		{"bad text", []any{badText{}}},
		{"NaN", math.NaN()},
		{"Inf in a struct", box[float64]{V: math.Inf(-1)}},
		{"NaN float32", []any{f32(float32(math.NaN()))}},
		{"NaN in a map", map[string]any{"a": 1, "b": math.NaN()}},
		{"error after NaN", []any{math.NaN(), make(chan int)}},
		{"chan", make(chan int)},
		{"func in a struct", box[func()]{}},
		{"complex", complex(1, 2)},
		{"nil func pointer", (*func())(nil)},
		{"secret nil", withSecret{T: 1}},
		{"secret set", withSecret{secret: &secret{S: 2}, T: 1}},
		{"tagged embeds", taggedEmbed{inner: inner{A: 1}, deep: &deep{inner{B: "d"}}, clashA: clashA{X: 1}}},
		{"pointer to interface", &nested},
		{"twice", twice{twiceA{common{1}}, &twiceB{common{2}, 3}, 4, new(Count), named("s"), 5}},
		{"twice zero", twice{}},
		{"nil non-empty interface", box[fmt_Stringer]{V: nilIface}},
		{"nil pointer in non-empty interface", box[fmt_Stringer]{V: (*named)(nil)}},
		{"time", time.Date(2001, 2, 3, 4, 5, 6, 7, time.UTC)},
		{"embedded time", withTime{time.Date(2001, 2, 3, 4, 5, 6, 7, time.UTC)}},
		{"bad time", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"email", email{Subject: "s", Body: "<p>b</p>", From: &emailFrom{Email: "e"}, UseProviderDefaults: new(bool)}},
		{"quoted", box[everything]{V: everything{QNum: "bad"}}},
		{"quoted empty", everything{QStr: "", QNum: ""}},
	}
	for _, x := range []float64{0, 1, -1, 0.1, 1e20, 1e21, 123456789e12, 1e-6, 1e-7, 9.999999e-7, 5e-324,
		math.MaxFloat64, -math.SmallestNonzeroFloat64, 1.5e300, 12345.678, 1e100} {
		cases = append(cases, struct {
			name string
			v    any
		}{"float64", x}, struct {
			name string
			v    any
		}{"float32", float32(x)}, struct {
			name string
			v    any
		}{"quoted float", everything{QFloat: x}})
	}
	for _, tc := range cases {
		checkFromGo(t, tc.name, tc.v)
	}
}

type fmt_Stringer interface{ String() string }

// Keys whose MarshalText gives the same text merge into one member, as
// Decode merges repeated keys; which value wins is as unspecified as in
// encoding/json, whose sort of equal keys follows the map's order.
func TestFromGoCollidingTextKeys(t *testing.T) {
	v, err := FromGo(map[sameKey]int{1: 1, 2: 2})
	if got := string(Marshal(v)); err != nil || got != `{"k":1}` && got != `{"k":2}` {
		t.Fatalf("FromGo = %s, %v", got, err)
	}
}

// Marshalers are called once, as encoding/json calls them, when nothing
// fails.
func TestFromGoCallsMarshalersOnce(t *testing.T) {
	c := &counting{}
	if _, err := FromGo([]any{c, map[string]any{"c": c}}); err != nil {
		t.Fatal(err)
	}
	if c.n != 2 {
		t.Fatalf("MarshalJSON called %d times, want 2", c.n)
	}
}

type counting struct{ n int }

func (c *counting) MarshalJSON() ([]byte, error) { c.n++; return []byte(`1`), nil }

func TestFromGoErrorsAreEncodingJSONs(t *testing.T) {
	_, err := FromGo(box[float64]{V: math.NaN()})
	var uv *json.UnsupportedValueError
	if !errors.As(err, &uv) || err.Error() != "json: unsupported value: NaN" {
		t.Fatalf("err = %#v", err)
	}
	_, err = FromGo(broken{})
	var me *json.MarshalerError
	if !errors.As(err, &me) {
		t.Fatalf("err = %#v", err)
	}
}

// The values the bridge writes every request are read directly, not
// through encoding/json.
func TestFromGoDirect(t *testing.T) {
	var p payload
	if err := json.Unmarshal([]byte(payloadJSON), &p); err != nil {
		t.Fatal(err)
	}
	full := fullEverything()
	for name, v := range map[string]any{
		"payload":    p,
		"email":      email{Subject: "s", Body: "b", From: &emailFrom{Email: "e"}},
		"everything": &full,
		"fields":     map[string]any{"headers": map[string]any{"X": "yes"}, "n": 3, "list": []any{1.5, "a"}},
		"strings":    map[string]string{"b": "1", "a": "2"},
	} {
		if _, ok := fromAny(v, 0, 0); !ok {
			t.Errorf("%s went through encoding/json", name)
		}
	}
}

// FuzzFromGo builds Go values from the fuzzed input and compares FromGo
// with encoding/json.
func FuzzFromGo(f *testing.F) {
	f.Add([]byte(everythingJSON), "a\xff<b>", 1.5, int64(-3))
	f.Add([]byte(payloadJSON), "", 1e21, int64(0))
	f.Add([]byte(`{"any":[1,{"x":null}],"map":{"a":1},"intMap":{"-1":"x"}}`), "\u2028", 1e-7, int64(1<<40))
	f.Add([]byte(`[1,"x",{"y":[true]}]`), "k", math.Inf(1), int64(7))
	f.Fuzz(func(t *testing.T, data []byte, s string, x float64, n int64) {
		var e everything
		_ = json.Unmarshal(data, &e)
		checkFromGo(t, "decoded everything", e)
		e.Name, e.QStr, e.F64, e.QFloat, e.NoTag, e.Num = s, s, x, x, int(n), json.Number(s)
		e.Map = map[string]int{s: int(n), "a": 1}
		e.IntMap = map[int]string{int(n): s, 0: "zero"}
		e.LevelMap = map[level]bool{level(n): true}
		e.Any = map[string]any{s: x}
		checkFromGo(t, "everything", e)
		checkFromGo(t, "pointer to everything", &e)

		var a any
		_ = json.Unmarshal(data, &a)
		checkFromGo(t, "any", a)
		checkFromGo(t, "box", box[any]{V: a, L: []any{s, x, float32(x), n}, M: map[string]any{s: a}})
		headers := map[string]string{s: string(data), "a": s, string(data): "\xff"}
		checkFromGo(t, "string map", headers)
		checkFromGo(t, "string map in an interface", map[string]any{"headers": headers, s: map[string]string(nil)})
		if v, err := Decode(data); err == nil {
			checkFromGo(t, "ordered value", v)
		}
	})
}

// Append writes float64 values (Go values inside ordered ones) as
// encoding/json does, and NaN or infinities as null.
func TestAppendFloatLikeEncodingJSON(t *testing.T) {
	for _, x := range []float64{0, math.Copysign(0, -1), 1, -1.5, 1e20, 1e21, 1e-6, 1e-7, 1.234e-9, 5e-324, math.MaxFloat64, 123456789.125} {
		want, _ := json.Marshal(x)
		if got := Append(nil, x); string(got) != string(want) {
			t.Errorf("Append(%g) = %s, encoding/json %s", x, got, want)
		}
	}
	for _, x := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if got := string(Append(nil, x)); got != "null" {
			t.Errorf("Append(%g) = %s", x, got)
		}
	}
}

// AppendFromGo on the values it writes itself, at their edges: keys that
// mend to the same key, numbers with no JSON form, nesting past MaxDepth,
// nil maps and slices, and other types inside them.
func TestAppendFromGoEdges(t *testing.T) {
	deepList := any("x")
	deepMap := any("x")
	for range MaxDepth + 1 {
		deepList = []any{deepList}
		deepMap = map[string]any{"k": deepMap}
	}
	type point struct{ X, Y int }
	for name, v := range map[string]any{
		"keys that mend alike":  map[string]any{"a\xff": 1, "a\xfe": 2, "b": "\xffc"},
		"string map, bad key":   map[string]string{"\xff": "x", "ok": "y"},
		"NaN inside":            map[string]any{"a": []any{1, math.NaN()}},
		"infinity":              math.Inf(-1),
		"bad json.Number":       map[string]any{"n": json.Number("1e")},
		"empty json.Number":     []any{json.Number("")},
		"too deep, lists":       deepList,
		"too deep, maps":        deepMap,
		"nil maps and slices":   map[string]any{"m": map[string]any(nil), "s": map[string]string(nil), "l": []any(nil), "e": []any{}},
		"other types inside":    map[string]any{"p": point{1, 2}, "ptr": &point{3, 4}, "f32": float32(0.1), "u": uint8(7), "t": time.Unix(0, 0).UTC()},
		"floats":                []any{0.0, -0.0, 1e21, 1e-7, 123.456, 5e-324},
		"ints":                  []any{0, -1, int64(math.MinInt64), math.MaxInt},
		"many keys":             map[string]any{"j": 1, "i": 2, "h": 3, "g": 4, "f": 5, "e": 6, "d": 7, "c": 8, "b": 9, "a": 10},
		"strings to escape":     map[string]string{"\u2028": "<\"\\\n>", "\x00": "\t"},
		"nil":                   nil,
		"a map in a struct map": map[string]any{"x": map[string]point{"a": {1, 2}}},
	} {
		converted, err := FromGo(v)
		checkAppendFromGo(t, name, v, converted, err)
	}
}

// BenchmarkAppendFromGo writes a provider's passthrough body, against
// building FromGo's values and writing those.
func BenchmarkAppendFromGo(b *testing.B) {
	v := map[string]any{"tags": []any{map[string]any{"name": "source", "value": "conformance"}}}
	buf := make([]byte, 0, 256)
	b.Run("direct", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buf, _ = AppendFromGo(buf[:0], v)
		}
	})
	b.Run("via-FromGo", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			x, _ := FromGo(v)
			buf = Append(buf[:0], x)
		}
	})
}

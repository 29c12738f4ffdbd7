package jsonx

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

// toGoText is what ToGo must match: the value through JSON text.
func toGoText(v any, dst any) error { return json.Unmarshal(Append(nil, v), dst) }

var errNotDirect = errors.New("not direct")

var directCount, totalCount int

// A destination for ToGo: make returns a new pointer, to the zero value or
// to a value already holding something.
type destination struct {
	name string
	make func() any
}

func dest[T any](fill func(*T)) destination {
	name := reflect.TypeFor[T]().String()
	if fill != nil {
		name = "filled " + name
	}
	return destination{name, func() any {
		p := new(T)
		if fill != nil {
			fill(p)
		}
		return p
	}}
}

// checkToGo fails t unless ToGo(v, dst) leaves dst as encoding/json does
// and returns the same error.
func checkToGo(t *testing.T, doc string, v any, d destination) {
	t.Helper()
	got, want := d.make(), d.make()
	err := catch(func() error { return ToGo(v, got) })
	wantErr := catch(func() error { return toGoText(v, want) })
	if errText(err) != errText(wantErr) {
		t.Errorf("%s into %s: ToGo error %q, encoding/json %q", doc, d.name, errText(err), errText(wantErr))
	}
	if direct := d.make(); err == nil && catch(func() error {
		if !isZero(reflect.ValueOf(direct).Elem(), planFor(reflect.TypeOf(direct)).elem) || !decodeValue(reflect.ValueOf(direct), planFor(reflect.TypeOf(direct)), v, 0) {
			return errNotDirect
		}
		return nil
	}) == nil {
		directCount++
	}
	totalCount++
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s into %s:\n ToGo          %#v\n encoding/json %#v", doc, d.name, reflect.ValueOf(got).Elem(), reflect.ValueOf(want).Elem())
	}
}

func destinations() []destination {
	full := fullEverything()
	return []destination{
		dest[any](nil),
		dest[map[string]any](nil),
		dest[[]any](nil),
		dest[string](nil),
		dest[int](nil),
		dest[int8](nil),
		dest[uint8](nil),
		dest[uint64](nil),
		dest[float32](nil),
		dest[float64](nil),
		dest[bool](nil),
		dest[json.Number](nil),
		dest[json.RawMessage](nil),
		dest[[]byte](nil),
		dest[[2]int](nil),
		dest[[]int](nil),
		dest[[]string](nil),
		dest[map[string]int](nil),
		dest[map[int]string](nil),
		dest[map[uint8]bool](nil),
		dest[map[level]any](nil),
		dest[map[upper]any](nil),
		dest[map[jsonKey]any](nil),
		dest[map[[2]int]any](nil),
		dest[*int](nil),
		dest[**string](nil),
		dest[time.Time](nil),
		dest[*time.Time](nil),
		dest[withTime](nil),
		dest[*withTime](nil),
		dest[box[struct{ time.Time }]](nil),
		dest[celsius](nil),
		dest[level](nil),
		dest[*level](nil),
		dest[broken](nil),
		dest[fmt.Stringer](nil),
		dest[inner](nil),
		dest[everything](nil),
		dest[*everything](nil),
		dest[box[int]](nil),
		dest[box[box[string]]](nil),
		dest[box[any]](nil),
		dest[[]box[inner]](nil),
		dest[tree](nil),
		dest[withSecret](nil),
		dest[taggedEmbed](nil),
		dest[twice](nil),
		dest[email](nil),
		dest[payload](nil),
		dest(func(b *box[float64]) { b.V = math.Copysign(0, -1) }),
		// Destinations that already hold something: ToGo must merge into
		// them as encoding/json does.
		dest(func(e *everything) { *e = full }),
		dest(func(m *map[string]int) { *m = map[string]int{"keep": 1, "a": 9} }),
		dest(func(s *[]int) { *s = make([]int, 2, 5) }),
		dest(func(a *any) { *a = &inner{A: 5, B: "kept"} }),
		dest(func(a *any) { *a = map[string]any{"keep": true} }),
		dest(func(s *[]inner) { *s = []inner{{A: 1, B: "x"}, {A: 2, B: "y"}} }),
		dest(func(b *box[inner]) { b.V.B = "kept"; b.P = &inner{B: "kept"} }),
	}
}

// documents for ToGo: every kind of JSON value, values that fit the
// destinations above and values that do not.
var documents = []string{
	`null`, `true`, `false`, `0`, `-1`, `1.5`, `1e3`, `1E400`, `-1e400`, `300`, `-129`, `255`, `256`, `18446744073709551616`, `1.0`, `-0`,
	`""`, `"str"`, `"aGVsbG8="`, `"not base64!"`, `"12"`, `"2024-01-02T03:04:05Z"`, `"L3"`, `"21.5C"`, `"\u00e9\ud800"`,
	`[]`, `[1,2,3]`, `[1,"a",null]`, `[[1],[2,3]]`, `[{"a":1},{"b":"x"}]`, `[{"v":1,"l":[2]},{"v":2}]`,
	`{}`, `{"a":1}`, `{"a":"x"}`, `{"A":1,"a":2,"B":"b"}`, `{"a":1,"b":"x","a":null}`, `{"1":"one","-2":"minus","x":"bad"}`,
	`{"255":true,"256":false}`, `{"L1":1,"L2":[2]}`, `{"Lx":1}`, `{"ab":{"c":1}}`,
	`{"v":{"v":"x","l":[{"v":"y"}]},"m":{"k":{"v":"z"}},"p":{"v":"p"}}`,
	`{"v":5,"l":[1,2],"m":{"a":1},"p":7}`, `{"v":"x"}`, `{"v":[1],"l":{}}`, `{"v":1,"p":null}`,
	`{"name":"n","kids":[{"name":"k","kids":[]},{"name":"k2"}]}`, `{"name":1}`,
	`{"S":1,"T":2}`, `{"T":2}`, `{"in":{"a":1},"deep":{"b":"d"},"clash":{"X":1},"X":2}`, `{"in":null,"deep":null}`, `{"in":5}`,
	`{"subject":"s","body":"b","from":{"email":"e","name":"n"},"replyTo":"r","useProviderDefaults":true}`,
	`{"SUBJECT":"s","from":null,"useProviderDefaults":null}`, `{"from":"x"}`,
	payloadJSON, emailJSON,
	`{"orderId":"x","items":[{"qty":1.5}]}`, `{"items":[{"qty":"1"}],"total":"x","meta":[]}`,
	everythingJSON,
	`{"name":"n","quoted":"12","qf":"1.5","qb":"true","qs":"\"s\"","qp":"7","qn":"1e2","qu":"255"}`,
	`{"quoted":12}`, `{"quoted":"x"}`, `{"quoted":"1.0"}`, `{"quoted":"007"}`, `{"quoted":""}`, `{"quoted":null}`, `{"quoted":"null"}`,
	`{"qp":"null"}`, `{"qp":null}`, `{"qp":"nul"}`, `{"qb":"false"}`, `{"qb":"yes"}`, `{"qb":"t"}`, `{"qs":"s"}`, `{"qs":"\"s"}`,
	`{"qs":"\"\\u00e9\""}`, `{"qs":"\"s\" "}`, `{"np":"5"}`, `{"np":5}`, `{"qs":"\"a\\'b\""}`, `{"qn":"x"}`, `{"qn":"-x"}`, `{"qn":"\"1\""}`, `{"qf":"0x1p3"}`, `{"qf":"-Inf"}`,
	`{"qf":"1e400"}`, `{"qu":"-1"}`, `{"qu":"+1"}`, `{"quoted":"+1"}`, `{"qs":"null"}`,
	`{"time":"2024-01-02T03:04:05Z","ptime":"2024-01-02T03:04:05+01:00","wtime":"2024-01-02T03:04:05Z","pwtime":"2024-01-02T03:04:05Z"}`,
	`{"time":"yesterday"}`, `{"time":null,"ptime":null,"wtime":null,"pwtime":null}`, `{"wtime":{}}`,
	`{"temp":"21.5C","level":"L4","po":{"N":3},"raw":{"x":[1, 2]},"num":-1.5e3,"any":{"a":[1,{"b":null}]}}`,
	`{"temp":5}`, `{"level":4}`, `{"Count":null}`, `{"Count":-1}`, `{"level":"X"}`, `{"num":"1"}`, `{"num":"x"}`, `{"num":true}`,
	`{"stringer":null}`, `{"stringer":"x"}`, `{"pp":5}`, `{"pp":null}`, `{"bytes":"aGk="}`, `{"bytes":"!"}`, `{"bytes":[1]}`,
	`{"arr":[1,2,3,4]}`, `{"arr":[1]}`, `{"arr":[1,"x"]}`, `{"BArr":[1,2]}`, `{"BArr":"AQI="}`,
	`{"levelMap":{"L1":true}}`, `{"upMap":{"A":1}}`, `{"keyMap":{"k":1}}`, `{"intMap":{"1":"a","01":"b"}}`, `{"uintMap":{"1":true}}`,
	`{"a":1,"b":"x","C":true,"d":"2.5","X":1,"y":2,"Y":3}`, `{"d":2.5}`, `{"D":"x"}`, `{"NAME":"upper","Name":"exact","nAmE":"fold"}`,
	`{"k":"kelvin","K":"KELVIN","\u212a":"kelvin sign"}`, `{"ünï":"u","ÜNÏ":"U"}`, `{"a'b":"x","Bad":"y"}`, `{"-":"dash","Skip":"s"}`,
	`{"list":[{"a":1}],"list":[{"b":"x"}]}`, `{"map":{"a":1},"map":{"b":2}}`, `{"any":{"a":1},"any":{"b":2}}`, `{"oe":{"a":1},"oe":{"b":"x"}}`,
	`{"nested":{"x":{"y":[1,{"z":2}]}}}`, `{"p1":1}`, `{"Fold":"x","fOLD":"y"}`, `{"FOLD":"x","fold":"y"}`, `{"Z":"s"}`, `{"Z":5}`, `{"oes":{"a":1}}`, `{"C1":1,"B2":2,"MyInt":3,"Count":7,"Stringer":null,"Own":4}`, `{"Stringer":"x"}`, `{"Count":null}`, `{"Count":-1}`, `{"p1":null}`, `{"v":"2024-01-02T03:04:05Z","p":"2024-01-02T03:04:05Z"}`, `{"v":{},"p":{}}`, `{"unexp":1,"inner":{"a":1},"hidden":{"C":true},"deep":{"a":1}}`,
}

const everythingJSON = `{"name":"n","-":"dash","Empty":"e","NoTag":1,"quoted":"5","qf":"2.5","qb":"false","qs":"\"q\"","qp":"3","qn":"4","qu":"6",` +
	`"zero":{"V":1},"pzero":{"V":2},"ztime":"2020-01-01T00:00:00Z","zstruct":{"a":1},"oe":{"a":1,"b":"b"},"f32":1.5,"f64":-2.5e-10,"I8":-5,"U16":7,` +
	`"bytes":"aGVsbG8=","arr":[1,2,3],"BArr":[4,5],"list":[{"a":1},{"b":"x"}],"map":{"a":1,"b":2},"intMap":{"1":"x","-2":"y"},"uintMap":{"3":true},` +
	`"levelMap":{"L1":true},"upMap":{"K":1},"keyMap":{"k":2},"any":[1,"a",{"b":null}],"stringer":null,"time":"2024-01-02T03:04:05Z",` +
	`"ptime":"2024-01-02T03:04:05Z","wtime":"2024-01-02T03:04:05Z","pwtime":"2024-01-02T03:04:05Z","raw":{"r":[1,2]},"num":12,"temp":"20.5C",` +
	`"po":{"N":9},"level":"L7","pp":8,"Bad":"bad","ünï":"u","k":"k","nested":{"x":{"y":true}},"a":1,"b":"b","C":true,"d":"1.25","y":5}`

func TestToGoMatchesEncodingJSON(t *testing.T) {
	dsts := destinations()
	for _, doc := range documents {
		v, err := Decode([]byte(doc))
		if err != nil {
			t.Fatalf("%s: %v", doc, err)
		}
		for _, d := range dsts {
			checkToGo(t, doc, v, d)
		}
	}
	t.Logf("%d of %d cases stored directly", directCount, totalCount)
}

// Ordered values built by code rather than decoded: duplicate keys,
// invalid UTF-8 and number text, Go values that are not ordered values.
func TestToGoBuiltValues(t *testing.T) {
	obj := func(kv ...any) *Object {
		o := &Object{}
		for i := 0; i < len(kv); i += 2 {
			o.Members = append(o.Members, Member{kv[i].(string), kv[i+1]})
		}
		return o
	}
	deepArr := any("x")
	for range maxNest + 5 {
		deepArr = []any{deepArr}
	}
	values := map[string]any{
		"duplicate struct keys":   obj("list", []any{obj("a", json.Number("1"), "b", "x")}, "list", []any{obj("a", json.Number("2"))}, "List", []any{}),
		"duplicate slice keys":    obj("list", []any{obj("a", json.Number("1")), obj("b", "2"), obj("b", "3")}, "list", []any{obj("a", json.Number("5"))}, "list", []any{obj("a", json.Number("6")), obj("a", json.Number("7")), obj("a", json.Number("8")), obj("a", json.Number("9"))}),
		"duplicate map keys":      obj("map", obj("a", json.Number("1")), "map", obj("b", json.Number("2")), "Map", obj("a", json.Number("3"))),
		"duplicate pointer keys":  obj("oe", obj("a", json.Number("1")), "oe", obj("b", "x"), "pp", json.Number("1"), "pp", json.Number("2")),
		"duplicate array keys":    obj("arr", []any{json.Number("1"), json.Number("2"), json.Number("3")}, "arr", []any{json.Number("4")}),
		"duplicate any keys":      obj("any", obj("a", json.Number("1")), "any", []any{json.Number("2")}),
		"invalid utf-8":           obj("name", "a\xffb", "map", obj("k\xfe", json.Number("1")), "any", []any{"\xff"}, "qs", "\"\xff\""),
		"invalid utf-8 key":       obj("nam\xffe", "x", "name\xff", "y"),
		"invalid number":          obj("num", json.Number("0x10")),
		"leading zero":            obj("NoTag", json.Number("01")),
		"invalid skipped number":  obj("unknown", []any{json.Number("--1")}),
		"invalid number in any":   obj("any", json.Number("1.")),
		"empty number":            obj("num", json.Number(""), "NoTag", json.Number(""), "any", json.Number("")),
		"nil object":              obj("oe", (*Object)(nil), "map", (*Object)(nil), "name", (*Object)(nil)),
		"nil array":               obj("list", []any(nil), "any", []any(nil)),
		"go float":                obj("f64", 1.5),
		"go int":                  obj("NoTag", 3),
		"go map":                  obj("map", map[string]any{"a": 1}),
		"raw message":             obj("raw", json.RawMessage(`[1]`)),
		"skipped go value":        obj("unknown", 1.5),
		"array extra go value":    obj("arr", []any{json.Number("1"), json.Number("2"), json.Number("3"), 4.5}),
		"deep":                    obj("any", deepArr),
		"deep skipped":            obj("unknown", deepArr),
		"top nil object":          (*Object)(nil),
		"unmarshaler bad number":  obj("temp", json.Number("1x")),
		"unmarshaler go value":    obj("raw", 1.5),
		"map key needs unquoting": obj("keyMap", obj("a\"b", json.Number("1"))),
	}
	for name, v := range values {
		for _, d := range destinations() {
			checkToGo(t, name, v, d)
		}
	}
}

// A destination holding a negative zero is not the zero value: where
// encoding/json fails part way, the zero keeps its sign.
func TestToGoKeepsNegativeZero(t *testing.T) {
	negZero := math.Copysign(0, -1)
	dst := box[float64]{V: negZero}
	v, _ := Decode([]byte(`{"v":"x","l":[1]}`))
	if err := ToGo(v, &dst); err == nil || !math.Signbit(dst.V) || len(dst.L) != 1 {
		t.Fatalf("err %v, dst %#v", err, dst)
	}
}

// Nesting deeper than encoding/json accepts (10000) fails as it fails.
func TestToGoTooDeep(t *testing.T) {
	var v any = &Object{}
	for range 5001 {
		v = &Object{Members: []Member{{"kids", []any{v}}}}
	}
	checkToGo(t, "deep tree", v, dest[tree](nil))
}

func TestToGoInvalidDestinations(t *testing.T) {
	var nilPtr *int
	for _, dst := range []any{nil, 5, nilPtr, inner{}} {
		err := ToGo(json.Number("1"), dst)
		want := toGoText(json.Number("1"), dst)
		if errText(err) != errText(want) {
			t.Errorf("%T: %v, want %v", dst, err, want)
		}
	}
}

// ToGo calls UnmarshalJSON once, as encoding/json does, when nothing fails.
func TestToGoCallsUnmarshalersOnce(t *testing.T) {
	var dst struct {
		C *countingU `json:"c"`
		D countingU  `json:"d"`
	}
	v, _ := Decode([]byte(`{"c":1,"d":2}`))
	if err := ToGo(v, &dst); err != nil {
		t.Fatal(err)
	}
	if dst.C.n != 1 || dst.D.n != 1 {
		t.Fatalf("UnmarshalJSON calls: %d and %d, want 1 each", dst.C.n, dst.D.n)
	}
}

type countingU struct{ n int }

func (c *countingU) UnmarshalJSON([]byte) error { c.n++; return nil }

// The values the bridge decodes every request go straight into the
// destination, not through encoding/json.
func TestToGoDirect(t *testing.T) {
	for _, tc := range []struct {
		doc string
		dst destination
	}{
		{payloadJSON, dest[payload](nil)},
		{emailJSON, dest[email](nil)},
		{everythingJSON, dest[everything](nil)},
		{payloadJSON, dest[map[string]any](nil)},
		{payloadJSON, dest[any](nil)},
		{`{"v":{"v":"x","l":["y"]},"m":{"k":{"v":"z"}},"p":{"v":"p"}}`, dest[box[box[string]]](nil)},
	} {
		v, _ := Decode([]byte(tc.doc))
		dst := reflect.ValueOf(tc.dst.make())
		if !decodeValue(dst, planFor(dst.Type()), v, 0) {
			t.Errorf("%s into %s went through encoding/json", strings.Split(tc.doc, ",")[0], tc.dst.name)
		}
	}
}

// FuzzToGo decodes the fuzzed text with Decode and compares ToGo with
// encoding/json for each destination type of the differential test.
func FuzzToGo(f *testing.F) {
	for _, doc := range []string{payloadJSON, emailJSON, everythingJSON, `{"list":[{"a":1}],"LIST":[{"b":"x"}]}`,
		`{"quoted":"12","qs":"\"x\"","qp":"null"}`, `[1,"a",{"v":[null]}]`, `{"v":{"v":"x","l":["y"]},"m":{"k":{"v":"z"}}}`} {
		f.Add([]byte(doc))
	}
	dsts := destinations()
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Decode(data)
		if err != nil {
			return
		}
		for _, d := range dsts {
			checkToGo(t, "fuzzed", v, d)
		}
	})
}

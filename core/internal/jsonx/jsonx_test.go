package jsonx

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestDecodeKeepsOrderAndNumbers(t *testing.T) {
	v, err := Decode([]byte(` {"b":1,"a":[true,false,null,"x"],"n":1.50,"b":2,"s":"\u00e9\n"} `))
	if err != nil {
		t.Fatal(err)
	}
	o := v.(*Object)
	var keys []string
	for _, m := range o.Members {
		keys = append(keys, m.Key)
	}
	if strings.Join(keys, ",") != "b,a,n,s" {
		t.Fatalf("keys %v", keys)
	}
	if b, _ := o.Get("b"); b != json.Number("2") {
		t.Fatalf("duplicate key kept %v, want the last value", b)
	}
	if got := string(Marshal(v)); got != `{"b":2,"a":[true,false,null,"x"],"n":1.50,"s":"é\n"}` {
		t.Fatalf("Marshal = %s", got)
	}
}

func TestAppendStringLikeJSONStringify(t *testing.T) {
	tests := []struct{ in, want string }{
		{`plain`, `"plain"`},
		{"<a href=\"x\">&</a>", `"<a href=\"x\">&</a>"`},
		{"\u2028\u2029", "\"\u2028\u2029\""},
		{"\x00\x1f\t\b\f\r\n", `"\u0000\u001f\t\b\f\r\n"`},
		{"back\\slash", `"back\\slash"`},
		{"bad \xff utf8", "\"bad \ufffd utf8\""},
	}
	for _, tc := range tests {
		if got := string(AppendString(nil, tc.in)); got != tc.want {
			t.Errorf("AppendString(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, in := range []string{``, `{`, `{"a"}`, `{"a":}`, `[1,]`, `01`, `1.`, `-`, `"\x01"`, `tru`, `{} x`, `{"a":1,}`, `"unterminated`, `1e`, `[1 2]`} {
		if _, err := Decode([]byte(in)); err == nil {
			t.Errorf("Decode(%q) accepted invalid JSON", in)
		}
	}
	deep := strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1)
	if _, err := Decode([]byte(deep)); !errors.Is(err, ErrTooDeep) {
		t.Errorf("deep nesting: err = %v", err)
	}
	ok := strings.Repeat("[", MaxDepth) + strings.Repeat("]", MaxDepth)
	if _, err := Decode([]byte(ok)); err != nil {
		t.Errorf("nesting of MaxDepth refused: %v", err)
	}
}

// FuzzDecode checks the decoder against encoding/json: the same documents
// are valid, they decode to the same values, and what Marshal writes decodes
// back to the same value.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{}`, `[]`, `{"a":[1,2,{"b":null}],"c":"\u00e9\ud83d\ude80"}`, `"x\\y"`, `-0.5e+10`, `{"a":1,"a":2}`, `[true,false]`, "\"\xff\""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Decode(data)
		if errors.Is(err, ErrTooDeep) {
			return
		}
		if valid := json.Valid(data); valid != (err == nil) {
			t.Fatalf("Decode error %v, but json.Valid = %v for %q", err, valid, data)
		}
		if err != nil {
			return
		}
		var want any
		d := json.NewDecoder(bytes.NewReader(data))
		d.UseNumber()
		if err := d.Decode(&want); err != nil {
			t.Fatal(err)
		}
		if got := asMaps(v); !reflect.DeepEqual(got, want) {
			t.Fatalf("Decode(%q) = %#v, encoding/json gives %#v", data, got, want)
		}
		again, err := Decode(Marshal(v))
		if err != nil {
			t.Fatalf("Marshal wrote invalid JSON %q: %v", Marshal(v), err)
		}
		if !reflect.DeepEqual(asMaps(again), want) {
			t.Fatalf("round trip changed %q", data)
		}
	})
}

func TestDuplicateKeys(t *testing.T) {
	for _, n := range []int{3, dedupeLinear + 5} {
		var b strings.Builder
		b.WriteString(`{"dup":0`)
		for i := 0; i < n; i++ {
			b.WriteString(`,"k` + strings.Repeat("x", i) + `":1`)
		}
		b.WriteString(`,"dup":2,"k":3,"dup":4}`)
		v, err := Decode([]byte(b.String()))
		if err != nil {
			t.Fatal(err)
		}
		o := v.(*Object)
		if o.Members[0].Key != "dup" || o.Members[0].Value != json.Number("4") || o.Len() != n+1 {
			t.Fatalf("n=%d: %s", n, Marshal(v))
		}
	}
}

// Many keys decode in linear time: a quadratic decoder takes seconds here.
func BenchmarkDecodeManyKeys(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("{")
	for i := 0; i < 100000; i++ {
		if i > 0 {
			sb.WriteString(",")
		}
		sb.WriteString(`"key` + strconv.Itoa(i) + `":1`)
	}
	sb.WriteString("}")
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}

// Decoded strings are copies: changing the document afterwards changes
// none of them, small documents (one shared copy) and large ones alike.
func TestDecodedValuesOutliveTheDocument(t *testing.T) {
	for _, pad := range []int{0, shareTextUpTo} {
		doc := []byte(`{"key":"value","n":12.5,"pad":"` + strings.Repeat("x", pad) + `"}`)
		v, err := Decode(doc)
		if err != nil {
			t.Fatal(err)
		}
		for i := range doc {
			doc[i] = '#'
		}
		o := v.(*Object)
		if o.Members[0].Key != "key" || o.Members[0].Value != "value" || o.Members[1].Value != json.Number("12.5") {
			t.Fatalf("document of %d bytes: values changed with it: %v", len(doc), o.Members[:2])
		}
	}
}

// asMaps converts v to the types encoding/json decodes into (map[string]any,
// []any), keeping json.Number numbers.
func asMaps(v any) any {
	switch t := v.(type) {
	case *Object:
		m := make(map[string]any, len(t.Members))
		for _, mem := range t.Members {
			m[mem.Key] = asMaps(mem.Value)
		}
		return m
	case []any:
		c := make([]any, len(t))
		for i, e := range t {
			c[i] = asMaps(e)
		}
		return c
	default:
		return v
	}
}

// Objects of every size decode with their members in order, and each keeps
// members of its own: growing one leaves the others as they were.
func TestDecodeObjectSizes(t *testing.T) {
	for n := 0; n <= 20; n++ {
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteString(`,`)
			}
			b.WriteString(`"k` + strconv.Itoa(i) + `":[` + strconv.Itoa(i) + `]`)
		}
		obj := `{` + b.String() + `}`
		v, err := Decode([]byte(`[` + obj + `,` + obj + `,` + obj + `]`))
		if err != nil {
			t.Fatal(err)
		}
		objs := v.([]any)
		for _, o := range objs {
			if got := string(Marshal(o)); got != obj {
				t.Fatalf("n=%d: decoded %s, want %s", n, got, obj)
			}
		}
		objs[0].(*Object).Set("extra", true)
		objs[1].(*Object).Members = append(objs[1].(*Object).Members, Member{"more", false})
		if got := string(Marshal(objs[2])); got != obj {
			t.Fatalf("n=%d: growing the others changed the third object into %s", n, got)
		}
		if got := string(Marshal(objs[0])); !strings.HasSuffix(got, `"extra":true}`) || len(got) < len(obj) {
			t.Fatalf("n=%d: first object %s", n, got)
		}
	}
}

// A scratch goes back to its pool holding nothing of the document it
// served, however its objects and arrays nested.
func TestScratchKeepsNothing(t *testing.T) {
	sc := &scratch{members: make([]Member, 0, 4), items: make([]any, 0, 4)}
	doc := `{"a":[1,{"b":"x","c":[true,null,{"d":"y"}]},"z"],"e":{"f":{"g":[[["h"]]]}},"i":"j","k":[1,2,3,4,5,6]}`
	d := decoder{data: []byte(doc), scratch: sc}
	if _, err := d.value(0); err != nil {
		t.Fatal(err)
	}
	sc.put()
	for i, m := range sc.members[:cap(sc.members)] {
		if m.Key != "" || m.Value != nil {
			t.Fatalf("member %d kept: %q = %v", i, m.Key, m.Value)
		}
	}
	for i, v := range sc.items[:cap(sc.items)] {
		if v != nil {
			t.Fatalf("item %d kept: %v", i, v)
		}
	}
}

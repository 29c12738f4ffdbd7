package jsonx

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
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
		if got := Plain(v); !reflect.DeepEqual(got, want) {
			t.Fatalf("Decode(%q) = %#v, encoding/json gives %#v", data, got, want)
		}
		again, err := Decode(Marshal(v))
		if err != nil {
			t.Fatalf("Marshal wrote invalid JSON %q: %v", Marshal(v), err)
		}
		if !reflect.DeepEqual(Plain(again), want) {
			t.Fatalf("round trip changed %q", data)
		}
	})
}

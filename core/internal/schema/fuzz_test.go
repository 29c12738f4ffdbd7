package schema

import (
	"testing"

	"github.com/echofn/echofn/core/internal/jsonx"
)

// FuzzValidate compiles a schema and validates a value with it: nothing
// may panic, and Validate must not modify its input. The seed corpus in
// testdata/fuzz/FuzzValidate adds schemas from the differential test.
func FuzzValidate(f *testing.F) {
	seeds := [][2]string{
		{Default, `{"a":1}`},
		{`{"type":"object","properties":{"a":{"type":"string","default":"x"},"b":{"type":"array","items":[{"default":1},{"type":"integer"}]}},"required":["a"],"additionalProperties":false}`, `{"b":[],"c":2}`},
		{`{"type":"object","anyOf":[{"properties":{"a":{"format":"date-time"}},"additionalProperties":false},{"required":["b"]}]}`, `{"a":"2020-01-01T00:00:00Z","b":1}`},
		{`{"type":"object","properties":{"n":{"$ref":"#"},"v":{"pattern":"^[a-z]+$","maxLength":3}},"patternProperties":{"^x-":{"enum":[1,"a"]}},"dependencies":{"v":["n"]}}`, `{"n":{"v":"abc","n":{}},"v":"x","x-a":1}`},
		{`{"type":"object","allOf":[{"$ref":"#"}]}`, `{}`},
		{`{"type":"object","if":{"properties":{"k":{"const":1}}},"then":{"properties":{"t":{"default":true}}},"else":{"not":{"required":["z"]}}}`, `{"k":1}`},
		{`{"type":"object","properties":{"u":{"uniqueItems":true,"items":{"type":["number","string"]}},"c":{"contains":{"multipleOf":0.5}}}}`, `{"u":[1,"1",1.0],"c":[0.25,1.5]}`},
	}
	for _, s := range seeds {
		f.Add([]byte(s[0]), []byte(s[1]))
	}
	f.Fuzz(func(t *testing.T, schemaText, dataText []byte) {
		s, err := Compile(schemaText)
		if err != nil {
			return
		}
		in, err := jsonx.Decode(dataText)
		if err != nil {
			return
		}
		before := string(jsonx.Marshal(in))
		s.Validate(in)
		if after := string(jsonx.Marshal(in)); after != before {
			t.Fatalf("Validate modified its input:\n%s\n%s", before, after)
		}
	})
}

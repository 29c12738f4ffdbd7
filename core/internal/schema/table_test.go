package schema

import (
	"encoding/json"
	"fmt"
)

// tableCases covers every keyword, every format and the ways Ajv writes
// defaults and removes properties; each schema is tried on several values.
func tableCases() []ajvCase {
	obj := func(inner string) string { return `{"type":"object","properties":{"v":` + inner + `}}` }
	table := []struct {
		name, schema string
		data         []string
	}{
		{"type", obj(`{"type":"string"}`), []string{`{"v":"a"}`, `{"v":1}`, `{}`}},
		{"type list", obj(`{"type":["string","null"]}`), []string{`{"v":null}`, `{"v":1}`, `{"v":true}`}},
		{"integer", obj(`{"type":"integer"}`), []string{`{"v":1}`, `{"v":1.0}`, `{"v":1.5}`, `{"v":1e3}`, `{"v":"1"}`}},
		{"number", obj(`{"type":"number","minimum":1}`), []string{`{"v":1}`, `{"v":0.5}`, `{"v":"x"}`, `{"v":1e400}`}},
		{"boolean null", obj(`{"type":["boolean","null"]}`), []string{`{"v":true}`, `{"v":0}`}},
		{"nullable", obj(`{"type":"string","nullable":true,"minLength":2}`), []string{`{"v":null}`, `{"v":"a"}`, `{"v":3}`}},
		{"nullable without type", obj(`{"nullable":true}`), []string{`{}`}},
		{"nullable false with null", obj(`{"type":"null","nullable":false}`), []string{`{}`}},
		{"enum", obj(`{"enum":["a",1,{"x":[1,2]},null]}`), []string{`{"v":"a"}`, `{"v":1.0}`, `{"v":{"x":[1,2]}}`, `{"v":{"x":[2,1]}}`, `{"v":null}`, `{"v":"b"}`}},
		{"empty enum", obj(`{"enum":[]}`), []string{`{}`}},
		{"const", obj(`{"const":{"a":1,"b":[true]}}`), []string{`{"v":{"b":[true],"a":1}}`, `{"v":{"a":1}}`, `{"v":1}`}},
		{"const null", obj(`{"const":null}`), []string{`{"v":null}`, `{"v":0}`}},
		{"multipleOf", obj(`{"multipleOf":0.1}`), []string{`{"v":0.3}`, `{"v":3}`, `{"v":0.35}`, `{"v":1e22}`}},
		{"multipleOf int", obj(`{"multipleOf":3}`), []string{`{"v":9}`, `{"v":10}`, `{"v":"a"}`}},
		{"limits", obj(`{"maximum":10,"exclusiveMaximum":10,"minimum":1.5,"exclusiveMinimum":1.5}`), []string{`{"v":10}`, `{"v":1.5}`, `{"v":5}`, `{"v":11}`}},
		{"big limits", obj(`{"maximum":1e21,"minimum":1e-7}`), []string{`{"v":2e21}`, `{"v":0}`}},
		{"lengths", obj(`{"maxLength":3,"minLength":2}`), []string{`{"v":"ab"}`, `{"v":"a"}`, `{"v":"abcd"}`, `{"v":"😀😀"}`, `{"v":"é"}`, `{"v":5}`}},
		{"pattern", obj(`{"pattern":"^a(?=b)"}`), []string{`{"v":"ab"}`, `{"v":"ac"}`, `{"v":1}`}},
		{"pattern unicode", obj(`{"pattern":"^.$"}`), []string{`{"v":"😀"}`, `{"v":"ab"}`}},
		{"pattern property escape", obj(`{"pattern":"\\p{L}"}`), []string{`{"v":"é"}`, `{"v":"1"}`}},
		{"pattern bad escape", obj(`{"pattern":"a\\-b"}`), []string{`{}`}},
		{"pattern bad", obj(`{"pattern":"("}`), []string{`{}`}},
		{"pattern brace", obj(`{"pattern":"a{"}`), []string{`{}`}},
		{"items", obj(`{"items":{"type":"number"}}`), []string{`{"v":[1,2]}`, `{"v":[1,"a"]}`, `{"v":"x"}`}},
		{"tuple", obj(`{"items":[{"type":"string"},{"type":"number"}],"additionalItems":false}`), []string{`{"v":["a",1]}`, `{"v":["a",1,2]}`, `{"v":[1]}`, `{"v":[]}`}},
		{"additionalItems schema", obj(`{"items":[{}],"additionalItems":{"type":"string"}}`), []string{`{"v":[1,"a"]}`, `{"v":[1,2]}`}},
		{"additionalItems without tuple", obj(`{"items":{},"additionalItems":false}`), []string{`{"v":[1,2]}`}},
		{"tuple defaults", obj(`{"type":"array","items":[{"default":"x"},{"type":"number","default":2}]}`), []string{`{"v":[]}`, `{"v":["a"]}`, `{"v":["a",3,4]}`}},
		{"tuple defaults with gap", obj(`{"items":[{"type":"string"},{"default":2}]}`), []string{`{"v":[]}`}},
		{"tuple gap without type", obj(`{"items":[{},{"default":2}]}`), []string{`{"v":[]}`}},
		{"item limits", obj(`{"maxItems":2,"minItems":1}`), []string{`{"v":[]}`, `{"v":[1,2,3]}`, `{"v":[1]}`}},
		{"uniqueItems", obj(`{"uniqueItems":true}`), []string{`{"v":[1,2,1]}`, `{"v":[{"a":1},{"a":1.0}]}`, `{"v":[[1],[2]]}`, `{"v":[1,"1"]}`}},
		{"uniqueItems typed", obj(`{"uniqueItems":true,"items":{"type":["number","string"]}}`), []string{`{"v":[1,2,1,2]}`, `{"v":["1",1]}`, `{"v":[1,1.0]}`}},
		{"uniqueItems false", obj(`{"uniqueItems":false}`), []string{`{"v":[1,1]}`}},
		{"contains", obj(`{"contains":{"type":"string"}}`), []string{`{"v":[1,"a"]}`, `{"v":[1,2]}`, `{"v":[]}`}},
		{"contains true", obj(`{"contains":true}`), []string{`{"v":[]}`, `{"v":[1]}`}},
		{"contains in anyOf", obj(`{"anyOf":[{"contains":{"type":"string"}},{"type":"number"}]}`), []string{`{"v":[1]}`}},
		{"property limits", obj(`{"maxProperties":1,"minProperties":1}`), []string{`{"v":{}}`, `{"v":{"a":1,"b":2}}`, `{"v":{"a":1}}`}},
		{"required", `{"type":"object","required":["a","b"]}`, []string{`{}`, `{"a":1}`, `{"a":1,"b":2}`}},
		{"required inherited", `{"type":"object","required":["constructor","toString"]}`, []string{`{}`}},
		{"properties inherited", `{"type":"object","properties":{"toString":{"type":"string"},"valueOf":{"default":1}}}`, []string{`{}`, `{"toString":"x"}`}},
		{"propertyNames", `{"type":"object","propertyNames":{"pattern":"^[a-z]+$"}}`, []string{`{"ab":1}`, `{"ab":1,"A":2}`}},
		{"propertyNames maxLength", `{"type":"object","propertyNames":{"maxLength":2}}`, []string{`{"abc":1}`}},
		{"propertyNames false", `{"type":"object","propertyNames":false}`, []string{`{}`, `{"a":1}`}},
		{"additionalProperties false", `{"type":"object","properties":{"a":{}},"additionalProperties":false}`, []string{`{"a":1,"b":2,"c":3}`}},
		{"additionalProperties schema", `{"type":"object","properties":{"a":{}},"additionalProperties":{"type":"string"}}`, []string{`{"a":1,"b":2,"c":"x"}`}},
		{"additionalProperties with patterns", `{"type":"object","patternProperties":{"^x-":{"type":"string"}},"additionalProperties":false}`, []string{`{"x-a":"1","y":2}`, `{"x-a":1}`}},
		{"additionalProperties alone", `{"type":"object","additionalProperties":false}`, []string{`{"a":1}`}},
		{"additionalProperties in anyOf", `{"type":"object","anyOf":[{"properties":{"a":{"type":"string"}},"additionalProperties":false},{"properties":{"b":{}},"required":["b"]}]}`, []string{`{"a":1,"b":2}`, `{"a":"x","b":2}`}},
		{"additionalProperties in oneOf", `{"type":"object","oneOf":[{"properties":{"a":{}},"additionalProperties":false},{"required":["b"]}]}`, []string{`{"a":1,"b":2}`}},
		{"additionalProperties in not", `{"type":"object","not":{"properties":{"a":{}},"additionalProperties":false,"required":["z"]}}`, []string{`{"a":1,"b":2}`}},
		{"additionalProperties in if", `{"type":"object","if":{"properties":{"a":{}},"additionalProperties":false},"then":{"required":["a"]}}`, []string{`{"a":1,"b":2}`, `{"b":2}`}},
		{"additionalProperties in items", `{"type":"object","properties":{"v":{"items":{"properties":{"a":{}},"additionalProperties":false}}}}`, []string{`{"v":[{"a":1,"b":2},{"c":3}]}`}},
		{"dependencies", `{"type":"object","dependencies":{"a":["b","c"],"d":["e"],"f":{"required":["g"]}}}`, []string{`{"a":1}`, `{"a":1,"b":1,"c":1}`, `{"d":1}`, `{"f":1}`, `{"f":1,"g":1}`}},
		{"dependencies empty", `{"type":"object","dependencies":{"a":[]}}`, []string{`{"a":1}`}},
		{"patternProperties", `{"type":"object","patternProperties":{"^a":{"type":"string"},"b$":{"type":"number"}}}`, []string{`{"ab":"x"}`, `{"ab":1}`, `{"cb":"x"}`}},
		{"patternProperties bad", `{"type":"object","patternProperties":{"(":{}}}`, []string{`{}`}},
		{"if then else", `{"type":"object","if":{"properties":{"k":{"const":"a"}}},"then":{"required":["x"]},"else":{"required":["y"]}}`, []string{`{"k":"a"}`, `{"k":"b"}`, `{"k":"a","x":1}`}},
		{"if then defaults", `{"type":"object","properties":{"k":{}},"if":{"properties":{"k":{"const":"a"}}},"then":{"properties":{"t":{"default":1}}},"else":{"properties":{"e":{"default":2}}}}`, []string{`{"k":"a"}`, `{"k":"b"}`}},
		{"if without then", `{"type":"object","if":false}`, []string{`{}`}},
		{"if default ignored", `{"type":"object","if":{"properties":{"a":{"default":1}}},"then":{"required":["a"]}}`, []string{`{}`}},
		{"allOf", `{"type":"object","allOf":[{"properties":{"a":{"default":1}}},{"properties":{"b":{"default":2}},"required":["c"]}]}`, []string{`{}`, `{"c":1}`}},
		{"anyOf", `{"type":"object","anyOf":[{"required":["a"]},{"required":["b"]}]}`, []string{`{}`, `{"b":1}`}},
		{"anyOf defaults ignored", `{"type":"object","anyOf":[{"properties":{"a":{"default":1}}},{"required":["b"]}]}`, []string{`{}`}},
		{"anyOf always valid", `{"type":"object","anyOf":[{"properties":{"a":{}},"additionalProperties":false},true]}`, []string{`{"a":1,"b":2}`}},
		{"oneOf", `{"type":"object","oneOf":[{"required":["a"]},{"required":["b"]},{"required":["c"]}]}`, []string{`{}`, `{"a":1}`, `{"a":1,"b":2}`, `{"a":1,"b":2,"c":3}`}},
		{"oneOf always", `{"type":"object","oneOf":[true,{"required":["a"]}]}`, []string{`{}`, `{"a":1}`}},
		{"not", `{"type":"object","not":{"required":["a"]}}`, []string{`{}`, `{"a":1}`}},
		{"not true", `{"type":"object","not":{}}`, []string{`{}`}},
		{"boolean schemas", `{"type":"object","properties":{"t":true,"f":false}}`, []string{`{"t":1}`, `{"f":1}`}},
		{"defaults nested", `{"type":"object","properties":{"a":{"type":"object","default":{},"properties":{"b":{"default":"x"},"c":{"type":"object","properties":{"d":{"default":[1]}}}}}}}`, []string{`{}`, `{"a":{"c":{}}}`, `{"a":null}`}},
		{"default order", `{"type":"object","properties":{"z":{"default":1},"a":{"default":2},"m":{}}}`, []string{`{"m":0}`, `{"a":5}`}},
		{"default invalid", `{"type":"object","properties":{"a":{"type":"string","default":1}}}`, []string{`{}`}},
		{"ref definitions", `{"type":"object","properties":{"a":{"$ref":"#/definitions/s"}},"definitions":{"s":{"type":"string","default":"d"}}}`, []string{`{"a":1}`, `{"a":"x"}`}},
		{"ref defs", `{"type":"object","properties":{"a":{"$ref":"#/$defs/s"}},"$defs":{"s":{"type":"object","properties":{"b":{"default":1}}}}}`, []string{`{"a":{}}`}},
		{"ref to property", `{"type":"object","properties":{"a":{"type":"integer"},"b":{"$ref":"#/properties/a"}}}`, []string{`{"b":1.5}`}},
		{"ref recursive", `{"type":"object","properties":{"name":{"type":"string"},"child":{"$ref":"#"}},"additionalProperties":false}`, []string{`{"child":{"child":{"name":1}}}`, `{"child":{"x":1,"child":{}}}`}},
		{"ref with siblings", `{"type":"object","properties":{"a":{"$ref":"#/definitions/n","minimum":5}},"definitions":{"n":{"type":"number"}}}`, []string{`{"a":1}`, `{"a":"x"}`}},
		{"ref function in anyOf", `{"type":"object","anyOf":[{"$ref":"#/definitions/r"}],"definitions":{"r":{"properties":{"a":{"default":1},"n":{"$ref":"#/definitions/r"}}}}}`, []string{`{}`}},
		{"ref missing", `{"type":"object","properties":{"a":{"$ref":"#/definitions/nope"}}}`, []string{`{}`}},
		{"ref external", `{"type":"object","properties":{"a":{"$ref":"http://example.com/s.json"}}}`, []string{`{}`}},
		{"ref cycle", `{"type":"object","properties":{"a":{"$ref":"#/definitions/x"}},"definitions":{"x":{"$ref":"#/definitions/y"},"y":{"$ref":"#/definitions/x"}}}`, []string{`{}`}},
		{"ref root cycle", `{"type":"object","allOf":[{"$ref":"#"}]}`, []string{`{}`}},
		{"id ref", `{"$id":"http://example.com/root.json","type":"object","properties":{"a":{"$ref":"item.json"}},"definitions":{"i":{"$id":"item.json","type":"string"}}}`, []string{`{"a":1}`, `{"a":"x"}`}},
		{"id anchor", `{"type":"object","properties":{"a":{"$ref":"#num"}},"definitions":{"n":{"$id":"#num","type":"number"}}}`, []string{`{"a":"x"}`}},
		{"keyword id", `{"type":"object","id":"x"}`, []string{`{}`}},
		{"meta bad type", `{"type":"object","properties":{"a":{"type":"str"}}}`, []string{`{}`}},
		{"meta bad minLength", `{"type":"object","properties":{"a":{"minLength":-1}}}`, []string{`{}`}},
		{"meta bad required", `{"type":"object","required":"a"}`, []string{`{}`}},
		{"meta bad items", `{"type":"object","properties":{"a":{"items":[]}}}`, []string{`{}`}},
		{"meta bad schema", `{"type":"object","properties":{"a":1}}`, []string{`{}`}},
		{"schema draft-07", `{"$schema":"http://json-schema.org/draft-07/schema#","type":"object"}`, []string{`{}`}},
		{"schema 2020", `{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object"}`, []string{`{}`}},
		{"unknown keyword", `{"type":"object","foo":{"$ref":"#/nope"},"properties":{"a":{"bar":1}}}`, []string{`{"a":1}`}},
		{"unknown format", obj(`{"format":"nope"}`), []string{`{"v":"x"}`}},
		{"format number", obj(`{"format":"int32"}`), []string{`{"v":1}`, `{"v":3000000000}`, `{"v":1.5}`, `{"v":"x"}`}},
		{"format int64", obj(`{"format":"int64"}`), []string{`{"v":1.5}`, `{"v":2}`}},
		{"format string on number", obj(`{"format":"email"}`), []string{`{"v":1}`}},
		{"formatMaximum", obj(`{"format":"date","formatMaximum":"2020-01-01","formatExclusiveMinimum":"2019-01-01"}`), []string{`{"v":"2020-01-02"}`, `{"v":"2019-01-01"}`, `{"v":"2019-06-01"}`}},
		{"formatMinimum time", obj(`{"format":"time","formatMinimum":"10:00:00"}`), []string{`{"v":"09:00:00"}`, `{"v":"11:00:00Z"}`}},
		{"formatMaximum date-time", obj(`{"format":"date-time","formatMaximum":"2020-01-01T00:00:00Z"}`), []string{`{"v":"2020-01-01T00:00:01Z"}`, `{"v":"2019-01-01t00:00:00"}`}},
		{"formatMaximum without format", obj(`{"formatMaximum":"x"}`), []string{`{}`}},
		{"formatMaximum int32", obj(`{"format":"int32","formatMaximum":"1"}`), []string{`{}`}},
		{"type then keywords", `{"type":"object","required":["a"],"enum":[{"b":1}]}`, []string{`"x"`, `{"b":1}`, `{}`}},
		{"type error order", `{"type":"object","properties":{"a":{"type":"string","enum":["x"]}}}`, []string{`{"a":1}`}},
		{"integer checked first", `{"type":"object","properties":{"a":{"type":"integer","enum":[1]}}}`, []string{`{"a":"x"}`}},
		{"required before properties", `{"type":"object","properties":{"a":{"type":"string"}},"required":["b"]}`, []string{`{"a":1}`}},
		{"propertyNames before additional", `{"type":"object","propertyNames":{"maxLength":1},"additionalProperties":false}`, []string{`{"ab":1}`}},
		{"dependencies before properties", `{"type":"object","properties":{"a":{"type":"string"}},"dependencies":{"a":["b"]}}`, []string{`{"a":1}`}},
		{"anyOf first error", `{"type":"object","anyOf":[{"properties":{"a":{"type":"string"}}},{"required":["b"]}]}`, []string{`{"a":1}`}},
		{"composite type quirk", `{"type":"object","anyOf":[{"type":"string","properties":{"a":{}},"additionalProperties":false},{"type":"object"}]}`, []string{`{"a":1,"b":2}`}},
		{"composite type quirk any group", `{"type":"object","anyOf":[{"type":"string","allOf":[{"properties":{"a":{}},"additionalProperties":false}]},{"type":"object"}]}`, []string{`{"a":1,"b":2}`}},
		{"root anyOf", `{"anyOf":[{"type":"object","required":["a"]},{"type":"object","required":["b"]}]}`, []string{`{}`, `{"b":1}`, `1`}},
		{"root allOf", `{"allOf":[{"type":"object","properties":{"a":{"default":1}}}]}`, []string{`{}`}},
		{"escaped path", `{"type":"object","properties":{"a/b~c":{"type":"string"}}}`, []string{`{"a/b~c":1}`}},
		{"comment only", `{"type":"object","properties":{"a":{"$comment":"x"}}}`, []string{`{"a":1}`}},
	}
	var cases []ajvCase
	for _, row := range table {
		for i, d := range row.data {
			cases = append(cases, ajvCase{Name: fmt.Sprintf("%s #%d", row.name, i), Schema: json.RawMessage(row.schema), Data: json.RawMessage(d)})
		}
	}
	for _, f := range formatSamples() {
		for i, d := range f.values {
			data, _ := json.Marshal(map[string]string{"v": d})
			cases = append(cases, ajvCase{Name: fmt.Sprintf("format %s #%d", f.name, i), Schema: json.RawMessage(obj(`{"format":"` + f.name + `"}`)), Data: data})
		}
	}
	return cases
}

type formatSample struct {
	name   string
	values []string
}

func formatSamples() []formatSample {
	return []formatSample{
		{"date", []string{"2020-01-31", "2020-02-30", "2020-02-29", "2019-02-29", "2000-02-29", "1900-02-29", "2020-13-01", "2020-1-01", "20200101", "2020-01-31T00:00:00Z"}},
		{"time", []string{"10:00:00", "23:59:60", "23:59:60Z", "24:00:00", "10:00:00.123+01:00", "10:00:00+0100", "10:00:00+01", "10:00:00z", "10:00", "10:60:00", "10:00:00.+01:00", "10:00:00 +01:00"}},
		{"date-time", []string{"2020-01-01T10:00:00Z", "2020-01-01t10:00:00z", "2020-01-01 10:00:00+01:00", "2020-01-01T10:00:00", "2020-01-01T25:00:00Z", "2020-01-01", "2020-01-01TT10:00:00Z", "2020-01-01\u00a010:00:00"}},
		{"duration", []string{"P1D", "PT1H", "P1Y2M3DT4H5M6S", "P1W", "P", "PT", "P1H", "PT1D", "P1DT", "P1W1D", "p1d"}},
		{"uri", []string{"http://example.com/a?b#c", "https://EXAMPLE.com", "mailto:a@b.c", "urn:isbn:123", "/relative", "relative", "http://exa mple.com", "http://[::1]/", "a:b", "HTTP://x", "http://a/%zz"}},
		{"uri-reference", []string{"", "/a/b", "a/b", "#frag", "http://x.y/z", "\\x", "a b", "http://x/\"q\""}},
		{"uri-template", []string{"http://example.com/{id}", "/a/{b,c}", "{+path}", "{bad", "http://x/{a:10}", "x y"}},
		{"url", []string{"http://example.com", "https://example.com/path?q=1", "ftp://1.2.3.4", "http://10.0.0.1", "http://localhost", "http://ex ample.com", "mailto:x@y.z", "http://ÄÖ.com", "HTTP://EXAMPLE.COM"}},
		{"email", []string{"a@b.co", "A.B@Example.COM", "a@b", "a..b@c.d", "a@-b.c", "ä@b.c", "a+b@c.d"}},
		{"hostname", []string{"example.com", "a", "-a.com", "a-.com", "EXAMPLE.COM", "ex_ample.com", "a.b.c.", "a..b"}},
		{"ipv4", []string{"127.0.0.1", "256.0.0.1", "1.2.3", "01.02.03.004", "1.2.3.4 "}},
		{"ipv6", []string{"::1", "2001:db8::1", "2001:DB8::1", "1::2::3", "::ffff:1.2.3.4", "12345::"}},
		{"regex", []string{"^a+$", "(", "a\\Z", "[a-", "\\p{L}", "(?<n>a)\\k<n>", "a{2,1}"}},
		{"uuid", []string{"123e4567-e89b-12d3-a456-426614174000", "123E4567-E89B-12D3-A456-426614174000", "urn:uuid:123e4567-e89b-12d3-a456-426614174000", "123e4567e89b12d3a456426614174000"}},
		{"json-pointer", []string{"", "/a/b", "/a~0b/~1", "a", "/a~2"}},
		{"json-pointer-uri-fragment", []string{"#", "#/a/b", "#/a%20b", "/a", "#/a b"}},
		{"relative-json-pointer", []string{"0", "1/a", "2#", "01", "-1"}},
		{"byte", []string{"", "YQ==", "YWI=", "YWJj", "YQ", "Y===", "!!!!", "!!\n", "YQ==\r\n!!"}},
		{"password", []string{"anything"}},
		{"binary", []string{"anything"}},
	}
}

package schema

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"github.com/echofn/echofn/core/internal/jsonx"
)

func mustDecode(t *testing.T, s string) any {
	t.Helper()
	v, err := jsonx.Decode([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func stepSchema(t testing.TB, typ, which string) *Schema {
	t.Helper()
	b, err := os.ReadFile("../stepschema/schemas.json")
	if err != nil {
		t.Fatal(err)
	}
	var all struct {
		Steps map[string]map[string]json.RawMessage `json:"steps"`
	}
	if err := json.Unmarshal(b, &all); err != nil {
		t.Fatal(err)
	}
	s, err := Compile(all.Steps[typ][which])
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestValidateLikeAjv(t *testing.T) {
	payload := `{"type":"object","properties":{"name":{"type":"string"},"plan":{"type":"string","enum":["free","pro"],"default":"free"}},"required":["name"],"additionalProperties":false}`
	controls := `{"type":"object","properties":{"subject":{"type":"string","default":"Welcome, {{payload.name}}!"},"skipEmail":{"type":"boolean","default":false}},"required":[],"additionalProperties":false}`
	tests := []struct {
		name, schema, in string
		want             string // JSON of the result, or "" when an error is expected
		wantErr          Error
	}{
		{"defaults filled and extras removed", payload, `{"name":"Ada","extra":1}`, `{"name":"Ada","plan":"free"}`, Error{}},
		{"required", payload, `{}`, "", Error{"", "must have required property 'name'"}},
		{"enum", payload, `{"name":"Ada","plan":"gold"}`, "", Error{"/plan", "must be equal to one of the allowed values"}},
		{"type", controls, `{"skipEmail":"yes"}`, "", Error{"/skipEmail", "must be boolean"}},
		{"not an object", controls, `null`, "", Error{"", "must be object"}},
		{"defaults in order", controls, `{}`, `{"subject":"Welcome, {{payload.name}}!","skipEmail":false}`, Error{}},
		{"required before properties", payload, `{"plan":1}`, "", Error{"", "must have required property 'name'"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := MustCompile(tc.schema)
			got, err := s.Validate(mustDecode(t, tc.in))
			if tc.want == "" {
				if err == nil || err[0] != tc.wantErr {
					t.Fatalf("error = %+v, want %+v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error %+v", err)
			}
			if g := string(jsonx.Marshal(got)); g != tc.want {
				t.Fatalf("got %s, want %s", g, tc.want)
			}
		})
	}
}

func TestInAppOutputs(t *testing.T) {
	s := stepSchema(t, "in_app", "outputs")
	got, err := s.Validate(mustDecode(t, `{"subject":"s","primaryAction":{"label":"Open","redirect":{"url":"/projects"}},"redirect":{"url":"https://example.com/inbox"}}`))
	if err != nil {
		t.Fatalf("unexpected error %+v", err)
	}
	want := `{"subject":"s","primaryAction":{"label":"Open","redirect":{"url":"/projects","target":"_self"}},"redirect":{"url":"https://example.com/inbox","target":"_blank"}}`
	if g := string(jsonx.Marshal(got)); g != want {
		t.Fatalf("got %s\nwant %s", g, want)
	}
	_, err = s.Validate(mustDecode(t, `{"subject":"s","avatar":"not a uri"}`))
	if err == nil || err[0] != (Error{"/avatar", `must match format "uri"`}) {
		t.Fatalf("error = %+v", err)
	}
	_, err = s.Validate(mustDecode(t, `{}`))
	if err == nil || err[0] != (Error{"", "must have required property 'subject'"}) {
		t.Fatalf("error = %+v", err)
	}
	_, err = s.Validate(mustDecode(t, `{"body":"b","redirect":{"url":"mailto:x@y"}}`))
	if err == nil || err[0].Path != "/redirect/url" {
		t.Fatalf("error = %+v", err)
	}
}

func TestFor(t *testing.T) {
	type Controls struct {
		Subject string `json:"subject" jsonschema:"default=Hello"`
		Plan    string `json:"plan,omitempty" jsonschema:"enum=free,enum=pro"`
		Count   int    `json:"count" jsonschema:"required,minimum=1"`
	}
	raw, err := For(reflect.TypeOf(Controls{}))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Compile(raw)
	if err != nil {
		t.Fatalf("%v: %s", err, raw)
	}
	got, verr := s.Validate(mustDecode(t, `{"count":2,"other":true}`))
	if verr != nil {
		t.Fatalf("%+v (schema %s)", verr, raw)
	}
	if g := string(jsonx.Marshal(got)); g != `{"count":2,"subject":"Hello"}` {
		t.Fatalf("got %s (schema %s)", g, raw)
	}
	if _, verr := s.Validate(mustDecode(t, `{"count":0}`)); verr == nil || verr[0].Message != "must be >= 1" {
		t.Fatalf("error = %+v", verr)
	}
	if raw, _ := For(reflect.TypeOf(struct{}{})); string(raw) != Default {
		t.Fatalf("empty struct: %s", raw)
	}
}

func TestPatternPropertiesKeepMatchingKeys(t *testing.T) {
	s := MustCompile(`{"type":"object","properties":{"a":{"type":"string"}},"patternProperties":{"^x-":{"type":"string"}},"additionalProperties":false}`)
	got, err := s.Validate(mustDecode(t, `{"a":"1","x-trace":"t","other":2}`))
	if err != nil {
		t.Fatalf("%+v", err)
	}
	if g := string(jsonx.Marshal(got)); g != `{"a":"1","x-trace":"t"}` {
		t.Fatalf("got %s", g)
	}
}

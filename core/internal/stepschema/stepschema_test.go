package stepschema

import (
	"encoding/json"
	"os"
	"testing"
)

// TestTablesMatchSchemasJSON fails when tables.go was not regenerated
// after schemas.json changed (go generate ./core/internal/stepschema).
func TestTablesMatchSchemasJSON(t *testing.T) {
	src, err := os.ReadFile("schemas.json")
	if err != nil {
		t.Fatal(err)
	}
	var all struct {
		Steps     map[string]map[string]json.RawMessage `json:"steps"`
		Providers map[string]map[string]json.RawMessage `json:"providers"`
	}
	if err := json.Unmarshal(src, &all); err != nil {
		t.Fatal(err)
	}
	for typ, s := range all.Steps {
		out, res := Step(typ)
		if out != string(s["outputs"]) || res != string(s["results"]) {
			t.Errorf("step %s: tables.go differs from schemas.json", typ)
		}
	}
	n := 0
	for ch, ps := range all.Providers {
		for id, want := range ps {
			n++
			if got, ok := Provider(ch, id); !ok || got != string(want) {
				t.Errorf("provider %s/%s: tables.go differs from schemas.json", ch, id)
			}
		}
	}
	if _, ok := Provider("email", "no-such-provider"); ok {
		t.Error("an unknown provider was found")
	}
	if n < 80 {
		t.Fatalf("only %d providers in schemas.json", n)
	}
}

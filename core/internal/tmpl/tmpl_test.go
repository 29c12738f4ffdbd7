package tmpl

import (
	"errors"
	"testing"

	"github.com/echofn/echofn/core/internal/jsonx"
)

func TestRender(t *testing.T) {
	e := New()
	ctx := func() map[string]any {
		b := Bindings(mustDecode(t, `{"payload":{"name":"Ada","n":3,"tags":["a","b"],"user":{"id":1}},"subscriber":{"firstName":"Grace"},"steps":{"digest":{"events":[{"payload":{"name":"x"}},{"payload":{"name":"y"}},{"payload":{"name":"z"}}]}}}`))
		return b.(map[string]any)
	}
	tests := []struct{ in, want string }{
		{"Welcome, {{payload.name}}!", "Welcome, Ada!"},
		{"Hi {{ subscriber.firstName }} {{ payload.missing }}.", "Hi Grace ."},
		{"{{ payload.name | upcase }}", "ADA"},
		{"{{ payload.name | nosuchfilter }}", "Ada"},
		{"{{ payload.n }}", "3"},
		{"{{ payload.user }}", "{'id':1}"},
		{`say "{{payload.name}}"`, `say "Ada"`},
		{"{{ t.greeting }}", "{{t.greeting}}"},
		{"{{ steps.digest.events | digest: 2, 'payload.name' }}", "x, y and 1 other"},
		{"{{ steps.digest.events | toSentence: 'payload.name', 2 }}", "x, y, and 1 other"},
		{"{{ payload.n | pluralize: 'apple' }}", "3 apples"},
		{"{% if payload.n > 2 %}many{% else %}few{% endif %}", "many"},
		{"line\n{{payload.name}}", "line\nAda"},
	}
	for _, tc := range tests {
		got, err := e.Render(tc.in, ctx())
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestRenderErrors(t *testing.T) {
	_, err := New().Render("{{ payload.name ", map[string]any{})
	var te *Error
	if !errors.As(err, &te) || te.Name != "TokenizationError" {
		t.Fatalf("err = %v", err)
	}
}

func mustDecode(t *testing.T, s string) any {
	v, err := jsonx.Decode([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// testScope shows the members of an object to templates.
type testScope struct{ vars *jsonx.Object }

func (s testScope) Bindings() map[string]any     { return Bindings(s.vars).(map[string]any) }
func (s testScope) Root(name string) (any, bool) { return s.vars.Get(name) }

// The fast path renders exactly what the engine renders, and declines what
// it cannot.
func TestFastPathMatchesEngine(t *testing.T) {
	vars := mustDecode(t, `{"payload":{"name":"Ada","n":3,"f":1.5,"big":1e21,"ok":true,"none":null,"items":["x","y"],"user":{"id":1,"tag":"a\"b"}},"subscriber":{"firstName":"Grace"},"steps":{"digest-step":{"events":[1,2]}}}`).(*jsonx.Object)
	e := New()
	for _, src := range []string{
		"Hi {{payload.name}}!", "{{ payload.n }} {{payload.f}} {{payload.big}} {{payload.ok}}",
		"[{{payload.none}}][{{payload.missing}}][{{nothing.at.all}}][{{payload.name.deeper}}]",
		"{{payload.user.tag}}", "{{ subscriber.firstName }}{{subscriber.firstName}}",
		"{{payload.items.size}}", "{{payload.items.first}}", "{{payload.user}}", "{{steps.digest-step.events.size}}",
		"{{payload.name | upcase}}", "{% if payload.ok %}yes{% endif %}", "{{- payload.name -}}", "{{ t.key }}", "a }} b {{payload.name}}",
	} {
		want, err := e.Render(src, Bindings(vars).(map[string]any))
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		got, err := e.RenderScope(src, testScope{vars})
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		if got != want {
			t.Errorf("%q: fast path %q, engine %q", src, got, want)
		}
	}
	if compileFast("Hi {{payload.name}}") == noFast || compileFast("{{ x | upcase }}") != noFast {
		t.Error("compileFast accepts the wrong templates")
	}
}

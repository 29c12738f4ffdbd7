package core

import (
	"math"
	"testing"

	"github.com/echofn/echofn/core/internal/jsonx"
)

// TestPassthroughValueIsFromGo checks that a passthrough is built as
// jsonx.FromGo converts it, field order, omitted empties, invalid UTF-8 and
// errors included.
func TestPassthroughValueIsFromGo(t *testing.T) {
	for _, p := range []Passthrough{
		{},
		{Body: map[string]any{}, Headers: map[string]string{}, Query: map[string]string{}},
		{Body: map[string]any{"tags": []any{map[string]any{"name": "source"}}, "n": 3}},
		{Headers: map[string]string{"X-B": "2", "X-A": "1", "bad\xff": "v\xfe"}},
		{Query: map[string]string{"z": "", "a": "b"}, Body: map[string]any{"x": nil}},
		{Query: map[string]string{"q": "1"}, Headers: map[string]string{"h": "1"}, Body: map[string]any{"b": 1}},
		{Body: map[string]any{"nan": math.NaN()}},
	} {
		want, werr := jsonx.FromGo(&p)
		got, gerr := p.value()
		if (werr == nil) != (gerr == nil) || werr != nil && werr.Error() != gerr.Error() {
			t.Errorf("%+v: error %v, FromGo gives %v", p, gerr, werr)
			continue
		}
		if werr != nil {
			continue
		}
		w := jsonx.Marshal(want)
		g := jsonx.Marshal(got)
		if string(w) != string(g) {
			t.Errorf("%+v: %s, FromGo gives %s", p, g, w)
		}
	}
}

package schema

import (
	"slices"
	"testing"

	"github.com/echofn/echofn/core/internal/jsonx"
)

// TestValidateWithoutCopy checks, on the table and generated cases, that
// Validate, which copies the value only for schemas that can change it and
// only when a dry pass finds a change needed, answers as validating a copy
// in place does, and leaves its input as it was.
func TestValidateWithoutCopy(t *testing.T) {
	cases := append(tableCases(), generatedCases(7, 3000)...)
	copying, changed := 0, 0
	for _, c := range cases {
		s, err := Compile(c.Schema)
		if err != nil {
			continue
		}
		in, err := jsonx.Decode(c.Data)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		if s.writes {
			copying++
			if _, _, wrote := s.validate(jsonx.Clone(in), true); wrote {
				changed++
			}
		}
		before := string(jsonx.Marshal(in))
		want, wantErrs := s.ValidateInPlace(jsonx.Clone(in))
		got, gotErrs := s.Validate(in)
		if after := string(jsonx.Marshal(in)); after != before {
			t.Errorf("%s: schema %s changed %s into %s", c.Name, c.Schema, before, after)
		}
		if !slices.Equal(gotErrs, wantErrs) || string(jsonx.Marshal(got)) != string(jsonx.Marshal(want)) {
			t.Errorf("%s: schema %s, data %s:\nValidate %s %v\nin place %s %v", c.Name, c.Schema, c.Data, jsonx.Marshal(got), gotErrs, jsonx.Marshal(want), wantErrs)
		}
	}
	if copying == 0 || copying == len(cases) || changed == 0 || changed == copying {
		t.Errorf("%d of %d schemas can change a value, %d did: the cases do not cover every path", copying, len(cases), changed)
	}
	t.Logf("%d of %d schemas can change a value, %d did", copying, len(cases), changed)
}

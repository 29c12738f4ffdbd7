package schema

import (
	"bufio"
	"bytes"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/echofn/echofn/core/internal/jsonx"
	"github.com/echofn/echofn/internal/testtools"
)

// ajvCase is one schema and value for the differential test.
type ajvCase struct {
	Name   string          `json:"-"`
	Schema json.RawMessage `json:"schema"`
	Data   json.RawMessage `json:"data"`
}

type ajvResult struct {
	CompileError  string          `json:"compileError"`
	ValidateError string          `json:"validateError"`
	Valid         bool            `json:"valid"`
	Data          json.RawMessage `json:"data"`
	Errors        []Error         `json:"errors"`
}

// runAjv validates every case with the real Ajv, configured as the SDK
// configures it, in one run of testdata/ajv.js.
func runAjv(t *testing.T, cases []ajvCase) []ajvResult {
	t.Helper()
	node := testtools.Require(t, "node")
	testtools.Require(t, "reference/node_modules/ajv/package.json")
	testtools.Require(t, "reference/node_modules/ajv-formats/package.json")
	var in bytes.Buffer
	for _, c := range cases {
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		in.Write(b)
		in.WriteByte('\n')
	}
	script, _ := filepath.Abs(filepath.Join("testdata", "ajv.js"))
	cmd := exec.Command(node, script)
	cmd.Env = append(os.Environ(), "TOOLS="+testtools.Dir())
	cmd.Stdin = &in
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ajv.js: %v\n%s", err, stderr.String())
	}
	var results []ajvResult
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var r ajvResult
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("ajv.js printed %q: %v", sc.Text(), err)
		}
		results = append(results, r)
	}
	if len(results) != len(cases) {
		t.Fatalf("ajv.js answered %d cases of %d\n%s", len(results), len(cases), stderr.String())
	}
	return results
}

// canonical writes a JSON value with numbers as JavaScript prints them, so
// that "1.0" and "1" compare equal. Numbers too large for a float64 are
// null, as JSON.parse and JSON.stringify leave them: that is a matter of
// package jsonx, which keeps the text of numbers.
func canonical(v any) string {
	var walk func(v any) any
	walk = func(v any) any {
		switch t := v.(type) {
		case json.Number:
			f, _ := toFloat(t)
			if math.IsInf(f, 0) {
				return nil // JSON.stringify(Infinity)
			}
			return json.Number(jsNumber(f))
		case []any:
			out := make([]any, len(t))
			for i, e := range t {
				out[i] = walk(e)
			}
			return out
		case *jsonx.Object:
			out := &jsonx.Object{}
			for _, m := range t.Members {
				out.Members = append(out.Members, jsonx.Member{Key: m.Key, Value: walk(m.Value)})
			}
			return out
		}
		return v
	}
	return string(jsonx.Marshal(walk(v)))
}

// compareWithAjv reports every case where Validate disagrees with Ajv.
func compareWithAjv(t *testing.T, cases []ajvCase) {
	t.Helper()
	results := runAjv(t, cases)
	failures := 0
	for i, c := range cases {
		if msg := disagreement(c, results[i]); msg != "" {
			failures++
			if failures <= 25 {
				t.Errorf("%s\nschema %s\ndata   %s\n%s", c.Name, c.Schema, c.Data, msg)
			}
		}
	}
	if failures > 0 {
		t.Errorf("%d of %d cases disagree with Ajv", failures, len(cases))
	}
}

func disagreement(c ajvCase, want ajvResult) string {
	s, err := Compile(c.Schema)
	switch {
	case want.CompileError != "":
		if err == nil {
			return "Ajv refuses (" + want.CompileError + "), Compile accepts"
		}
		return ""
	case err != nil:
		return "Compile refuses a schema Ajv compiles: " + err.Error()
	}
	in, err := jsonx.Decode(c.Data)
	if err != nil {
		return "bad data: " + err.Error()
	}
	before := string(jsonx.Marshal(in))
	got, verr := s.Validate(in)
	if after := string(jsonx.Marshal(in)); after != before {
		return "Validate modified its input: " + after
	}
	if want.ValidateError != "" {
		if len(verr) != 1 || verr[0] != errTooDeep {
			return "Ajv throws (" + want.ValidateError + "), Validate does not say so" + errText(verr, nil)
		}
		return ""
	}
	if want.Valid != (verr == nil) {
		return "valid = " + boolWord(verr == nil) + ", Ajv says " + boolWord(want.Valid) + errText(verr, want.Errors)
	}
	if verr != nil {
		if !slices.Equal(verr, want.Errors) {
			return errText(verr, want.Errors)
		}
		return ""
	}
	wantData, err := jsonx.Decode(want.Data)
	if err != nil {
		return "bad Ajv data: " + err.Error()
	}
	if g, w := canonical(got), canonical(wantData); g != w {
		return "data\n got  " + g + "\n want " + w
	}
	return ""
}

func boolWord(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func errText(got, want []Error) string {
	var b strings.Builder
	for _, e := range got {
		b.WriteString("\n got  error " + e.Path + " " + e.Message)
	}
	for _, e := range want {
		b.WriteString("\n want error " + e.Path + " " + e.Message)
	}
	return b.String()
}

func TestAjvTable(t *testing.T) {
	compareWithAjv(t, tableCases())
}

func TestAjvGenerated(t *testing.T) {
	n := 4000
	if testing.Short() {
		n = 500
	}
	compareWithAjv(t, generatedCases(1, n))
}

// Package schema compiles JSON Schemas and validates values against them
// with the semantics of the Ajv options Novu's SDK uses: defaults are filled
// in, properties rejected by "additionalProperties": false are removed rather
// than reported, and the one error reported is the first Ajv would meet.
//
// Validation itself (every keyword, formats, $ref) is done by
// github.com/santhosh-tekuri/jsonschema/v6, which passes the official JSON
// Schema test suite for draft-07 and later; this package adds what Ajv does
// beyond the specification, and Ajv's wording of the error.
package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dlclark/regexp2"
	jsonschema "github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/echofn/echofn/core/internal/jsonx"
)

// Default is the schema used wherever none is given: an empty object that
// allows no properties.
const Default = `{"type":"object","properties":{},"required":[],"additionalProperties":false}`

// Error is one validation failure, as Novu reports it.
type Error struct {
	// Path is the JSON pointer of the failing value, "" for the root.
	Path string `json:"path"`
	// Message is Ajv's wording, such as "must be boolean".
	Message string `json:"message"`
}

// Schema is a compiled JSON Schema together with the document it came from.
type Schema struct {
	raw      []byte // compact JSON, keys in authored order
	doc      any    // raw decoded as ordered values
	compiled *jsonschema.Schema
	ifs      map[*jsonx.Object]*jsonschema.Schema // compiled "if" subschemas by their parent
	patterns map[*jsonx.Object][]*regexp2.Regexp  // compiled patternProperties by their schema
}

var seq atomic.Uint64

// Compile compiles a draft-07 (or later, when "$schema" says so) schema. A
// schema must be an object schema, or combine schemas with anyOf, allOf or
// oneOf, as Novu requires.
func Compile(raw []byte) (*Schema, error) {
	doc, err := jsonx.Decode(raw)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	obj, ok := doc.(*jsonx.Object)
	if !ok {
		return nil, errors.New("schema: a schema must be a JSON object")
	}
	if !isJSONSchema(obj) {
		return nil, errors.New(`schema: a schema must have "type": "object" or anyOf, allOf or oneOf`)
	}
	plain, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	plain = ajvKeywords(plain)
	url := "mem://schema/" + strconv.FormatUint(seq.Add(1), 10) + ".json"
	c := newCompiler()
	if err := c.AddResource(url, plain); err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	compiled, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	s := &Schema{raw: jsonx.Marshal(doc), doc: doc, compiled: compiled, ifs: map[*jsonx.Object]*jsonschema.Schema{}, patterns: map[*jsonx.Object][]*regexp2.Regexp{}}
	if err := s.compileIfs(c, url, "", doc); err != nil {
		return nil, err
	}
	return s, nil
}

// shared holds the schemas compiled by Shared, by their text.
var shared sync.Map

// Shared returns the compiled schema for raw, compiling it once per
// process: built-in schemas (step types, providers) are shared by every
// step that uses them. It panics for an invalid schema.
func Shared(raw string) *Schema {
	if s, ok := shared.Load(raw); ok {
		return s.(*Schema)
	}
	s, _ := shared.LoadOrStore(raw, MustCompile(raw))
	return s.(*Schema)
}

// MustCompile is Compile for schemas known to be valid; it panics otherwise.
func MustCompile(raw string) *Schema {
	s, err := Compile([]byte(raw))
	if err != nil {
		panic(err)
	}
	return s
}

func isJSONSchema(o *jsonx.Object) bool {
	if t, _ := o.Get("type"); t == "object" {
		return true
	}
	for _, k := range []string{"anyOf", "allOf", "oneOf"} {
		if _, ok := o.Get(k); ok {
			return true
		}
	}
	return false
}

func newCompiler() *jsonschema.Compiler {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	c.AssertFormat()
	c.UseRegexpEngine(ecmaRegexp)
	c.UseLoader(noLoader{})
	return c
}

// noLoader refuses every external reference: schemas are self-contained.
type noLoader struct{}

func (noLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("external schema references are not loaded: %s", url)
}

// ecmaRegexp compiles "pattern" keywords as Ajv does, with JavaScript
// semantics (look-ahead included), and a time limit against runaway
// backtracking.
func ecmaRegexp(s string) (jsonschema.Regexp, error) {
	re, err := regexp2.Compile(s, regexp2.ECMAScript)
	if err != nil {
		// Some valid JavaScript patterns are rejected in ECMAScript mode;
		// the default syntax is a superset.
		if re, err = regexp2.Compile(s, regexp2.None); err != nil {
			return nil, err
		}
	}
	re.MatchTimeout = 100 * time.Millisecond
	return jsRegexp{re}, nil
}

type jsRegexp struct{ re *regexp2.Regexp }

func (r jsRegexp) String() string { return r.re.String() }

func (r jsRegexp) MatchString(s string) bool {
	ok, err := r.re.MatchString(s)
	return ok && err == nil
}

// compileIfs compiles every "if" subschema on its own, so that the default
// filling pass can choose between "then" and "else" as Ajv does, and the
// patternProperties that decide which properties are additional.
func (s *Schema) compileIfs(c *jsonschema.Compiler, url, ptr string, node any) error {
	switch n := node.(type) {
	case *jsonx.Object:
		if _, ok := n.Get("if"); ok {
			sub, err := c.Compile(url + "#" + ptr + "/if")
			if err != nil {
				return fmt.Errorf("schema: %w", err)
			}
			s.ifs[n] = sub
		}
		if pp, ok := n.Get("patternProperties"); ok {
			if ppo, ok := pp.(*jsonx.Object); ok {
				for _, m := range ppo.Members {
					re, err := regexp2.Compile(m.Key, regexp2.ECMAScript)
					if err != nil {
						return fmt.Errorf("schema: patternProperties %q: %w", m.Key, err)
					}
					s.patterns[n] = append(s.patterns[n], re)
				}
			}
		}
		for _, m := range n.Members {
			if err := s.compileIfs(c, url, ptr+"/"+escapePointer(m.Key), m.Value); err != nil {
				return err
			}
		}
	case []any:
		for i, e := range n {
			if err := s.compileIfs(c, url, ptr+"/"+strconv.Itoa(i), e); err != nil {
				return err
			}
		}
	}
	return nil
}

// ajvKeywords rewrites keywords that Ajv supports beyond the JSON Schema
// specification into standard ones: "nullable": true on a single type
// allows null.
func ajvKeywords(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = ajvKeywords(e)
		}
		if t["nullable"] == true {
			if typ, ok := t["type"].(string); ok {
				t["type"] = []any{typ, "null"}
			}
		}
		return t
	case []any:
		for i, e := range t {
			t[i] = ajvKeywords(e)
		}
		return t
	default:
		return v
	}
}

// JSON returns the schema's compact JSON text, keys in the authored order.
func (s *Schema) JSON() json.RawMessage { return s.raw }

// Doc returns the schema as ordered values; callers must not modify it.
func (s *Schema) Doc() any { return s.doc }

// Validate checks v (an ordered value, see package jsonx) and returns a copy
// with defaults filled in and disallowed additional properties removed. On
// failure it returns the first error Ajv would report.
func (s *Schema) Validate(v any) (any, *Error) {
	out := jsonx.Clone(v)
	s.prepare(s.doc, out, false, 0)
	err := s.compiled.Validate(jsonx.Plain(out))
	if err == nil {
		return out, nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return nil, &Error{Path: "", Message: err.Error()}
	}
	return nil, s.firstError(ve)
}

func escapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

func unescapePointer(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}

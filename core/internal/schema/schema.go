// Package schema compiles JSON Schemas and validates values against them
// as Novu's SDK does with Ajv 8 (options useDefaults, removeAdditional
// "failing" and strict off, with ajv-formats): defaults are filled in,
// properties that "additionalProperties" rejects are removed rather than
// reported, and the one error reported is the first Ajv would report,
// worded as Ajv words it.
//
// The validator is the package's own: Compile turns a draft-07 schema into
// a tree of keyword checks in Ajv's order, and Validate walks the value and
// that tree once, writing defaults and removing properties where Ajv does.
// Nothing is prepared at package initialisation; regular expressions of
// formats are compiled on first use.
package schema

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"

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
	raw  []byte // compact JSON, keys in authored order
	doc  any    // raw decoded as ordered values
	root *node
	// writes is set when validating can change a value (see writes).
	writes bool
}

// Compile compiles a draft-07 schema. A schema must be an object schema,
// or combine schemas with anyOf, allOf or oneOf, as Novu requires. Schemas
// Ajv refuses to compile are refused: ones that do not conform to the
// draft-07 meta-schema, patterns JavaScript rejects, and references that
// resolve to nothing (other documents are never loaded) or only to each
// other.
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
	if err := checkMetaSchema(obj); err != nil {
		return nil, err
	}
	if err := checkMeta(obj, ""); err != nil {
		return nil, err
	}
	root, err := compileDoc(obj)
	if err != nil {
		return nil, err
	}
	return &Schema{raw: jsonx.Marshal(doc), doc: doc, root: root, writes: writes(root)}, nil
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

// isJSONSchema is the SDK's test for a JSON Schema: "type": "object", or
// a truthy anyOf, allOf or oneOf.
func isJSONSchema(o *jsonx.Object) bool {
	if t, _ := o.Get("type"); t == "object" {
		return true
	}
	for _, k := range []string{"anyOf", "allOf", "oneOf"} {
		if v, ok := o.Get(k); ok && jsonx.Truthy(v) {
			return true
		}
	}
	return false
}

// JSON returns the schema's compact JSON text, keys in the authored order.
func (s *Schema) JSON() json.RawMessage { return s.raw }

// Doc returns the schema as ordered values; callers must not modify it.
func (s *Schema) Doc() any { return s.doc }

// Validate checks v (an ordered value, see package jsonx) and returns it
// with defaults filled in and disallowed additional properties removed: a
// copy when it needs either, v itself otherwise. On failure it returns the
// errors Ajv would report: with allErrors off, one error, or for a failing
// anyOf, oneOf or if/then/else the errors of its subschemas followed by its
// own. v is not modified.
// Where references apply a schema to the same value without end, Ajv
// overflows its stack; Validate stops and reports that they recurse.
func (s *Schema) Validate(v any) (any, []Error) {
	if !s.writes {
		return s.ValidateInPlace(v)
	}
	// Most values need no default and hold no property to remove: a first
	// pass that changes nothing finds out. Until a change is needed it
	// does all a validation does, so its answer stands when none is.
	if data, errs, wrote := s.validate(v, true); !wrote {
		return data, errs
	}
	return s.ValidateInPlace(jsonx.Clone(v))
}

// ValidateInPlace is Validate for a value the caller hands over: defaults
// are written into v and properties removed from it, even when it turns out
// invalid, and the value returned may share its parts.
func (s *Schema) ValidateInPlace(v any) (any, []Error) {
	data, errs, _ := s.validate(v, false)
	return data, errs
}

// validate validates v; a dry pass changes nothing and reports whether the
// value needed a change, in which case its answer does not count.
func (s *Schema) validate(v any, dry bool) (_ any, _ []Error, wrote bool) {
	val := validators.Get().(*validator)
	defer val.release()
	val.dry = dry
	data, ok := val.eval(s.root, v, mode{})
	if val.wrote {
		return nil, nil, true
	}
	if val.overflow {
		return nil, []Error{errTooDeep}, false
	}
	if !ok {
		if errs := val.reportedErrors(); len(errs) > 0 {
			return nil, errs, false
		}
		return nil, []Error{{Message: "must be valid"}}, false
	}
	if val.holes {
		data = fillHoles(data)
	}
	return data, nil, false
}

package schema

import (
	"fmt"
	"math"
	"strings"

	"github.com/echofn/echofn/core/internal/jsonx"
)

// Ajv validates every schema against the draft-07 meta-schema before
// compiling it and refuses one that does not conform. checkMeta holds a
// schema to the same rules, keyword by keyword. Ajv compiles the
// meta-schema before ajv-formats adds its formats, so the formats it names
// ("uri-reference", "regex") are not checked.

type metaError struct{ path, msg string }

func (e *metaError) Error() string {
	return "schema: schema is invalid: data" + e.path + " " + e.msg
}

func metaFail(path, msg string) error { return &metaError{path, msg} }

// checkMeta checks the schema v found at path (a JSON pointer).
func checkMeta(v any, path string) error {
	switch s := v.(type) {
	case bool:
		return nil
	case *jsonx.Object:
		for _, m := range s.Members {
			if err := checkKeyword(m.Key, m.Value, path+"/"+m.Key); err != nil {
				return err
			}
		}
		return nil
	}
	return metaFail(path, "must be object,boolean")
}

func checkKeyword(k string, v any, path string) error {
	switch k {
	case "$id", "$ref", "$schema", "pattern", "$comment", "title", "description", "format", "contentMediaType", "contentEncoding":
		if _, ok := v.(string); !ok {
			return metaFail(path, "must be string")
		}
	case "readOnly", "uniqueItems":
		if _, ok := v.(bool); !ok {
			return metaFail(path, "must be boolean")
		}
	case "examples":
		if _, ok := v.([]any); !ok {
			return metaFail(path, "must be array")
		}
	case "multipleOf":
		if f, ok := metaNumber(v); !ok {
			return metaFail(path, "must be number")
		} else if f <= 0 {
			return metaFail(path, "must be > 0")
		}
	case "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum":
		if _, ok := metaNumber(v); !ok {
			return metaFail(path, "must be number")
		}
	case "maxLength", "minLength", "maxItems", "minItems", "maxProperties", "minProperties":
		f, ok := metaNumber(v)
		if !ok || f != math.Trunc(f) {
			return metaFail(path, "must be integer")
		}
		if f < 0 {
			return metaFail(path, "must be >= 0")
		}
	case "additionalItems", "contains", "additionalProperties", "propertyNames", "if", "then", "else", "not":
		return checkMeta(v, path)
	case "items":
		if list, ok := v.([]any); ok {
			return metaSchemaArray(list, path)
		}
		return checkMeta(v, path)
	case "allOf", "anyOf", "oneOf":
		list, ok := v.([]any)
		if !ok {
			return metaFail(path, "must be array")
		}
		return metaSchemaArray(list, path)
	case "required":
		return metaStringArray(v, path)
	case "definitions", "properties", "patternProperties", "dependencies":
		return metaSchemaMap(k, v, path)
	case "enum":
		list, ok := v.([]any)
		if !ok {
			return metaFail(path, "must be array")
		}
		if len(list) == 0 {
			return metaFail(path, "must NOT have fewer than 1 items")
		}
		return metaUnique(list, path)
	case "type":
		return metaType(v, path)
	}
	return nil
}

func metaNumber(v any) (float64, bool) {
	f, ok := toFloat(v)
	return f, ok && !math.IsInf(f, 0)
}

func metaSchemaArray(list []any, path string) error {
	if len(list) == 0 {
		return metaFail(path, "must NOT have fewer than 1 items")
	}
	for i, e := range list {
		if err := checkMeta(e, fmt.Sprintf("%s/%d", path, i)); err != nil {
			return err
		}
	}
	return nil
}

func metaStringArray(v any, path string) error {
	list, ok := v.([]any)
	if !ok {
		return metaFail(path, "must be array")
	}
	for i, e := range list {
		if _, ok := e.(string); !ok {
			return metaFail(fmt.Sprintf("%s/%d", path, i), "must be string")
		}
	}
	return metaUnique(list, path)
}

func metaUnique(list []any, path string) error {
	for i := len(list) - 1; i > 0; i-- {
		for j := i - 1; j >= 0; j-- {
			if jsEqual(list[i], list[j]) {
				return metaFail(path, "must NOT have duplicate items")
			}
		}
	}
	return nil
}

func metaSchemaMap(k string, v any, path string) error {
	o, ok := v.(*jsonx.Object)
	if !ok {
		return metaFail(path, "must be object")
	}
	for _, m := range o.Members {
		sub := path + "/" + m.Key
		if k == "dependencies" {
			if _, isList := m.Value.([]any); isList {
				if err := metaStringArray(m.Value, sub); err != nil {
					return err
				}
				continue
			}
		}
		if err := checkMeta(m.Value, sub); err != nil {
			return err
		}
	}
	return nil
}

func metaType(v any, path string) error {
	simple := func(e any) bool {
		s, ok := e.(string)
		_, known := typeNamed(s)
		return ok && known
	}
	if simple(v) {
		return nil
	}
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		return metaFail(path, "must match a schema in anyOf")
	}
	for _, e := range list {
		if !simple(e) {
			return metaFail(path, "must match a schema in anyOf")
		}
	}
	return metaUnique(list, path)
}

// checkMetaSchema checks "$schema" at the root: Ajv knows draft-07 only.
func checkMetaSchema(root *jsonx.Object) error {
	v, ok := root.Get("$schema")
	if !ok {
		return nil
	}
	s, isStr := v.(string)
	if !isStr {
		return fmt.Errorf("schema: $schema must be a string")
	}
	switch strings.TrimSuffix(s, "#") {
	case "http://json-schema.org/draft-07/schema", "http://json-schema.org/schema", "":
		return nil
	}
	return fmt.Errorf("schema: no schema with key or ref %q", s)
}

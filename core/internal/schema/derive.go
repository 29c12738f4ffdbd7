package schema

import (
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/invopop/jsonschema"
)

// reflector derives schemas from Go types with github.com/invopop/jsonschema:
// field names from `json` tags, constraints from `jsonschema` tags
// (required, enum=a, default=x, description=..., minLength=1, format=uri, ...).
// Only fields tagged "required" are required; structs allow no undeclared
// properties, and nested types are inlined rather than referenced.
var reflector = &jsonschema.Reflector{
	DoNotReference:             true,
	ExpandedStruct:             true,
	RequiredFromJSONSchemaTags: true,
	Anonymous:                  true,
}

// For returns the JSON Schema of t, a struct or map type, compact and without
// "$schema" or "$id" so that Novu reads it as draft-07. The empty struct gives
// Default.
func For(t reflect.Type) ([]byte, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Struct && t.NumField() == 0 {
		return []byte(Default), nil
	}
	if t.Kind() != reflect.Struct && t.Kind() != reflect.Map {
		return nil, fmt.Errorf("schema: %s is not a struct or map type", t)
	}
	s := reflector.ReflectFromType(t)
	s.Version = ""
	s.ID = ""
	return json.Marshal(s)
}

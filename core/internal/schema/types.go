package schema

import (
	"encoding/json"
	"math"

	"github.com/echofn/echofn/core/internal/jsonx"
)

// typeSet is a set of JSON Schema types.
type typeSet uint8

const (
	tNull typeSet = 1 << iota
	tBoolean
	tNumber
	tInteger
	tString
	tArray
	tObject
)

func typeNamed(name string) (typeSet, bool) {
	switch name {
	case "null":
		return tNull, true
	case "boolean":
		return tBoolean, true
	case "number":
		return tNumber, true
	case "integer":
		return tInteger, true
	case "string":
		return tString, true
	case "array":
		return tArray, true
	case "object":
		return tObject, true
	}
	return 0, false
}

// typeGroup is the group of keywords of a type; integers, booleans and null
// have none.
func typeGroup(t typeSet) group {
	switch t {
	case tNumber:
		return groupNumber
	case tString:
		return groupString
	case tArray:
		return groupArray
	case tObject:
		return groupObject
	}
	return groupNone
}

// typesOf is the set of types v has, as Ajv checks them.
func typesOf(v any) typeSet {
	switch t := v.(type) {
	case nil:
		return tNull
	case bool:
		return tBoolean
	case string:
		return tString
	case []any:
		return tArray
	case *jsonx.Object:
		if t == nil {
			return tNull
		}
		return tObject
	case json.Number, float64, int, int64:
		// With strict off, Ajv does not require numbers to be finite:
		// Infinity (what JSON.parse makes of 1e400) is a number and an
		// integer.
		f, _ := toFloat(v)
		if math.IsInf(f, 0) || f == math.Trunc(f) {
			return tNumber | tInteger
		}
		return tNumber
	}
	return 0
}

// hasType reports whether v has one of types.
func hasType(types []typeSet, v any) bool {
	have := typesOf(v)
	for _, t := range types {
		if have&t != 0 {
			return true
		}
	}
	return false
}

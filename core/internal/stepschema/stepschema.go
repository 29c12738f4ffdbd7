// Package stepschema holds the output and result schemas Novu defines for
// each step type, and the output schemas of its delivery providers, as the
// SDK's discover output publishes them (schemas.json).
package stepschema

import (
	_ "embed"
	"encoding/json"
	"sync"
)

//go:embed schemas.json
var data []byte

type table struct {
	Steps     map[string]map[string]json.RawMessage `json:"steps"`
	Providers map[string]map[string]json.RawMessage `json:"providers"`
}

var load = sync.OnceValue(func() table {
	var t table
	if err := json.Unmarshal(data, &t); err != nil {
		panic("stepschema: " + err.Error())
	}
	return t
})

// Step returns the outputs and results schemas of a step type. It panics for
// custom and http_request, whose schemas are the developer's, and for
// unknown types.
func Step(typ string) (outputs, results string) {
	s, ok := load().Steps[typ]
	if !ok {
		panic("stepschema: no schema for step type " + typ)
	}
	return string(s["outputs"]), string(s["results"])
}

// Provider returns the output schema of a provider of a channel.
func Provider(channel, id string) (string, bool) {
	s, ok := load().Providers[channel][id]
	return string(s), ok
}

// Package stepschema holds the output and result schemas Novu defines for
// each step type, and the output schemas of its delivery providers, as the
// SDK's discover output publishes them (schemas.json).
//
// The schemas are compiled into the program as constants (tables.go,
// generated from schemas.json), so that nothing is parsed at start-up.
package stepschema

//go:generate go run gen.go

// Step returns the outputs and results schemas of a step type. It panics for
// custom and http_request, whose schemas are the developer's, and for
// unknown types.
func Step(typ string) (outputs, results string) {
	outputs, results, ok := stepSchemas(typ)
	if !ok {
		panic("stepschema: no schema for step type " + typ)
	}
	return outputs, results
}

// Provider returns the output schema of a provider of a channel.
func Provider(channel, id string) (string, bool) {
	return providerSchema(channel, id)
}

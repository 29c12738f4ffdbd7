// Package testflows holds the workflows that the Cloudflare worker serves
// in tests: the conformance workflows, plus three of one step each whose
// resolvers sleep, outlive their timeout (so that the tests cover requests
// that leave Go waiting for JavaScript timers), or crash the Go program.
package testflows

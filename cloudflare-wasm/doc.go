// Package cloudflare serves a core.Bridge from a Cloudflare Worker, with Go
// compiled to WebAssembly (GOOS=js GOARCH=wasm).
//
// The Go program starts once per Workers isolate and stays up: its main
// function builds the bridge and calls Serve (or Main, which does both),
// which hands a request handler to the worker module (worker.mjs) and
// never returns. The worker module then passes each request to that
// handler, one at a time (see README.md for why), and turns the answer into
// a Response:
//
//	func main() {
//		cloudflare.Main(myWorkflows()...)
//	}
//
// The worker's string bindings (vars and secrets such as NOVU_SECRET_KEY,
// set with `wrangler secret put NOVU_SECRET_KEY`) are the Go program's
// environment, so Config and core.ConfigFromEnv read them as usual.
//
// Serve, ServeError and Main exist only in js/wasm builds. The conversion
// of requests and answers between the worker module and core is plain Go
// (no syscall/js) and is tested on the host.
package cloudflare

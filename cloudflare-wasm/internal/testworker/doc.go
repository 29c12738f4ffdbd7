//go:build js && wasm

// Command testworker is the Cloudflare worker that the tests run under
// workerd: the test workflows (package testflows) behind package
// cloudflare.
package main

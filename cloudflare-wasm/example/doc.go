//go:build js && wasm

// Command example is a Novu bridge for Cloudflare Workers: copy it, replace
// the workflow with yours, and build it with build.sh.
package main

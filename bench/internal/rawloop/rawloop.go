// Package rawloop serves a bridge on a bare epoll loop in one goroutine,
// with no HTTP library and no goroutine per connection: it reads what the
// benchmarks send (a request line, header fields, a body of known length)
// and writes the bridge's answer with a Content-Length. What the bridge
// costs there, against `echofn serve` on fasthttp, is what any lighter
// transport could save; with Options.Canned, what a request costs there
// is the least any Go server can cost on this machine (the kernel's
// loopback and a system call to read and one to write).
//
// It is a measuring instrument, never a server to deploy: it reads no
// chunked body, keeps no deadline, and answers one request at a time, so
// a step that blocks holds up every connection.
package rawloop

import (
	"context"

	"github.com/echofn/echofn/core"
)

// Handler answers a request: a core.Bridge's Handle.
type Handler func(context.Context, *core.Request) *core.Response

// Options choose how Serve reads and answers.
type Options struct {
	// Batched reads every connection epoll reports ready, then answers
	// every request read, then writes every answer: the bridge's code runs
	// back to back, not between the kernel's reads and writes. Without it,
	// each connection is read, answered and written in turn.
	Batched bool
	// Canned answers each method and query with a copy of the first 200
	// answer the handler gave to it, as package floor does: once it has an
	// answer, it checks no signature and looks at no body.
	Canned bool
}

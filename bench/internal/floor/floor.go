// Package floor serves a bridge's answers without the bridge's work:
// requests go to the bridge until it answers a method and query with 200
// OK, and every later request with that method and query gets a copy of
// that answer, over the same fasthttp server and connection handling as
// `echofn serve`. What a request costs there is the least any bridge on
// this HTTP stack can cost on this machine (the kernel's loopback,
// fasthttp's parsing and writing); the difference to `echofn serve` is the
// bridge's own work.
//
// It is a measuring instrument, never a server to deploy: once it has an
// answer for a method and query, it checks no signature and looks at no
// body.
package floor

import (
	"sync"

	"github.com/valyala/fasthttp"
)

// answer is a copy of a response fasthttp wrote for the bridge.
type answer struct {
	status int
	header [][2][]byte
	body   []byte
}

// Handler returns a handler that answers each method and query as next
// (the bridge's handler, from fasthttpadapter.Handler) first answered it
// with 200 OK; until then, requests go to next. Later requests are read as
// fasthttp reads every request, body included, and go no further.
func Handler(next fasthttp.RequestHandler) fasthttp.RequestHandler {
	var mu sync.RWMutex
	answers := map[string]*answer{}
	return func(ctx *fasthttp.RequestCtx) {
		var buf [256]byte
		key := append(append(append(buf[:0], ctx.Method()...), ' '), ctx.URI().QueryString()...)
		_ = ctx.PostBody()
		mu.RLock()
		a := answers[string(key)]
		mu.RUnlock()
		if a == nil {
			next(ctx)
			if ctx.Response.StatusCode() == fasthttp.StatusOK {
				a = record(&ctx.Response)
				mu.Lock()
				answers[string(key)] = a
				mu.Unlock()
			}
			return
		}
		ctx.SetStatusCode(a.status)
		for _, f := range a.header {
			ctx.Response.Header.SetCanonical(f[0], f[1])
		}
		ctx.SetBody(a.body)
	}
}

// record copies r's status, header fields and body.
func record(r *fasthttp.Response) *answer {
	a := &answer{status: r.StatusCode(), body: append([]byte(nil), r.Body()...)}
	for k, v := range r.Header.All() {
		a.header = append(a.header, [2][]byte{append([]byte(nil), k...), append([]byte(nil), v...)})
	}
	return a
}

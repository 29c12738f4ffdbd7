// Package fasthttpadapter serves a core.Bridge with
// github.com/valyala/fasthttp, an HTTP/1.1 server that does far less work
// per request than net/http. `echofn serve` runs on it.
//
//	bridge, err := core.New(core.ConfigFromEnv(), workflows...)
//	...
//	srv := &fasthttp.Server{
//		Handler:            fasthttpadapter.Handler(bridge),
//		ErrorHandler:       fasthttpadapter.ErrorHandler(bridge),
//		StreamRequestBody:  true,
//		MaxRequestBodySize: core.SmallBodyBytes,
//	}
//	ln, err := net.Listen("tcp", ":4000")
//	...
//	srv.Serve(fasthttpadapter.Listener(ln))
//
// The answers are those of core/nethttp: the same statuses, headers and
// bodies for the same requests. Handler answers on every path; route
// before it when the bridge shares a server.
package fasthttpadapter

import (
	"errors"
	"io"
	"net"
	"net/http"
	"sync"

	"github.com/valyala/fasthttp"

	"github.com/echofn/echofn/core"
)

// Handler returns a fasthttp.RequestHandler that passes every request to
// b. The body is passed to b as fasthttp holds it, without a copy: core
// keeps nothing of it after Handle returns.
//
// On a server with StreamRequestBody set and MaxRequestBodySize at
// core.SmallBodyBytes, as `echofn serve` runs, fasthttp reads small bodies
// with their header as usual, and Handler reads larger ones itself with
// b.ReadRequestBody: only when the bridge has room for them, answering 503
// otherwise, and 413 without reading one longer than b.MaxBodyBytes().
// Without StreamRequestBody, fasthttp reads every body up to its
// MaxRequestBodySize before Handler runs, however many arrive at once.
//
// A request's context is cancelled, with cause ErrClientGone, when its
// client closes the connection before the answer is ready, as net/http
// cancels its requests' contexts; a server shutting down lets requests in
// flight finish. The bridge's step timeout bounds every request.
func Handler(b *core.Bridge) fasthttp.RequestHandler {
	common := b.Headers()
	fields := canonical(common)
	peers := &peerWatch{}
	return func(ctx *fasthttp.RequestCtx) {
		req := request(ctx)
		var held heldBody
		if ctx.Request.IsBodyStream() {
			var refused *core.Response
			if held, refused = readStream(ctx, b, req); refused != nil {
				Write(ctx, refused)
				return
			}
		} else {
			req.Body = ctx.PostBody()
		}
		rctx, cancel, watch, own := requestContext(ctx.Conn())
		slot := peers.add(watch, cancel)
		resp := b.Handle(rctx, req)
		peers.remove(slot)
		if own {
			cancel(nil)
		}
		held.release()
		if sameFields(resp.Header, common) {
			write(ctx, resp, fields)
		} else {
			Write(ctx, resp)
		}
	}
}

// unreadableBody is the message of a body that broke off, as core gives it.
const unreadableBody = "Could not read the request body."

// smallBodies keeps the buffers that small streamed bodies are read into.
var smallBodies = sync.Pool{New: func() any { b := make([]byte, 0, 4<<10); return &b }}

// heldBody is what a streamed body holds until the bridge has answered: a
// buffer from smallBodies, or room reserved with the bridge.
type heldBody struct {
	small *[]byte
	room  func()
}

func (h heldBody) release() {
	if h.small != nil {
		smallBodies.Put(h.small)
	}
	if h.room != nil {
		h.room()
	}
}

// readStream reads the body fasthttp streams into req.Body, or returns the
// answer to a request whose body is refused (see core.Bridge.ReadRequestBody).
// A small body of known length is read into a kept buffer.
func readStream(ctx *fasthttp.RequestCtx, b *core.Bridge, req *core.Request) (heldBody, *core.Response) {
	n := int64(ctx.Request.Header.ContentLength()) // -1: chunked
	buf := smallBodies.Get().(*[]byte)
	if n <= core.SmallBodyBytes && int64(cap(*buf)) < n {
		*buf = make([]byte, 0, n)
	}
	req.Body = (*buf)[:0]
	release, refused := b.ReadRequestBody(req, ctx.RequestBodyStream(), n)
	if refused != nil {
		smallBodies.Put(buf)
		return heldBody{}, refused
	}
	return heldBody{small: buf, room: release}, nil
}

// ErrorHandler returns the function for fasthttp.Server.ErrorHandler that
// answers requests fasthttp could not read as core/nethttp's server does:
// a body over the server's MaxRequestBodySize gets the bridge's 413, a
// body that breaks off or a chunk that does not end where its size says
// the bridge's 400, a header block over its ReadBufferSize 431, a request
// that timed out 408, and anything else that is not HTTP a plain 400.
// fasthttp has cleared the request by then, so the bridge logs these
// without the request's method and query.
func ErrorHandler(b *core.Bridge) func(ctx *fasthttp.RequestCtx, err error) {
	return func(ctx *fasthttp.RequestCtx, err error) {
		var small *fasthttp.ErrSmallBuffer
		var chunk fasthttp.ErrBrokenChunk
		var netErr net.Error
		switch {
		case errors.Is(err, fasthttp.ErrBodyTooLarge):
			Write(ctx, b.HandleOversized(request(ctx)))
		case errors.As(err, &chunk), errors.Is(err, io.ErrUnexpectedEOF):
			Write(ctx, b.HandleBadRequest(request(ctx), unreadableBody))
		case errors.As(err, &small):
			ctx.Error("431 Request Header Fields Too Large", fasthttp.StatusRequestHeaderFieldsTooLarge)
		case errors.As(err, &netErr) && netErr.Timeout():
			ctx.Error("408 Request Timeout", fasthttp.StatusRequestTimeout)
		default:
			ctx.Error("400 Bad Request", fasthttp.StatusBadRequest)
		}
	}
}

// request is ctx's method, query and headers as core sees them. The query
// goes raw: core reads it as net/url parses it, so that both adapters see
// the same names and values.
func request(ctx *fasthttp.RequestCtx) *core.Request {
	h := &ctx.Request.Header
	return &core.Request{
		Method:   method(h.Method()),
		RawQuery: string(ctx.URI().QueryString()),
		Header:   func(name string) string { return string(h.Peek(name)) },
	}
}

// method is m as a string, without an allocation for the methods Novu
// sends.
func method(m []byte) string {
	switch string(m) {
	case "GET":
		return "GET"
	case "POST":
		return "POST"
	case "OPTIONS":
		return "OPTIONS"
	}
	return string(m)
}

// Write copies a core.Response to ctx.
func Write(ctx *fasthttp.RequestCtx, resp *core.Response) {
	write(ctx, resp, canonical(resp.Header))
}

// field is a header field with its name in canonical form, both as bytes.
type field struct{ name, value []byte }

func canonical(fields []core.Field) []field {
	out := make([]field, len(fields))
	for i, f := range fields {
		out[i] = field{[]byte(http.CanonicalHeaderKey(f.Name)), []byte(f.Value)}
	}
	return out
}

// write copies resp to ctx, fields being its header in canonical form.
func write(ctx *fasthttp.RequestCtx, resp *core.Response, fields []field) {
	ctx.SetStatusCode(resp.Status)
	for _, f := range fields {
		ctx.Response.Header.SetCanonical(f.name, f.value)
	}
	ctx.SetBody(resp.Body)
}

// sameFields reports whether a and b are the same slice.
func sameFields(a, b []core.Field) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

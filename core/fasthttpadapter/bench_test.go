package fasthttpadapter_test

import (
	"net"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/echofn/echofn/core/fasthttpadapter"
	"github.com/echofn/echofn/core/signature"
	"github.com/echofn/echofn/internal/conformance"
)

// BenchmarkHandler is the adapter's and core's work for one signed email
// execute, without the network: fasthttp's request context is reused as
// its server reuses it.
func BenchmarkHandler(b *testing.B) {
	h := fasthttpadapter.Handler(newBridge(b))
	var ctx fasthttp.RequestCtx
	addr := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 4000}
	sig := signature.Sign(conformance.Secret, time.Now(), []byte(executeBody))
	var req fasthttp.Request
	req.Header.SetMethod("POST")
	req.SetRequestURI(execute)
	req.Header.Set(signature.Header, sig)
	req.Header.SetContentType("application/json")
	req.SetBodyString(executeBody)
	b.ReportAllocs()
	for b.Loop() {
		ctx.Init(&req, addr, nil) // copies req
		h(&ctx)
		if ctx.Response.StatusCode() != 200 {
			b.Fatalf("%d %s", ctx.Response.StatusCode(), ctx.Response.Body())
		}
	}
}

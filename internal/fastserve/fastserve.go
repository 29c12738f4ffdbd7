// Package fastserve sets up the fasthttp server of `echofn serve`: the
// limits and timeouts of a bridge on the open internet, with the bridge's
// own answers when a request breaks them. The command and the benchmarks'
// instruments that must match it share it.
package fastserve

import (
	"time"

	"github.com/valyala/fasthttp"

	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/core/fasthttpadapter"
)

// Limits and timeouts. Novu gives a bridge 5 seconds per call and sends
// small bodies from its data centres, so nothing legitimate comes near
// them.
const (
	// ReadTimeout bounds reading one whole request, header and body.
	ReadTimeout = 10 * time.Second
	// WriteTimeout leaves room for a step that runs up to its timeout.
	WriteTimeout = 30 * time.Second
	// IdleTimeout is how long a keep-alive connection may wait for its
	// next request: longer than load balancers keep theirs.
	IdleTimeout = 120 * time.Second
	// MaxHeaderBytes bounds a request's header block (431 beyond).
	MaxHeaderBytes = 64 << 10
	// MaxConns bounds the connections served at once: one more is answered
	// 503 and closed. A connection costs the server from about 12 KiB
	// (sending its header slowly) to 27 KiB (idle after an execute), so
	// connections alone stay under about 135 MiB.
	MaxConns = 5000
)

// New returns a server that passes every request to h, answers what it
// cannot read as b does (fasthttpadapter.ErrorHandler), and logs
// fasthttp's own messages to logger (nil: fasthttp's default). Serve it
// through fasthttpadapter.Listener.
//
// It reads a body of up to core.SmallBodyBytes with its header, and
// streams a larger one to h, which reads it or not: so that a flood of
// large bodies cannot take more memory than the bridge allows them
// (core.Config.MaxBodyBytesInFlight). fasthttpadapter.Handler reads them
// under that bound, refusing those over b's limit with 413; ReadTimeout
// bounds the reading of the whole request, streamed body included.
func New(b *core.Bridge, h fasthttp.RequestHandler, logger fasthttp.Logger) *fasthttp.Server {
	return &fasthttp.Server{
		Handler:                      h,
		ErrorHandler:                 fasthttpadapter.ErrorHandler(b),
		ReadTimeout:                  ReadTimeout,
		WriteTimeout:                 WriteTimeout,
		IdleTimeout:                  IdleTimeout,
		Concurrency:                  MaxConns,
		ReadBufferSize:               MaxHeaderBytes,
		MaxRequestBodySize:           core.SmallBodyBytes,
		StreamRequestBody:            true,
		NoDefaultServerHeader:        true,
		NoDefaultContentType:         true,
		DisablePreParseMultipartForm: true,
		SecureErrorLogMessage:        true,
		CloseOnShutdown:              true,
		// A connection's goroutine waits this long for another connection
		// once its own has closed, instead of fasthttp's 10 s.
		MaxIdleWorkerDuration: time.Second,
		Logger:                logger,
	}
}

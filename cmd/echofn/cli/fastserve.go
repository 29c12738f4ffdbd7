package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/core/fasthttpadapter"
	"github.com/echofn/echofn/internal/rawquery"
)

// requestReadTimeout bounds reading one whole request, header and body, on
// serve's server. Novu's calls are small and come from its data centres.
const requestReadTimeout = 10 * time.Second

// fastServer is serve's HTTP/1.1 server: fasthttp, which costs a fraction
// of net/http's CPU time per request, with the bridge at one route.
type fastServer struct {
	*fasthttp.Server

	mu    sync.Mutex
	conns map[net.Conn]struct{}
}

// newFastServer returns a server for bridge at route with the limits and
// timeouts of a bridge on the open internet: a 64 KiB header block, the
// bridge's body limit, and the bridge's own answers when either is
// exceeded.
func newFastServer(bridge *core.Bridge, route string, accessLog bool, logger *slog.Logger) *fastServer {
	serveBridge := fasthttpadapter.Handler(bridge)
	h := func(ctx *fasthttp.RequestCtx) {
		if string(ctx.Path()) != route {
			notFound(ctx)
			return
		}
		serveBridge(ctx)
	}
	if accessLog {
		h = logFastRequests(logger, h)
	}
	s := &fastServer{conns: map[net.Conn]struct{}{}}
	s.Server = &fasthttp.Server{
		Handler:                      h,
		ErrorHandler:                 fasthttpadapter.ErrorHandler(bridge),
		ReadTimeout:                  requestReadTimeout,
		WriteTimeout:                 writeTimeout,
		IdleTimeout:                  idleTimeout,
		ReadBufferSize:               maxHeaderBytes,
		MaxRequestBodySize:           int(bridge.MaxBodyBytes()),
		NoDefaultServerHeader:        true,
		NoDefaultContentType:         true,
		DisablePreParseMultipartForm: true,
		SecureErrorLogMessage:        true,
		CloseOnShutdown:              true,
		Logger:                       fastLogger{logger},
		ConnState:                    s.track,
	}
	return s
}

// track keeps the open connections, for Close.
func (s *fastServer) track(c net.Conn, state fasthttp.ConnState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch state {
	case fasthttp.StateNew:
		s.conns[c] = struct{}{}
	case fasthttp.StateClosed, fasthttp.StateHijacked:
		delete(s.conns, c)
	}
}

// Shutdown stops accepting connections, closes idle ones and waits, at most
// until ctx is done, for the others to finish their requests.
func (s *fastServer) Shutdown(ctx context.Context) error { return s.ShutdownWithContext(ctx) }

// Close closes every open connection.
func (s *fastServer) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		_ = c.Close()
	}
	return nil
}

// notFound answers as net/http's NotFound does.
func notFound(ctx *fasthttp.RequestCtx) {
	ctx.Response.Header.Set("X-Content-Type-Options", "nosniff")
	ctx.Error("404 page not found\n", fasthttp.StatusNotFound)
}

// logFastRequests logs one line per request, as logRequests does.
func logFastRequests(logger *slog.Logger, next fasthttp.RequestHandler) fasthttp.RequestHandler {
	return func(ctx *fasthttp.RequestCtx) {
		start := time.Now()
		next(ctx)
		attrs := make([]slog.Attr, 0, 7)
		attrs = append(attrs, slog.String("method", string(ctx.Method())), slog.String("path", string(ctx.Path())),
			slog.Int("status", ctx.Response.StatusCode()),
			slog.Float64("ms", float64(time.Since(start).Microseconds())/1000))
		if q := ctx.URI().QueryString(); len(q) > 0 {
			raw := string(q)
			for _, k := range []string{"action", "workflowId", "stepId"} {
				if v := rawquery.Get(raw, k); v != "" {
					attrs = append(attrs, slog.String(k, v))
				}
			}
		}
		logger.LogAttrs(context.Background(), slog.LevelInfo, "request", attrs...)
	}
}

// fastLogger passes fasthttp's own messages (connections that failed, not
// requests) to the log as warnings. SecureErrorLogMessage keeps request
// headers and bodies out of them.
type fastLogger struct{ logger *slog.Logger }

func (l fastLogger) Printf(format string, args ...any) {
	l.logger.Warn(strings.TrimSpace(fmt.Sprintf(format, args...)))
}

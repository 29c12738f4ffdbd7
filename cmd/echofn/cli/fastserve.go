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
	"github.com/echofn/echofn/internal/fastserve"
)

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
// exceeded. access, when not nil, gets a line per request.
func newFastServer(bridge *core.Bridge, route string, access *accessLog, logger *slog.Logger) *fastServer {
	serveBridge := fasthttpadapter.Handler(bridge)
	h := func(ctx *fasthttp.RequestCtx) {
		if string(ctx.Path()) != route {
			notFound(ctx)
			return
		}
		serveBridge(ctx)
	}
	if access != nil {
		h = logFastRequests(access, h)
	}
	s := &fastServer{conns: map[net.Conn]struct{}{}}
	s.Server = fastserve.New(bridge, h, fastLogger{logger})
	s.ConnState = s.track
	return s
}

// track keeps the open connections, for Close. It is called on every
// request too (StateActive, StateIdle), which it ignores.
func (s *fastServer) track(c net.Conn, state fasthttp.ConnState) {
	switch state {
	case fasthttp.StateNew:
		s.mu.Lock()
		s.conns[c] = struct{}{}
		s.mu.Unlock()
	case fasthttp.StateClosed, fasthttp.StateHijacked:
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
	}
}

// Serve serves the connections ln accepts, through
// fasthttpadapter.Listener.
func (s *fastServer) Serve(ln net.Listener) error {
	return s.Server.Serve(fasthttpadapter.Listener(ln))
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

// logFastRequests writes one line per request to log: what was asked and
// the answer.
func logFastRequests(log *accessLog, next fasthttp.RequestHandler) fasthttp.RequestHandler {
	return func(ctx *fasthttp.RequestCtx) {
		next(ctx)
		now := time.Now()
		r := request{method: string(ctx.Method()), path: string(ctx.Path()),
			status: ctx.Response.StatusCode(), took: now.Sub(ctx.Time())} // Time: when fasthttp called the handler
		if q := ctx.URI().QueryString(); len(q) > 0 {
			r.fields = queryFields(string(q))
		}
		log.write(now, &r)
	}
}

// fastLogger passes fasthttp's own messages (connections that failed, not
// requests) to the log as warnings. SecureErrorLogMessage keeps request
// headers and bodies out of them.
type fastLogger struct{ logger *slog.Logger }

func (l fastLogger) Printf(format string, args ...any) {
	if strings.HasPrefix(format, concurrencyMessage) && len(args) == 1 {
		// fasthttp says this at most once a minute while it refuses
		// connections; it names its own setting, where serve has a flag.
		l.logger.Warn(fmt.Sprintf("refusing new connections with 503: %v are open, as many as --max-conns allows", args[0]))
		return
	}
	l.logger.Warn(strings.TrimSpace(fmt.Sprintf(format, args...)))
}

// concurrencyMessage begins what fasthttp logs when it refuses a
// connection over its Concurrency.
const concurrencyMessage = "The incoming connection cannot be served"

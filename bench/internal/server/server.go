// Package server serves a core.Bridge on net/http at /api/novu with the
// timeouts a bridge on the open internet needs, and shuts down gracefully.
package server

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/core/nethttp"
)

// Path is where the bridge is served.
const Path = "/api/novu"

// Timeouts of the HTTP server. WriteTimeout leaves room for a step that
// runs up to its step timeout.
const (
	ReadHeaderTimeout = 5 * time.Second
	ReadTimeout       = 30 * time.Second
	WriteTimeout      = 30 * time.Second
	IdleTimeout       = 120 * time.Second
	// MaxHeaderBytes is far above what Novu sends (a signature and a few
	// standard headers) and far below net/http's 1 MiB default.
	MaxHeaderBytes = 64 << 10
	// ShutdownTimeout bounds the wait for requests in flight on shutdown.
	ShutdownTimeout = 10 * time.Second
)

// New returns an http.Server serving h with the timeouts above.
func New(h http.Handler) *http.Server {
	mux := http.NewServeMux()
	mux.Handle(Path, h)
	return &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
	}
}

// Serve serves bridge on l until ctx is done, then stops accepting
// connections and waits up to ShutdownTimeout for requests in flight.
func Serve(ctx context.Context, l net.Listener, bridge *core.Bridge) error {
	srv := New(nethttp.Handler(bridge))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

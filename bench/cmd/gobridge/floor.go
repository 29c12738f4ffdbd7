package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/valyala/fasthttp"

	"github.com/echofn/echofn/bench/internal/floor"
	"github.com/echofn/echofn/bench/internal/server"
	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/core/fasthttpadapter"
	"github.com/echofn/echofn/internal/conformance"
	"github.com/echofn/echofn/internal/fastserve"
)

// serveFloor serves package floor's copies of the bridge's answers on
// serve's fasthttp server (package internal/fastserve, through
// fasthttpadapter.Listener), without its log line. "serve" may come
// first, so that bench/ab can run it as it runs a bridge.
func serveFloor(args []string) error {
	if len(args) > 0 && args[0] == "serve" {
		args = args[1:]
	}
	f := flag.NewFlagSet("floor", flag.ContinueOnError)
	addr := f.String("addr", "127.0.0.1:4000", "address to listen on")
	if err := f.Parse(args); err != nil {
		return err
	}
	bridge, err := core.New(core.ConfigFromEnv(), conformance.Workflows()...)
	if err != nil {
		return err
	}
	bridgeHandler := fasthttpadapter.Handler(bridge)
	floorHandler := floor.Handler(bridgeHandler)
	srv := fastserve.New(bridge, func(ctx *fasthttp.RequestCtx) {
		if string(ctx.Path()) != server.Path {
			ctx.Error("404 page not found\n", fasthttp.StatusNotFound)
			return
		}
		floorHandler(ctx)
	}, nil)
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "floor: listening on %s\n", l.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(fasthttpadapter.Listener(l)) }()
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	select {
	case err := <-done:
		return err
	case <-stop:
		return srv.Shutdown()
	}
}

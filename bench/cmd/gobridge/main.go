// Command gobridge serves the conformance workflows (the same two workflows
// as the reference bridge in internal/conformance/reference) with core on
// net/http at /api/novu. The benchmarks run it side by side with the
// reference.
//
//	NOVU_SECRET_KEY=sk_test_conformance gobridge -addr 127.0.0.1:4001
//
// It prints one JSON line on standard output once it listens, and stops
// gracefully on SIGTERM or SIGINT.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/echofn/echofn/bench/internal/server"
	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/internal/conformance"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gobridge:", err)
		os.Exit(1)
	}
}

func run() error {
	def := "127.0.0.1:4000"
	if p := os.Getenv("PORT"); p != "" {
		def = ":" + p
	}
	addr := flag.String("addr", def, "listen address (default from $PORT)")
	flag.Parse()

	cfg := core.ConfigFromEnv()
	cfg.Server = "nethttp"
	cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	bridge, err := core.New(cfg, conformance.Workflows()...)
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	line, _ := json.Marshal(map[string]any{"listening": "http://" + l.Addr().String() + server.Path, "pid": os.Getpid()})
	fmt.Println(string(line))
	return server.Serve(ctx, l, bridge)
}

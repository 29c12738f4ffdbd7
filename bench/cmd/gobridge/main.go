// Command gobridge is the echofn command (package cmd/echofn/cli) serving
// the conformance workflows: the same two workflows as the reference bridge
// in internal/conformance/reference. The benchmarks run its production
// server side by side with the reference:
//
//	NOVU_SECRET_KEY=sk_test_conformance gobridge serve --addr 127.0.0.1:4001
//
// Every echofn command works (serve, dev, run, sign, ...); serve stops
// gracefully on SIGTERM.
//
// "gobridge plain --addr ADDR" serves the same bridge with core/nethttp on
// net/http, without echofn's per-request log line: the library's default
// server, for comparison with serve's fasthttp.
//
// "gobridge floor --addr ADDR" answers each request as the bridge answered
// the first request with its method and query, on a fasthttp server set up
// as serve's (package bench/internal/floor): what is left of a request's
// cost there is the HTTP stack's, the least any bridge on it can cost.
//
// "gobridge rawloop [--batched] [--canned] --addr ADDR" serves the bridge
// on a bare epoll loop with no HTTP library (package bench/internal/rawloop,
// Linux only): what a lighter transport could save. With --canned it
// answers as floor does: the least any Go server costs on this machine.
//
// With GOBRIDGE_CPUPROFILE=FILE set, it writes a CPU profile of its first
// GOBRIDGE_CPUPROFILE_SECONDS seconds (default 30) to FILE: bench/pgo makes
// the profile-guided optimisation profile of cmd/echofn this way.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime/pprof"
	"strconv"
	"syscall"
	"time"

	"github.com/echofn/echofn/bench/internal/server"
	"github.com/echofn/echofn/cmd/echofn/cli"
	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/internal/conformance"
)

func main() {
	if path := os.Getenv("GOBRIDGE_CPUPROFILE"); path != "" {
		if err := profileCPU(path, os.Getenv("GOBRIDGE_CPUPROFILE_SECONDS")); err != nil {
			fmt.Fprintln(os.Stderr, "gobridge:", err)
			os.Exit(1)
		}
	}
	if len(os.Args) > 1 && os.Args[1] == "floor" {
		if err := serveFloor(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "gobridge floor:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "rawloop" {
		if err := serveRawloop(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "gobridge rawloop:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "plain" {
		if err := plain(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "gobridge plain:", err)
			os.Exit(1)
		}
		return
	}
	cli.Main(conformance.Workflows()...)
}

func plain(args []string) error {
	f := flag.NewFlagSet("plain", flag.ContinueOnError)
	addr := f.String("addr", "127.0.0.1:4000", "address to listen on")
	if err := f.Parse(args); err != nil {
		return err
	}
	cfg := core.ConfigFromEnv()
	cfg.Server = "nethttp"
	cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, nil))
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
	fmt.Fprintf(os.Stderr, "listening on %s\n", l.Addr())
	return server.Serve(ctx, l, bridge)
}

// profileCPU starts a CPU profile that is written to path after seconds
// (30 when empty).
func profileCPU(path, seconds string) error {
	d := 30 * time.Second
	if seconds != "" {
		n, err := strconv.Atoi(seconds)
		if err != nil || n <= 0 {
			return fmt.Errorf("GOBRIDGE_CPUPROFILE_SECONDS=%q: want a positive number of seconds", seconds)
		}
		d = time.Duration(n) * time.Second
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return err
	}
	time.AfterFunc(d, func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "gobridge: CPU profile:", err)
			return
		}
		fmt.Fprintf(os.Stderr, "gobridge: wrote the CPU profile of %v to %s\n", d, path)
	})
	return nil
}

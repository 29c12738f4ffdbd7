package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"slices"
	"syscall"

	"github.com/echofn/echofn/bench/internal/rawloop"
	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/internal/conformance"
)

// serveRawloop serves the bridge on package rawloop's epoll loop, without
// a log line. A "serve" among the arguments is skipped, so that bench/ab
// can run "gobridge rawloop --batched" as it runs a bridge.
func serveRawloop(args []string) error {
	args = slices.DeleteFunc(slices.Clone(args), func(a string) bool { return a == "serve" })
	f := flag.NewFlagSet("rawloop", flag.ContinueOnError)
	addr := f.String("addr", "127.0.0.1:4000", "address to listen on")
	var o rawloop.Options
	f.BoolVar(&o.Batched, "batched", false, "read every ready connection, then answer all, then write all")
	f.BoolVar(&o.Canned, "canned", false, "answer each method and query with a copy of the bridge's first answer")
	if err := f.Parse(args); err != nil {
		return err
	}
	bridge, err := core.New(core.ConfigFromEnv(), conformance.Workflows()...)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	l := ln.(*net.TCPListener)
	defer l.Close()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	fmt.Fprintf(os.Stderr, "rawloop %+v: listening on %s\n", o, l.Addr())
	return rawloop.Serve(ctx, l, bridge.Handle, o)
}

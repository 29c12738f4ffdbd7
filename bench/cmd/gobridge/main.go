// Command gobridge is the echofn command (package cmd/echofn/cli) serving
// the conformance workflows: the same two workflows as the reference bridge
// in internal/conformance/reference. The benchmarks run its production
// server side by side with the reference:
//
//	NOVU_SECRET_KEY=sk_test_conformance gobridge serve --addr 127.0.0.1:4001
//
// Every echofn command works (serve, dev, run, sign, ...); serve stops
// gracefully on SIGTERM.
package main

import (
	"github.com/echofn/echofn/cmd/echofn/cli"
	"github.com/echofn/echofn/internal/conformance"
)

func main() { cli.Main(conformance.Workflows()...) }

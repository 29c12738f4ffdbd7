// Package bench measures and stresses the bridge: in-process benchmarks of
// core's Handle path (go test -bench), a side-by-side comparison with the
// official reference bridge (bench/run, cmd/compare), a load generator
// (cmd/load), and tests that drive a real server process over HTTP with
// sustained mixed load, faults and bad input.
//
// See RESULTS.md for the figures and the commands that produce them.
package bench

// Command load sends signed requests to a bridge over a fixed number of
// keep-alive connections for a duration or a number of requests, checks
// every response's status and prints throughput and latency percentiles.
// Requests are signed with the conformance secret (sk_test_conformance).
//
//	load -url http://127.0.0.1:4000/api/novu -scenario execute-email -c 16 -d 10s
//
// Scenarios: execute-email, execute-custom, discover, health-check (or a
// comma-separated list, sent in turn), "mixed" (valid and invalid
// requests, for our bridge only). It exits 1 when any response had an
// unexpected status.
//
// With -idle N it instead opens N keep-alive connections, sends the
// scenario's first request once on each, and with -pid reports the
// server's resident memory before and with them open, per connection:
//
//	load -url http://127.0.0.1:4000/api/novu -scenario health-check -idle 5000 -pid 1234
//
// With -flood N it sends N unsigned executes with bodies of -flood-size
// bytes at once, each holding back its last byte until all have sent the
// rest (-hold, the default), and with -pid reports the server's resident
// memory before, while it holds them, and after, with the answers'
// statuses:
//
//	load -url http://127.0.0.1:4000/api/novu -flood 100 -pid 1234
//
// With -slow N it opens N connections at once, each sending the
// scenario's first request but its last byte (for a health-check, the end
// of its header, as a client sending its header slowly), and reports the
// server's memory in the same way:
//
//	load -url http://127.0.0.1:4000/api/novu -scenario health-check -slow 4000 -pid 1234
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/echofn/echofn/bench/internal/load"
	"github.com/echofn/echofn/bench/internal/procstat"
	"github.com/echofn/echofn/bench/internal/scenario"
)

func main() {
	target := flag.String("url", "http://127.0.0.1:4000/api/novu", "the bridge's URL")
	name := flag.String("scenario", "execute-email", "what to send: execute-email, execute-custom, discover, health-check, a comma-separated list, all, or mixed")
	conns := flag.Int("c", 16, "connections, one request in flight on each")
	dur := flag.Duration("d", 10*time.Second, "how long to run (0: until -n requests)")
	count := flag.Int64("n", 0, "stop after this many requests (0: no limit)")
	resign := flag.Duration("resign", time.Second, "reuse a signature this long (0: sign every request)")
	rate := flag.Float64("rate", 0, "offer this many requests per second in total, latency counted from when each was due (0: closed loop)")
	asJSON := flag.Bool("json", false, "print the summary as JSON")
	pid := flag.Int("pid", 0, "the server's process id, to report its CPU time per request (Linux /proc)")
	idle := flag.Int("idle", 0, "open this many keep-alive connections, one request each, and report the server's memory with them idle (needs -pid)")
	floodN := flag.Int("flood", 0, "send this many unsigned large bodies at once and report the server's memory (needs -pid)")
	floodSize := flag.Int("flood-size", 5<<20-1<<10, "the size of each -flood body, in bytes")
	hold := flag.Bool("hold", true, "with -flood, hold back each body's last byte until all have sent the rest")
	slow := flag.Int("slow", 0, "open this many connections, each sending the scenario's first request but its last byte, and report the server's memory while it waits for them (needs -pid)")
	flag.Parse()

	if *floodN > 0 {
		what := fmt.Sprintf("unsigned bodies of %d bytes", *floodSize)
		if err := flood(*target, "-flood", scenario.LargeUnsigned(*floodSize), *floodN, *hold, *pid, what); err != nil {
			fmt.Fprintln(os.Stderr, "load:", err)
			os.Exit(1)
		}
		return
	}
	if *slow > 0 {
		_, reqs, err := requests(*target, *name)
		if err == nil {
			err = flood(*target, "-slow", reqs[0], *slow, true, *pid, reqs[0].Name+" requests")
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "load:", err)
			os.Exit(1)
		}
		return
	}
	if *idle > 0 {
		if err := holdIdle(*target, *name, *idle, *pid); err != nil {
			fmt.Fprintln(os.Stderr, "load:", err)
			os.Exit(1)
		}
		return
	}

	if err := run(*target, *name, *conns, *dur, *count, *resign, *rate, *pid, *asJSON); err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

// holdIdle opens n idle keep-alive connections to the bridge at target and
// prints the server's resident memory before and with them open.
func holdIdle(target, name string, n, pid int) error {
	if pid <= 0 {
		return fmt.Errorf("-idle needs -pid, the server's process id")
	}
	host, reqs, err := requests(target, name)
	if err != nil {
		return err
	}
	r := reqs[0]
	before, err := procstat.Read(pid)
	if err != nil {
		return err
	}
	conns, err := load.Hold(context.Background(), host, r, n)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	if err != nil {
		return err
	}
	time.Sleep(time.Second) // for the server to settle
	with, err := procstat.Read(pid)
	if err != nil {
		return err
	}
	fmt.Printf("%d idle keep-alive connections (one %s each): server RSS %s before, %s with them open, %.1f KiB per connection\n",
		n, r.Name, procstat.MiB(before.RSS), procstat.MiB(with.RSS), float64(with.RSS-before.RSS)/1024/float64(n))
	return nil
}

// flood sends r on n connections to the bridge at target at once, each
// holding back the request's last byte when hold is set, and prints the
// server's resident memory before, while it holds them and after, with
// the answers' statuses; what names the requests in that line.
func flood(target, flagName string, r load.Request, n int, hold bool, pid int, what string) error {
	if pid <= 0 {
		return fmt.Errorf("%s needs -pid, the server's process id", flagName)
	}
	u, err := bridgeURL(target)
	if err != nil {
		return err
	}
	rss := func() string {
		st, err := procstat.Read(pid)
		if err != nil {
			return "?"
		}
		return procstat.MiB(st.RSS)
	}
	before := rss()
	var during string
	r.Target = strings.Replace(r.Target, scenario.Path, u.Path, 1)
	statuses, err := load.Flood(context.Background(), u.Host, r, n, hold, func() { time.Sleep(500 * time.Millisecond); during = rss() })
	if err != nil {
		return err
	}
	time.Sleep(time.Second)
	fmt.Printf("%d %s at once (held back: %v): server RSS %s before, %s while they arrive, %s after; answers %v\n",
		n, what, hold, before, during, rss(), statuses)
	return nil
}

// bridgeURL parses -url, which must be http://host:port/path.
func bridgeURL(target string) (*url.URL, error) {
	u, err := url.Parse(target)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return nil, fmt.Errorf("-url must be http://host:port/path")
	}
	return u, nil
}

// requests returns the host of the bridge at target and the requests of
// scenario name, sent to target's path.
func requests(target, name string) (host string, reqs []load.Request, err error) {
	u, err := bridgeURL(target)
	if err != nil {
		return "", nil, err
	}
	if name == "mixed" {
		reqs = scenario.Mixed()
	} else if reqs, err = scenario.Named(name); err != nil {
		return "", nil, err
	}
	for i := range reqs {
		reqs[i].Target = strings.Replace(reqs[i].Target, scenario.Path, u.Path, 1)
	}
	return u.Host, reqs, nil
}

func run(target, name string, conns int, dur time.Duration, count int64, resign time.Duration, rate float64, pid int, asJSON bool) error {
	host, reqs, err := requests(target, name)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var cpu0 time.Duration
	if pid > 0 {
		if cpu0, err = procstat.CPUTime(pid); err != nil {
			return err
		}
	}
	res, err := load.Run(ctx, load.Config{Addr: host, Requests: reqs, Conns: conns, Duration: dur, Count: count, Resign: resign, Rate: rate})
	if err != nil {
		return err
	}
	s := res.Summary()
	var cpuPerReq float64 // µs
	if pid > 0 && res.Requests > 0 {
		cpu1, err := procstat.CPUTime(pid)
		if err != nil {
			return err
		}
		cpuPerReq = float64(cpu1-cpu0) / float64(time.Microsecond) / float64(res.Requests)
	}
	if asJSON {
		out, _ := json.MarshalIndent(map[string]any{"scenario": name, "conns": conns, "summary": s, "status": res.Status, "errors": res.Samples,
			"serverCpuMicrosPerRequest": cpuPerReq, "generatorStallMicros": float64(res.Stall) / float64(time.Microsecond)}, "", "  ")
		fmt.Println(string(out))
	} else {
		fmt.Printf("%s, %d connections, %.1fs: %d requests, %.0f req/s, %d errors\n", name, conns, s.Seconds, s.Requests, s.PerSecond, s.Errors)
		fmt.Printf("latency: mean %.0fµs  p50 %.0fµs  p90 %.0fµs  p99 %.0fµs  max %.0fµs (the load generator itself was held up for at most %.0fµs)\n",
			s.MeanMicros, s.P50Micros, s.P90Micros, s.P99Micros, s.MaxMicros, float64(res.Stall)/float64(time.Microsecond))
		if pid > 0 {
			fmt.Printf("server CPU: %.1fµs per request\n", cpuPerReq)
		}
		for _, l := range res.StatusLines() {
			fmt.Println("  " + l)
		}
		for _, e := range res.Samples {
			fmt.Println("  error: " + e)
		}
	}
	if res.Errors > 0 {
		return fmt.Errorf("%d unexpected responses", res.Errors)
	}
	return nil
}

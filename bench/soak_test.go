package bench

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/echofn/echofn/bench/internal/load"
	"github.com/echofn/echofn/bench/internal/procstat"
	"github.com/echofn/echofn/bench/internal/scenario"
	"github.com/echofn/echofn/cmd/echofn/cli"
	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/internal/conformance"
)

var soakFlag = flag.Duration("soak", 0, "how long the sustained load tests run, as in -soak=60s (default 3s; ECHOFN_SOAK also sets it)")

// soakDuration is a few seconds unless -soak or ECHOFN_SOAK asks for more.
func soakDuration(t *testing.T) time.Duration {
	d := *soakFlag
	if d == 0 {
		if v := os.Getenv("ECHOFN_SOAK"); v != "" {
			var err error
			if d, err = time.ParseDuration(v); err != nil {
				t.Fatalf("ECHOFN_SOAK=%q: %v", v, err)
			}
		}
	}
	if d == 0 {
		d = 3 * time.Second
	}
	if d > 30*time.Minute {
		t.Fatalf("a soak of %v is more than the 30 minutes these tests allow", d)
	}
	return d
}

// soakConns is the number of connections of the sustained load.
const soakConns = 16

// soakMix is the mixed load: valid requests, refused ones and a step that
// panics, each with the status it must get.
func soakMix() []load.Request {
	return append(scenario.Mixed(), load.Request{
		Name: "step-panics", Method: "POST", Target: scenario.Path + "?action=execute&workflowId=fault-panics&stepId=panics",
		Body: []byte(faultBody), Sign: scenario.Valid, Want: 502, WantBody: `"code":"StepExecutionFailedError"`,
	})
}

func checkLoad(t *testing.T, what string, res *load.Result) {
	t.Helper()
	t.Logf("%s: %d requests in %v (%.0f/s), p50 %v, p99 %v, max %v, %d unexpected", what, res.Requests, res.Elapsed.Round(time.Millisecond),
		res.Throughput(), res.Latency.Quantile(.5), res.Latency.Quantile(.99), res.Latency.Max(), res.Errors)
	if res.Errors > 0 {
		t.Errorf("%s: %d unexpected answers: %s\nby status: %s", what, res.Errors, strings.Join(res.Samples, "\n"), strings.Join(res.StatusLines(), ", "))
	}
	if res.Requests == 0 {
		t.Errorf("%s: no request completed", what)
	}
	for _, r := range soakMix() {
		found := false
		for k := range res.Status {
			if strings.HasPrefix(k, r.Name+" ") {
				found = true
			}
		}
		if !found && res.Requests > int64(10*len(soakMix())) {
			t.Errorf("%s: %s was never answered", what, r.Name)
		}
	}
}

// TestSustainedLoadProcess drives a real server process with the mixed
// load and watches its resident memory: it must answer everything as
// expected, survive, and not grow once warm.
func TestSustainedLoadProcess(t *testing.T) {
	d := soakDuration(t)
	c := startChild(t, echofnServe)
	ctx := context.Background()
	cfg := load.Config{Addr: c.addr, Requests: soakMix(), Conns: soakConns, Resign: time.Second}

	warm := cfg
	warm.Duration = min(d/3, 2*time.Second)
	res, err := load.Run(ctx, warm)
	if err != nil {
		t.Fatal(err)
	}
	checkLoad(t, "warm-up", res)

	var mu sync.Mutex
	var samples []procstat.Status
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(max(d/40, 50*time.Millisecond))
		defer tick.Stop()
		for {
			if st, err := c.Status(); err == nil {
				mu.Lock()
				samples = append(samples, st)
				mu.Unlock()
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	cfg.Duration = d
	res, err = load.Run(ctx, cfg)
	close(stop)
	<-sampled
	if err != nil {
		t.Fatal(err)
	}
	checkLoad(t, "sustained load", res)
	c.alive(t)
	c.health(t)

	if len(samples) < 6 {
		t.Fatalf("only %d memory samples", len(samples))
	}
	third := len(samples) / 3
	peak := func(s []procstat.Status) int64 {
		var m int64
		for _, x := range s {
			m = max(m, x.RSS)
		}
		return m
	}
	first, last := peak(samples[:third]), peak(samples[len(samples)-third:])
	end := samples[len(samples)-1]
	t.Logf("RSS: first third peak %s, last third peak %s, at the end %s (VmHWM %s), %d threads",
		procstat.MiB(first), procstat.MiB(last), procstat.MiB(end.RSS), procstat.MiB(end.PeakRSS), end.Threads)
	if limit := first + first/4 + 4<<20; last > limit {
		t.Errorf("resident memory grew under steady load: peak %s in the first third, %s in the last (limit %s)",
			procstat.MiB(first), procstat.MiB(last), procstat.MiB(limit))
	}
	logs := c.logText(t)
	if strings.Contains(logs, conformance.Secret) || hexRun.MatchString(logs) || strings.Contains(logs, "v1=") {
		t.Error("the server logged the secret key or a signature under load")
	}
}

// guardWriter discards what a logger writes, but keeps the start (for the
// address a server prints) and remembers whether any line held the secret
// key or a signature.
type guardWriter struct {
	mu     sync.Mutex
	head   []byte
	lines  int
	leaked string
}

func (g *guardWriter) Write(p []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.lines++
	if len(g.head) < 4096 {
		g.head = append(g.head, p...)
	}
	if g.leaked == "" && (strings.Contains(string(p), conformance.Secret) || hexRun.Match(p) || strings.Contains(string(p), "v1=")) {
		g.leaked = string(p)
	}
	return len(p), nil
}

// state returns the number of writes so far and the first leaking one.
func (g *guardWriter) state() (int, string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.lines, g.leaked
}

func (g *guardWriter) addr() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	if m := listenLine.FindSubmatch(g.head); m != nil {
		return string(m[1])
	}
	return ""
}

// TestSustainedLoadInProcess runs the same load against `echofn serve` in
// this process, where goroutines and the Go heap can be counted: after the
// load they must come back to where they were, and the server must stop
// cleanly.
func TestSustainedLoadInProcess(t *testing.T) {
	d := soakDuration(t)
	logs := &guardWriter{}
	app := &cli.App{
		Workflows: childWorkflows(slog.New(slog.NewTextHandler(io.Discard, nil))),
		Stdout:    logs, Stderr: logs,
		Getenv: func(k string) string {
			if k == core.EnvSecretKey {
				return conformance.Secret
			}
			return ""
		},
	}
	sctx, stop := context.WithCancel(context.Background())
	exit := make(chan int, 1)
	go func() { exit <- app.Run(sctx, []string{"serve", "--addr", "127.0.0.1:0"}) }()
	stopped := false
	defer func() {
		if !stopped {
			stop()
			<-exit
		}
	}()
	var addr string
	for deadline := time.Now().Add(30 * time.Second); addr == ""; {
		if addr = logs.addr(); addr != "" {
			break
		}
		select {
		case code := <-exit:
			stopped = true
			t.Fatalf("echofn serve exited with %d", code)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("echofn serve did not listen within 30s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	ctx := context.Background()
	lc := load.Config{Addr: addr, Requests: soakMix(), Conns: soakConns, Resign: time.Second}

	warm := lc
	warm.Duration = min(d/3, 2*time.Second)
	res, err := load.Run(ctx, warm)
	if err != nil {
		t.Fatal(err)
	}
	checkLoad(t, "warm-up", res)
	g0, h0 := settle(t, 0)

	lc.Duration = d
	res, err = load.Run(ctx, lc)
	if err != nil {
		t.Fatal(err)
	}
	checkLoad(t, "sustained load", res)
	g1, h1 := settle(t, g0)
	lines, leaked := logs.state()
	t.Logf("goroutines %d before, %d after; heap in use %s before, %s after; %d log lines",
		g0, g1, procstat.MiB(int64(h0)), procstat.MiB(int64(h1)), lines)
	if g1 > g0+2 {
		t.Errorf("goroutines grew from %d to %d", g0, g1)
	}
	if h1 > h0+8<<20 {
		t.Errorf("heap in use grew from %s to %s", procstat.MiB(int64(h0)), procstat.MiB(int64(h1)))
	}
	if leaked != "" {
		t.Errorf("a log line holds the secret key or a signature: %s", leaked)
	}
	stop()
	stopped = true
	select {
	case code := <-exit:
		if code != cli.ExitOK {
			t.Errorf("echofn serve exited with %d after the load", code)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("echofn serve did not stop")
	}
}

// settle waits (up to 10s) for the load's connections to close, until at
// most want+2 goroutines run when want > 0, then collects garbage and
// returns the goroutine count and the heap in use.
func settle(t *testing.T, want int) (int, uint64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		runtime.GC()
		if want == 0 || runtime.NumGoroutine() <= want+2 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return runtime.NumGoroutine(), m.HeapInuse
}

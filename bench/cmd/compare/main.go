// Command compare benchmarks the official reference bridge (@novu/framework
// on Express, from .tools/reference) against ours (bench/cmd/gobridge: the
// same workflows served by `echofn serve`, core on fasthttp) in one run.
//
// Both servers are started on loopback, each pinned to the same CPU with
// taskset (ours also with GOMAXPROCS=1), and driven in alternating rounds
// (A, B, then B, A, ...) with the same signed requests from this process:
// execute of an email step, execute of the last step of a three-step
// workflow (state replay), discover and health-check. It reports req/s,
// latency percentiles, errors, server CPU time per request and peak RSS
// (VmHWM), the ratio ours/theirs, and the cold start of each: process start
// to the first answered signed execute.
//
// Run it pinned to the other CPU, as bench/run does:
//
//	taskset -c 0 go run ./bench/cmd/compare -server-cpu 1
//
// It exits 1 when a response had an unexpected status or a server died;
// timings never fail it.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"

	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/echofn/echofn/bench/internal/load"
	"github.com/echofn/echofn/bench/internal/proc"
	"github.com/echofn/echofn/bench/internal/procstat"
	"github.com/echofn/echofn/bench/internal/scenario"
	"github.com/echofn/echofn/internal/conformance"
)

type options struct {
	node, reference, gobridge string
	serverCPU                 string
	rounds                    int
	duration, warmup          time.Duration
	conns                     []int
	rate                      float64
	oursMode                  string
	scenarios                 string
	coldRuns                  int
	jsonOut, mdOut            string
	short                     bool
}

func main() {
	var o options
	var conns string
	flag.StringVar(&o.node, "node", "node", "the node program")
	flag.StringVar(&o.reference, "reference", "", "directory of the installed reference bridge (default .tools/reference)")
	flag.StringVar(&o.gobridge, "gobridge", "", "our bridge's binary (default: go build ./bench/cmd/gobridge)")
	flag.StringVar(&o.serverCPU, "server-cpu", "1", "CPU list both servers are pinned to with taskset (empty: no pinning)")
	flag.IntVar(&o.rounds, "rounds", 3, "rounds; each sends every scenario to both servers in turn")
	flag.DurationVar(&o.duration, "d", 5*time.Second, "duration of one scenario on one server in one round")
	flag.DurationVar(&o.warmup, "warmup", 3*time.Second, "warm-up per scenario and server, not measured")
	flag.StringVar(&conns, "c", "16", "connection counts, comma-separated")
	flag.StringVar(&o.oursMode, "ours", "serve", "how ours runs: serve (`echofn serve`, the production server, on fasthttp), plain (core/nethttp on net/http, without the per-request log line), floor (copies of the bridge's answers on serve's fasthttp set-up: the HTTP stack's own cost, the ceiling of any bridge on it), or rawloop with its flags --batched and --canned (the bridge, or copies of its answers, on a bare epoll loop with no HTTP library: what a lighter transport could save; Linux only)")
	flag.Float64Var(&o.rate, "rate", 0, "offer this many requests/s to each server (latency counted from when each was due); 0: closed loop, as fast as answered")
	flag.StringVar(&o.scenarios, "scenarios", "all", "execute-email, execute-custom, discover, health-check, comma-separated, or all")
	flag.IntVar(&o.coldRuns, "cold", 7, "cold starts measured per server (0: none)")
	flag.StringVar(&o.jsonOut, "json", "", "also write the results as JSON to this file")
	flag.StringVar(&o.mdOut, "md", "", "also write the report as Markdown to this file")
	flag.BoolVar(&o.short, "short", false, "a quick check (CI): 1 round of 1s, 0.5s warm-up, 3 cold starts, unless given")
	flag.Parse()
	for _, s := range strings.Split(conns, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			fmt.Fprintln(os.Stderr, "compare: bad -c", conns)
			os.Exit(2)
		}
		o.conns = append(o.conns, n)
	}
	if o.short { // only what was not given explicitly
		set := map[string]bool{}
		flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
		if !set["rounds"] {
			o.rounds = 1
		}
		if !set["d"] {
			o.duration = time.Second
		}
		if !set["warmup"] {
			o.warmup = 500 * time.Millisecond
		}
		if !set["cold"] {
			o.coldRuns = 3
		}
	}
	rep, err := run(o)
	if rep != nil {
		md := rep.markdown()
		fmt.Print(md)
		if o.mdOut != "" {
			if werr := os.WriteFile(o.mdOut, []byte(md), 0o644); werr != nil && err == nil {
				err = werr
			}
		}
		if o.jsonOut != "" {
			raw, _ := json.MarshalIndent(rep, "", "  ")
			if werr := os.WriteFile(o.jsonOut, raw, 0o644); werr != nil && err == nil {
				err = werr
			}
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		os.Exit(1)
	}
}

// side is one of the two bridges under test.
type side struct {
	Name string `json:"name"`
	spec proc.Spec
	p    *proc.Process
	addr string
	// IdleRSS is the resident set after start-up and one health check;
	// PeakRSS the high-water mark (VmHWM) at the end of the run.
	IdleRSS int64 `json:"idleRssBytes"`
	PeakRSS int64 `json:"peakRssBytes"`
	Threads int   `json:"threadsAtEnd"`
	// Cold holds the cold starts, in milliseconds.
	Cold []float64 `json:"coldStartMillis"`
}

// cell is one scenario at one connection count on one side, over all rounds.
type cell struct {
	Scenario string `json:"scenario"`
	Conns    int    `json:"conns"`
	Side     string `json:"side"`
	// Rounds holds each round's figures; Median the median of each
	// figure over the rounds (robust to a round disturbed by other work on
	// the machine), except Max, OthersCPU and Stall (the largest) and the
	// counts (sums).
	Rounds []round `json:"rounds"`
	Median round   `json:"median"`
	// All is every round's latencies together.
	All load.Summary `json:"allRounds"`
	res *load.Result
}

// round is one measurement of one cell.
type round struct {
	PerSecond float64 `json:"reqPerSec"`
	P50       float64 `json:"p50Micros"`
	P99       float64 `json:"p99Micros"`
	Max       float64 `json:"maxMicros"`
	// CPU is the server's CPU time per request in µs; Busy its CPU time
	// over the wall time (1 = one core saturated).
	CPU        float64 `json:"serverCpuMicrosPerRequest"`
	Busy       float64 `json:"serverCpuBusy"`
	Requests   int64   `json:"requests"`
	Errors     int64   `json:"errors"`
	Unfinished int64   `json:"unfinished"`
	// Oldest is how long the oldest request cut off by the end of the
	// round had waited, in µs.
	Oldest float64 `json:"oldestUnfinishedMicros"`
	// OthersCPU is the CPU time, in ms, the other server took while this
	// one was measured: work it did on its own (a collection, a timer)
	// on the CPU the two share, which shows as this round's latency.
	OthersCPU float64 `json:"otherServerCpuMillis"`
	// Stall is the longest the load generator itself was held up, in µs
	// (load.Result.Stall).
	Stall float64 `json:"generatorStallMicros"`
}

func newRound(res *load.Result, cpu, others time.Duration) round {
	s := res.Summary()
	r := round{PerSecond: s.PerSecond, P50: s.P50Micros, P99: s.P99Micros, Max: s.MaxMicros,
		Requests: res.Requests, Errors: res.Errors, Unfinished: res.Unfinished, Oldest: micros(res.Oldest),
		OthersCPU: micros(others) / 1000, Stall: micros(res.Stall)}
	if res.Requests > 0 {
		r.CPU = micros(cpu) / float64(res.Requests)
	}
	if res.Elapsed > 0 {
		r.Busy = cpu.Seconds() / res.Elapsed.Seconds()
	}
	return r
}

func medianRound(rs []round) round {
	pick := func(f func(round) float64) float64 {
		xs := make([]float64, len(rs))
		for i, r := range rs {
			xs[i] = f(r)
		}
		return median(xs)
	}
	m := round{
		PerSecond: pick(func(r round) float64 { return r.PerSecond }),
		P50:       pick(func(r round) float64 { return r.P50 }),
		P99:       pick(func(r round) float64 { return r.P99 }),
		CPU:       pick(func(r round) float64 { return r.CPU }),
		Busy:      pick(func(r round) float64 { return r.Busy }),
	}
	for _, r := range rs {
		m.Max = max(m.Max, r.Max)
		m.Requests += r.Requests
		m.Errors += r.Errors
		m.Unfinished += r.Unfinished
		m.Oldest = max(m.Oldest, r.Oldest)
		m.OthersCPU = max(m.OthersCPU, r.OthersCPU)
		m.Stall = max(m.Stall, r.Stall)
	}
	return m
}

type report struct {
	Machine map[string]string `json:"machine"`
	Command string            `json:"command"`
	Sides   []*side           `json:"sides"`
	Cells   []*cell           `json:"cells"`
	Errors  []string          `json:"errors"`
	opts    options
}

func run(o options) (*report, error) {
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	if o.reference == "" {
		o.reference = filepath.Join(root, ".tools", "reference")
	}
	if _, err := os.Stat(filepath.Join(o.reference, "node_modules", "@novu", "framework", "package.json")); err != nil {
		return nil, fmt.Errorf("the reference bridge is not installed in %s: run scripts/setup (or TOOLS=$PWD/.tools bash scripts/setup.d/10-reference.sh)", o.reference)
	}
	if o.gobridge == "" {
		dir, err := os.MkdirTemp("", "compare")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		o.gobridge = filepath.Join(dir, "gobridge")
		build := exec.Command("go", "build", "-trimpath", "-o", o.gobridge, "./bench/cmd/gobridge")
		build.Dir, build.Stdout, build.Stderr = root, os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			return nil, fmt.Errorf("building gobridge: %w", err)
		}
	}
	reqs, err := scenario.Named(o.scenarios)
	if err != nil {
		return nil, err
	}
	oursArgs, err := gobridgeArgs(o.oursMode)
	if err != nil {
		return nil, err
	}
	logs, err := os.MkdirTemp("", "compare-logs")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(logs)
	rep := &report{Machine: machine(o), Command: command(), opts: o}
	ref := &side{Name: "reference", spec: proc.Spec{
		Name: "reference (node)", Path: o.node, Args: []string{"server.mjs"}, Dir: o.reference, CPUs: o.serverCPU,
		LogFile: filepath.Join(logs, "reference.log"),
		Env:     []string{"NOVU_SECRET_KEY=" + conformance.Secret, "NOVU_STRICT_AUTHENTICATION_ENABLED=true", "NOVU_API_URL=http://127.0.0.1:9"},
	}}
	ours := &side{Name: "ours", spec: proc.Spec{
		Name: "ours (gobridge)", Path: o.gobridge, Args: oursArgs, CPUs: o.serverCPU,
		LogFile: filepath.Join(logs, "ours.log"),
		Env:     []string{"NOVU_SECRET_KEY=" + conformance.Secret, "GOMAXPROCS=1"},
	}}
	rep.Sides = []*side{ref, ours}

	for _, s := range rep.Sides {
		if err := s.start(); err != nil {
			stopAll(rep.Sides)
			return rep, err
		}
	}
	err = rep.measure(reqs)
	for _, s := range rep.Sides {
		if s.p == nil {
			continue
		}
		if st, serr := s.p.Status(); serr == nil {
			s.PeakRSS, s.Threads = st.PeakRSS, st.Threads
		}
		if done, werr := s.p.Exited(); done {
			rep.Errors = append(rep.Errors, fmt.Sprintf("%s died during the run: %v", s.spec.Name, werr))
		}
		stopErr := s.p.Stop(5 * time.Second)
		if s == ours && stopErr != nil { // node ends on SIGTERM with a signal status
			rep.Errors = append(rep.Errors, fmt.Sprintf("%s did not shut down cleanly: %v", s.spec.Name, stopErr))
		}
		s.p = nil
	}
	if err == nil && o.coldRuns > 0 {
		err = rep.coldStarts(o.coldRuns)
	}
	rep.Machine["load average after"] = loadAvg()
	if err == nil && len(rep.Errors) > 0 {
		err = fmt.Errorf("%d problems: %s", len(rep.Errors), strings.Join(rep.Errors, "; "))
	}
	return rep, err
}

func (s *side) start() error {
	addr, err := proc.FreeAddr()
	if err != nil {
		return err
	}
	s.addr = addr
	spec := s.spec
	if s.Name == "reference" {
		spec.Env = append(spec.Env, "PORT="+proc.Port(addr))
	} else {
		spec.Args = append(append([]string(nil), s.spec.Args...), "--addr", addr)
	}
	p, err := proc.Start(spec)
	if err != nil {
		return err
	}
	s.p = p
	health := load.Request{Name: "health-check", Method: "GET", Target: scenario.Path + "?action=health-check", Want: 200}
	if _, err := p.WaitReady(addr, health, 60*time.Second); err != nil {
		return err
	}
	if err := p.CheckPinned(); err != nil {
		return err
	}
	st, err := p.Status()
	if err != nil {
		return err
	}
	s.IdleRSS = st.RSS
	return nil
}

func stopAll(sides []*side) {
	for _, s := range sides {
		if s.p != nil {
			s.p.Kill()
			s.p = nil
		}
	}
}

func (rep *report) measure(reqs []load.Request) error {
	o := rep.opts
	ctx := context.Background()
	cells := map[string]*cell{}
	get := func(sc string, c int, sd *side) *cell {
		k := fmt.Sprintf("%s/%d/%s", sc, c, sd.Name)
		if cells[k] == nil {
			cells[k] = &cell{Scenario: sc, Conns: c, Side: sd.Name, res: &load.Result{}}
			rep.Cells = append(rep.Cells, cells[k])
		}
		return cells[k]
	}
	// drive loads sd and returns the result, sd's CPU time over the run,
	// and the CPU time the other servers took meanwhile (which they took
	// from sd when they share its CPU).
	drive := func(sd *side, r load.Request, conns int, d time.Duration, rate float64) (res *load.Result, cpu, others time.Duration, err error) {
		if done, err := sd.p.Exited(); done {
			return nil, 0, 0, fmt.Errorf("%s died: %v\n%s", sd.spec.Name, err, sd.p.Output())
		}
		othersCPU := func() (t time.Duration) {
			for _, o := range rep.Sides {
				if o != sd {
					c, _ := o.p.CPUTime()
					t += c
				}
			}
			return t
		}
		cpu0, _ := sd.p.CPUTime()
		others0 := othersCPU()
		res, err = load.Run(ctx, load.Config{Addr: sd.addr, Requests: []load.Request{r}, Conns: conns, Duration: d, Resign: time.Second, Rate: rate})
		cpu1, _ := sd.p.CPUTime()
		others1 := othersCPU()
		if err != nil {
			return nil, 0, 0, err
		}
		if done, werr := sd.p.Exited(); done {
			return res, 0, 0, fmt.Errorf("%s died: %v\n%s", sd.spec.Name, werr, sd.p.Output())
		}
		return res, cpu1 - cpu0, others1 - others0, nil
	}
	// Warm up both (the reference's JIT, our first allocations).
	for _, r := range reqs {
		for _, sd := range rep.Sides {
			res, _, _, err := drive(sd, r, o.conns[len(o.conns)-1], o.warmup, 0)
			if err != nil {
				return err
			}
			if res.Errors > 0 {
				rep.Errors = append(rep.Errors, fmt.Sprintf("warm-up %s on %s: %d errors: %v", r.Name, sd.Name, res.Errors, res.Samples))
			}
		}
	}
	for rnd := 0; rnd < o.rounds; rnd++ {
		order := rep.Sides
		if rnd%2 == 1 {
			order = []*side{rep.Sides[1], rep.Sides[0]}
		}
		for _, r := range reqs {
			for _, conns := range o.conns {
				for _, sd := range order {
					res, cpu, others, err := drive(sd, r, conns, o.duration, o.rate)
					if err != nil {
						return err
					}
					c := get(r.Name, conns, sd)
					c.res.Add(res)
					c.Rounds = append(c.Rounds, newRound(res, cpu, others))
					if res.Errors > 0 {
						rep.Errors = append(rep.Errors, fmt.Sprintf("%s on %s (round %d, %d conns): %d unexpected answers: %v",
							r.Name, sd.Name, rnd+1, conns, res.Errors, res.Samples))
					}
					last := c.Rounds[len(c.Rounds)-1]
					fmt.Fprintf(os.Stderr, "round %d  %-15s %3d conns  %-9s %9.0f req/s  p50 %7.0fµs  p99 %7.0fµs  max %7.0fµs  cpu/req %5.0fµs  busy %3.0f%%  other server %4.0f ms  generator stall %6.0fµs  errors %d\n",
						rnd+1, r.Name, conns, sd.Name, last.PerSecond, last.P50, last.P99, last.Max, last.CPU, 100*last.Busy, last.OthersCPU, last.Stall, res.Errors)
				}
			}
		}
	}
	for _, c := range rep.Cells {
		c.All = c.res.Summary()
		c.Median = medianRound(c.Rounds)
	}
	return nil
}

func micros(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// coldStarts measures, alternating between the servers, the time from
// starting the process to the first 200 answer to a signed execute.
func (rep *report) coldStarts(runs int) error {
	exec := scenario.FromCase("execute-email", 200, "")
	for i := 0; i < runs; i++ {
		for _, s := range rep.Sides {
			addr, err := proc.FreeAddr()
			if err != nil {
				return err
			}
			spec := s.spec
			if s.Name == "reference" {
				spec.Env = append(spec.Env, "PORT="+proc.Port(addr))
			} else {
				spec.Args = append(append([]string(nil), s.spec.Args...), "--addr", addr)
			}
			p, err := proc.Start(spec)
			if err != nil {
				return err
			}
			at, err := p.WaitReady(addr, exec, 60*time.Second)
			p.Kill()
			if err != nil {
				return err
			}
			s.Cold = append(s.Cold, float64(at.Sub(p.Started()))/float64(time.Millisecond))
		}
	}
	return nil
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func minMax(xs []float64) (float64, float64) {
	if len(xs) == 0 {
		return 0, 0
	}
	lo, hi := xs[0], xs[0]
	for _, x := range xs {
		lo, hi = min(lo, x), max(hi, x)
	}
	return lo, hi
}

func (rep *report) markdown() string {
	var b strings.Builder
	o := rep.opts
	fmt.Fprintf(&b, "\n### Machine\n\n")
	keys := make([]string, 0, len(rep.Machine))
	for k := range rep.Machine {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "- %s: %s\n", k, rep.Machine[k])
	}
	fmt.Fprintf(&b, "- command: `%s`\n", rep.Command)
	mode := "closed loop: each connection sends its next request when the previous one is answered"
	if o.rate > 0 {
		mode = fmt.Sprintf("open loop: %.0f requests/s offered in total, latency counted from when each request was due", o.rate)
	}
	fmt.Fprintf(&b, "- %d round(s) of %v per scenario and server (alternating order), after %v of warm-up each; %s\n",
		o.rounds, o.duration, o.warmup, mode)

	fmt.Fprintf(&b, "\n### Throughput and latency (servers pinned to CPU %q)\n\n", o.serverCPU)
	b.WriteString("Medians over the rounds, except max (the largest) and the counts (sums). Server CPU/req is the server process's\n")
	b.WriteString("user+system CPU time (/proc/<pid>/stat) per answered request; busy is that CPU time over the wall time. The\n")
	b.WriteString("ours/reference rows give the ratio of the medians, then each round's ratio (the two servers' rounds of one\n")
	b.WriteString("round number ran one after the other, so each of those ratios compares the servers seconds apart)\n")
	b.WriteString("and, from three rounds on, the median of those.\n\n")
	b.WriteString("| scenario | conns | server | req/s | req/s by round | p50 | p99 | max | errors | server CPU/req | server busy |\n")
	b.WriteString("|---|---:|---|---:|---|---:|---:|---:|---:|---:|---:|\n")
	byKey := map[string]*cell{}
	for _, c := range rep.Cells {
		byKey[fmt.Sprintf("%s/%d/%s", c.Scenario, c.Conns, c.Side)] = c
	}
	for _, c := range rep.Cells {
		m := c.Median
		rounds := make([]string, len(c.Rounds))
		for i, r := range c.Rounds {
			rounds[i] = fmt.Sprintf("%.0f", r.PerSecond)
		}
		fmt.Fprintf(&b, "| %s | %d | %s | %.0f | %s | %s | %s | %s | %d | %.0f µs | %.0f%% |\n", c.Scenario, c.Conns, c.Side, m.PerSecond,
			strings.Join(rounds, ", "), dur(m.P50), dur(m.P99), dur(m.Max), m.Errors, m.CPU, 100*m.Busy)
		if c.Side == "ours" {
			if r := byKey[fmt.Sprintf("%s/%d/reference", c.Scenario, c.Conns)]; r != nil && r.Median.PerSecond > 0 {
				rm := r.Median
				var byRound []string
				var ratios []float64
				for i := range min(len(c.Rounds), len(r.Rounds)) {
					if r.Rounds[i].PerSecond > 0 {
						x := c.Rounds[i].PerSecond / r.Rounds[i].PerSecond
						byRound = append(byRound, fmt.Sprintf("%.1fx", x))
						ratios = append(ratios, x)
					}
				}
				rounds := strings.Join(byRound, ", ")
				if len(ratios) > 2 {
					rounds = fmt.Sprintf("%s (median %.1fx)", rounds, median(ratios))
				}
				fmt.Fprintf(&b, "| **ours/reference** | | | **%.1fx** | %s | %s | %s | %s | | %s | |\n", m.PerSecond/rm.PerSecond,
					rounds, ratio(m.P50, rm.P50), ratio(m.P99, rm.P99), ratio(m.Max, rm.Max), ratio(m.CPU, rm.CPU))
			}
		}
	}
	var shared []string
	for _, c := range rep.Cells {
		for i, r := range c.Rounds {
			if r.Max >= 10e3 && r.Stall >= 0.8*r.Max {
				shared = append(shared, fmt.Sprintf("- round %d, %s, %d conns, %s: max %s, load generator held up %s\n",
					i+1, c.Scenario, c.Conns, c.Side, dur(r.Max), dur(r.Stall)))
			}
		}
	}
	if len(shared) > 0 {
		b.WriteString("\nMaximums of 10 ms or more that the load generator shared (it was itself held up for most of that time,\n")
		b.WriteString("seen by a goroutine sleeping 1 ms at a time, so the delay was the machine's rather than the server's):\n\n")
		for _, l := range shared {
			b.WriteString(l)
		}
	}
	var stalls []string
	for _, c := range rep.Cells {
		for i, r := range c.Rounds {
			if r.Oldest > 1e6 {
				stalls = append(stalls, fmt.Sprintf("- round %d, %s, %d conns, %s: %d request(s) still unanswered at the end of the round, the oldest after %s\n",
					i+1, c.Scenario, c.Conns, c.Side, r.Unfinished, dur(r.Oldest)))
			}
		}
	}
	if len(stalls) > 0 {
		b.WriteString("\nStalls (answers slower than 1 s, cut off by the end of a round; not counted in the latencies):\n\n")
		b.WriteString(strings.Join(stalls, ""))
	}
	b.WriteString("\n### Memory and cold start\n\n")
	b.WriteString("| server | RSS idle | peak RSS (VmHWM) | threads | cold start median | cold start min–max |\n|---|---:|---:|---:|---:|---:|\n")
	for _, s := range rep.Sides {
		cold, spread := "not measured", ""
		if len(s.Cold) > 0 {
			lo, hi := minMax(s.Cold)
			cold, spread = fmt.Sprintf("%.1f ms", median(s.Cold)), fmt.Sprintf("%.1f–%.1f ms (%d runs)", lo, hi, len(s.Cold))
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %d | %s | %s |\n", s.Name, procstat.MiB(s.IdleRSS), procstat.MiB(s.PeakRSS), s.Threads, cold, spread)
	}
	if len(rep.Sides) == 2 {
		r, u := rep.Sides[0], rep.Sides[1]
		cold := "–"
		if len(u.Cold) > 0 && len(r.Cold) > 0 {
			cold = ratio(median(u.Cold), median(r.Cold))
		}
		fmt.Fprintf(&b, "| **ours/reference** | %s | %s | | %s | |\n", ratio(float64(u.IdleRSS), float64(r.IdleRSS)),
			ratio(float64(u.PeakRSS), float64(r.PeakRSS)), cold)
	}
	if len(rep.Errors) > 0 {
		b.WriteString("\n### Errors\n\n")
		for _, e := range rep.Errors {
			fmt.Fprintf(&b, "- %s\n", e)
		}
	}
	return b.String()
}

func dur(us float64) string {
	if us >= 1000 {
		return fmt.Sprintf("%.2f ms", us/1000)
	}
	return fmt.Sprintf("%.0f µs", us)
}

func ratio(a, b float64) string {
	if b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.3gx", a/b)
}

func machine(o options) map[string]string {
	m := map[string]string{
		"go":                  runtime.Version(),
		"cpus":                strconv.Itoa(onlineCPUs()),
		"load average before": loadAvg(),
		"server pinning":      "taskset -c " + o.serverCPU + " (ours also GOMAXPROCS=1)",
		"ours":                "gobridge " + o.oursMode,
	}
	if o.serverCPU == "" {
		m["server pinning"] = "none"
	}
	if raw, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(raw), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				m["cpu model"] = strings.TrimSpace(v)
				break
			}
		}
	}
	if raw, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m["kernel"] = strings.TrimSpace(string(raw))
	}
	if out, err := exec.Command(o.node, "--version").Output(); err == nil {
		m["node"] = strings.TrimSpace(string(out))
	}
	if raw, err := os.ReadFile(filepath.Join(o.reference, "node_modules", "@novu", "framework", "package.json")); err == nil {
		var pkg struct{ Version string }
		if json.Unmarshal(raw, &pkg) == nil {
			m["reference"] = "@novu/framework " + pkg.Version + " on express"
		}
	}
	if st, err := procstat.Read(os.Getpid()); err == nil {
		m["load generator CPUs"] = st.CPUs
	}
	if raw, err := os.ReadFile("/proc/self/stat"); err == nil {
		if i := strings.LastIndexByte(string(raw), ')'); i > 0 {
			if f := strings.Fields(string(raw[i+1:])); len(f) > 16 {
				m["nice (servers and load generator)"] = f[16]
			}
		}
	}
	return m
}

// onlineCPUs counts the machine's CPUs, whatever this process is pinned to.
func onlineCPUs() int {
	raw, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.NumCPU()
	}
	n := 0
	for _, l := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(l, "processor") {
			n++
		}
	}
	return n
}

func loadAvg() string {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(raw))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// command is the command line that made the report: bench/run's, which it
// passes in BENCH_RUN_COMMAND, or else this process's own.
func command() string {
	if c := os.Getenv("BENCH_RUN_COMMAND"); c != "" {
		return c
	}
	return strings.Join(os.Args, " ")
}

// repoRoot finds the module root from the working directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if raw, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && strings.Contains(string(raw), "module github.com/echofn/echofn") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run compare inside the echofn repository")
		}
		dir = parent
	}
}

// gobridgeArgs is the gobridge command line of -ours mode: one of its
// modes, and for rawloop its flags.
func gobridgeArgs(mode string) ([]string, error) {
	args := strings.Fields(mode)
	if len(args) == 0 || !slices.Contains([]string{"serve", "plain", "floor", "rawloop"}, args[0]) ||
		(args[0] != "rawloop" && len(args) > 1) {
		return nil, fmt.Errorf("-ours %q: want serve, plain, floor, or rawloop with its flags", mode)
	}
	return args, nil
}

package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/echofn/echofn/bench/internal/load"
)

// pair is one scenario measured with both servers loaded at once, on the
// CPU they share, over several rounds. A server's CPU time per request on
// a core it has to itself is the inverse of its throughput there, so the
// reference's CPU per request over ours is the ratio of the two
// throughputs; measured in the same seconds, the machine's changes of speed
// from one second to the next touch both servers alike and cancel out of it.
type pair struct {
	Scenario string `json:"scenario"`
	Conns    int    `json:"conns"`
	// Reference and Ours hold each round's figures for each server (CPU is
	// its CPU time per request in µs, Busy its share of the wall time).
	Reference []round `json:"reference"`
	Ours      []round `json:"ours"`
	// Ratios holds each round's reference CPU per request over ours;
	// Ratio is their median.
	Ratios []float64 `json:"ratios"`
	Ratio  float64   `json:"medianRatio"`
}

// add records one round; it ignores a round in which either server
// answered nothing.
func (p *pair) add(ref, ours round) {
	p.Reference = append(p.Reference, ref)
	p.Ours = append(p.Ours, ours)
	if ref.CPU > 0 && ours.CPU > 0 {
		p.Ratios = append(p.Ratios, ref.CPU/ours.CPU)
	}
	p.Ratio = median(p.Ratios)
}

// driveTogether loads every side at once with r for d and returns each
// one's result and CPU time, in the order of sides.
func driveTogether(ctx context.Context, sides []*side, r load.Request, conns int, d time.Duration) ([]*load.Result, []time.Duration, error) {
	n := len(sides)
	res, cpu, errs := make([]*load.Result, n), make([]time.Duration, n), make([]error, n)
	start := make([]time.Duration, n)
	for i, sd := range sides {
		if done, err := sd.p.Exited(); done {
			return nil, nil, fmt.Errorf("%s died: %v\n%s", sd.spec.Name, err, sd.p.Output())
		}
		start[i], _ = sd.p.CPUTime()
	}
	var wg sync.WaitGroup
	for i, sd := range sides {
		wg.Go(func() {
			res[i], errs[i] = load.Run(ctx, load.Config{Addr: sd.addr, Requests: []load.Request{r}, Conns: conns, Duration: d, Resign: time.Second})
		})
	}
	wg.Wait()
	for i, sd := range sides {
		end, _ := sd.p.CPUTime()
		cpu[i] = end - start[i]
		if errs[i] != nil {
			return nil, nil, errs[i]
		}
		if done, err := sd.p.Exited(); done {
			return nil, nil, fmt.Errorf("%s died: %v\n%s", sd.spec.Name, err, sd.p.Output())
		}
	}
	return res, cpu, nil
}

// measureTogether runs o.together rounds of every scenario at the largest
// connection count with both servers loaded at once.
func (rep *report) measureTogether(reqs []load.Request) error {
	o := rep.opts
	if o.together <= 0 || len(rep.Sides) != 2 {
		return nil
	}
	conns := o.conns[len(o.conns)-1]
	for _, r := range reqs {
		p := &pair{Scenario: r.Name, Conns: conns}
		rep.Together = append(rep.Together, p)
		for rnd := 0; rnd < o.together; rnd++ {
			res, cpu, err := driveTogether(context.Background(), rep.Sides, r, conns, o.duration)
			if err != nil {
				return err
			}
			for i, sd := range rep.Sides {
				if res[i].Errors > 0 {
					rep.Errors = append(rep.Errors, fmt.Sprintf("%s on %s (both at once, round %d, %d conns): %d unexpected answers: %v",
						r.Name, sd.Name, rnd+1, conns, res[i].Errors, res[i].Samples))
				}
			}
			ref, ours := newRound(res[0], cpu[0], cpu[1]), newRound(res[1], cpu[1], cpu[0])
			p.add(ref, ours)
			fmt.Fprintf(os.Stderr, "both at once, round %d  %-15s %3d conns  reference %6.0f req/s %5.0fµs cpu/req busy %3.0f%%  ours %7.0f req/s %5.1fµs cpu/req busy %3.0f%%  errors %d/%d\n",
				rnd+1, r.Name, conns, ref.PerSecond, ref.CPU, 100*ref.Busy, ours.PerSecond, ours.CPU, 100*ours.Busy, res[0].Errors, res[1].Errors)
		}
	}
	return nil
}

// togetherMarkdown renders the rounds with both servers at once.
func togetherMarkdown(b *strings.Builder, cpus string, d time.Duration, pairs []*pair) {
	if len(pairs) == 0 {
		return
	}
	fmt.Fprintf(b, "\n### Both servers loaded at once (sharing CPU %q)\n\n", cpus)
	fmt.Fprintf(b, "Each round drives both servers together for %v with the same requests; each server's CPU time per\n", d)
	b.WriteString("request is measured over the same seconds, so the machine's changes of speed cancel out of the ratio.\n")
	b.WriteString("The ratio is the reference's CPU time per request over ours: how many times the reference's throughput\n")
	b.WriteString("ours reaches on a core of its own.\n\n")
	b.WriteString("| scenario | conns | reference CPU/req by round | ours CPU/req by round | ratio by round | **median ratio** | busy, reference / ours |\n")
	b.WriteString("|---|---:|---|---|---|---:|---:|\n")
	for _, p := range pairs {
		cpu := func(rs []round, format string) string {
			xs := make([]string, len(rs))
			for i, r := range rs {
				xs[i] = fmt.Sprintf(format, r.CPU)
			}
			return strings.Join(xs, ", ")
		}
		ratios := make([]string, len(p.Ratios))
		for i, x := range p.Ratios {
			ratios[i] = fmt.Sprintf("%.1fx", x)
		}
		mr, mo := medianRound(p.Reference), medianRound(p.Ours)
		fmt.Fprintf(b, "| %s | %d | %s µs | %s µs | %s | **%.1fx** | %.0f%% / %.0f%% |\n", p.Scenario, p.Conns,
			cpu(p.Reference, "%.0f"), cpu(p.Ours, "%.1f"), strings.Join(ratios, ", "), p.Ratio, 100*mr.Busy, 100*mo.Busy)
	}
}

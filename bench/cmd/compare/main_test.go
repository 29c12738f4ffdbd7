package main

import (
	"fmt"
	"strings"
	"testing"
)

func TestRatioRow(t *testing.T) {
	cellOf := func(side string, perSecond ...float64) *cell {
		c := &cell{Scenario: "execute-email", Conns: 16, Side: side}
		for _, x := range perSecond {
			c.Rounds = append(c.Rounds, round{PerSecond: x, CPU: 1e6 / x})
		}
		c.Median = medianRound(c.Rounds)
		return c
	}
	for _, tc := range []struct {
		name      string
		ref, ours []float64
		want      string
	}{
		{
			// Ratio of medians 25000/1000 = 25x; rounds 30x, 25x, 40x.
			"three rounds",
			[]float64{1500, 1000, 500}, []float64{45000, 25000, 20000},
			"| **ours/reference** | | | **25.0x** | 30.0x, 25.0x, 40.0x (median 30.0x) |",
		},
		{
			"two rounds, no median",
			[]float64{1000, 500}, []float64{30000, 20000},
			"| **ours/reference** | | | **33.3x** | 30.0x, 40.0x |",
		},
	} {
		rep := &report{Machine: map[string]string{}, opts: options{serverCPU: "1"},
			Cells: []*cell{cellOf("reference", tc.ref...), cellOf("ours", tc.ours...)}}
		if md := rep.markdown(); !strings.Contains(md, tc.want) {
			t.Errorf("%s: report lacks %q:\n%s", tc.name, tc.want, md)
		}
	}
}

func TestMemoryAndColdStartRows(t *testing.T) {
	ref := &side{Name: "reference", IdleRSS: 80 << 20, PeakRSS: 160 << 20, Cold: []float64{600, 500, 700}}
	ours := &side{Name: "ours", IdleRSS: 10 << 20, PeakRSS: 20 << 20}
	rep := &report{Machine: map[string]string{}, opts: options{serverCPU: "1"}, Sides: []*side{ref, ours}}
	md := rep.markdown()
	for _, want := range []string{
		"| reference | 80.0 MiB | 160.0 MiB | 0 | 600.0 ms | 500.0–700.0 ms (3 runs) |",
		"| ours | 10.0 MiB | 20.0 MiB | 0 | not measured |  |",
		"| **ours/reference** | 0.125x | 0.125x | | – | |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q:\n%s", want, md)
		}
	}
}

func TestCommand(t *testing.T) {
	t.Setenv("BENCH_RUN_COMMAND", "NICE=-10 bench/run -rounds 12")
	if got := command(); got != "NICE=-10 bench/run -rounds 12" {
		t.Errorf("command() = %q, want bench/run's", got)
	}
	t.Setenv("BENCH_RUN_COMMAND", "")
	if got := command(); !strings.Contains(got, "compare") {
		t.Errorf("command() = %q, want this process's own command line", got)
	}
}

func TestGobridgeArgs(t *testing.T) {
	for mode, want := range map[string]string{
		"serve":                      "[serve]",
		"floor":                      "[floor]",
		"rawloop --batched --canned": "[rawloop --batched --canned]",
		"serve --batched":            "error",
		"":                           "error",
		"fast":                       "error",
	} {
		got, err := gobridgeArgs(mode)
		if s := fmt.Sprint(got); err != nil && want != "error" || err == nil && s != want {
			t.Errorf("%q: %v, %v; want %s", mode, got, err, want)
		}
	}
}

package main

import (
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

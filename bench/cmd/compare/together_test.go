package main

import (
	"strings"
	"testing"
	"time"
)

func TestPairRatio(t *testing.T) {
	var p pair
	p.add(round{CPU: 900}, round{CPU: 30}) // 30x
	p.add(round{CPU: 500}, round{CPU: 0})  // ours answered nothing: no ratio
	p.add(round{CPU: 600}, round{CPU: 25}) // 24x
	p.add(round{CPU: 700}, round{CPU: 20}) // 35x
	if len(p.Reference) != 4 || len(p.Ours) != 4 {
		t.Fatalf("rounds kept: %d and %d, want 4 and 4", len(p.Reference), len(p.Ours))
	}
	if want := []float64{30, 24, 35}; len(p.Ratios) != len(want) || p.Ratios[0] != want[0] || p.Ratios[1] != want[1] || p.Ratios[2] != want[2] {
		t.Fatalf("ratios %v, want %v", p.Ratios, want)
	}
	if p.Ratio != 30 {
		t.Fatalf("median ratio %v, want 30", p.Ratio)
	}
}

func TestTogetherMarkdown(t *testing.T) {
	var b strings.Builder
	togetherMarkdown(&b, "1", time.Second, nil)
	if b.Len() != 0 {
		t.Fatalf("no rounds wrote %q", b.String())
	}
	p := &pair{Scenario: "execute-email", Conns: 16}
	p.add(round{CPU: 900, Busy: 0.5}, round{CPU: 30, Busy: 0.5})
	p.add(round{CPU: 660, Busy: 0.4}, round{CPU: 30, Busy: 0.6})
	togetherMarkdown(&b, "1", time.Second, []*pair{p})
	for _, want := range []string{
		"sharing CPU \"1\"",
		"| execute-email | 16 | 900, 660 µs | 30.0, 30.0 µs | 30.0x, 22.0x | **26.0x** | 45% / 55% |",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, b.String())
		}
	}
}

package procstat

import (
	"os"
	"testing"
	"time"
)

func TestParseStatus(t *testing.T) {
	raw := []byte("Name:\tgobridge\nVmPeak:\t  1000 kB\nVmHWM:\t    8192 kB\nVmRSS:\t    4096 kB\nThreads:\t5\nCpus_allowed_list:\t1\n")
	s, err := parseStatus(raw)
	if err != nil {
		t.Fatal(err)
	}
	want := Status{PeakRSS: 8 << 20, RSS: 4 << 20, Threads: 5, CPUs: "1"}
	if s != want {
		t.Errorf("got %+v, want %+v", s, want)
	}
	if _, err := parseStatus([]byte("Name:\tkthreadd\n")); err == nil {
		t.Error("a status without VmRSS was accepted")
	}
}

func TestParseStat(t *testing.T) {
	raw := []byte("1234 (a (weird) name) S 1 1 1 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 1 0 1 1 1")
	d, err := parseStat(raw)
	if err != nil {
		t.Fatal(err)
	}
	if d != 3*time.Second {
		t.Errorf("cpu time %v, want 3s", d)
	}
}

func TestReadSelf(t *testing.T) {
	s, err := Read(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if s.RSS <= 0 || s.PeakRSS < s.RSS || s.Threads < 1 {
		t.Errorf("implausible status of this process: %+v", s)
	}
	if _, err := CPUTime(os.Getpid()); err != nil {
		t.Fatal(err)
	}
}

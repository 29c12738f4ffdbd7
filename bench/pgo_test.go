package bench

import (
	"bytes"
	"os"
	"testing"
)

// The benchmarked build of `echofn serve` (bench/cmd/gobridge) is optimised
// with the same profile as the echofn command, so that it measures what
// ships; bench/pgo writes both.
func TestProfilesMatch(t *testing.T) {
	shipped, err := os.ReadFile("../cmd/echofn/default.pgo")
	if err != nil {
		t.Fatal(err)
	}
	benched, err := os.ReadFile("cmd/gobridge/default.pgo")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(shipped, benched) {
		t.Fatal("cmd/echofn/default.pgo and bench/cmd/gobridge/default.pgo differ: run bench/pgo")
	}
	if !bytes.HasPrefix(shipped, []byte{0x1f, 0x8b}) { // pprof's gzipped protocol buffer
		t.Fatal("cmd/echofn/default.pgo is not a gzipped pprof profile")
	}
}

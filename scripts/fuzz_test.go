// Package scripts_test checks the repository's shell scripts.
package scripts_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// fakeGo stands in for the go command: each call appends to calls, then
// prints the output of the next scenario step and exits with its status.
// A step "crash" also saves an input, as the fuzz engine does for a finding.
const fakeGo = `#!/usr/bin/env bash
dir=$(dirname "$0")
echo "$*" >> "$dir/calls"
n=$(wc -l < "$dir/calls")
step=$(sed -n "${n}p" "$dir/steps")
case "$step" in
pass)
  echo "fuzz: elapsed: 10s, execs: 100 (10/sec), new interesting: 0 (total: 1)"
  echo PASS
  exit 0 ;;
deadline)
  echo "fuzz: elapsed: 10s, execs: 100 (0/sec), new interesting: 0 (total: 1)"
  echo "--- FAIL: FuzzThing (10.23s)"
  echo "    context deadline exceeded"
  echo FAIL
  exit 1 ;;
crash)
  mkdir -p "$PKG/testdata/fuzz/FuzzThing"
  echo 'go test fuzz v1' > "$PKG/testdata/fuzz/FuzzThing/0123abcd"
  echo "--- FAIL: FuzzThing (1.02s)"
  echo "    context deadline exceeded"
  echo FAIL
  exit 1 ;;
wrong)
  echo "--- FAIL: FuzzThing (0.50s)"
  echo "    --- FAIL: FuzzThing (0.00s)"
  echo "        thing_test.go:9: wrong answer"
  echo FAIL
  exit 1 ;;
esac
echo "no step $n" >&2
exit 2
`

// runFuzz runs scripts/fuzz in a scratch repository holding one fuzz
// target, with a go command that plays steps in order. It returns the
// script's output, whether it succeeded, and how many times go ran.
func runFuzz(t *testing.T, steps ...string) (out string, ok bool, calls int) {
	t.Helper()
	src, err := os.ReadFile("fuzz")
	if err != nil {
		t.Fatal(err)
	}
	repo := t.TempDir()
	bin := filepath.Join(repo, "bin")
	pkg := filepath.Join(repo, "thing")
	for _, d := range []string{filepath.Join(repo, "scripts"), bin, pkg} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string]string{
		filepath.Join(repo, "scripts", "fuzz"): string(src),
		filepath.Join(bin, "go"):               fakeGo,
		filepath.Join(bin, "steps"):            strings.Join(steps, "\n") + "\n",
		filepath.Join(pkg, "thing_test.go"):    "package thing\n\nimport \"testing\"\n\nfunc FuzzThing(f *testing.F) {}\n",
	}
	for name, body := range files {
		if err := os.WriteFile(name, []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("bash", filepath.Join(repo, "scripts", "fuzz"), "10s")
	cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"), "PKG="+pkg)
	b, err := cmd.CombinedOutput()
	if _, exit := err.(*exec.ExitError); err != nil && !exit {
		t.Fatal(err)
	}
	log, _ := os.ReadFile(filepath.Join(bin, "calls"))
	return string(b), err == nil, strings.Count(string(log), "\n")
}

func TestFuzzScript(t *testing.T) {
	tests := []struct {
		name      string
		steps     []string
		ok        bool
		calls     int
		wantInOut string
	}{
		{"a clean run passes", []string{"pass"}, true, 1, "PASS"},
		{"the coordinator's deadline once is run again", []string{"deadline", "pass"}, true, 2, "running it again"},
		{"the coordinator's deadline twice is a warning", []string{"deadline", "deadline"}, true, 2, "WARNING"},
		{"a saved input fails at once", []string{"crash", "pass"}, false, 1, "FuzzThing: failed"},
		{"a failing check fails at once", []string{"wrong", "pass"}, false, 1, "FuzzThing: failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, ok, calls := runFuzz(t, tt.steps...)
			if ok != tt.ok || calls != tt.calls || !strings.Contains(out, tt.wantInOut) {
				t.Errorf("ok %v, go ran %d times, want ok %v, %d times, output containing %q; output:\n%s",
					ok, calls, tt.ok, tt.calls, tt.wantInOut, out)
			}
		})
	}
}

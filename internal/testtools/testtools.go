// Package testtools finds the programs that scripts/setup installs into
// .tools/ for tests that drive real emulators, servers and browsers.
package testtools

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// Root returns the repository's root directory.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Dir returns the .tools directory (or $TOOLS when set).
func Dir() string {
	if d := os.Getenv("TOOLS"); d != "" {
		return d
	}
	return filepath.Join(Root(), ".tools")
}

// Require returns the path of a file under .tools (such as "bin/aws-lambda-rie")
// or of a program on PATH when rel has no slash. When it is missing the test
// is skipped, except in CI (CI=true), where scripts/setup installs it and
// its absence is a failure.
func Require(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(Dir(), rel)
	if _, err := os.Stat(p); err == nil {
		return p
	}
	if filepath.Base(rel) == rel {
		if lp, err := exec.LookPath(rel); err == nil {
			return lp
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is missing; scripts/setup installs it", rel)
	}
	t.Skipf("%s is missing; run scripts/setup to install it", rel)
	return ""
}

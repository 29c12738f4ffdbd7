package lambda_test

import (
	"os"
	"testing"
)

// cleanups run after every test of the package, for what tests share
// (such as the built bootstrap).
var cleanups []func()

func TestMain(m *testing.M) {
	code := m.Run()
	for _, c := range cleanups {
		c()
	}
	os.Exit(code)
}

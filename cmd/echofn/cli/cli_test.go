package cli

import (
	"strings"
	"testing"
)

func TestCommandLine(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		code      int
		stdoutHas string
		stderrHas string
	}{
		{"no command", nil, ExitUsage, "", "Usage: echofn <command>"},
		{"help", []string{"help"}, ExitOK, "Commands:", ""},
		{"--help", []string{"--help"}, ExitOK, "Exit codes: 0 ok, 1 failure, 2", ""},
		{"help of a command", []string{"help", "sync"}, ExitOK, "Usage: echofn sync --bridge-url URL", ""},
		{"unknown command", []string{"deploy"}, ExitUsage, "", `unknown command "deploy"`},
		{"version", []string{"version"}, ExitOK, "bridge protocol 2024-06-26", ""},
		{"--version", []string{"--version"}, ExitOK, "wire format of @novu/framework 2.13.2", ""},
		{"version with an argument", []string{"version", "x"}, ExitUsage, "", "takes no arguments"},
		{"unknown flag", []string{"run", "--nope"}, ExitUsage, "", "flag provided but not defined: -nope"},
		{"flag without its value", []string{"sync", "--bridge-url"}, ExitUsage, "", "flag needs an argument"},
		{"bad duration", []string{"sync", "--timeout", "soon"}, ExitUsage, "", `invalid value "soon"`},
		{"serve with an argument", []string{"serve", "now"}, ExitUsage, "", `unexpected argument "now"`},
		{"dev with a bad port", []string{"dev", "--port", "70000"}, ExitUsage, "", "not a port number"},
		{"dev on the Studio's path", []string{"dev", "--route", "/studio/api"}, ExitUsage, "", "where the Studio lives"},
		{"serve with a bad route", []string{"serve", "--route", "api"}, ExitUsage, "", "must be a path"},
		{"serve with a bad log format", []string{"serve", "--log-format", "xml"}, ExitUsage, "", "want text or json"},
	}
	for _, c := range commands {
		tests = append(tests, struct {
			name      string
			args      []string
			code      int
			stdoutHas string
			stderrHas string
		}{c.name + " --help", []string{c.name, "--help"}, ExitOK, "Usage: echofn " + c.name, ""})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := newApp(map[string]string{EnvSecretKey: "sk_test"})
			if code := a.run(tc.args...); code != tc.code {
				t.Errorf("exit code %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, a.stdout, a.stderr)
			}
			if !strings.Contains(a.stdout.String(), tc.stdoutHas) {
				t.Errorf("stdout lacks %q:\n%s", tc.stdoutHas, a.stdout)
			}
			if !strings.Contains(a.stderr.String(), tc.stderrHas) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderrHas, a.stderr)
			}
			if tc.code == ExitUsage && !strings.Contains(a.stderr.String(), "help") && !strings.Contains(a.stderr.String(), "Usage:") {
				t.Errorf("a usage error should say where help is:\n%s", a.stderr)
			}
		})
	}
}

func TestHelpListsFlagsWithAliasesDefaultsAndEnv(t *testing.T) {
	a := newApp(map[string]string{EnvSecretKey: "sk_secret_never_shown", EnvAPIURL: "https://api.example.com"})
	if code := a.run("sync", "-h"); code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	out := a.stdout.String()
	for _, want := range []string{
		"-b, --bridge-url URL",
		"-s, --secret-key key",
		"(env NOVU_SECRET_KEY)",
		"-a, --api-url URL",
		"(env NOVU_API_URL)",
		"--retries int",
		"(default 3)",
		"--timeout duration",
		"(default 30s)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("help lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "sk_secret_never_shown") || strings.Contains(out, "api.example.com") {
		t.Errorf("help shows values from the environment:\n%s", out)
	}
}

func TestFlagsAfterArguments(t *testing.T) {
	f := newApp(nil).newFlags("x", "")
	v := f.String("v", "", "")
	b := f.Bool("b", false, "")
	rest, _, ok := f.parse([]string{"one", "-v", "x", "two", "-b", "--", "-three"})
	if !ok || *v != "x" || !*b || strings.Join(rest, ",") != "one,two,-three" {
		t.Errorf("parse: ok=%v v=%q b=%v rest=%q", ok, *v, *b, rest)
	}
}

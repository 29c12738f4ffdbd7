package cli

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/echofn/echofn/core/signature"
)

// The vectors of the protocol notes (secret sk_test_conformance, t 1700000000000).
func TestSignVectors(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "body.json")
	if err := os.WriteFile(file, []byte(`{"b":1,"a":2}`), 0o600); err != nil {
		t.Fatal(err)
	}
	const (
		getV1  = "t=1700000000000,v1=0b0da56fc193d33432e191cc6dc4506bd6701d0426208cd03e9950eab3fc2602"
		postV1 = "t=1700000000000,v1=916518dcfb1651c84271e7c84f00ce7135d9afef814045b9dcc68c832ef2ce6d"
		event  = "t=1700000000000,v1=cbc4c399367ac36cc3bb7dd013267e103063b12d5fb1fc411681dc555b6daedc"
	)
	tests := []struct {
		name  string
		args  []string
		stdin string
		want  string
	}{
		{"GET signs {}", []string{"--method", "GET"}, "", getV1},
		{"get in lower case", []string{"--method", "get"}, "", getV1},
		{"body argument", []string{`{"b":1,"a":2}`}, "", postV1},
		{"body file", []string{"@" + file}, "", postV1},
		{"standard input", nil, `{"b":1,"a":2}`, postV1},
		{"dash for standard input", []string{"-"}, `{"b":1,"a":2}`, postV1},
		{"execute event", []string{`{"payload":{"name":"Ada"},"controls":{},"state":[],"subscriber":{}}`}, "", event},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := newApp(map[string]string{EnvSecretKey: "sk_test_conformance"})
			a.Stdin = strings.NewReader(tc.stdin)
			args := append([]string{"sign", "--timestamp", "1700000000000"}, tc.args...)
			if code := a.run(args...); code != ExitOK {
				t.Fatalf("exit %d: %s", code, a.stderr)
			}
			if got := strings.TrimSpace(a.stdout.String()); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestSignMistakes(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"no secret key", nil, []string{"sign", "{}"}, "--secret-key (or NOVU_SECRET_KEY) is required"},
		{"GET with a body", map[string]string{EnvSecretKey: "k"}, []string{"sign", "--method", "GET", "{}"}, "takes no body"},
		{"unknown method", map[string]string{EnvSecretKey: "k"}, []string{"sign", "--method", "PUT", "{}"}, "want GET or POST"},
		{"empty body", map[string]string{EnvSecretKey: "k"}, []string{"sign", ""}, "the body is empty"},
		{"missing file", map[string]string{EnvSecretKey: "k"}, []string{"sign", "@/nonexistent/body.json"}, "no such file"},
		{"two bodies", map[string]string{EnvSecretKey: "k"}, []string{"sign", "{}", "{}"}, "one body at a time"},
		{"negative timestamp", map[string]string{EnvSecretKey: "k"}, []string{"sign", "--timestamp", "-5", "{}"}, "must be positive"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := newApp(tc.env)
			if code := a.run(tc.args...); code != ExitUsage {
				t.Fatalf("exit %d, want %d", code, ExitUsage)
			}
			if !strings.Contains(a.stderr.String(), tc.want) {
				t.Errorf("stderr lacks %q: %s", tc.want, a.stderr)
			}
		})
	}
}

func TestSignWarnsOfATrailingNewline(t *testing.T) {
	a := newApp(map[string]string{EnvSecretKey: "k"})
	a.Stdin = strings.NewReader("{}\n")
	if code := a.run("sign"); code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(a.stderr.String(), "ends with a newline") {
		t.Errorf("no note about the newline: %s", a.stderr)
	}
	header := strings.TrimSpace(a.stdout.String())
	if err := signature.Verify(header, []byte("{}\n"), time.Now(), "k"); err != nil {
		t.Errorf("the signature does not verify over the bytes given: %v", err)
	}
}

// What sign prints is what a bridge accepts, as curl would send it.
func TestSignedRequestsPassARealBridge(t *testing.T) {
	srv := bridgeServer(t, "sk_curl")
	sign := func(args ...string) string {
		a := newApp(map[string]string{EnvSecretKey: "sk_curl"})
		if code := a.run(append([]string{"sign"}, args...)...); code != ExitOK {
			t.Fatalf("sign: exit %d: %s", code, a.stderr)
		}
		return strings.TrimSpace(a.stdout.String())
	}
	do := func(method, query, header string, body []byte) int {
		req, _ := http.NewRequestWithContext(context.Background(), method, srv.URL+query, bytes.NewReader(body))
		req.Header.Set("novu-signature", header)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := do("GET", "?action=discover", sign("--method", "GET"), nil); got != 200 {
		t.Errorf("discover: %d", got)
	}
	event := []byte(`{"payload":{"dashboardUrl":"https://app.example.com"},"controls":{},"state":[],"subscriber":{}}`)
	if got := do("POST", "?action=execute&workflowId=welcome-onboarding&stepId=welcome-email", sign(string(event)), event); got != 200 {
		t.Errorf("execute: %d", got)
	}
	if got := do("GET", "?action=discover", sign("--method", "GET", "--secret-key", "sk_other"), nil); got != 401 {
		t.Errorf("discover signed with another key: %d, want 401", got)
	}
}

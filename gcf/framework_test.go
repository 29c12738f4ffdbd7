package gcf_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/core/nethttp"
	"github.com/echofn/echofn/gcf"
	"github.com/echofn/echofn/gcf/internal/stage"
	"github.com/echofn/echofn/internal/conformance"
	"github.com/echofn/echofn/internal/testtools"
)

const (
	executeQuery = "action=execute&workflowId=welcome-email&stepId=send-email"
	executeBody  = `{"payload":{"name":"Ada"},"controls":{},"state":[],"subscriber":{"subscriberId":"sub-1","firstName":"Ada"},"context":{}}`
)

func newBridge(t testing.TB, server string) *core.Bridge {
	t.Helper()
	b, err := core.New(core.Config{SecretKey: conformance.Secret, Server: server,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, conformance.Workflows()...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// send sends c to url, signed at now, and returns the status and body.
func send(t testing.TB, url string, c conformance.Case, now time.Time) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(c.Method, url+"?"+c.Query, strings.NewReader(c.Body))
	if err != nil {
		t.Fatal(err)
	}
	if c.Body != "" {
		req.Header.Set("content-type", "application/json")
	}
	for k, v := range c.Headers(now) {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}

var client = &http.Client{Timeout: 15 * time.Second}

// compareWithNetHTTP runs the conformance table against url and compares
// each answer with core/nethttp's, status and body.
func compareWithNetHTTP(t *testing.T, url string) {
	ref := httptest.NewServer(nethttp.Handler(newBridge(t, "nethttp")))
	defer ref.Close()
	for _, c := range conformance.Cases() {
		t.Run(c.Name, func(t *testing.T) {
			now := time.Now()
			status, body := send(t, url, c, now)
			refStatus, refBody := send(t, ref.URL, c, now)
			for _, d := range conformance.Compare(c.Name, refStatus, refBody, status, body) {
				t.Error(d)
			}
		})
	}
}

// checkSigned sends a signed discover and execute, a tampered execute and
// an unsigned one.
func checkSigned(t *testing.T, url string) {
	now := time.Now()
	execute := conformance.Case{Method: "POST", Query: executeQuery, Body: executeBody}
	tampered := execute
	tampered.Body = strings.Replace(executeBody, "Ada", "Eve", 1)
	tampered.Sign = func(now time.Time, _ string) map[string]string { return execute.Headers(now) }
	unsigned := execute
	unsigned.Sign = func(time.Time, string) map[string]string { return nil }
	tests := []struct {
		name   string
		c      conformance.Case
		status int
		has    string
	}{
		{"discover", conformance.Case{Method: "GET", Query: "action=discover"}, 200, `"workflowId":"welcome-email"`},
		{"execute", execute, 200, `"subject":"Welcome, Ada!"`},
		{"tampered", tampered, 401, core.CodeSignatureMismatch},
		{"unsigned", unsigned, 401, core.CodeSignatureNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := send(t, url, tt.c, now)
			if status != tt.status || !bytes.Contains(body, []byte(tt.has)) {
				t.Errorf("%d %s; want %d with %s", status, body, tt.status, tt.has)
			}
		})
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// buildExe builds the main package pkg, from dir, into a test directory.
func buildExe(t testing.TB, dir, pkg string, env ...string) string {
	t.Helper()
	exe := filepath.Join(t.TempDir(), "function")
	cmd := exec.Command("go", "build", "-trimpath", "-o", exe, pkg)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
	return exe
}

// function is a running Functions Framework server.
type function struct {
	url string
	cmd *exec.Cmd
	out *lockedBuffer
}

func freeAddr(t testing.TB) (host, port string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	host, port, _ = net.SplitHostPort(l.Addr().String())
	return host, port
}

// startFunction runs exe as Cloud Functions does, with FUNCTION_TARGET and
// PORT (on 127.0.0.1), plus env, and stops it at the test's end.
func startFunction(t testing.TB, exe string, env ...string) *function {
	t.Helper()
	host, port := freeAddr(t)
	f := &function{url: "http://" + host + ":" + port + "/", out: &lockedBuffer{}}
	f.cmd = exec.Command(exe)
	f.cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.TempDir(),
		"FUNCTION_TARGET=" + gcf.EntryPoint, "PORT=" + port, "HOST=" + host}, env...)
	f.cmd.Stdout, f.cmd.Stderr = f.out, f.out
	if err := f.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.stop)
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", host+":"+port, 100*time.Millisecond)
		if err == nil {
			c.Close()
			return f
		}
		if time.Now().After(deadline) {
			t.Fatalf("the function did not listen on %s:%s: %v\n%s", host, port, err, f.out)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (f *function) stop() {
	if f.cmd.Process != nil {
		_ = f.cmd.Process.Kill()
		_ = f.cmd.Wait()
	}
}

// TestFrameworkServer runs gcf/function under the Functions Framework's
// own server (gcf/cmd/local) as a separate process.
func TestFrameworkServer(t *testing.T) {
	exe := buildExe(t, testtools.Root(), "./gcf/cmd/local")
	f := startFunction(t, exe, "NOVU_SECRET_KEY="+conformance.Secret+"\n")
	t.Run("signed", func(t *testing.T) { checkSigned(t, f.url) })
	t.Run("conformance", func(t *testing.T) { compareWithNetHTTP(t, f.url) })
	t.Run("server header", func(t *testing.T) {
		resp, err := client.Get(f.url + "?action=health-check")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := resp.Header.Get("novu-framework-server"); got != "gcf" {
			t.Errorf("novu-framework-server %q", got)
		}
	})
}

// TestFrameworkServerWithoutKey starts the function without a secret key:
// it stops at once and says why.
func TestFrameworkServerWithoutKey(t *testing.T) {
	exe := buildExe(t, testtools.Root(), "./gcf/cmd/local")
	cmd := exec.Command(exe)
	cmd.Env = []string{"FUNCTION_TARGET=" + gcf.EntryPoint, "PORT=0", "HOST=127.0.0.1"}
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "Missing secret key") {
		t.Errorf("exit %v, output %s", err, out)
	}
}

// TestDeployableSource builds dist/gcf/source as Cloud Build does: its
// root package wrapped in a generated main that imports it and starts the
// Functions Framework, built from the vendor directory with no module
// download; the result serves signed calls like core/nethttp.
func TestDeployableSource(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "source")
	if err := stage.Source(context.Background(), testtools.Root(), "./gcf/function", dir, ""); err != nil {
		t.Fatal(err)
	}
	app := filepath.Join(dir, "functions.local", "app")
	if err := os.MkdirAll(app, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(app, "main.go"), []byte(buildMain), 0o644); err != nil {
		t.Fatal(err)
	}
	exe := buildExe(t, dir, "./functions.local/app", "GOFLAGS=-mod=vendor", "GOPROXY=off", "GOWORK=off")
	f := startFunction(t, exe, "NOVU_SECRET_KEY="+conformance.Secret)
	t.Run("signed", func(t *testing.T) { checkSigned(t, f.url) })
	t.Run("conformance", func(t *testing.T) { compareWithNetHTTP(t, f.url) })
}

// buildMain is the main package Cloud Build's Go functions buildpack
// generates for a function registered with functions.HTTP: a blank import
// of the module's root package, then the framework's server (here on the
// HOST address, 127.0.0.1, rather than every interface).
const buildMain = `package main

import (
	"log"
	"os"

	_ "github.com/echofn/echofn"

	"github.com/GoogleCloudPlatform/functions-framework-go/funcframework"
)

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	if err := funcframework.StartHostPort(os.Getenv("HOST"), port); err != nil {
		log.Fatalf("Function failed to start: %v\n", err)
	}
}
`

// BenchmarkColdStart measures, per iteration, the time from starting the
// function's process to the first answer to a signed execute request.
// Run with -benchtime=Nx; it reports the median.
func BenchmarkColdStart(b *testing.B) {
	exe := buildExe(b, testtools.Root(), "./gcf/cmd/local")
	c := conformance.Case{Method: "POST", Query: executeQuery, Body: executeBody}
	headers := c.Headers(time.Now())
	var runs []time.Duration
	for b.Loop() {
		host, port := freeAddr(b)
		url := "http://" + host + ":" + port + "/?" + executeQuery
		cmd := exec.Command(exe)
		cmd.Env = []string{"FUNCTION_TARGET=" + gcf.EntryPoint, "PORT=" + port, "HOST=" + host, "NOVU_SECRET_KEY=" + conformance.Secret}
		start := time.Now()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		for {
			req, _ := http.NewRequest("POST", url, strings.NewReader(executeBody))
			for k, v := range headers {
				req.Header.Set(k, v)
			}
			resp, err := client.Do(req)
			if err != nil {
				if time.Since(start) > 10*time.Second {
					_ = cmd.Process.Kill()
					b.Fatal(err)
				}
				time.Sleep(time.Millisecond)
				continue
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				_ = cmd.Process.Kill()
				b.Fatalf("status %d", resp.StatusCode)
			}
			break
		}
		runs = append(runs, time.Since(start))
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
	slices.Sort(runs)
	b.ReportMetric(float64(runs[len(runs)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(runs[0].Microseconds())/1000, "ms-min")
}

// BenchmarkWarm measures signed execute requests to a running function;
// it reports the median and the 99th percentile.
func BenchmarkWarm(b *testing.B) {
	exe := buildExe(b, testtools.Root(), "./gcf/cmd/local")
	f := startFunction(b, exe, "NOVU_SECRET_KEY="+conformance.Secret)
	c := conformance.Case{Method: "POST", Query: executeQuery, Body: executeBody}
	now := time.Now()
	if status, body := send(b, f.url, c, now); status != 200 {
		b.Fatalf("warm-up: %d %s", status, body)
	}
	headers := c.Headers(now)
	var runs []time.Duration
	for b.Loop() {
		req, _ := http.NewRequest("POST", f.url+"?"+executeQuery, strings.NewReader(executeBody))
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		runs = append(runs, time.Since(start))
		if resp.StatusCode != 200 {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
	slices.Sort(runs)
	b.ReportMetric(float64(runs[len(runs)/2].Microseconds()), "µs-median")
	b.ReportMetric(float64(runs[len(runs)*99/100].Microseconds()), "µs-p99")
}

//go:build linux

package lambda_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/core/signature"
	"github.com/echofn/echofn/internal/conformance"
	"github.com/echofn/echofn/internal/testtools"
	"github.com/echofn/echofn/lambda/internal/pack"
)

// The bootstrap under test is the one `go run ./lambda/cmd/package` ships:
// built with the same flags, zipped, and taken back out of the zip.
var (
	bootstrapOnce sync.Once
	bootstrapPath string
	bootstrapErr  error
)

func bootstrap(t testing.TB) string {
	t.Helper()
	bootstrapOnce.Do(func() {
		dir, err := os.MkdirTemp("", "echofn-lambda-test-")
		if err != nil {
			bootstrapErr = err
			return
		}
		cleanups = append(cleanups, func() { os.RemoveAll(dir) })
		zipPath := filepath.Join(dir, "bootstrap-"+runtime.GOARCH+".zip")
		if _, err := pack.Bootstrap(context.Background(), testtools.Root(), "./lambda/cmd/bootstrap", runtime.GOARCH, zipPath); err != nil {
			bootstrapErr = err
			return
		}
		bootstrapPath, bootstrapErr = unzipBootstrap(zipPath, filepath.Join(dir, "task"))
	})
	if bootstrapErr != nil {
		t.Fatal(bootstrapErr)
	}
	return bootstrapPath
}

// unzipBootstrap extracts the zip's bootstrap with the mode the zip gives
// it, as Lambda does.
func unzipBootstrap(zipPath, dir string) (string, error) {
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		return "", err
	}
	defer zr.Close()
	if len(zr.File) != 1 || zr.File[0].Name != "bootstrap" {
		return "", fmt.Errorf("zip holds %d files, want just bootstrap", len(zr.File))
	}
	f := zr.File[0]
	rc, err := f.Open()
	if err != nil {
		return "", err
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	p := filepath.Join(dir, "bootstrap")
	return p, os.WriteFile(p, data, f.Mode().Perm())
}

// rie is a running AWS Lambda Runtime Interface Emulator with the
// bootstrap as its function.
type rie struct {
	url string
	cmd *exec.Cmd
	out *lockedBuffer
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

func freePort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startRIE starts the emulator on free loopback ports with env as the
// function's whole environment, and stops it (and the bootstrap it
// started) when the test ends. It returns once the emulator listens.
func startRIE(t testing.TB, exe string, env ...string) *rie {
	t.Helper()
	bin := testtools.Require(t, "bin/aws-lambda-rie")
	addr, apiAddr := freePort(t), freePort(t)
	r := &rie{url: "http://" + addr + "/2015-03-31/functions/function/invocations", out: &lockedBuffer{}}
	r.cmd = exec.Command(bin, "--log-level", "error",
		"--runtime-interface-emulator-address", addr, "--runtime-api-address", apiAddr, exe)
	r.cmd.Dir = filepath.Dir(exe)
	r.cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.TempDir(), "AWS_LAMBDA_FUNCTION_TIMEOUT=10"}, env...)
	r.cmd.Stdout, r.cmd.Stderr = r.out, r.out
	r.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.stop)
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
		if err == nil {
			c.Close()
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("the emulator did not listen on %s: %v\n%s", addr, err, r.out)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// stop ends the emulator's process group: the emulator and the bootstrap.
func (r *rie) stop() {
	if r.cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-r.cmd.Process.Pid, syscall.SIGKILL)
	_ = r.cmd.Wait()
}

var invokeClient = &http.Client{Timeout: 15 * time.Second}

// invoke sends one event and returns the emulator's status and the
// function's answer.
func (r *rie) invoke(t testing.TB, event []byte) (int, []byte) {
	t.Helper()
	resp, err := invokeClient.Post(r.url, "application/json", bytes.NewReader(event))
	if err != nil {
		t.Fatalf("invoke: %v\n%s", err, r.out)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}

func (r *rie) answer(t testing.TB, event []byte) answer {
	t.Helper()
	status, body := r.invoke(t, event)
	if status != 200 {
		t.Fatalf("emulator status %d: %s\n%s", status, body, r.out)
	}
	return decodeAnswer(t, body)
}

// TestEmulator runs the packaged bootstrap under the Runtime Interface
// Emulator and sends it API Gateway v1 and v2, function URL and ALB events.
func TestEmulator(t *testing.T) {
	exe := bootstrap(t)
	r := startRIE(t, exe, "NOVU_SECRET_KEY="+conformance.Secret)
	ref := newReference(t)
	fixtures := loadFixtures(t)

	t.Run("fixtures", func(t *testing.T) {
		for _, f := range fixtures {
			t.Run(f.name, func(t *testing.T) {
				now := time.Now()
				discover := conformance.Case{Name: "discover", Method: "GET", Query: "action=discover"}
				a := r.answer(t, f.caseEvent(t, discover, now))
				refStatus, refBody := ref.do(t, discover, now)
				if diffs := conformance.Compare("discover", refStatus, refBody, a.StatusCode, []byte(a.Body)); a.StatusCode != 200 || diffs != nil {
					t.Errorf("discover: %d %v", a.StatusCode, diffs)
				}

				execute := conformance.Case{Name: "execute-email", Method: "POST", Query: executeQuery, Body: executeBody}
				a = r.answer(t, f.caseEvent(t, execute, now))
				refStatus, refBody = ref.do(t, execute, now)
				if diffs := conformance.Compare(execute.Name, refStatus, refBody, a.StatusCode, []byte(a.Body)); a.StatusCode != 200 || diffs != nil {
					t.Errorf("execute: %d %v", a.StatusCode, diffs)
				}
				if !strings.Contains(a.Body, `"subject":"Welcome, Ada!"`) {
					t.Errorf("execute answer %s", a.Body)
				}

				// Signed for one body, sent with another.
				tampered := f.event(t, "POST", executeQuery, strings.Replace(executeBody, "Ada", "Eve", 1), execute.Headers(now))
				a = r.answer(t, tampered)
				if a.StatusCode != 401 || !strings.Contains(a.Body, core.CodeSignatureMismatch) {
					t.Errorf("tampered: %d %s", a.StatusCode, a.Body)
				}
			})
		}
	})

	t.Run("conformance", func(t *testing.T) {
		for _, f := range fixtures {
			for _, c := range conformance.Cases() {
				t.Run(f.name+"/"+c.Name, func(t *testing.T) {
					now := time.Now()
					a := r.answer(t, f.caseEvent(t, c, now))
					refStatus, refBody := ref.do(t, c, now)
					for _, d := range conformance.Compare(c.Name, refStatus, refBody, a.StatusCode, []byte(a.Body)) {
						t.Error(d)
					}
				})
			}
		}
	})

	t.Run("not an HTTP event", func(t *testing.T) {
		_, body := r.invoke(t, []byte(`{"Records":[{"eventSource":"aws:s3"}]}`))
		if !bytes.Contains(body, []byte(`"errorMessage"`)) || !bytes.Contains(body, []byte("not an HTTP request")) {
			t.Errorf("answer %s", body)
		}
		// The function goes on serving.
		a := r.answer(t, fixtures[0].caseEvent(t, conformance.Case{Method: "GET", Query: "action=health-check"}, time.Now()))
		if a.StatusCode != 200 {
			t.Errorf("health-check after an error: %d %s", a.StatusCode, a.Body)
		}
	})
}

// TestEmulatorSecretFromSSM starts the bootstrap with its secret key in
// Parameter Store (a stand-in on 127.0.0.1): it is read once, at start-up.
func TestEmulatorSecretFromSSM(t *testing.T) {
	exe := bootstrap(t)
	fake, srv := newFakeAWS(t, map[string]string{"/novu/secret-key": conformance.Secret}, nil)
	r := startRIE(t, exe,
		"NOVU_SECRET_KEY_SSM_PARAMETER=/novu/secret-key",
		"AWS_ENDPOINT_URL="+srv.URL,
		"AWS_REGION=eu-west-1",
		"AWS_ACCESS_KEY_ID=AKIDTEST",
		"AWS_SECRET_ACCESS_KEY=test-secret-access-key",
		"AWS_SESSION_TOKEN=test-session-token")
	f := loadFixtures(t)[0]
	for i := range 3 {
		c := conformance.Case{Method: "POST", Query: executeQuery, Body: executeBody}
		if a := r.answer(t, f.caseEvent(t, c, time.Now())); a.StatusCode != 200 {
			t.Fatalf("execute %d: %d %s", i, a.StatusCode, a.Body)
		}
	}
	calls, bad := fake.received()
	if len(calls) != 1 || calls[0].Target != "AmazonSSM.GetParameter" || calls[0].Body["Name"] != "/novu/secret-key" || len(bad) > 0 {
		t.Errorf("AWS saw %+v (malformed: %v), want one GetParameter", calls, bad)
	}
}

// TestEmulatorInitError starts the bootstrap with configurations it must
// refuse: its start-up fails with the reason, and no request goes through.
func TestEmulatorInitError(t *testing.T) {
	exe := bootstrap(t)
	_, srv := newFakeAWS(t, nil, nil)
	aws := []string{"AWS_ENDPOINT_URL=" + srv.URL, "AWS_REGION=eu-west-1",
		"AWS_ACCESS_KEY_ID=AKIDTEST", "AWS_SECRET_ACCESS_KEY=test-secret-access-key"}
	tests := []struct {
		name string
		env  []string
		says string
	}{
		{"no secret key", nil, "Missing secret key"},
		{"unknown event format", []string{"NOVU_SECRET_KEY=" + conformance.Secret, "ECHOFN_LAMBDA_EVENT_FORMAT=rest"}, "unknown event format"},
		{"missing parameter", append([]string{"NOVU_SECRET_KEY_SSM_PARAMETER=/novu/nope"}, aws...), "ParameterNotFound"},
		{"key set twice", []string{"NOVU_SECRET_KEY=" + conformance.Secret, "NOVU_SECRET_KEY_SECRET_ARN=" + secretARN}, "keep one"},
		{"a limit that does not parse", []string{"NOVU_SECRET_KEY=" + conformance.Secret, "ECHOFN_MAX_BODY_BYTES=5MB"}, `ECHOFN_MAX_BODY_BYTES="5MB"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := startRIE(t, exe, tt.env...)
			f := loadFixtures(t)[0]
			status, body := r.invoke(t, f.caseEvent(t, conformance.Case{Method: "GET", Query: "action=discover"}, time.Now()))
			if status == 200 && bytes.Contains(body, []byte(`"statusCode":200`)) {
				t.Fatalf("a misconfigured bridge answered %s", body)
			}
			deadline := time.Now().Add(5 * time.Second)
			for !strings.Contains(r.out.String(), tt.says) && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if !strings.Contains(r.out.String(), tt.says) {
				t.Errorf("the start-up failure does not say %q:\n%s", tt.says, r.out)
			}
			if strings.Contains(r.out.String(), conformance.Secret) {
				t.Errorf("the output shows the secret key:\n%s", r.out)
			}
		})
	}
}

// BenchmarkEmulatorColdStart measures, per iteration, the time from
// starting the emulator process to the first answer to a signed execute
// request: emulator start, bootstrap start-up and the first invocation.
// Run with -benchtime=Nx; it reports the median.
func BenchmarkEmulatorColdStart(b *testing.B) {
	exe := bootstrap(b)
	f := loadFixtures(b)[0]
	ev := f.event(b, "POST", executeQuery, executeBody,
		map[string]string{signature.Header: signature.Sign(conformance.Secret, time.Now(), []byte(executeBody))})
	bin := testtools.Require(b, "bin/aws-lambda-rie")
	var runs []time.Duration
	for b.Loop() {
		addr, apiAddr := freePort(b), freePort(b)
		url := "http://" + addr + "/2015-03-31/functions/function/invocations"
		cmd := exec.Command(bin, "--log-level", "error", "--runtime-interface-emulator-address", addr, "--runtime-api-address", apiAddr, exe)
		cmd.Dir = filepath.Dir(exe)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "NOVU_SECRET_KEY=" + conformance.Secret}
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		start := time.Now()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		r := &rie{url: url, cmd: cmd, out: &lockedBuffer{}}
		for {
			resp, err := invokeClient.Post(url, "application/json", bytes.NewReader(ev))
			if err != nil {
				if time.Since(start) > 10*time.Second {
					r.stop()
					b.Fatal(err)
				}
				time.Sleep(time.Millisecond)
				continue
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if !bytes.Contains(body, []byte(`"statusCode":200`)) {
				r.stop()
				b.Fatalf("answer %s", body)
			}
			break
		}
		runs = append(runs, time.Since(start))
		r.stop()
	}
	slices.Sort(runs)
	b.ReportMetric(float64(runs[len(runs)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(runs[0].Microseconds())/1000, "ms-min")
}

// BenchmarkEmulatorWarm measures signed execute requests to a started
// function through the emulator; it reports the median and the 99th
// percentile.
func BenchmarkEmulatorWarm(b *testing.B) {
	exe := bootstrap(b)
	r := startRIE(b, exe, "NOVU_SECRET_KEY="+conformance.Secret)
	f := loadFixtures(b)[0]
	ev := f.event(b, "POST", executeQuery, executeBody,
		map[string]string{signature.Header: signature.Sign(conformance.Secret, time.Now(), []byte(executeBody))})
	if a := r.answer(b, ev); a.StatusCode != 200 {
		b.Fatalf("warm-up: %d %s", a.StatusCode, a.Body)
	}
	var runs []time.Duration
	for b.Loop() {
		start := time.Now()
		status, body := r.invoke(b, ev)
		runs = append(runs, time.Since(start))
		if status != 200 || !bytes.Contains(body, []byte(`"statusCode":200`)) {
			b.Fatalf("%d %s", status, body)
		}
	}
	slices.Sort(runs)
	b.ReportMetric(float64(runs[len(runs)/2].Microseconds()), "µs-median")
	b.ReportMetric(float64(runs[len(runs)*99/100].Microseconds()), "µs-p99")
}

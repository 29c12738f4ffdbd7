package cloudflare

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/echofn/echofn/core/nethttp"
	"github.com/echofn/echofn/core/signature"
	"github.com/echofn/echofn/internal/conformance"
	"github.com/echofn/echofn/internal/testtools"
)

// workerdBin is where scripts/setup.d/30-cloudflare.sh installs workerd.
const workerdBin = "cloudflare/node_modules/.bin/workerd"

var (
	buildMu   sync.Mutex
	buildDirs = map[string]string{} // main package -> build.sh output
)

func TestMain(m *testing.M) {
	code := m.Run()
	for _, dir := range buildDirs {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

// builtWorker builds the test worker (internal/testworker) with build.sh,
// once per test binary, and returns the folder holding it.
func builtWorker(t testing.TB) string { return built(t, "./internal/testworker") }

// built builds the worker of main package pkg with build.sh, once per test
// binary, and returns the folder holding it.
func built(t testing.TB, pkg string) string {
	t.Helper()
	buildMu.Lock()
	defer buildMu.Unlock()
	if dir, ok := buildDirs[pkg]; ok {
		return dir
	}
	dir, err := os.MkdirTemp("", "echofn-cloudflare-")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("bash", "build.sh", pkg, dir).CombinedOutput()
	if err != nil {
		os.RemoveAll(dir)
		t.Fatalf("build.sh %s: %v\n%s", pkg, err, out)
	}
	buildDirs[pkg] = dir
	return dir
}

// worker is a workerd process serving the test worker on 127.0.0.1.
type worker struct {
	url string
	log *lockedBuffer
	// listening is closed when workerd has loaded the worker and serves.
	listening chan struct{}
}

// lockedBuffer collects a process's output for test failure messages.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startWorker runs workerd with the built worker's workerd.capnp, with env
// as its environment (where the config reads the bindings). It listens on
// a socket this test opened, so it takes requests as soon as it starts.
func startWorker(t testing.TB, dir string, env ...string) *worker {
	t.Helper()
	bin := testtools.Require(t, workerdBin)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f, err := ln.(*net.TCPListener).File()
	if err != nil {
		t.Fatal(err)
	}
	control, controlW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	w := &worker{url: "http://" + ln.Addr().String(), log: &lockedBuffer{}, listening: make(chan struct{})}
	cmd := exec.Command(bin, "serve", "workerd.capnp", "--socket-fd", "http=3", "--control-fd", "4")
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}, env...)
	cmd.ExtraFiles = []*os.File{f, controlW}
	cmd.Stdout, cmd.Stderr = w.log, w.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	ln.Close()
	controlW.Close()
	go func() { // workerd reports {"event":"listen",...} once it serves the socket
		defer control.Close()
		line, _ := bufio.NewReader(control).ReadString('\n')
		if strings.Contains(line, `"listen"`) {
			close(w.listening)
		}
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("workerd output:\n%s", tail(w.log.String(), 4000))
		}
		if path := os.Getenv("ECHOFN_WORKERD_LOG"); path != "" { // the whole output, for debugging
			_ = os.WriteFile(path, []byte(w.log.String()), 0o644)
		}
	})
	return w
}

func tail(s string, n int) string {
	if len(s) > n {
		return "..." + s[len(s)-n:]
	}
	return s
}

var client = &http.Client{Timeout: 30 * time.Second}

// answer is one HTTP answer.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// send sends c, signed at the time of sending, to the bridge at base.
func send(base string, c conformance.Case) (answer, error) {
	var body io.Reader
	if c.Body != "" {
		body = strings.NewReader(c.Body)
	}
	req, err := http.NewRequestWithContext(context.Background(), c.Method, base+"/api/novu?"+c.Query, body)
	if err != nil {
		return answer{}, err
	}
	if c.Body != "" {
		req.Header.Set("content-type", "application/json")
	}
	for k, v := range c.Headers(time.Now()) {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, b}, err
}

// bridgeHeaders are the response headers that core sets, compared between
// the worker and net/http (the worker's server name aside).
var bridgeHeaders = []string{"Content-Type", "Access-Control-Allow-Origin", "Access-Control-Allow-Private-Network",
	"Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Access-Control-Max-Age",
	"Novu-Framework-Version", "Novu-Framework-Sdk", "User-Agent"}

// diffAnswers says how got (from the worker) differs from want (from
// net/http): status, body with metadata.duration hidden, core's headers.
func diffAnswers(want, got answer) string {
	var d []string
	if want.status != got.status {
		d = append(d, fmt.Sprintf("status %d, net/http %d", got.status, want.status))
	}
	if diff := cmp.Diff(normalize(want.body), normalize(got.body)); diff != "" {
		d = append(d, "body (-net/http +worker):\n"+diff)
	}
	for _, h := range bridgeHeaders {
		if w, g := want.header.Get(h), got.header.Get(h); w != g {
			d = append(d, fmt.Sprintf("header %s: %q, net/http %q", h, g, w))
		}
	}
	if s := got.header.Get("Novu-Framework-Server"); s != ServerName && want.header.Get("Novu-Framework-Server") != "" {
		d = append(d, fmt.Sprintf("header Novu-Framework-Server: %q, want %q", s, ServerName))
	}
	return strings.Join(d, "\n")
}

// reference serves the test workflows with core behind net/http.
func reference(t testing.TB) string {
	t.Helper()
	srv := httptest.NewServer(nethttp.Handler(testBridge(t, "nethttp")))
	t.Cleanup(srv.Close)
	return srv.URL
}

// timersCase calls the step of the "sleep", "stuck" or "crash" workflow.
func timersCase(name, step, payload string) conformance.Case {
	return conformance.Case{Name: name, Method: "POST",
		Query: "action=execute&workflowId=" + step + "&stepId=" + step,
		Body:  `{"payload":` + payload + `,"controls":{},"state":[],"subscriber":{}}`}
}

func TestWorkerConformance(t *testing.T) {
	w := startWorker(t, builtWorker(t), "NOVU_SECRET_KEY="+conformance.Secret)
	ref := reference(t)
	cases := append(conformance.Cases(),
		timersCase("timers-sleep", "sleep", `{"sleepMs":20}`),
		timersCase("timers-stuck", "stuck", `{}`),
		timersCase("timers-after-stuck", "sleep", `{"sleepMs":1}`),
	)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			want, err := send(ref, c)
			if err != nil {
				t.Fatal(err)
			}
			got, err := send(w.url, c)
			if err != nil {
				t.Fatal(err)
			}
			if d := diffAnswers(want, got); d != "" {
				t.Error(d)
			}
		})
	}
}

// TestWorkerConcurrent sends 200 requests, 16 at a time, to one worker:
// conformance requests mixed with steps that sleep and steps that outlive
// their timeout (their goroutines and timers outlive their requests). Every
// answer must be net/http's.
func TestWorkerConcurrent(t *testing.T) {
	const total, parallel = 200, 16
	w := startWorker(t, builtWorker(t), "NOVU_SECRET_KEY="+conformance.Secret)
	ref := reference(t)

	var cases []conformance.Case
	for _, c := range conformance.Cases() {
		if c.Name != "err-signature-expired" && !strings.HasPrefix(c.Name, "x-signature-just") { // time-sensitive: sent once above
			cases = append(cases, c)
		}
	}
	cases = append(cases,
		timersCase("timers-sleep-5", "sleep", `{"sleepMs":5}`),
		timersCase("timers-sleep-30", "sleep", `{"sleepMs":30}`),
		timersCase("timers-sleep-0", "sleep", `{"sleepMs":0}`),
	)
	stuck := timersCase("timers-stuck", "stuck", `{}`)
	want := map[string]answer{}
	for _, c := range append(cases, stuck) {
		a, err := send(ref, c)
		if err != nil {
			t.Fatal(err)
		}
		want[c.Name] = a
	}
	plan := make([]conformance.Case, total)
	for i := range plan {
		plan[i] = cases[(i*7)%len(cases)] // spread similar requests apart
		if i%50 == 25 {
			plan[i] = stuck
		}
	}

	type failure struct {
		i    int
		name string
		msg  string
	}
	var (
		mu       sync.Mutex
		failures []failure
		wg       sync.WaitGroup
		next     = make(chan int)
	)
	for range parallel {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				c := plan[i]
				got, err := send(w.url, c)
				msg := ""
				if err != nil {
					msg = err.Error()
				} else {
					msg = diffAnswers(want[c.Name], got)
				}
				if msg != "" {
					mu.Lock()
					failures = append(failures, failure{i, c.Name, msg})
					mu.Unlock()
				}
			}
		}()
	}
	for i := range plan {
		next <- i
	}
	close(next)
	wg.Wait()
	sort.Slice(failures, func(a, b int) bool { return failures[a].i < failures[b].i })
	for _, f := range failures {
		t.Errorf("request %d (%s): %s", f.i, f.name, f.msg)
	}
	if len(failures) > 0 {
		t.Errorf("%d of %d requests failed", len(failures), total)
	}
}

// TestWorkerBodies checks the body limit and that bodies of unknown length
// (chunked) are read in full and signed over their exact bytes.
func TestWorkerBodies(t *testing.T) {
	w := startWorker(t, builtWorker(t), "NOVU_SECRET_KEY="+conformance.Secret)
	ref := reference(t)
	execute := "/api/novu?action=execute&workflowId=welcome-email&stepId=send-email"
	good := []byte(`{"payload":{"name":"Ada \u00e9"},"controls":{},"state":[],"subscriber":{}}`)
	big := bytes.Repeat([]byte(" "), 6<<20)
	// With "Expect: 100-continue" a server that refuses a body unread says
	// so before the client sends it.
	expecting := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{ExpectContinueTimeout: 10 * time.Second}}
	tests := []struct {
		name    string
		body    []byte
		chunked bool
		status  int
	}{
		{"known length", good, false, 200},
		{"unknown length", good, true, 200},
		{"too long, known length", big, false, 413},
		{"too long, unknown length", big, true, 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			do := func(base string) (answer, error) {
				var body io.Reader = bytes.NewReader(tt.body)
				if tt.chunked {
					body = io.MultiReader(body) // hides the length: sent chunked
				}
				req, err := http.NewRequest("POST", base+execute, body)
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set(signature.Header, signature.Sign(conformance.Secret, time.Now(), tt.body))
				req.Header.Set("Expect", "100-continue")
				resp, err := expecting.Do(req)
				if err != nil {
					return answer{}, err
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				return answer{resp.StatusCode, resp.Header, b}, nil
			}
			refused := strings.Count(w.log.String(), "Request body is larger than")
			want, err := do(ref)
			if err != nil {
				t.Fatal(err)
			}
			got, err := do(w.url)
			if err != nil {
				// A body of unknown length is read until it passes the
				// limit; the answer then races the rest of the upload, and
				// the client may only see its write fail. The worker's log
				// tells what it answered.
				if tt.status != 413 || !errors.Is(err, syscall.EPIPE) && !errors.Is(err, syscall.ECONNRESET) {
					t.Fatal(err)
				}
				logged := func() bool { return strings.Count(w.log.String(), "Request body is larger than") > refused }
				for i := 0; i < 50 && !logged(); i++ {
					time.Sleep(100 * time.Millisecond) // the log comes through a pipe
				}
				if !logged() {
					t.Fatalf("%v, and the worker did not log a 413", err)
				}
				t.Logf("the client saw %v; the worker answered 413", err)
				return
			}
			if got.status != tt.status {
				t.Errorf("status %d, want %d: %s", got.status, tt.status, got.body)
			}
			if d := diffAnswers(want, got); d != "" {
				t.Error(d)
			}
		})
	}
}

// TestWorkerRecovers checks that a crash of the Go program fails only the
// request that caused it: the next request starts a new Go program.
func TestWorkerRecovers(t *testing.T) {
	w := startWorker(t, builtWorker(t), "NOVU_SECRET_KEY="+conformance.Secret)
	health := conformance.Case{Name: "health", Method: "GET", Query: "action=health-check"}
	steps := []struct {
		c      conformance.Case
		status int
		text   string
	}{
		{health, 200, `"status":"ok"`},
		{timersCase("crash", "crash", `{}`), 500, "exited with code 2"},
		{health, 200, `"status":"ok"`},
		{timersCase("sleep", "sleep", `{"sleepMs":5}`), 200, `"sleptMs":5`},
	}
	for i, s := range steps {
		got, err := send(w.url, s.c)
		if err != nil {
			t.Fatalf("step %d (%s): %v", i, s.c.Name, err)
		}
		if got.status != s.status || !bytes.Contains(got.body, []byte(s.text)) {
			t.Errorf("step %d (%s): %d %s, want %d and %q", i, s.c.Name, got.status, got.body, s.status, s.text)
		}
	}
	if !strings.Contains(w.log.String(), "crash requested by the test") {
		t.Errorf("the Go panic is not in the log")
	}
}

// TestWorkerBindings starts the worker with different bindings (which
// workerd.capnp reads from the environment, as a deployed worker gets its
// vars and secrets): they reach Go's configuration, and a bad one is
// answered, logged, and leaves the worker up.
func TestWorkerBindings(t *testing.T) {
	discover := conformance.Case{Name: "discover", Method: "GET", Query: "action=discover"}
	unsigned := conformance.Case{Name: "discover-unsigned", Method: "GET", Query: "action=discover",
		Sign: func(time.Time, string) map[string]string { return nil }}
	execute := conformance.Case{Name: "execute", Method: "POST", Query: "action=execute&workflowId=welcome-email&stepId=send-email",
		Body: `{"payload":{"name":"Ada"},"controls":{},"state":[],"subscriber":{}}`}
	tests := []struct {
		name   string
		env    []string
		c      conformance.Case
		status int
		text   string // in the body
		log    string // in workerd's output
	}{
		{name: "no secret key", c: discover, status: 400, text: `"code":"MissingSecretKeyError"`, log: "the bridge could not start"},
		{name: "fallback key", env: []string{"NOVU_SECRET_KEY=sk_new", "NOVU_SECRET_KEY_FALLBACK=" + conformance.Secret},
			c: discover, status: 200, text: `"workflows":[`},
		{name: "wrong key", env: []string{"NOVU_SECRET_KEY=sk_new"}, c: discover, status: 401, text: `"code":"SignatureMismatchError"`},
		{name: "dev mode", env: []string{"ECHOFN_DEV_MODE=true"}, c: unsigned, status: 200, text: `"workflows":[`, log: "DEV MODE"},
		// The first request is read under the worker's default limit,
		// before Go has told it this one; the second under this one.
		{name: "body limit", env: []string{"NOVU_SECRET_KEY=" + conformance.Secret, "ECHOFN_MAX_BODY_BYTES=32"},
			c: execute, status: 413, text: "larger than 32 bytes"},
		{name: "a limit that does not parse", env: []string{"NOVU_SECRET_KEY=" + conformance.Secret, "ECHOFN_STEP_TIMEOUT=4"},
			c: discover, status: 500, text: "ECHOFN_STEP_TIMEOUT=", log: "the bridge could not start"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := startWorker(t, builtWorker(t), tt.env...)
			for i := range 2 {
				got, err := send(w.url, tt.c)
				if err != nil {
					t.Fatal(err)
				}
				if got.status != tt.status || !bytes.Contains(got.body, []byte(tt.text)) {
					t.Errorf("request %d: %d %.200s, want %d with %s", i, got.status, got.body, tt.status, tt.text)
				}
			}
			if !strings.Contains(w.log.String(), tt.log) {
				t.Errorf("%q is not in the log", tt.log)
			}
			if strings.Contains(w.log.String(), conformance.Secret) {
				t.Errorf("the secret key is in the log")
			}
		})
	}
}

// TestWorkerProtocolMismatch runs a worker.mjs that expects another
// protocol than bridge.wasm speaks (a mixed-up deployment): every request
// gets a 500 naming the problem, and it is logged.
func TestWorkerProtocolMismatch(t *testing.T) {
	dir := t.TempDir()
	src := builtWorker(t)
	for _, name := range []string{"worker.mjs", "gate.mjs", "wasm_exec.js", "bridge.wasm", "workerd.capnp"} {
		b, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		if name == "worker.mjs" {
			const decl = "const PROTOCOL = 1;"
			if !bytes.Contains(b, []byte(decl)) {
				t.Fatalf("worker.mjs has no %q", decl)
			}
			b = bytes.Replace(b, []byte(decl), []byte("const PROTOCOL = 99;"), 1)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	w := startWorker(t, dir, "NOVU_SECRET_KEY="+conformance.Secret)
	for i := range 3 {
		got, err := send(w.url, conformance.Case{Name: "health", Method: "GET", Query: "action=health-check"})
		if err != nil {
			t.Fatal(err)
		}
		if want := "bridge.wasm speaks protocol 1 and worker.mjs 99"; got.status != 500 || !bytes.Contains(got.body, []byte(want)) {
			t.Errorf("request %d: %d %s, want 500 with %q", i, got.status, got.body, want)
		}
	}
	if !strings.Contains(w.log.String(), "speaks protocol") {
		t.Errorf("the problem is not logged")
	}
}

// TestWasmLinksNoNetHTTP checks that package cloudflare and the example
// worker do not link net/http, when built for WebAssembly (it would only
// add size: a worker gets its requests from JavaScript). The test worker is
// left out: it imports internal/conformance, whose MockAPI uses httptest.
func TestWasmLinksNoNetHTTP(t *testing.T) {
	for _, pkg := range []string{".", "./example"} {
		t.Run(pkg, func(t *testing.T) {
			cmd := exec.Command("go", "list", "-deps", pkg)
			cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("go list: %v", err)
			}
			deps := strings.Fields(string(out))
			if len(deps) < 20 {
				t.Fatalf("go list listed only %v", deps)
			}
			for _, d := range deps {
				if d == "net/http" || strings.HasPrefix(d, "net/http/") {
					t.Errorf("%s links %s", pkg, d)
				}
			}
		})
	}
}

// TestBuildOutput checks the files that build.sh writes, which the
// deployment (wrangler or Terraform) uploads.
func TestBuildOutput(t *testing.T) {
	dir := builtWorker(t)
	for _, name := range []string{"worker.mjs", "gate.mjs", "wasm_exec.js", "bridge.wasm", "wrangler.toml", "workerd.capnp"} {
		t.Run(name, func(t *testing.T) {
			st, err := os.Stat(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			if st.Size() == 0 {
				t.Errorf("%s is empty", name)
			}
		})
	}
	wasm, err := os.ReadFile(filepath.Join(dir, "bridge.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(wasm, []byte("\x00asm")) {
		t.Errorf("bridge.wasm is not WebAssembly")
	}
}

// TestWorkerClientsGoAway drops requests while they are in Go (sleeping)
// and while they wait for their turn. Whether the runtime cancels them
// (the gate then passes their turns on) or lets them finish (local workerd
// does), the requests after them must get their answers, not wait for the
// queue timeout and get 503.
func TestWorkerClientsGoAway(t *testing.T) {
	w := startWorker(t, builtWorker(t), "NOVU_SECRET_KEY="+conformance.Secret)
	ref := reference(t)
	impatient := &http.Client{Timeout: 150 * time.Millisecond}
	sendWith := func(cl *http.Client, c conformance.Case) error {
		req, err := http.NewRequest(c.Method, w.url+"/api/novu?"+c.Query, strings.NewReader(c.Body))
		if err != nil {
			return err
		}
		for k, v := range c.Headers(time.Now()) {
			req.Header.Set(k, v)
		}
		resp, err := cl.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	long := timersCase("sleep-long", "sleep", `{"sleepMs":250}`) // within the step timeout
	var wg sync.WaitGroup
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := sendWith(impatient, long); err == nil {
				t.Logf("impatient request %d was answered in time", i)
			}
		}()
		time.Sleep(10 * time.Millisecond) // in order: the first is in Go, the others wait
	}
	wg.Wait()
	for _, c := range []conformance.Case{conformance.Cases()[2], timersCase("sleep", "sleep", `{"sleepMs":5}`)} {
		want, err := send(ref, c)
		if err != nil {
			t.Fatal(err)
		}
		got, err := send(w.url, c)
		if err != nil {
			t.Fatal(err)
		}
		if d := diffAnswers(want, got); d != "" {
			t.Errorf("%s after dropped requests: %s", c.Name, d)
		}
	}
	t.Logf("canceled requests passed on while in Go: %d", strings.Count(w.log.String(), "the request in Go was canceled"))
}

// Benchmarks: run with
//
//	go test ./cloudflare-wasm -run '^$' -bench Worker -benchtime 7x
//
// They report milliseconds, as medians (p50) and 99th percentiles (p99).

func percentile(d []time.Duration, p float64) float64 {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(p / 100 * float64(len(s)))
	if i >= len(s) {
		i = len(s) - 1
	}
	return float64(s[i].Microseconds()) / 1000
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// The example worker's requests, for benchmarks.
var (
	exampleHealth   = conformance.Case{Name: "health-check", Method: "GET", Query: "action=health-check"}
	exampleDiscover = conformance.Case{Name: "discover", Method: "GET", Query: "action=discover"}
	exampleExecute  = conformance.Case{Name: "execute", Method: "POST", Query: "action=execute&workflowId=welcome&stepId=send-email",
		Body: `{"payload":{"name":"Ada"},"controls":{},"state":[],"subscriber":{"subscriberId":"s1"}}`}
)

// BenchmarkWorkerColdStart starts workerd with the example worker b.N
// times and times, from the start of the process: until workerd serves
// (listen), the first answer (which starts Go), and the second answer. The
// request is a signed discover.
func BenchmarkWorkerColdStart(b *testing.B) {
	dir := built(b, "./example")
	for _, first := range []conformance.Case{exampleDiscover, exampleExecute} {
		b.Run(first.Name, func(b *testing.B) { coldStarts(b, dir, first) })
	}
}

// coldStarts starts b.N workers, each answering first as its first request,
// then a second time.
func coldStarts(b *testing.B, dir string, first conformance.Case) {
	var listen, firstAnswer, firstAfterListen, second []time.Duration
	for range b.N {
		t0 := time.Now()
		w := startWorker(b, dir, "NOVU_SECRET_KEY="+conformance.Secret)
		select {
		case <-w.listening:
		case <-time.After(30 * time.Second):
			b.Fatal("workerd did not report listening")
		}
		t1 := time.Now()
		for i := range 2 {
			a, err := send(w.url, first)
			if err != nil || a.status != 200 {
				b.Fatalf("%s: %v %d %s", first.Name, err, a.status, a.body)
			}
			if i == 0 {
				firstAnswer = append(firstAnswer, time.Since(t0))
				firstAfterListen = append(firstAfterListen, time.Since(t1))
			} else {
				second = append(second, time.Since(t1)-firstAfterListen[len(firstAfterListen)-1])
			}
		}
		listen = append(listen, t1.Sub(t0))
	}
	b.ReportMetric(percentile(listen, 50), "ms-listen-p50")
	b.ReportMetric(percentile(firstAfterListen, 50), "ms-first-answer-after-listen-p50")
	b.ReportMetric(percentile(firstAnswer, 50), "ms-start-to-first-answer-p50")
	b.ReportMetric(percentile(second, 50), "ms-second-answer-p50")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkWorkerWarm sends b.N requests, one after the other, to a warm
// example worker.
func BenchmarkWorkerWarm(b *testing.B) {
	dir := built(b, "./example")
	for _, c := range []conformance.Case{exampleHealth, exampleDiscover, exampleExecute} {
		b.Run(c.Name, func(b *testing.B) {
			w := startWorker(b, dir, "NOVU_SECRET_KEY="+conformance.Secret)
			for range 20 {
				if _, err := send(w.url, c); err != nil {
					b.Fatal(err)
				}
			}
			times := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for range b.N {
				t0 := time.Now()
				a, err := send(w.url, c)
				times = append(times, time.Since(t0))
				if err != nil || a.status != 200 {
					b.Fatalf("%v %d %s", err, a.status, a.body)
				}
			}
			b.StopTimer()
			b.ReportMetric(percentile(times, 50), "ms-p50")
			b.ReportMetric(percentile(times, 99), "ms-p99")
		})
	}
}

// BenchmarkWorkerConcurrent sends b.N execute requests, 16 at a time, to
// the example worker.
func BenchmarkWorkerConcurrent(b *testing.B) {
	dir := built(b, "./example")
	c := exampleExecute
	w := startWorker(b, dir, "NOVU_SECRET_KEY="+conformance.Secret)
	for range 20 {
		if _, err := send(w.url, c); err != nil {
			b.Fatal(err)
		}
	}
	var (
		mu    sync.Mutex
		times []time.Duration
		fails int
	)
	b.SetParallelism(16)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			t0 := time.Now()
			a, err := send(w.url, c)
			d := time.Since(t0)
			mu.Lock()
			times = append(times, d)
			if err != nil || a.status != 200 {
				fails++
			}
			mu.Unlock()
		}
	})
	elapsed := time.Since(start)
	b.StopTimer()
	if fails > 0 {
		b.Errorf("%d of %d requests failed", fails, len(times))
	}
	b.ReportMetric(float64(len(times))/elapsed.Seconds(), "req/s")
	b.ReportMetric(percentile(times, 50), "ms-p50")
	b.ReportMetric(percentile(times, 99), "ms-p99")
}

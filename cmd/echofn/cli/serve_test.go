package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/echofn/echofn/cloudsim"
	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/internal/rawhttp"
)

// server is serve or dev running in this process.
type server struct {
	url    string // the bridge's URL
	stop   context.CancelFunc
	exited chan int
}

// start runs a serve or dev command line until the test ends or stop is
// called, and waits for it to listen.
func start(t *testing.T, a *testApp, args ...string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	a.ready = func(url string) { ready <- url }
	s := &server{stop: cancel, exited: make(chan int, 1)}
	go func() { s.exited <- a.Run(ctx, args) }()
	select {
	case s.url = <-ready:
	case code := <-s.exited:
		t.Fatalf("%s exited with %d before listening:\n%s", args[0], code, a.stderr)
	case <-time.After(10 * time.Second):
		t.Fatalf("%s is not listening after 10s", args[0])
	}
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.exited:
		case <-time.After(10 * time.Second):
			t.Error("the server did not stop")
		}
	})
	return s
}

// addr is the host and port the server listens on.
func (s *server) addr() string {
	u, _ := url.Parse(s.url)
	return u.Host
}

func (s *server) wait(t *testing.T) int {
	t.Helper()
	select {
	case code := <-s.exited:
		s.exited <- code // for the cleanup
		return code
	case <-time.After(10 * time.Second):
		t.Fatal("the server did not stop within 10s")
		return -1
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b) + resp.Header.Get("Location")
}

func TestServe(t *testing.T) {
	a := newApp(map[string]string{EnvSecretKey: "sk_serve", core.EnvDevMode: "true"}, welcomeWorkflows()...)
	s := start(t, a, "serve", "--addr", "127.0.0.1:0")
	if !strings.HasPrefix(s.url, "http://127.0.0.1:") || !strings.HasSuffix(s.url, "/api/novu") {
		t.Fatalf("url %s", s.url)
	}
	if !strings.Contains(a.stderr.String(), "every request's signature is checked") ||
		!strings.Contains(a.stderr.String(), "ECHOFN_DEV_MODE is ignored by serve") {
		t.Errorf("stderr:\n%s", a.stderr)
	}
	if code, body := get(t, s.url); code != 200 || !strings.Contains(body, `"status":"ok"`) {
		t.Errorf("health check: %d %s", code, body)
	}
	if code, body := get(t, s.url+"?action=discover"); code != 401 || !strings.Contains(body, "SignatureNotFoundError") {
		t.Errorf("unsigned discover: %d %s (ECHOFN_DEV_MODE must not turn checks off)", code, body)
	}
	c := &cloudsim.Client{Transport: cloudsim.HTTP(s.url, "sk_serve", nil)}
	if d, err := c.Discover(context.Background()); err != nil || len(d.Workflows) != 1 {
		t.Errorf("signed discover: %v", err)
	}
	if code, _ := get(t, strings.TrimSuffix(s.url, "/api/novu")+"/studio/"); code != 404 {
		t.Errorf("serve has a Studio: %d", code)
	}
	s.stop()
	if code := s.wait(t); code != ExitOK {
		t.Errorf("exit %d", code)
	}
	// Request lines are written out in batches, and at the latest on exit.
	if !strings.Contains(a.stderr.String(), "msg=request method=GET path=/api/novu status=401") {
		t.Errorf("no request log line:\n%s", a.stderr)
	}
}

func TestServeSettings(t *testing.T) {
	t.Run("the older secret key variable, JSON logs", func(t *testing.T) {
		a := newApp(map[string]string{core.EnvLegacySecretKey: "k"}, welcomeWorkflows()...)
		s := start(t, a, "serve", "--addr", "127.0.0.1:0", "--log-format", "json", "--route", "/novu")
		get(t, s.url)
		// Request lines are written out in batches, within logFlushEvery.
		deadline := time.Now().Add(10 * logFlushEvery)
		for !strings.Contains(a.stderr.String(), `"msg":"request"`) && time.Now().Before(deadline) {
			time.Sleep(logFlushEvery / 10)
		}
		if !strings.HasSuffix(s.url, "/novu") || !strings.Contains(a.stderr.String(), `"msg":"request"`) {
			t.Errorf("url %s, stderr:\n%s", s.url, a.stderr)
		}
	})
	t.Run("idle connections' buffers released", func(t *testing.T) {
		a := newApp(map[string]string{EnvSecretKey: "sk_idle"}, welcomeWorkflows()...)
		s := start(t, a, "serve", "--addr", "127.0.0.1:0", "--release-idle-buffers")
		// Requests one after another on one kept connection, then two sent
		// at once, each read as a request is once its connection's buffers
		// have been freed.
		c := &cloudsim.Client{Transport: cloudsim.HTTP(s.url, "sk_idle", nil)}
		for i := range 3 {
			if d, err := c.Discover(context.Background()); err != nil || len(d.Workflows) != 1 {
				t.Fatalf("discover %d: %v", i, err)
			}
		}
		conn, err := net.Dial("tcp", s.addr())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		health := "GET /api/novu HTTP/1.1\r\nHost: bridge\r\n\r\n"
		if _, err := conn.Write([]byte(health + health)); err != nil {
			t.Fatal(err)
		}
		br := bufio.NewReader(conn)
		for i := range 2 {
			resp, err := http.ReadResponse(br, nil)
			if err != nil {
				t.Fatalf("pipelined answer %d: %v", i, err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.Contains(string(body), `"status":"ok"`) {
				t.Errorf("pipelined answer %d: %d %s", i, resp.StatusCode, body)
			}
		}
	})
	t.Run("room for large bodies", func(t *testing.T) {
		a := newApp(map[string]string{EnvSecretKey: "sk_room"}, welcomeWorkflows()...)
		s := start(t, a, "serve", "--addr", "127.0.0.1:0", "--max-body-in-flight", "100000", "--max-overrunning-steps", "-1")
		addr := s.addr()
		body := `{"payload":{"name":"` + strings.Repeat("a", 200_000) + `"}}`
		req := "POST /api/novu?action=execute&workflowId=welcome&stepId=send-email HTTP/1.1\r\nHost: bridge\r\n" +
			"Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body
		// One large body holds back its last byte, and so its room: alone,
		// it fits, though it is larger than the room.
		held, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer held.Close()
		if _, err := held.Write([]byte(req[:len(req)-1])); err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * time.Millisecond) // for serve to start reading it
		// Another finds no room: 100000 bytes, where the default is 32 MiB.
		second, got := rawhttp.RoundTrip(t, addr, req)
		if second.StatusCode != 503 || !strings.Contains(string(got), "large request bodies") {
			t.Fatalf("a second large body while the first arrives: %d %s", second.StatusCode, got)
		}
		if resp, _ := rawhttp.Exchange(t, held, req[len(req)-1:]); resp.StatusCode != 401 {
			t.Fatalf("the held body, unsigned, once it arrived: %d, want 401", resp.StatusCode)
		}
	})
	t.Run("connection cap", func(t *testing.T) {
		a := newApp(map[string]string{EnvSecretKey: "sk_conns"}, welcomeWorkflows()...)
		s := start(t, a, "serve", "--addr", "127.0.0.1:0", "--max-conns", "2")
		addr := s.addr()
		const health = "GET /api/novu?action=health-check HTTP/1.1\r\nHost: bridge\r\n\r\n"
		// Two keep-alive connections, each answered once and left open,
		// take both places.
		var open []net.Conn
		for range 2 {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if resp, _ := rawhttp.Exchange(t, c, health); resp.StatusCode != 200 {
				t.Fatalf("a connection under --max-conns: %d", resp.StatusCode)
			}
			open = append(open, c)
		}
		resp, got := rawhttp.RoundTrip(t, addr, health)
		if resp.StatusCode != 503 || !resp.Close {
			t.Fatalf("a third connection over --max-conns 2: %d (close %v) %s, want a 503 that closes it", resp.StatusCode, resp.Close, got)
		}
		// fasthttp logs the refusal once it has answered.
		for wait := time.Now().Add(5 * time.Second); !strings.Contains(a.stderr.String(), "refusing new connections with 503: 2 are open, as many as --max-conns allows"); {
			if time.Now().After(wait) {
				t.Fatalf("the refusal was not logged in serve's words:\n%s", a.stderr)
			}
			time.Sleep(10 * time.Millisecond)
		}
		// Once one closes, a new connection is served.
		open[0].Close()
		deadline := time.Now().Add(5 * time.Second)
		for {
			resp, _ := rawhttp.RoundTrip(t, addr, health)
			if resp.StatusCode == 200 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("a connection after one of the two closed: still %d", resp.StatusCode)
			}
			time.Sleep(20 * time.Millisecond)
		}
		if code := newApp(map[string]string{EnvSecretKey: "k"}, welcomeWorkflows()...).run("serve", "--max-conns", "0"); code != ExitUsage {
			t.Errorf("--max-conns 0: exit %d, want %d", code, ExitUsage)
		}
	})
	t.Run("step timeout, steps overrunning it, body limit", func(t *testing.T) {
		release := make(chan struct{})
		defer close(release)
		stuck := core.NewWorkflow("stuck", core.WorkflowOptions{},
			core.SMS("wait", func(ctx context.Context, in core.Input[map[string]any, struct{}]) (core.SMSOutput, error) {
				<-release // ignores ctx
				return core.SMSOutput{Body: "done"}, nil
			}))
		a := newApp(map[string]string{EnvSecretKey: "sk_steps"}, stuck)
		s := start(t, a, "serve", "--addr", "127.0.0.1:0", "--step-timeout", "50ms", "--max-overrunning-steps", "1", "--max-body", "1024")
		c := &cloudsim.Client{Transport: cloudsim.HTTP(s.url, "sk_steps", nil)}
		begin := time.Now()
		_, err := c.Execute(context.Background(), "stuck", "wait", cloudsim.Event{})
		if err == nil || !strings.Contains(err.Error(), "502") || !strings.Contains(err.Error(), "deadline exceeded") {
			t.Fatalf("a step past --step-timeout: %v, want a 502 for its deadline", err)
		}
		if d := time.Since(begin); d >= core.DefaultStepTimeout {
			t.Fatalf("the 502 came after %v: the default step timeout, not --step-timeout's 50ms", d)
		}
		_, err = c.Execute(context.Background(), "stuck", "wait", cloudsim.Event{})
		if err == nil || !strings.Contains(err.Error(), "503") || !strings.Contains(err.Error(), "still running past their deadline (1)") {
			t.Fatalf("a step while --max-overrunning-steps are running: %v, want a 503", err)
		}
		addr := s.addr()
		resp, got := rawhttp.RoundTrip(t, addr, "POST /api/novu?action=execute&workflowId=stuck&stepId=wait HTTP/1.1\r\nHost: bridge\r\n"+
			"Content-Length: 2000\r\n\r\n"+strings.Repeat("x", 2000))
		if resp.StatusCode != 413 || !strings.Contains(string(got), "larger than 1024 bytes") {
			t.Fatalf("a body over --max-body: %d %s", resp.StatusCode, got)
		}
		if code := newApp(map[string]string{EnvSecretKey: "k"}, stuck).run("serve", "--step-timeout", "0s"); code != ExitUsage {
			t.Errorf("--step-timeout 0s: exit %d, want %d", code, ExitUsage)
		}
	})
	t.Run("limits from the environment", func(t *testing.T) {
		big := "POST /api/novu?action=execute&workflowId=welcome&stepId=send-email HTTP/1.1\r\nHost: bridge\r\n" +
			"Content-Length: 2000\r\n\r\n" + strings.Repeat("x", 2000)
		env := map[string]string{EnvSecretKey: "sk_env", core.EnvMaxBodyBytes: "1024"}
		s := start(t, newApp(env, welcomeWorkflows()...), "serve", "--addr", "127.0.0.1:0")
		addr := s.addr()
		if resp, got := rawhttp.RoundTrip(t, addr, big); resp.StatusCode != 413 || !strings.Contains(string(got), "larger than 1024 bytes") {
			t.Errorf("a 2000-byte body with %s=1024: %d %s, want 413", core.EnvMaxBodyBytes, resp.StatusCode, got)
		}
		// The flag wins over the variable.
		s = start(t, newApp(env, welcomeWorkflows()...), "serve", "--addr", "127.0.0.1:0", "--max-body", "4096")
		addr = s.addr()
		if resp, got := rawhttp.RoundTrip(t, addr, big); resp.StatusCode != 401 {
			t.Errorf("a 2000-byte unsigned body with --max-body 4096 over %s=1024: %d %s, want 401", core.EnvMaxBodyBytes, resp.StatusCode, got)
		}
		a := newApp(map[string]string{EnvSecretKey: "sk_env", core.EnvStepTimeout: "4"}, welcomeWorkflows()...)
		if code := a.run("serve", "--addr", "127.0.0.1:0"); code != ExitUsage || !strings.Contains(a.stderr.String(), core.EnvStepTimeout+`="4"`) {
			t.Errorf("%s=4 (no unit): exit %d, want %d naming the variable:\n%s", core.EnvStepTimeout, code, ExitUsage, a.stderr)
		}
		a = newApp(map[string]string{EnvSecretKey: "sk_env"}, welcomeWorkflows()...)
		if code := a.run("serve", "-h"); code != ExitOK || !strings.Contains(a.stdout.String(), "(env "+core.EnvStepTimeout+")") {
			t.Errorf("serve -h does not name %s:\n%s", core.EnvStepTimeout, a.stdout)
		}
	})
	t.Run("no secret key", func(t *testing.T) {
		a := newApp(nil, welcomeWorkflows()...)
		if code := a.run("serve"); code != ExitUsage || !strings.Contains(a.stderr.String(), "NOVU_SECRET_KEY is not set") {
			t.Errorf("exit %d: %s", code, a.stderr)
		}
	})
	t.Run("no workflows", func(t *testing.T) {
		a := newApp(map[string]string{EnvSecretKey: "k"})
		if code := a.run("serve"); code != ExitFailure || !strings.Contains(a.stderr.String(), "no workflows to serve") {
			t.Errorf("exit %d: %s", code, a.stderr)
		}
	})
	t.Run("a broken workflow", func(t *testing.T) {
		w := welcomeWorkflows()[0]
		a := newApp(map[string]string{EnvSecretKey: "k"}, w, w)
		if code := a.run("serve"); code != ExitFailure || !strings.Contains(a.stderr.String(), "already exists") {
			t.Errorf("exit %d: %s", code, a.stderr)
		}
	})
	t.Run("address in use", func(t *testing.T) {
		a := newApp(map[string]string{EnvSecretKey: "k"}, welcomeWorkflows()...)
		s := start(t, a, "serve", "--addr", "127.0.0.1:0")
		b := newApp(map[string]string{EnvSecretKey: "k"}, welcomeWorkflows()...)
		addr := s.addr()
		if code := b.run("serve", "--addr", addr); code != ExitFailure || !strings.Contains(b.stderr.String(), "cannot listen on "+addr) {
			t.Errorf("exit %d: %s", code, b.stderr)
		}
	})
}

// slowWorkflow's only step waits until release is closed.
func slowWorkflow(started chan<- struct{}, release <-chan struct{}) *core.Workflow {
	var once atomic.Bool
	return core.NewWorkflow("slow", core.WorkflowOptions{},
		core.SMS("wait", func(ctx context.Context, in core.Input[map[string]any, struct{}]) (core.SMSOutput, error) {
			if once.CompareAndSwap(false, true) {
				close(started)
			}
			select {
			case <-release:
				return core.SMSOutput{Body: "done"}, nil
			case <-ctx.Done():
				return core.SMSOutput{}, ctx.Err()
			}
		}))
}

func TestServeDrainsInFlightRequests(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	a := newApp(map[string]string{EnvSecretKey: "k"}, slowWorkflow(started, release))
	s := start(t, a, "serve", "--addr", "127.0.0.1:0")
	c := &cloudsim.Client{Transport: cloudsim.HTTP(s.url, "k", nil)}
	answered := make(chan error, 1)
	go func() {
		res, err := c.Execute(context.Background(), "slow", "wait", cloudsim.Event{})
		if err == nil && string(res.Outputs) != `{"body":"done"}` {
			err = errors.New("outputs " + string(res.Outputs))
		}
		answered <- err
	}()
	<-started
	s.stop() // as SIGTERM does
	select {
	case code := <-s.exited:
		t.Fatalf("serve exited with %d while a request was in flight", code)
	case <-time.After(200 * time.Millisecond):
	}
	if _, err := http.Get(s.url); err == nil {
		t.Error("serve still accepts connections while shutting down")
	}
	close(release)
	if err := <-answered; err != nil {
		t.Errorf("the in-flight request: %v", err)
	}
	if code := s.wait(t); code != ExitOK {
		t.Errorf("exit %d", code)
	}
}

func TestServeCutsOffRequestsAfterTheShutdownTimeout(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	defer close(release)
	a := newApp(map[string]string{EnvSecretKey: "k"}, slowWorkflow(started, release))
	s := start(t, a, "serve", "--addr", "127.0.0.1:0", "--shutdown-timeout", "100ms")
	c := &cloudsim.Client{Transport: cloudsim.HTTP(s.url, "k", nil)}
	go func() { _, _ = c.Execute(context.Background(), "slow", "wait", cloudsim.Event{}) }()
	<-started
	s.stop()
	if code := s.wait(t); code != ExitFailure {
		t.Errorf("exit %d, want %d", code, ExitFailure)
	}
	if !strings.Contains(a.stderr.String(), "did not finish within 100ms") {
		t.Errorf("stderr:\n%s", a.stderr)
	}
}

func TestDev(t *testing.T) {
	a := newApp(nil, welcomeWorkflows()...)
	s := start(t, a, "dev", "--port", "0")
	base := strings.TrimSuffix(s.url, "/api/novu")
	if !strings.HasPrefix(s.url, "http://127.0.0.1:") {
		t.Errorf("dev listens beyond loopback: %s", s.url)
	}
	out := a.stderr.String()
	for _, want := range []string{
		"DEV MODE: request signatures are NOT checked",
		"Bridge:  " + s.url,
		"Studio:  " + base + "/studio/",
		"Serving: welcome-onboarding",
		"Try:     echofn run welcome-onboarding --bridge-url " + s.url,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("banner lacks %q:\n%s", want, out)
		}
	}
	code, body := get(t, s.url+"?action=discover")
	if code != 200 {
		t.Errorf("unsigned discover in dev mode: %d %s", code, body)
	}
	var d cloudsim.Discovery
	if err := json.Unmarshal([]byte(body), &d); err != nil || len(d.Workflows) != 1 {
		t.Errorf("discover: %v %s", err, body)
	}
	if code, body := get(t, base+"/studio/"); code == 404 {
		t.Errorf("the Studio is not mounted: %d %s", code, body)
	}
	if code, loc := get(t, base+"/"); code != 302 || !strings.HasSuffix(loc, "/studio/") {
		t.Errorf("/ answers %d %s, want a redirect to /studio/", code, loc)
	}
	// run against dev needs no secret key.
	r := newApp(map[string]string{EnvBridgeURL: s.url})
	if code := r.run("run", "welcome-onboarding", "--payload", `{"dashboardUrl":"https://app.example.com"}`); code != ExitOK {
		t.Errorf("run against dev: exit %d\n%s\n%s", code, r.stdout, r.stderr)
	}
}

func TestServeAddr(t *testing.T) {
	tests := []struct {
		flag string
		env  map[string]string
		want string
	}{
		{"", nil, ":8080"},
		{"", map[string]string{EnvPort: "9000"}, ":9000"},
		{"127.0.0.1:7000", map[string]string{EnvPort: "9000"}, "127.0.0.1:7000"},
	}
	for _, tc := range tests {
		if got := newApp(tc.env).serveAddr(tc.flag); got != tc.want {
			t.Errorf("serveAddr(%q) with %v = %q, want %q", tc.flag, tc.env, got, tc.want)
		}
	}
}

func TestDevOnOtherInterfacesWarns(t *testing.T) {
	a := newApp(nil, welcomeWorkflows()...)
	// 192.0.2.1 is a documentation address: nothing is bound, the warning
	// comes first.
	code := a.run("dev", "--port", "0", "--host", "192.0.2.1")
	if code != ExitFailure || !strings.Contains(a.stderr.String(), "WARNING: --host 192.0.2.1: anyone who reaches this machine can call the bridge") {
		t.Errorf("exit %d, stderr:\n%s", code, a.stderr)
	}
}

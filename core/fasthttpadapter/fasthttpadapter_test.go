package fasthttpadapter_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/valyala/fasthttp"

	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/core/fasthttpadapter"
	"github.com/echofn/echofn/core/nethttp"
	"github.com/echofn/echofn/core/signature"
	"github.com/echofn/echofn/internal/conformance"
	"github.com/echofn/echofn/internal/rawhttp"
)

// testLimit is the body limit of both servers: small, so that the bodies
// over it fit in a socket buffer and are sent whole before the answer.
const testLimit = 2 << 10

// testHeaderLimit is both servers' limit on the request header block.
const testHeaderLimit = 8 << 10

func newBridge(t testing.TB) *core.Bridge {
	t.Helper()
	b, err := core.New(core.Config{SecretKey: conformance.Secret, MaxBodyBytes: testLimit,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, conformance.Workflows()...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// setup is a way to serve Handler: on a listener as it is or through
// Listener, with fasthttp reading every body or streaming large ones.
type setup struct {
	name   string
	wrap   func(net.Listener) net.Listener
	stream bool
}

// setups are the ways tests serve Handler; the last is `echofn serve`'s.
var setups = []setup{
	{"plain", func(ln net.Listener) net.Listener { return ln }, false},
	{"Listener", fasthttpadapter.Listener, false},
	{"Listener, streamed bodies", fasthttpadapter.Listener, true},
}

// served is `echofn serve`'s setup.
var served = setups[len(setups)-1]

// eachSetup runs test once with each of setups.
func eachSetup(t *testing.T, test func(t *testing.T, s setup)) {
	for _, s := range setups {
		t.Run(s.name, func(t *testing.T) { test(t, s) })
	}
}

// serveFast serves b with fasthttp on a loopback port as s says, and
// returns its address.
func serveFast(t testing.TB, b *core.Bridge, s setup) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &fasthttp.Server{
		Handler:                      fasthttpadapter.Handler(b),
		ErrorHandler:                 fasthttpadapter.ErrorHandler(b),
		MaxRequestBodySize:           int(b.MaxBodyBytes()),
		ReadBufferSize:               testHeaderLimit,
		NoDefaultServerHeader:        true,
		NoDefaultContentType:         true,
		DisablePreParseMultipartForm: true,
		Logger:                       discard{},
	}
	if s.stream {
		srv.StreamRequestBody, srv.MaxRequestBodySize = true, core.SmallBodyBytes
	}
	go func() { _ = srv.Serve(s.wrap(ln)) }()
	t.Cleanup(func() { _ = srv.Shutdown() })
	return ln.Addr().String()
}

// serveNet serves b with net/http and core/nethttp.
func serveNet(t testing.TB, b *core.Bridge) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: nethttp.Handler(b), MaxHeaderBytes: testHeaderLimit}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String()
}

type discard struct{}

func (discard) Printf(string, ...any) {}

// answer is what a client sees of a response.
type answer struct {
	Status int
	Header http.Header
	Body   string
}

// roundTrip sends raw to addr on a new connection and reads one response.
func roundTrip(t *testing.T, addr, raw string) answer {
	t.Helper()
	resp, body := rawhttp.RoundTrip(t, addr, raw)
	// The date, the framing (net/http chunks long bodies, fasthttp gives
	// every length) and the step's measured duration are not part of the
	// answer.
	for _, h := range []string{"Date", "Connection", "Content-Length", "Transfer-Encoding"} {
		resp.Header.Del(h)
	}
	return answer{resp.StatusCode, resp.Header, duration.ReplaceAllString(string(body), `"duration":0`)}
}

var duration = regexp.MustCompile(`"duration":[-+.e0-9]+`)

const execute = "/api/novu?action=execute&workflowId=welcome-email&stepId=send-email"

const executeBody = `{"payload":{"name":"Ada"},"controls":{},"state":[],"subscriber":{"subscriberId":"s1","firstName":"Ada"},"context":{}}`

// signed is a request with a valid signature over body.
func signed(method, target, body string, extra ...string) string {
	head := method + " " + target + " HTTP/1.1\r\nHost: bridge\r\nNovu-Signature: " +
		signature.Sign(conformance.Secret, time.Now(), []byte(body)) + "\r\n"
	for _, h := range extra {
		head += h + "\r\n"
	}
	if body != "" {
		head += "Content-Type: application/json\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n"
	}
	return head + "\r\n" + body
}

func chunked(body string) string {
	return strconv.FormatInt(int64(len(body)), 16) + "\r\n" + body + "\r\n0\r\n\r\n"
}

// TestSameAnswersAsNetHTTP sends the same bytes to a fasthttp server with
// this package and to a net/http server with core/nethttp, and expects the
// same status, headers and body from both.
func TestSameAnswersAsNetHTTP(t *testing.T) { eachSetup(t, testSameAnswersAsNetHTTP) }

func testSameAnswersAsNetHTTP(t *testing.T, s setup) {
	b := newBridge(t)
	fast, std := serveFast(t, b, s), serveNet(t, b)
	sig := func(body string) string {
		return "Novu-Signature: " + signature.Sign(conformance.Secret, time.Now(), []byte(body))
	}
	over := executeBody + strings.Repeat(" ", testLimit)
	cases := []struct {
		name string
		raw  func() string
	}{
		{"health check", func() string { return "GET /api/novu HTTP/1.1\r\nHost: b\r\n\r\n" }},
		{"discover", func() string { return signed("GET", "/api/novu?action=discover", "") }},
		{"discover, unsigned", func() string { return "GET /api/novu?action=discover HTTP/1.1\r\nHost: b\r\n\r\n" }},
		{"discover, legacy header", func() string {
			return "GET /api/novu?action=discover HTTP/1.1\r\nHost: b\r\nx-novu-signature: " +
				signature.Sign(conformance.Secret, time.Now(), nil) + "\r\n\r\n"
		}},
		{"execute", func() string { return signed("POST", execute, executeBody) }},
		{"execute, chunked body", func() string {
			return "POST " + execute + " HTTP/1.1\r\nHost: b\r\n" + sig(executeBody) +
				"\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(executeBody)
		}},
		{"execute, tampered body", func() string {
			return strings.Replace(signed("POST", execute, executeBody), "Ada", "Eve", 1)
		}},
		{"execute, body at the limit", func() string { return signed("POST", execute, over[:testLimit]) }},
		{"execute, body over the limit", func() string { return signed("POST", execute, over) }},
		{"execute, chunked body over the limit", func() string {
			return "POST " + execute + " HTTP/1.1\r\nHost: b\r\n" + sig(over) +
				"\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(over)
		}},
		{"execute, unknown workflow", func() string {
			return signed("POST", "/api/novu?action=execute&workflowId=nope&stepId=x", executeBody)
		}},
		{"preview", func() string {
			return signed("POST", strings.Replace(execute, "execute", "preview", 1), executeBody)
		}},
		{"code", func() string {
			return signed("GET", "/api/novu?action=code&workflowId=welcome-email&stepId=send-email", "")
		}},
		{"query escapes and repeats", func() string {
			return signed("GET", "/api/novu?action=disc%6Fver&action=execute&x=%20+a", "")
		}},
		{"query pair with a semicolon", func() string { return signed("GET", "/api/novu?action=discover;x=1", "") }},
		{"query with a bad escape", func() string { return signed("GET", "/api/novu?action=discover&workflowId=%zz", "") }},
		{"unknown action", func() string { return signed("GET", "/api/novu?action=nope", "") }},
		{"OPTIONS", func() string { return "OPTIONS /api/novu HTTP/1.1\r\nHost: b\r\nOrigin: https://web.novu.co\r\n\r\n" }},
		{"DELETE", func() string { return signed("DELETE", "/api/novu?action=discover", "") }},
		{"header block over the limit", func() string {
			return "GET /api/novu HTTP/1.1\r\nHost: b\r\nX-Pad: " + strings.Repeat("a", 2*testHeaderLimit) + "\r\n\r\n"
		}},
		{"header names in any case", func() string {
			return "GET /api/novu?action=discover HTTP/1.1\r\nHost: b\r\nNOVU-SIGNATURE: " +
				signature.Sign(conformance.Secret, time.Now(), nil) + "\r\n\r\n"
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			raw := tc.raw()
			want := roundTrip(t, std, raw)
			got := roundTrip(t, fast, raw)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("fasthttp's answer differs from net/http's (-net/http +fasthttp):\n%s", diff)
			}
		})
	}
}

// TestMalformedRequestLine checks that a request that is not HTTP gets a
// plain 400, as net/http answers it.
func TestMalformedRequestLine(t *testing.T) { eachSetup(t, testMalformedRequestLine) }

func testMalformedRequestLine(t *testing.T, s setup) {
	fast := serveFast(t, newBridge(t), s)
	got := roundTrip(t, fast, "GARBAGE\r\n\r\n")
	if got.Status != http.StatusBadRequest || !strings.HasPrefix(got.Body, "400 Bad Request") {
		t.Errorf("got %d %q, want a plain 400", got.Status, got.Body)
	}
}

// TestExecuteOverKeepAlive sends many signed executes on one connection,
// each answered in full.
func TestExecuteOverKeepAlive(t *testing.T) { eachSetup(t, testExecuteOverKeepAlive) }

func testExecuteOverKeepAlive(t *testing.T, s setup) {
	fast := serveFast(t, newBridge(t), s)
	c, err := net.Dial("tcp", fast)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	br := bufio.NewReader(c)
	for i := range 50 {
		body := strings.Replace(executeBody, "Ada", "Ada"+strconv.Itoa(i), 1)
		if _, err := io.WriteString(c, signed("POST", execute, body)); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		got, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || !strings.Contains(string(got), "Ada"+strconv.Itoa(i)) {
			t.Fatalf("request %d: %d %s", i, resp.StatusCode, got)
		}
	}
}

// TestMalformedRequests checks that requests net/http refuses with 400 get
// 400 here too.
func TestMalformedRequests(t *testing.T) { eachSetup(t, testMalformedRequests) }

func testMalformedRequests(t *testing.T, s setup) {
	b := newBridge(t)
	fast, std := serveFast(t, b, s), serveNet(t, b)
	for _, raw := range []string{
		"GARBAGE\r\n\r\n",
		"POST " + execute + " HTTP/1.1\r\nHost: b\r\nContent-Length: 5\r\nBad Header Line\r\n\r\nhello",
		"POST " + execute + " HTTP/1.1\r\nHost: b\r\nContent-Length: five\r\n\r\nhello",
		"POST " + execute + " HTTP/1.1\r\nHost: b\r\nTransfer-Encoding: chunked\r\nBad Header Line\r\n\r\n0\r\n\r\n",
		"GET /api/novu HTTP/1.1\r\nHost: b\r\nX: a\x00b\r\n\r\n",
		"POST " + execute + " HTTP/1.1\r\nHost: b\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n" + executeBody + "\r\n0\r\n\r\n",
		"POST " + execute + " HTTP/1.1\r\nHost: b\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n" + executeBody + "\r\n0\r\n\r\n",
	} {
		want, got := roundTrip(t, std, raw), roundTrip(t, fast, raw)
		if want.Status != 400 || got.Status != want.Status {
			t.Errorf("%q: net/http %d %q, fasthttp %d %q", raw, want.Status, want.Body, got.Status, got.Body)
		}
	}
}

// TestClientGoneCancelsTheRequest checks that a step waiting on its context
// is released with ErrClientGone when the client hangs up.
// waitingWorkflow is the workflow "slow", whose step "wait" waits for its
// context to end and sends its cause on released.
func waitingWorkflow(released chan<- error) *core.Workflow {
	return core.NewWorkflow("slow", core.WorkflowOptions{},
		core.Custom("wait", func(ctx context.Context, _ core.Input[struct{}, struct{}]) (struct{}, error) {
			<-ctx.Done()
			released <- context.Cause(ctx)
			return struct{}{}, ctx.Err()
		}))
}

func TestClientGoneCancelsTheRequest(t *testing.T) { eachSetup(t, testClientGoneCancelsTheRequest) }

func testClientGoneCancelsTheRequest(t *testing.T, s setup) {
	released := make(chan error, 1)
	wf := waitingWorkflow(released)
	b, err := core.New(core.Config{SecretKey: conformance.Secret, StepTimeout: time.Minute,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, wf)
	if err != nil {
		t.Fatal(err)
	}
	c, err := net.Dial("tcp", serveFast(t, b, s))
	if err != nil {
		t.Fatal(err)
	}
	body := `{"payload":{},"controls":{},"state":[],"subscriber":{}}`
	if _, err := io.WriteString(c, signed("POST", "/api/novu?action=execute&workflowId=slow&stepId=wait", body)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(150 * time.Millisecond)
	select {
	case err := <-released:
		t.Fatalf("the step was released while the client waited: %v", err)
	default:
	}
	c.Close()
	select {
	case err := <-released:
		if !errors.Is(err, fasthttpadapter.ErrClientGone) || !errors.Is(err, context.Canceled) {
			t.Errorf("cause %v, want ErrClientGone", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the step was not released after the client hung up")
	}
}

// A client that sends two requests at once and then closes its sending
// side is seen gone during the first, slow one; the second, already sent,
// is still answered in full, under a context of its own.
func TestPipelinedAfterClientGone(t *testing.T) { eachSetup(t, testPipelinedAfterClientGone) }

func testPipelinedAfterClientGone(t *testing.T, s setup) {
	released := make(chan error, 1)
	slow := waitingWorkflow(released)
	fast := core.NewWorkflow("fast", core.WorkflowOptions{},
		core.Custom("now", func(ctx context.Context, _ core.Input[struct{}, struct{}]) (struct{ Err string }, error) {
			if err := ctx.Err(); err != nil {
				return struct{ Err string }{}, err
			}
			return struct{ Err string }{"none"}, nil
		}))
	b, err := core.New(core.Config{SecretKey: conformance.Secret, StepTimeout: time.Minute,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, slow, fast)
	if err != nil {
		t.Fatal(err)
	}
	c, err := net.Dial("tcp", serveFast(t, b, s))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	body := `{"payload":{},"controls":{},"state":[],"subscriber":{}}`
	const target = "/api/novu?action=execute&workflowId="
	if _, err := io.WriteString(c, signed("POST", target+"slow&stepId=wait", body)+signed("POST", target+"fast&stepId=now", body)); err != nil {
		t.Fatal(err)
	}
	if err := c.(*net.TCPConn).CloseWrite(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-released:
		if !errors.Is(err, fasthttpadapter.ErrClientGone) {
			t.Errorf("first request's cause %v, want ErrClientGone", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the first request was not released after the client closed its side")
	}
	r := bufio.NewReader(c)
	for i, want := range []int{http.StatusBadGateway, http.StatusOK} {
		resp, err := http.ReadResponse(r, nil)
		if err != nil {
			t.Fatalf("answer %d: %v", i+1, err)
		}
		got, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != want {
			t.Fatalf("answer %d: status %d, want %d: %s", i+1, resp.StatusCode, want, got)
		}
		if i == 1 && !strings.Contains(string(got), `"outputs":{"Err":"none"}`) {
			t.Fatalf("answer 2: %s", got)
		}
	}
}

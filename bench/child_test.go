package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/echofn/echofn/bench/internal/load"
	"github.com/echofn/echofn/bench/internal/proc"
	"github.com/echofn/echofn/bench/internal/scenario"
	"github.com/echofn/echofn/bench/internal/server"
	"github.com/echofn/echofn/cmd/echofn/cli"
	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/internal/conformance"
)

// The tests start this test binary again as a bridge server: a real process
// on loopback, serving the conformance workflows and the fault workflows
// below, configured through these environment variables.
const (
	envChild       = "ECHOFN_BENCH_CHILD"        // the server to run instead of the tests
	envStepTimeout = "ECHOFN_BENCH_STEP_TIMEOUT" // core.Config.StepTimeout ("core" only)
	envMaxBody     = "ECHOFN_BENCH_MAX_BODY"     // core.Config.MaxBodyBytes ("core" only)
)

// The two servers a child can run.
const (
	// echofnServe is the production entry: `echofn serve` from package
	// cmd/echofn/cli, with its defaults (step timeout, body limit, one log
	// line per request).
	echofnServe = "echofn-serve"
	// coreServer is core and core/nethttp behind bench/internal/server,
	// whose step timeout and body limit the tests can shorten.
	coreServer = "core"
)

// blockFor is how long the step that ignores its context blocks: past any
// step timeout the tests use, and bounded, so the goroutine core leaves
// behind ends by itself.
const blockFor = 6 * time.Second

func TestMain(m *testing.M) {
	switch os.Getenv(envChild) {
	case coreServer:
		os.Exit(serveChild())
	case echofnServe:
		os.Exit(serveEchofn())
	}
	os.Exit(m.Run())
}

// childWorkflows are what a child serves.
func childWorkflows(log *slog.Logger) []*core.Workflow {
	return append(conformance.Workflows(), faultWorkflows(log)...)
}

// serveEchofn runs `echofn serve` on a free loopback port; it prints
// "bridge at <url>" once it listens.
func serveEchofn() int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	app := &cli.App{Workflows: childWorkflows(slog.New(slog.NewTextHandler(os.Stderr, nil)))}
	return app.Run(ctx, []string{"serve", "--addr", "127.0.0.1:0"})
}

// NoInput is the payload and controls of the fault workflows.
type NoInput struct{}

// Done is the output of the fault workflows' steps.
type Done struct {
	Done bool `json:"done"`
}

// faultWorkflows hold steps that misbehave: one panics, one blocks and
// ignores its context, one waits for its context and logs why it was
// released.
func faultWorkflows(log *slog.Logger) []*core.Workflow {
	panics := core.Custom("panics", func(ctx context.Context, in core.Input[NoInput, NoInput]) (Done, error) {
		var m map[string]int
		m["boom"]++ // a nil map write: a runtime panic, not a panic(value)
		return Done{true}, nil
	})
	blocks := core.Custom("blocks", func(ctx context.Context, in core.Input[NoInput, NoInput]) (Done, error) {
		time.Sleep(blockFor)
		return Done{true}, nil
	})
	waits := core.Custom("waits", func(ctx context.Context, in core.Input[NoInput, NoInput]) (Done, error) {
		select {
		case <-ctx.Done():
			log.Info("waits step released", "cause", context.Cause(ctx).Error())
			return Done{}, ctx.Err()
		case <-time.After(blockFor):
			return Done{true}, nil
		}
	})
	return []*core.Workflow{
		core.NewWorkflow("fault-panics", core.WorkflowOptions{}, panics),
		core.NewWorkflow("fault-blocks", core.WorkflowOptions{}, blocks),
		core.NewWorkflow("fault-waits", core.WorkflowOptions{}, waits),
	}
}

func serveChild() int {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	cfg := core.ConfigFromEnv()
	cfg.Server, cfg.Logger = "nethttp", log
	if v := os.Getenv(envStepTimeout); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			log.Error("bad step timeout", "value", v)
			return 2
		}
		cfg.StepTimeout = d
	}
	if v := os.Getenv(envMaxBody); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			log.Error("bad body limit", "value", v)
			return 2
		}
		cfg.MaxBodyBytes = n
	}
	bridge, err := core.New(cfg, childWorkflows(log)...)
	if err != nil {
		log.Error("cannot create the bridge", "err", err)
		return 1
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Error("cannot listen", "err", err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	fmt.Printf("listening on %s\n", l.Addr())
	if err := server.Serve(ctx, l, bridge); err != nil {
		log.Error("server stopped", "err", err)
		return 1
	}
	return 0
}

// child is a running server process.
type child struct {
	*proc.Process
	addr string
	log  string // its log file
}

// listenLine finds the address a child listens on in its output.
var listenLine = regexp.MustCompile(`(?:listening on |bridge at http://)(127\.0\.0\.1:[0-9]+)`)

// startChild starts a server process (echofnServe or coreServer) with the
// given extra environment and stops it when the test ends, failing the test
// if it had died or did not stop cleanly.
func startChild(t *testing.T, kind string, env ...string) *child {
	t.Helper()
	logFile := filepath.Join(t.TempDir(), "server.log")
	p, err := proc.Start(proc.Spec{
		Name:    "bridge process",
		Path:    os.Args[0],
		Args:    []string{"-test.run=^$"},
		Env:     append([]string{envChild + "=" + kind, core.EnvSecretKey + "=" + conformance.Secret}, env...),
		LogFile: logFile,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var addr string
	for addr == "" {
		if m := listenLine.FindStringSubmatch(p.Output()); m != nil {
			addr = m[1]
			break
		}
		if done, err := p.Exited(); done || ctx.Err() != nil {
			p.Kill()
			t.Fatalf("the server process did not start listening (exited: %v, %v):\n%s", done, err, p.Output())
		}
		time.Sleep(5 * time.Millisecond)
	}
	c := &child{Process: p, addr: addr, log: logFile}
	t.Cleanup(func() {
		if done, err := p.Exited(); done {
			t.Errorf("the server process died: %v\n%s", err, p.Output())
			return
		}
		if err := p.Stop(15 * time.Second); err != nil {
			t.Errorf("the server process did not stop cleanly on SIGTERM: %v\n%s", err, p.Output())
		}
	})
	return c
}

// alive fails the test when the process has exited.
func (c *child) alive(t *testing.T) {
	t.Helper()
	if done, err := c.Exited(); done {
		t.Fatalf("the server process died: %v\n%s", err, c.Output())
	}
}

// logText returns everything the process has logged so far.
func (c *child) logText(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile(c.log)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// waitForLog waits up to within for the child's log to hold line, and
// reports whether it did: a step's goroutine may write its line a moment
// after the answer that its ending produced.
func (c *child) waitForLog(t *testing.T, line string, within time.Duration) bool {
	t.Helper()
	deadline := time.Now().Add(within)
	for !strings.Contains(c.logText(t), line) {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}

// rawRequest is an HTTP request written byte for byte, so that malformed
// and oversized requests reach the server as they are.
type rawRequest struct {
	method, target string
	header         [][2]string
	body           []byte
}

func (r rawRequest) bytes(host string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\n", r.method, r.target, host)
	for _, h := range r.header {
		fmt.Fprintf(&b, "%s: %s\r\n", h[0], h[1])
	}
	if r.body != nil {
		fmt.Fprintf(&b, "Content-Length: %d\r\n", len(r.body))
	}
	b.WriteString("Connection: close\r\n\r\n")
	b.Write(r.body)
	return b.Bytes()
}

// response is what came back.
type response struct {
	status int
	header http.Header
	body   []byte
}

// code is the "code" of a JSON error body, "" when there is none.
func (r response) code() string {
	var e struct{ Code string }
	_ = json.Unmarshal(r.body, &e)
	return e.Code
}

// send writes the request on a new connection while reading the answer,
// so a server that answers before reading everything (413, 431) is seen
// answering rather than as a failed write.
func send(addr string, r rawRequest, timeout time.Duration) (response, error) {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return response{}, err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(timeout))
	go func() { _, _ = conn.Write(r.bytes(addr)) }()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return response{}, err
	}
	return response{resp.StatusCode, resp.Header, body}, nil
}

// health checks that the server still answers.
func (c *child) health(t *testing.T) {
	t.Helper()
	status, err := proc.Once(c.addr, load.Request{Method: "GET", Target: scenario.Path + "?action=health-check"}, 10*time.Second)
	if err != nil || status != 200 {
		t.Fatalf("health check after the test: status %d, %v\n%s", status, err, c.Output())
	}
}

package cli

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/core/nethttp"
	"github.com/echofn/echofn/samples"
	"github.com/echofn/echofn/samples/welcome"
)

func welcomeWorkflows() []*core.Workflow { return []*core.Workflow{welcome.Workflow()} }

// buffer is a bytes.Buffer safe for the server goroutines that log to it.
type buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// testApp is an App with its own environment and captured output. Sleeps
// between retries are recorded, not waited.
type testApp struct {
	*App
	stdout, stderr *buffer
	mu             sync.Mutex
	slept          []time.Duration
}

func newApp(env map[string]string, workflows ...*core.Workflow) *testApp {
	ta := &testApp{stdout: &buffer{}, stderr: &buffer{}}
	ta.App = &App{
		Workflows: workflows,
		Stdin:     bytes.NewReader(nil),
		Stdout:    ta.stdout,
		Stderr:    ta.stderr,
		Getenv:    func(k string) string { return env[k] },
		sleep: func(ctx context.Context, d time.Duration) error {
			ta.mu.Lock()
			defer ta.mu.Unlock()
			ta.slept = append(ta.slept, d)
			return ctx.Err()
		},
	}
	return ta
}

func (ta *testApp) run(args ...string) int {
	return ta.Run(context.Background(), args)
}

func (ta *testApp) sleeps() []time.Duration {
	ta.mu.Lock()
	defer ta.mu.Unlock()
	return append([]time.Duration(nil), ta.slept...)
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// bridgeServer serves workflows (the samples when none are given) on a
// real HTTP server on 127.0.0.1, checking signatures with secret.
func bridgeServer(t *testing.T, secret string, workflows ...*core.Workflow) *httptest.Server {
	t.Helper()
	if workflows == nil {
		workflows = samples.All()
	}
	b, err := core.New(core.Config{SecretKey: secret, Logger: quiet}, workflows...)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(nethttp.Handler(b))
	t.Cleanup(srv.Close)
	return srv
}

package cli

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestLogBuffer(t *testing.T) {
	out := &buffer{}
	logs := newLogBuffer(out)
	logger := slog.New(flushOnWarn{slog.NewTextHandler(logs, nil), logs})

	logger.Info("first")
	if out.String() != "" {
		t.Fatalf("an info line was written at once: %q", out)
	}
	logger.Warn("second")
	got := out.String()
	if !strings.Contains(got, "msg=first") || !strings.Contains(got, "msg=second") || strings.Index(got, "first") > strings.Index(got, "second") {
		t.Fatalf("a warning should write what came before it, then itself: %q", got)
	}

	logger.With("k", "v").Info("third")
	deadline := time.Now().Add(20 * logFlushEvery)
	for !strings.Contains(out.String(), "msg=third k=v") && time.Now().Before(deadline) {
		time.Sleep(logFlushEvery / 10)
	}
	if !strings.Contains(out.String(), "msg=third k=v") {
		t.Fatalf("an info line was not written within %s: %q", 20*logFlushEvery, out)
	}

	// A full buffer is written at once, well before the timer's flush.
	before := len(out.String())
	line := strings.Repeat("x", 1024)
	for range logBufferSize/1024 + 1 {
		logger.Info(line)
	}
	deadline = time.Now().Add(logFlushEvery / 2)
	for len(out.String()) <= before && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if len(out.String()) <= before {
		t.Fatal("a full buffer was not written")
	}
	logs.Flush()
}

// stallingWriter blocks every write until released.
type stallingWriter struct {
	release chan struct{}
	buffer
}

func (w *stallingWriter) Write(p []byte) (int, error) {
	<-w.release
	return w.buffer.Write(p)
}

// TestLogBufferDoesNotWaitForASlowSink checks that lines are kept while a
// write to the sink is stuck, up to logMaxPending, and that all of them
// are written, in order, once it is not.
func TestLogBufferDoesNotWaitForASlowSink(t *testing.T) {
	out := &stallingWriter{release: make(chan struct{})}
	logs := newLogBuffer(out)
	pad := strings.Repeat("x", 93)
	wrote := make(chan int)
	go func() {
		n := 0
		for ; n*100 < logMaxPending/2; n++ { // 100-byte lines
			_, _ = logs.Write([]byte(pad + fmt.Sprintf("%06d", n) + "\n"))
		}
		wrote <- n
	}()
	var n int
	select {
	case n = <-wrote:
	case <-time.After(10 * time.Second):
		t.Fatal("logging waited for a stuck sink")
	}
	close(out.release)
	logs.Flush()
	got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(got) != n {
		t.Fatalf("%d lines written, want %d", len(got), n)
	}
	for i, l := range got {
		if l != pad+fmt.Sprintf("%06d", i) {
			t.Fatalf("line %d is %q: out of order", i, l)
		}
	}
}

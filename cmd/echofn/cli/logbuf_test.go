package cli

import (
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

	// A full buffer is written at once.
	before := len(out.String())
	line := strings.Repeat("x", 1024)
	for range logBufferSize/1024 + 1 {
		logger.Info(line)
	}
	if len(out.String()) <= before {
		t.Fatal("a full buffer was not written")
	}
	logs.Flush()
}

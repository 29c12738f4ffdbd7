package cli

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"time"
)

// Writing each request's log line as it comes costs a system call per
// request, a tenth of what a small request costs. serve's log goes through
// a logBuffer instead: lines are written together at most logFlushEvery
// after the first of them, at once for warnings and errors (after the
// lines before them, so the order holds), and when serve stops.

const (
	logFlushEvery = 100 * time.Millisecond
	logBufferSize = 32 << 10
)

// logBuffer collects log lines for w.
type logBuffer struct {
	mu    sync.Mutex
	w     io.Writer
	buf   []byte
	timer *time.Timer
}

func newLogBuffer(w io.Writer) *logBuffer { return &logBuffer{w: w} }

// Write keeps p for the next flush; it never fails.
func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf = append(l.buf, p...)
	if len(l.buf) >= logBufferSize {
		l.flushLocked()
	} else if l.timer == nil {
		l.timer = time.AfterFunc(logFlushEvery, l.Flush)
	}
	return len(p), nil
}

// Flush writes what has been kept.
func (l *logBuffer) Flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.flushLocked()
}

func (l *logBuffer) flushLocked() {
	if l.timer != nil {
		l.timer.Stop()
		l.timer = nil
	}
	if len(l.buf) == 0 {
		return
	}
	_, _ = l.w.Write(l.buf)
	if cap(l.buf) > 4*logBufferSize {
		l.buf = nil // a burst of long lines is not kept for ever
	} else {
		l.buf = l.buf[:0]
	}
}

// flushOnWarn is a slog.Handler that writes its buffer out after every
// record of level Warn or above.
type flushOnWarn struct {
	slog.Handler
	buf *logBuffer
}

func (h flushOnWarn) Handle(ctx context.Context, r slog.Record) error {
	err := h.Handler.Handle(ctx, r)
	if r.Level >= slog.LevelWarn {
		h.buf.Flush()
	}
	return err
}

func (h flushOnWarn) WithAttrs(attrs []slog.Attr) slog.Handler {
	return flushOnWarn{h.Handler.WithAttrs(attrs), h.buf}
}

func (h flushOnWarn) WithGroup(name string) slog.Handler {
	return flushOnWarn{h.Handler.WithGroup(name), h.buf}
}

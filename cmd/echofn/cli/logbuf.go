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
//
// The write itself happens outside the lock that logging takes: a sink
// that is slow for a moment (a disk under writeback, a full pipe) delays
// the log, not the requests. Only when logMaxPending bytes wait does
// logging itself wait for the sink.

const (
	logFlushEvery = 100 * time.Millisecond
	logBufferSize = 32 << 10
	logMaxPending = 1 << 20
)

// logBuffer collects log lines for w.
type logBuffer struct {
	mu      sync.Mutex
	done    sync.Cond // signalled when a write ends
	w       io.Writer
	buf     []byte // lines not yet handed to a write
	spare   []byte // the buffer of the last write, for reuse
	writing bool   // a write to w is under way
	timer   *time.Timer
}

func newLogBuffer(w io.Writer) *logBuffer {
	l := &logBuffer{w: w}
	l.done.L = &l.mu
	return l
}

// Write keeps p for the next write to w; it never fails. It waits only
// while logMaxPending bytes are already waiting.
func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for l.writing && len(l.buf)+len(p) > logMaxPending {
		l.done.Wait()
	}
	l.buf = append(l.buf, p...)
	switch {
	case len(l.buf) >= logBufferSize && !l.writing:
		l.stopTimer()
		l.writing = true
		go l.writeOut()
	case l.timer == nil && !l.writing:
		l.timer = time.AfterFunc(logFlushEvery, l.Flush)
	}
	return len(p), nil
}

// writeOut writes what is kept, and then whatever came during the write,
// until nothing is left. l.writing is set by the caller.
func (l *logBuffer) writeOut() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.drainLocked()
}

// drainLocked writes everything kept, with l.mu held except during each
// write; l.writing is set on entry and cleared on return.
func (l *logBuffer) drainLocked() {
	for len(l.buf) > 0 {
		out := l.buf
		l.buf = l.spare[:0]
		l.mu.Unlock()
		_, _ = l.w.Write(out)
		l.mu.Lock()
		if cap(out) <= 4*logBufferSize { // a burst of long lines is not kept for ever
			l.spare = out[:0]
		} else {
			l.spare = nil
		}
		l.done.Broadcast()
	}
	l.writing = false
	l.done.Broadcast()
}

// Flush writes what has been kept and returns when it is written.
func (l *logBuffer) Flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stopTimer()
	for l.writing { // lines handed to a write go out first
		l.done.Wait()
	}
	l.writing = true
	l.drainLocked()
}

func (l *logBuffer) stopTimer() {
	if l.timer != nil {
		l.timer.Stop()
		l.timer = nil
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

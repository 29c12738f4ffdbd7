package core

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestGuardedAnswersPanicsAndGoexit(t *testing.T) {
	ctx := context.Background()
	_, err := guard(ctx, 5*time.Second, jobFunc(func(context.Context) (any, error) { panic("boom") }))
	var p *panicError
	if !errors.As(err, &p) || p.value != "boom" || len(p.stack) == 0 {
		t.Fatalf("panic: got %v, want a panicError with its stack", err)
	}

	start := time.Now()
	_, err = guard(ctx, 5*time.Second, jobFunc(func(context.Context) (any, error) { runtime.Goexit(); return nil, nil }))
	if !errors.Is(err, errGoexit) {
		t.Fatalf("Goexit: got %v, want errGoexit", err)
	}
	if time.Since(start) > time.Second {
		t.Fatal("Goexit: the answer waited for the deadline")
	}

	v, err := guard(ctx, 5*time.Second, jobFunc(func(context.Context) (any, error) { return 42, nil }))
	if v != 42 || err != nil {
		t.Fatalf("after a panic and a Goexit: got %v, %v", v, err)
	}
}

func TestGuardedLeavesBlockedCodeBehind(t *testing.T) {
	release := make(chan struct{})
	_, err := guard(context.Background(), 50*time.Millisecond, jobFunc(func(context.Context) (any, error) { <-release; return nil, nil }))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want the deadline", err)
	}
	// The blocked goroutine is not handed new work while it is blocked.
	for i := range 10 {
		v, err := guard(context.Background(), time.Second, jobFunc(func(context.Context) (any, error) { return i, nil }))
		if v != i || err != nil {
			t.Fatalf("call %d while another blocks: got %v, %v", i, v, err)
		}
	}
	close(release)
}

// Sequential calls run in a handful of kept goroutines, not one new
// goroutine each. (Not always in one: a goroutine that another test left
// blocked may join the idle ones at any moment.)
func TestGuardedReusesGoroutines(t *testing.T) {
	goroutine := func(context.Context) (any, error) {
		buf := make([]byte, 64)
		buf = buf[:runtime.Stack(buf, false)]
		id, _, _ := strings.Cut(string(buf), " [")
		return id, nil
	}
	seen := map[any]bool{}
	for range 100 {
		id, _ := guard(context.Background(), time.Second, jobFunc(goroutine))
		seen[id] = true
	}
	if len(seen) > 3 {
		t.Fatalf("100 sequential calls ran in %d goroutines", len(seen))
	}
}

// guard runs f as an execute runs a step's code, under a new step
// context, and returns what f gave, or guarded's error.
func guard(parent context.Context, timeout time.Duration, f jobFunc) (any, error) {
	j := &valueJob{f: f}
	if err := guarded(new(stepContext), parent, timeout, j); err != nil {
		return nil, err
	}
	return j.v, nil
}

// jobFunc is step code that gives a value.
type jobFunc func(context.Context) (any, error)

// valueJob is a jobFunc as a job, keeping the value it gave.
type valueJob struct {
	f jobFunc
	v any
}

func (j *valueJob) run(ctx context.Context) (err error) {
	j.v, err = j.f(ctx)
	return err
}

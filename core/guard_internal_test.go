package core

import (
	"context"
	"errors"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
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

// Code that is still running when its call gives up is counted until it
// returns, however it ends: by returning, by panicking or by ending its
// goroutine.
func TestGuardedCountsOverrunningCode(t *testing.T) {
	var overrunning atomic.Int64
	ends := []func(){
		func() {},
		func() { panic("late") },
		runtime.Goexit,
	}
	var releases []chan struct{}
	for _, end := range ends {
		release := make(chan struct{})
		releases = append(releases, release)
		j := &valueJob{f: func(context.Context) (any, error) { <-release; end(); return nil, nil }}
		if err := guarded(new(stepContext), context.Background(), 20*time.Millisecond, j, &overrunning); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("got %v, want the deadline", err)
		}
	}
	if n := overrunning.Load(); n != 3 {
		t.Fatalf("%d overrunning after three calls gave up, want 3", n)
	}
	j := &valueJob{f: func(context.Context) (any, error) { return 1, nil }}
	if err := guarded(new(stepContext), context.Background(), time.Second, j, &overrunning); err != nil || overrunning.Load() != 3 {
		t.Fatalf("code that returned in time: %v, %d overrunning, want nil, 3", err, overrunning.Load())
	}
	for i, release := range releases {
		close(release)
		waitFor(t, func() bool { return overrunning.Load() == int64(2-i) }, "the count to drop to %d", 2-i)
	}
}

// Code that returns just as its call gives up is counted once or not at
// all, and never stays counted.
func TestGuardedOverrunningCountSettles(t *testing.T) {
	var overrunning atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				d := time.Duration(rand.IntN(2000)) * time.Microsecond
				j := &valueJob{f: func(context.Context) (any, error) { time.Sleep(d); return nil, nil }}
				_ = guarded(new(stepContext), context.Background(), time.Millisecond, j, &overrunning)
			}
		})
	}
	wg.Wait()
	waitFor(t, func() bool { return overrunning.Load() == 0 }, "the count to settle at 0")
}

// waitFor fails the test unless ok turns true within five seconds.
func waitFor(t *testing.T, ok func() bool, format string, args ...any) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !ok(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited 5 s for "+format, args...)
		}
	}
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
	var overrunning atomic.Int64
	j := &valueJob{f: f}
	if err := guarded(new(stepContext), parent, timeout, j, &overrunning); err != nil {
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

package core

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// started returns a step context started under parent, and its wake
// channel; the test stops it when it ends.
func started(t *testing.T, parent context.Context, timeout time.Duration) (*stepContext, chan guardResult) {
	t.Helper()
	wake := make(chan guardResult, 2)
	c := new(stepContext)
	c.start(parent, timeout, wake)
	t.Cleanup(c.stop)
	return c, wake
}

// late is how long after its deadline or its parent's end a step context
// may take to close Done: a few rounds of the step watch, with room for a
// busy machine.
const late = 20 * stepWatchEvery

type testKey struct{}

func closedWithin(ch <-chan struct{}, d time.Duration) bool {
	select {
	case <-ch:
		return true
	default:
	}
	select {
	case <-ch:
		return true
	case <-time.After(d):
		return false
	}
}

func TestStepContextDeadline(t *testing.T) {
	start := time.Now()
	c, wake := started(t, context.Background(), 30*time.Millisecond)
	d, ok := c.Deadline()
	if !ok || d.Before(start.Add(30*time.Millisecond)) || d.After(time.Now().Add(30*time.Millisecond)) {
		t.Fatalf("Deadline() = %v, %v; want 30ms from the start", d, ok)
	}
	if c.Err() != nil {
		t.Fatalf("Err() = %v before the deadline", c.Err())
	}
	if !closedWithin(c.Done(), 30*time.Millisecond+late) {
		t.Fatal("Done not closed after the deadline")
	}
	if time.Now().Before(d) {
		t.Fatal("Done closed before the deadline")
	}
	if !errors.Is(c.Err(), context.DeadlineExceeded) || !errors.Is(context.Cause(c), context.DeadlineExceeded) {
		t.Fatalf("Err() = %v, Cause = %v; want the deadline", c.Err(), context.Cause(c))
	}
	if r := <-wake; !r.ended {
		t.Fatalf("wake got %+v, want ended", r)
	}
}

// Err looks at the clock itself: past the deadline it reports it, and Done
// is closed from then on, whether or not the watch has come round.
func TestStepContextErrIsExact(t *testing.T) {
	for range 20 {
		c, _ := started(t, context.Background(), time.Millisecond)
		time.Sleep(2 * time.Millisecond)
		if !errors.Is(c.Err(), context.DeadlineExceeded) {
			t.Fatalf("Err() = %v past the deadline", c.Err())
		}
		select {
		case <-c.Done():
		default:
			t.Fatal("Err reported the deadline but Done is open")
		}
	}
}

func TestStepContextEarlierParentDeadline(t *testing.T) {
	parent, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	want, _ := parent.Deadline()
	c, _ := started(t, parent, time.Hour)
	if d, _ := c.Deadline(); !d.Equal(want) {
		t.Fatalf("Deadline() = %v, want the parent's %v", d, want)
	}
	if !closedWithin(c.Done(), 20*time.Millisecond+late) || !errors.Is(c.Err(), context.DeadlineExceeded) {
		t.Fatalf("not ended by the parent's deadline: %v", c.Err())
	}
}

func TestStepContextEndsWithParent(t *testing.T) {
	gone := errors.New("client gone")
	parent, cancel := context.WithCancelCause(context.WithValue(context.Background(), testKey{}, "v"))
	c, wake := started(t, parent, time.Hour)
	if c.Value(testKey{}) != "v" {
		t.Fatalf("Value = %v, want the parent's", c.Value(testKey{}))
	}
	cancel(gone)
	if !closedWithin(c.Done(), late) {
		t.Fatal("Done not closed after the parent ended")
	}
	if !errors.Is(c.Err(), context.Canceled) || context.Cause(c) != gone {
		t.Fatalf("Err() = %v, Cause = %v; want Canceled and the parent's cause", c.Err(), context.Cause(c))
	}
	if r := <-wake; !r.ended {
		t.Fatalf("wake got %+v, want ended", r)
	}
}

// A step context that ended on its own (its deadline, or stop) keeps its
// own cause once its parent ends later, as a context.WithTimeout context
// does: the code of a step left running past its deadline sees the
// deadline, not the end of the request that gave up on it.
func TestStepContextKeepsItsOwnCause(t *testing.T) {
	for _, tc := range []struct {
		name string
		end  func(c *stepContext, cancel context.CancelFunc)
		want error
	}{
		{"deadline", func(c *stepContext, _ context.CancelFunc) { closedWithin(c.Done(), 10*time.Millisecond+late) }, context.DeadlineExceeded},
		{"stop", func(c *stepContext, cancel context.CancelFunc) { c.stop(); cancel() }, context.Canceled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			gone := errors.New("request over")
			parent, cancelParent := context.WithCancelCause(context.WithValue(context.Background(), testKey{}, "v"))
			c, _ := started(t, parent, 10*time.Millisecond)
			real, cancelReal := context.WithTimeout(parent, 10*time.Millisecond)
			tc.end(c, cancelReal)
			<-real.Done()
			if !errors.Is(c.Err(), tc.want) {
				t.Fatalf("Err() = %v, want %v", c.Err(), tc.want)
			}
			cancelParent(gone)
			if got, want := context.Cause(c), context.Cause(real); got != want || got != tc.want {
				t.Errorf("Cause after the parent ended = %v, want %v (context.WithTimeout's: %v)", got, tc.want, want)
			}
			if c.Value(testKey{}) != "v" {
				t.Errorf("Value = %v, want the parent's", c.Value(testKey{}))
			}
			child, cancelChild := context.WithCancel(c)
			defer cancelChild()
			if !closedWithin(child.Done(), late) || context.Cause(child) != tc.want {
				t.Errorf("a context derived from it: Cause %v, want %v", context.Cause(child), tc.want)
			}
		})
	}
}

func TestStepContextParentEndedBeforeStart(t *testing.T) {
	parent, cancel := context.WithCancel(context.Background())
	cancel()
	c, wake := started(t, parent, time.Hour)
	select {
	case <-c.Done():
	default:
		t.Fatal("Done open under an ended parent")
	}
	if r := <-wake; !r.ended || !errors.Is(c.Err(), context.Canceled) {
		t.Fatalf("wake got %+v, Err() = %v", r, c.Err())
	}
}

// stop ends the context with Canceled and, from then on, nothing more is
// said on the wake channel, even once the deadline passes.
func TestStepContextStop(t *testing.T) {
	wake := make(chan guardResult, 2)
	c := new(stepContext)
	c.start(context.Background(), 5*time.Millisecond, wake)
	c.stop()
	if !errors.Is(c.Err(), context.Canceled) || !closedWithin(c.Done(), 0) {
		t.Fatalf("after stop: Err() = %v", c.Err())
	}
	time.Sleep(5*time.Millisecond + 3*stepWatchEvery)
	if len(wake) != 0 || !errors.Is(c.Err(), context.Canceled) {
		t.Fatalf("after stop: %d words on wake, Err() = %v", len(wake), c.Err())
	}
}

// Contexts derived from a step context follow it without a goroutine
// each, and context.AfterFunc works on it.
func TestStepContextChildren(t *testing.T) {
	c, _ := started(t, context.Background(), time.Hour)
	before := runtime.NumGoroutine()
	var children []context.Context
	for range 100 {
		child, cancel := context.WithCancel(c)
		defer cancel()
		children = append(children, child)
	}
	if n := runtime.NumGoroutine() - before; n > 10 {
		t.Fatalf("100 derived contexts started %d goroutines", n)
	}
	ran := make(chan struct{})
	context.AfterFunc(c, func() { close(ran) })
	var stopped atomic.Bool
	stop := context.AfterFunc(c, func() { stopped.Store(true) })
	if !stop() {
		t.Fatal("stop of a pending AfterFunc reported false")
	}
	c.stop()
	for _, child := range children {
		if !closedWithin(child.Done(), time.Second) || !errors.Is(child.Err(), context.Canceled) {
			t.Fatalf("child not ended with its step: %v", child.Err())
		}
	}
	if !closedWithin(ran, time.Second) {
		t.Fatal("AfterFunc's function did not run")
	}
	if stopped.Load() {
		t.Fatal("a stopped AfterFunc's function ran")
	}
	if stop := context.AfterFunc(c, func() {}); stop() {
		t.Fatal("stop of an AfterFunc on an ended context reported true")
	}
}

// The watch's goroutine runs only while there are steps to watch.
func TestStepWatchStopsWhenIdle(t *testing.T) {
	c := new(stepContext)
	c.start(context.Background(), time.Hour, nil)
	c.stop()
	deadline := time.Now().Add(time.Second)
	for {
		stepWatch.mu.Lock()
		active, n := stepWatch.active, len(stepWatch.running)
		stepWatch.mu.Unlock()
		if !active {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the watch still runs with %d steps to watch", n)
		}
		time.Sleep(stepWatchEvery)
	}
}

// A job that answers just as its deadline passes leaves no word behind
// for the next call on the same answer channel.
func TestGuardedDeadlineRace(t *testing.T) {
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 300 {
				spin := time.Duration(i%5) * 100 * time.Microsecond
				guard(context.Background(), 200*time.Microsecond, jobFunc(func(context.Context) (any, error) {
					for start := time.Now(); time.Since(start) < spin; {
					}
					return nil, nil
				}))
				want := g*1000 + i
				v, err := guard(context.Background(), time.Minute, jobFunc(func(context.Context) (any, error) { return want, nil }))
				if v != want || err != nil {
					t.Errorf("after a call that met its deadline: got %v, %v; want %d", v, err, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// A step context behaves as a context.WithTimeout context under the same
// parent, for every order of the three ways they end (the parent ends
// with a cause, the deadline passes, stop or the CancelFunc is called):
// the same Err and Cause after each, for the contexts themselves, for
// contexts derived from them before anything ended and for contexts
// derived after. Done may close up to stepWatchEvery later.
func TestStepContextLikeWithTimeout(t *testing.T) {
	const timeout = 20 * time.Millisecond
	var orders [][]string
	var permute func(done []string, rest []string)
	permute = func(done, rest []string) {
		if len(done) > 0 {
			orders = append(orders, append([]string(nil), done...))
		}
		for i, e := range rest {
			others := append(append([]string(nil), rest[:i]...), rest[i+1:]...)
			permute(append(done, e), others)
		}
	}
	permute(nil, []string{"parent", "deadline", "stop"})
	for _, order := range orders {
		t.Run(fmt.Sprint(order), func(t *testing.T) {
			t.Parallel()
			gone := errors.New("request over")
			parent, cancelParent := context.WithCancelCause(context.WithValue(context.Background(), testKey{}, "v"))
			defer cancelParent(nil)
			d := time.Hour
			if slices.Contains(order, "deadline") {
				d = timeout
			}
			real, cancelReal := context.WithTimeout(parent, d)
			defer cancelReal()
			ours, _ := started(t, parent, d)
			realChild, cancelRC := context.WithCancel(real)
			defer cancelRC()
			ourChild, cancelOC := context.WithCancel(ours)
			defer cancelOC()
			for i, event := range order {
				switch event {
				case "parent":
					cancelParent(gone)
				case "deadline":
					// Until both deadlines have passed, and the timer of
					// context.WithTimeout has fired.
					d, _ := ours.Deadline()
					time.Sleep(time.Until(d))
					if !closedWithin(real.Done(), late) {
						t.Fatal("context.WithTimeout's deadline did not end it")
					}
				case "stop":
					ours.stop()
					cancelReal()
				}
				<-time.After(0) // let the context package's goroutines run
				compareContexts(t, fmt.Sprintf("after %v", order[:i+1]), real, ours)
				compareContexts(t, fmt.Sprintf("children made first, after %v", order[:i+1]), realChild, ourChild)
			}
			lateReal, cancelLR := context.WithCancel(real)
			defer cancelLR()
			lateOurs, cancelLO := context.WithCancel(ours)
			defer cancelLO()
			compareContexts(t, "children made last", lateReal, lateOurs)
			if ours.Value(testKey{}) != "v" {
				t.Errorf("Value = %v, want the parent's", ours.Value(testKey{}))
			}
		})
	}
}

// compareContexts checks that ours ends as real has: the same Err and
// Cause, and Done closed within late when real's is.
func compareContexts(t *testing.T, when string, real, ours context.Context) {
	t.Helper()
	select {
	case <-real.Done():
		if !closedWithin(ours.Done(), late) {
			t.Errorf("%s: Done open, context.WithTimeout's closed", when)
			return
		}
	default:
	}
	if ours.Err() != real.Err() || context.Cause(ours) != context.Cause(real) {
		t.Errorf("%s: Err %v, Cause %v; context.WithTimeout's: %v, %v", when, ours.Err(), context.Cause(ours), real.Err(), context.Cause(real))
	}
}

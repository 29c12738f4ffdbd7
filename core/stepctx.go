package core

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// The developer's code for a step runs under a stepContext: a context that
// ends at the step's deadline or when the request's context ends, as one
// from context.WithTimeout would. It costs less on the path every execute
// takes. It is not allocated on its own but lives in the execution; it
// arms no timer of its own and is not registered with its parent. Instead
// one shared goroutine, the step watch, looks at the running steps every
// stepWatchEvery and ends those whose deadline has passed or whose parent
// has ended. Their Done channels therefore close up to stepWatchEvery
// late; Err is exact, since it looks at the clock and the parent itself
// (and ends the context when it finds it over).

// stepWatchEvery is how often the step watch looks at the running steps.
const stepWatchEvery = 10 * time.Millisecond

// stepContext is the context of one step's run. Start it with start and
// end it with stop.
type stepContext struct {
	parent   context.Context
	deadline time.Time
	slot     int // index in stepWatch.running while watched

	mu       sync.Mutex
	err      error // why it ended; nil while it runs
	byParent bool  // it ended because its parent did
	// ended is a context cancelled with err, for Value to consult before
	// the parent once c has ended on its own; made when first needed.
	ended  context.Context
	done   chan struct{}      // made on the first call of Done
	wake   chan<- guardResult // told when it ends on its own, not by stop
	afters []*stepAfter       // functions to run in goroutines when it ends

	// run is where the step's code is: jobRunning, jobReturned or
	// jobAbandoned (see guarded).
	run atomic.Int32
}

// stepAfter is a function registered with AfterFunc.
type stepAfter struct{ f func() }

// start readies c to run until timeout from now, or the parent's deadline
// if that is earlier, and has the step watch look after it. When it ends
// before stop, wake is sent one guardResult with ended set.
func (c *stepContext) start(parent context.Context, timeout time.Duration, wake chan<- guardResult) {
	c.parent = parent
	c.deadline = time.Now().Add(timeout)
	if d, ok := parent.Deadline(); ok && d.Before(c.deadline) {
		c.deadline = d
	}
	c.wake = wake
	c.slot = -1
	c.mu.Lock()
	c.endOverLocked()
	ended := c.err != nil
	c.mu.Unlock()
	if !ended {
		stepWatch.add(c)
	}
}

// stop ends c, if it has not ended already, with context.Canceled, and
// takes it from the step watch. Once stop has returned, c sends nothing
// more on its wake channel.
func (c *stepContext) stop() {
	stepWatch.remove(c)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.wake = nil
	c.endLocked(context.Canceled)
}

// endOver ends c, unless it has ended already, once its deadline has
// passed (with DeadlineExceeded) or its parent has ended (with the
// parent's Err).
func (c *stepContext) endOver() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.endOverLocked()
}

// endOverLocked is endOver with c.mu held.
func (c *stepContext) endOverLocked() {
	if c.err != nil {
		return
	}
	if !time.Now().Before(c.deadline) {
		c.endLocked(context.DeadlineExceeded)
	} else if err := c.parent.Err(); err != nil {
		c.byParent = true
		c.endLocked(err)
	}
}

// endLocked ends c with err unless it has ended already: it closes Done,
// starts the functions registered with AfterFunc and tells the wake
// channel. c.mu is held.
func (c *stepContext) endLocked(err error) {
	if c.err != nil {
		return
	}
	c.err = err
	if c.done != nil {
		close(c.done)
	}
	for _, a := range c.afters {
		go a.f()
	}
	c.afters = nil
	if c.wake != nil {
		// The channel has room: one answer from the job, one from here.
		c.wake <- guardResult{ended: true}
		c.wake = nil
	}
}

// Deadline returns the step's deadline.
func (c *stepContext) Deadline() (time.Time, bool) { return c.deadline, true }

// Done returns a channel closed when c ends, at most stepWatchEvery after
// its deadline or its parent's end.
func (c *stepContext) Done() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done == nil {
		c.done = make(chan struct{})
		if c.err != nil {
			close(c.done)
		}
	}
	return c.done
}

// Err returns why c ended, or nil while it runs. It ends c at once when
// it finds the deadline passed or the parent ended.
func (c *stepContext) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.endOverLocked()
	return c.err
}

// Value returns the parent's value for key. Once c has ended on its own
// (its deadline, or stop), it first asks a context cancelled with c's Err,
// so that context.Cause gives c's Err, not the cause the parent may end
// with later, as for a context from context.WithTimeout; when c ended with
// its parent, context.Cause gives the parent's cause.
func (c *stepContext) Value(key any) any {
	c.mu.Lock()
	if c.err != nil && !c.byParent && c.ended == nil {
		ended, cancel := context.WithCancelCause(context.Background())
		cancel(c.err)
		c.ended = ended
	}
	ended := c.ended
	c.mu.Unlock()
	if ended != nil {
		if v := ended.Value(key); v != nil {
			return v
		}
	}
	return c.parent.Value(key)
}

// AfterFunc arranges for f to run in its own goroutine once c ends; stop
// undoes that if f has not started. The context package calls it for the
// contexts derived from c, which need no goroutine of their own to follow
// it that way.
func (c *stepContext) AfterFunc(f func()) (stop func() bool) {
	a := &stepAfter{f}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		go f()
		return func() bool { return false }
	}
	c.afters = append(c.afters, a)
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		for i, b := range c.afters {
			if b == a {
				c.afters = append(c.afters[:i], c.afters[i+1:]...)
				return true
			}
		}
		return false
	}
}

// String describes c, as the context package's own contexts do.
func (c *stepContext) String() string {
	return fmt.Sprintf("%v.WithDeadline(%v)", c.parent, c.deadline)
}

// stepWatch is the goroutine that ends running steps whose deadline has
// passed or whose parent has ended. It runs while there are steps to
// watch and stops when there are none.
var stepWatch watcher

type watcher struct {
	mu      sync.Mutex
	running []*stepContext
	active  bool // the goroutine is running
	seen    []*stepContext
}

func (w *watcher) add(c *stepContext) {
	w.mu.Lock()
	defer w.mu.Unlock()
	c.slot = len(w.running)
	w.running = append(w.running, c)
	if !w.active {
		w.active = true
		go w.loop()
	}
}

func (w *watcher) remove(c *stepContext) {
	w.mu.Lock()
	defer w.mu.Unlock()
	i := c.slot
	if i < 0 || i >= len(w.running) || w.running[i] != c {
		return
	}
	last := len(w.running) - 1
	w.running[i] = w.running[last]
	w.running[i].slot = i
	w.running[last] = nil
	w.running = w.running[:last]
	c.slot = -1
}

// loop looks at the running steps every stepWatchEvery until there are
// none. A step's parent is asked outside the watch's lock, so that a slow
// or odd parent cannot hold up the steps starting and stopping.
func (w *watcher) loop() {
	t := time.NewTicker(stepWatchEvery)
	defer t.Stop()
	for range t.C {
		w.mu.Lock()
		if len(w.running) == 0 {
			w.active = false
			w.mu.Unlock()
			return
		}
		seen := append(w.seen[:0], w.running...)
		w.mu.Unlock()
		for i, c := range seen {
			c.endOver()
			seen[i] = nil
		}
		w.seen = seen[:0]
	}
}

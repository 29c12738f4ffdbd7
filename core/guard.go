package core

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"
)

// The developer's code runs in a goroutine of its own, so that a step that
// blocks past its deadline cannot hold up the answer. Those goroutines are
// kept between calls: a new goroutine for every call would pay for its
// start and, worse, for growing its stack again each time (encoding and
// decoding go deep), which was a tenth of an execute's CPU time.

// maxIdleGuards is how many idle goroutines are kept for later calls.
const maxIdleGuards = 64

// idleGuards holds the job queues of goroutines waiting for work, the most
// recently used last: it is handed the next job, its stack still grown and
// its memory still in cache.
var idleGuards struct {
	sync.Mutex
	queues []chan guardJob
}

// takeIdle returns an idle goroutine's queue, or nil.
func takeIdle() chan guardJob {
	idleGuards.Lock()
	defer idleGuards.Unlock()
	n := len(idleGuards.queues)
	if n == 0 {
		return nil
	}
	q := idleGuards.queues[n-1]
	idleGuards.queues[n-1] = nil
	idleGuards.queues = idleGuards.queues[:n-1]
	return q
}

// putIdle offers a goroutine's queue for later jobs; false when enough are
// idle already.
func putIdle(q chan guardJob) bool {
	idleGuards.Lock()
	defer idleGuards.Unlock()
	if len(idleGuards.queues) >= maxIdleGuards {
		return false
	}
	idleGuards.queues = append(idleGuards.queues, q)
	return true
}

// answers keeps the channels that calls are answered on. Each has room
// for the job's answer and for its step context's word that it ended, so
// that neither ever waits. A channel goes back once its answer is read and
// it is empty; one whose call gave up waiting is left to the goroutine
// that will still answer on it.
var answers = sync.Pool{New: func() any { return make(chan guardResult, 2) }}

// guardResult is a job's answer, or with ended set, the word that its
// step context ended first.
type guardResult struct {
	err   error
	ended bool
}

// job is code to run in a kept goroutine. What it gives beyond its error
// it keeps in itself.
type job interface {
	run(ctx context.Context) error
}

type guardJob struct {
	ctx *stepContext
	job job
	out chan<- guardResult
	// overrunning counts the jobs whose caller gave up waiting and that
	// have not returned yet.
	overrunning *atomic.Int64
}

// A job's run goes from running to returned, or to abandoned when its
// caller stops waiting first; whichever comes second sees the other.
const (
	jobRunning int32 = iota
	jobReturned
	jobAbandoned
)

// returned records that the job's code has returned (or panicked, or
// ended its goroutine), and takes it off the overrunning count if its
// caller had given up on it.
func (j guardJob) returned() {
	if !j.ctx.run.CompareAndSwap(jobRunning, jobReturned) {
		j.overrunning.Add(-1)
	}
}

// errGoexit is the error of code that ended its goroutine with
// runtime.Goexit instead of returning.
var errGoexit = errors.New("step code ended its goroutine (runtime.Goexit) without returning")

// guarded runs j in a kept goroutine under c, which it starts with parent
// and timeout and stops before it returns. It returns j's error, an
// error for a panic, or c's cause when c ends first (its deadline passed
// or its parent ended). In that case j is left to finish on its own and
// counted in overrunning until it does; its goroutine is reused only once
// it has.
func guarded(c *stepContext, parent context.Context, timeout time.Duration, j job, overrunning *atomic.Int64) error {
	out := answers.Get().(chan guardResult)
	c.run.Store(jobRunning)
	c.start(parent, timeout, out)
	job := guardJob{c, j, out, overrunning}
	if jobs := takeIdle(); jobs != nil {
		jobs <- job
	} else {
		jobs = make(chan guardJob, 1)
		jobs <- job
		go guardLoop(jobs)
	}
	r := <-out
	c.stop()
	if r.ended {
		if c.run.CompareAndSwap(jobRunning, jobAbandoned) {
			overrunning.Add(1)
		}
		return fmt.Errorf("step did not finish: %w", context.Cause(c))
	}
	if len(out) == 0 {
		answers.Put(out)
	}
	return r.err
}

// guardLoop runs jobs until the pool of idle goroutines is full. It goes
// back to the pool before it answers, so that the caller's next call finds
// it there.
func guardLoop(jobs chan guardJob) {
	for job := range jobs {
		r, ok := runJob(job)
		job.returned()
		ok = ok && putIdle(jobs)
		job.out <- r
		if !ok {
			return
		}
	}
}

// runJob runs one job. It reports whether the goroutine may run another:
// not after a panic. Code that ends the goroutine with runtime.Goexit is
// answered here, since runJob then never returns.
func runJob(job guardJob) (r guardResult, ok bool) {
	returned := false
	defer func() {
		if returned {
			return
		}
		if p := recover(); p != nil {
			r = guardResult{err: &panicError{p, debug.Stack()}}
			return
		}
		job.returned()
		job.out <- guardResult{err: errGoexit}
	}()
	r.err = job.job.run(job.ctx)
	returned = true
	return r, true
}

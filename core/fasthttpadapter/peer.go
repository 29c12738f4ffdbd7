package fasthttpadapter

import (
	"context"
	"fmt"
	"net"
	"sync"
	"time"
)

// ErrClientGone is the cause of a request's context when the client closed
// its connection before the answer was ready. It wraps context.Canceled.
var ErrClientGone = fmt.Errorf("the client closed the connection: %w", context.Canceled)

// peerCheckInterval is how often the connection of a request still running
// is checked for the client having left. Requests answered sooner (nearly
// all of them) are never checked.
const peerCheckInterval = 100 * time.Millisecond

// peerWatch cancels the contexts of requests whose clients hang up, as
// net/http does for its requests' contexts: a step waiting on a slow API
// stops when nobody waits for its answer any more. One goroutine checks,
// every peerCheckInterval while requests are in flight, the connections of
// those running for at least an interval; it ends when none are.
type peerWatch struct {
	mu      sync.Mutex
	slots   []watched // the requests in flight; a free slot has no conn
	free    []int
	tick    uint64
	running bool
	due     []watched // the loop's scratch
}

// watched is one request in flight.
type watched struct {
	conn   net.Conn
	cancel context.CancelCauseFunc
	since  uint64 // the tick at which it started
}

// add watches conn for the request that cancel ends, returning its slot
// for remove, or -1 when conn cannot be watched.
func (w *peerWatch) add(conn net.Conn, cancel context.CancelCauseFunc) int {
	if conn == nil || !canPeek(conn) {
		return -1
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	var slot int
	if n := len(w.free); n > 0 {
		slot = w.free[n-1]
		w.free = w.free[:n-1]
	} else {
		slot = len(w.slots)
		w.slots = append(w.slots, watched{})
	}
	w.slots[slot] = watched{conn, cancel, w.tick}
	if !w.running {
		w.running = true
		go w.loop()
	}
	return slot
}

// remove stops watching the request in slot.
func (w *peerWatch) remove(slot int) {
	if slot < 0 {
		return
	}
	w.mu.Lock()
	w.slots[slot] = watched{}
	w.free = append(w.free, slot)
	w.mu.Unlock()
}

func (w *peerWatch) loop() {
	t := time.NewTicker(peerCheckInterval)
	defer t.Stop()
	for range t.C {
		due, ok := w.collect()
		if !ok {
			return
		}
		// A request may have finished since: cancelling its context again
		// does nothing.
		for _, r := range due {
			if peerClosed(r.conn) {
				r.cancel(ErrClientGone)
			}
		}
	}
}

// collect advances the tick and returns the requests in flight for a whole
// interval or more; ok is false, and the loop ends, when none are in
// flight.
func (w *peerWatch) collect() (due []watched, ok bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.tick++
	w.due = w.due[:0]
	busy := false
	for _, r := range w.slots {
		if r.conn == nil {
			continue
		}
		busy = true
		if w.tick-r.since >= 2 {
			w.due = append(w.due, r)
		}
	}
	if !busy {
		w.running = false
		return nil, false
	}
	return w.due, true
}

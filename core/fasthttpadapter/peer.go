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

// peerWatch cancels a request's context when its client hangs up, as
// net/http does for its requests' contexts: a step waiting on a slow API
// stops when nobody waits for its answer any more.
type peerWatch struct {
	conn   net.Conn
	cancel context.CancelCauseFunc

	mu    sync.Mutex
	timer *time.Timer
	done  bool
}

// watchPeer returns a context for a request on conn that is cancelled with
// ErrClientGone once the client closes conn, and the function to call when
// the request is answered.
func watchPeer(conn net.Conn) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	if conn == nil || !canPeek(conn) {
		return ctx, func() { cancel(nil) }
	}
	w := &peerWatch{conn: conn, cancel: cancel}
	w.mu.Lock()
	w.timer = time.AfterFunc(peerCheckInterval, w.check)
	w.mu.Unlock()
	return ctx, w.stop
}

func (w *peerWatch) check() {
	if peerClosed(w.conn) {
		w.cancel(ErrClientGone)
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.timer.Reset(peerCheckInterval)
	}
}

func (w *peerWatch) stop() {
	w.mu.Lock()
	w.done = true
	w.timer.Stop()
	w.mu.Unlock()
	w.cancel(nil)
}

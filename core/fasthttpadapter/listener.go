package fasthttpadapter

import (
	"context"
	"net"
	"runtime"
)

// Listener returns ln with its connections prepared for Handler, which
// then does less work per request on a keep-alive connection:
//
//   - A connection keeps one context for the requests it carries, done
//     when the connection closes or (with cause ErrClientGone) when its
//     client leaves during a request, instead of a new context for every
//     request. A step's own context still ends with its step.
//   - After it has answered, a connection lets the goroutines that are
//     ready to run go first, before it reads its next request. Under load
//     that request has arrived by then, and the read that would have found
//     nothing, and the wait for the poller that follows it, are saved.
//
// Serve a plain TCP listener through it (TLS, if any, ends in front of the
// bridge): Handler finds its connections by their type, and treats any
// other connection as it does without Listener.
func Listener(ln net.Listener) net.Listener { return listener{ln} }

type listener struct{ net.Listener }

func (l listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	return &conn{Conn: c, ctx: ctx, cancel: cancel}, nil
}

// conn is a connection from Listener. Its requests are read and answered
// on one goroutine, the one that reads and writes; Close may come from
// another.
type conn struct {
	net.Conn
	ctx      context.Context
	cancel   context.CancelCauseFunc
	answered bool // written to since the last read
}

func (c *conn) Write(p []byte) (int, error) {
	c.answered = true
	return c.Conn.Write(p)
}

func (c *conn) Read(p []byte) (int, error) {
	if c.answered {
		c.answered = false
		runtime.Gosched()
	}
	return c.Conn.Read(p)
}

// Close ends the connection's context with it.
func (c *conn) Close() error {
	c.cancel(nil)
	return c.Conn.Close()
}

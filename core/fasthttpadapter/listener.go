package fasthttpadapter

import (
	"context"
	"net"
)

// Listener returns ln with its connections prepared for Handler, which
// then does less work per request on a keep-alive connection: a
// connection keeps one context for the requests it carries, done when the
// connection closes or (with cause ErrClientGone) when its client leaves
// during a request, instead of a new context for every request. A step's
// own context still ends with its step.
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

// conn is a connection from Listener.
type conn struct {
	net.Conn
	ctx    context.Context
	cancel context.CancelCauseFunc
}

// Close ends the connection's context with it.
func (c *conn) Close() error {
	c.cancel(nil)
	return c.Conn.Close()
}

// requestContext returns the context for a request on nc, its cancel, the
// connection the peer watch should peek at, and whether the context is the
// request's own, to cancel when the request ends. A connection from
// Listener lends its own context, unless that has ended (its client was
// seen gone): requests it still carries (pipelined) get their own.
func requestContext(nc net.Conn) (ctx context.Context, cancel context.CancelCauseFunc, watch net.Conn, own bool) {
	if c, ok := nc.(*conn); ok {
		if c.ctx.Err() == nil {
			return c.ctx, c.cancel, c.Conn, false
		}
		nc = c.Conn
	}
	ctx, cancel = context.WithCancelCause(context.Background())
	return ctx, cancel, nc, true
}

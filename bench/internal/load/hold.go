package load

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"time"
)

// Hold opens n keep-alive connections to addr, sends r once on each and
// reads its answer, and returns the connections still open, idle as far as
// the server knows: what a load balancer's pool of kept connections costs
// the server. It stops at the first connection that fails or whose answer
// is not r.Want, returning those opened so far with the error; the caller
// closes them.
func Hold(ctx context.Context, addr string, r Request, n int) ([]net.Conn, error) {
	conns := make([]net.Conn, 0, n)
	var d net.Dialer
	raw := Build(nil, addr, &r, time.Now())
	for len(conns) < n {
		c, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return conns, fmt.Errorf("connection %d: %w", len(conns)+1, err)
		}
		conns = append(conns, c)
		_ = c.SetDeadline(time.Now().Add(10 * time.Second))
		if _, err := c.Write(raw); err != nil {
			return conns, fmt.Errorf("connection %d: %w", len(conns), err)
		}
		status, keep, body, err := ReadResponse(bufio.NewReaderSize(c, 4<<10), nil)
		switch {
		case err != nil:
			return conns, fmt.Errorf("connection %d: %w", len(conns), err)
		case status != r.Want:
			return conns, fmt.Errorf("connection %d: status %d, want %d: %.200s", len(conns), status, r.Want, body)
		case !keep:
			return conns, fmt.Errorf("connection %d: the server closed it after one request", len(conns))
		}
		_ = c.SetDeadline(time.Time{})
	}
	return conns, nil
}

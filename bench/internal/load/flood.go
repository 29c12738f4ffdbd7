package load

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"sync"
	"time"
)

// Flood sends r, the same request, on each of n connections to addr at
// once: with an unsigned r with a large body, what a client without the
// secret key sending large bodies costs the server; with a bodiless r,
// what clients sending their headers slowly cost it. With hold set, every
// connection first sends all of the request but its last byte (of the
// body, or of the header when there is none), and Flood calls during once
// they all have, while the server holds as much of them as it means to;
// then it sends the last bytes. It returns how many answers came with each
// status; a connection that got no answer counts under 0.
func Flood(ctx context.Context, addr string, r Request, n int, hold bool, during func()) (map[int]int, error) {
	raw := Build(nil, addr, &r, time.Now())
	last := len(raw)
	if hold {
		last--
	}
	conns := make([]net.Conn, n)
	defer func() {
		for _, c := range conns {
			if c != nil {
				c.Close()
			}
		}
	}()
	var d net.Dialer
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		c, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return nil, fmt.Errorf("connection %d: %w", i+1, err)
		}
		conns[i] = c
		_ = c.SetDeadline(time.Now().Add(time.Minute))
		wg.Go(func() {
			// The server may answer and close before it has read it all.
			_, errs[i] = c.Write(raw[:last])
		})
	}
	wg.Wait()
	if during != nil {
		during()
	}
	statuses := make([]int, n)
	for i, c := range conns {
		wg.Go(func() {
			if hold && errs[i] == nil {
				_, _ = c.Write(raw[last:])
			}
			status, _, _, err := ReadResponse(bufio.NewReaderSize(c, 4<<10), nil)
			if err == nil {
				statuses[i] = status
			}
		})
	}
	wg.Wait()
	counts := map[int]int{}
	for _, s := range statuses {
		counts[s]++
	}
	return counts, nil
}

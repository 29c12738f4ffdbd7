//go:build !linux

package rawloop

import (
	"context"
	"errors"
	"net"
)

// Serve needs Linux's epoll.
func Serve(ctx context.Context, l *net.TCPListener, h Handler, o Options) error {
	return errors.New("rawloop: needs Linux")
}

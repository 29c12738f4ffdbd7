//go:build !linux

package rawloop

import (
	"context"
	"errors"
	"net"

	"github.com/echofn/echofn/core"
)

// Handler answers a request: a core.Bridge's Handle.
type Handler func(context.Context, *core.Request) *core.Response

// Options choose how Serve reads and answers.
type Options struct {
	Batched bool
	Canned  bool
}

// Serve needs Linux's epoll.
func Serve(ctx context.Context, l *net.TCPListener, h Handler, o Options) error {
	return errors.New("rawloop: needs Linux")
}

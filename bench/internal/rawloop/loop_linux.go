package rawloop

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"

	"github.com/echofn/echofn/core"
)

// maxRequest bounds the bytes of one request, header and body.
const maxRequest = 1 << 20

// pollWait is how long one wait for events lasts, so that Serve sees
// its context end.
const pollWait = 100 // milliseconds

// conn is one client connection.
type conn struct {
	fd   int
	in   []byte // bytes read and not yet answered
	out  []byte // answers not yet written
	head []byte // the header block of the request being answered
	req  core.Request
	// closing: close once out is written.
	closing bool
	// blocked: out waits for room in the socket, and epoll watches for it
	// in place of bytes to read.
	blocked bool
}

// header looks name up in c's current header block.
func (c *conn) header(name string) string {
	return headerValue(c.head, name)
}

// loop is Serve's state.
type loop struct {
	h      Handler
	o      Options
	epfd   int
	conns  map[int]*conn
	ready  []*conn
	canned map[string][]byte
	key    []byte // the method and target of a canned answer
	buf    [64 << 10]byte
}

// Serve answers requests on l with h until ctx ends, then closes every
// connection it accepted and returns nil. l stays open.
func Serve(ctx context.Context, l *net.TCPListener, h Handler, o Options) error {
	raw, err := l.SyscallConn()
	if err != nil {
		return err
	}
	lfd := -1
	if err := raw.Control(func(fd uintptr) { lfd = int(fd) }); err != nil {
		return err
	}
	epfd, err := syscall.EpollCreate1(syscall.EPOLL_CLOEXEC)
	if err != nil {
		return fmt.Errorf("epoll_create1: %w", err)
	}
	lp := &loop{h: h, o: o, epfd: epfd, conns: map[int]*conn{}, canned: map[string][]byte{}}
	defer lp.closeAll()
	if err := syscall.EpollCtl(epfd, syscall.EPOLL_CTL_ADD, lfd, &syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: int32(lfd)}); err != nil {
		return fmt.Errorf("epoll_ctl: %w", err)
	}
	events := make([]syscall.EpollEvent, 256)
	for ctx.Err() == nil {
		n, err := syscall.EpollWait(epfd, events, pollWait)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if err != nil {
			return fmt.Errorf("epoll_wait: %w", err)
		}
		for _, ev := range events[:n] {
			fd := int(ev.Fd)
			if fd == lfd {
				lp.accept(lfd)
				continue
			}
			c := lp.conns[fd]
			if c == nil {
				continue
			}
			if ev.Events&syscall.EPOLLOUT != 0 {
				lp.flush(c)
				continue
			}
			if !lp.read(c) {
				continue
			}
			if o.Batched {
				lp.ready = append(lp.ready, c)
				continue
			}
			lp.answer(ctx, c)
			lp.flush(c)
		}
		for _, c := range lp.ready {
			lp.answer(ctx, c)
		}
		for _, c := range lp.ready {
			lp.flush(c)
		}
		clear(lp.ready)
		lp.ready = lp.ready[:0]
	}
	return nil
}

// accept takes every connection waiting on the listener.
func (lp *loop) accept(lfd int) {
	for {
		fd, _, err := syscall.Accept4(lfd, syscall.SOCK_NONBLOCK|syscall.SOCK_CLOEXEC)
		if err != nil {
			return
		}
		_ = syscall.SetsockoptInt(fd, syscall.IPPROTO_TCP, syscall.TCP_NODELAY, 1)
		if syscall.EpollCtl(lp.epfd, syscall.EPOLL_CTL_ADD, fd, &syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: int32(fd)}) != nil {
			syscall.Close(fd)
			continue
		}
		c := &conn{fd: fd, in: make([]byte, 0, 4<<10)}
		c.req.Header = c.header
		lp.conns[fd] = c
	}
}

// read appends what c's socket holds to c.in, and reports whether c is
// still open.
func (lp *loop) read(c *conn) bool {
	n, err := syscall.Read(c.fd, lp.buf[:])
	if errors.Is(err, syscall.EAGAIN) {
		return true
	}
	if n <= 0 || err != nil {
		lp.close(c)
		return false
	}
	c.in = append(c.in, lp.buf[:n]...)
	return true
}

// answer answers every whole request in c.in into c.out.
func (lp *loop) answer(ctx context.Context, c *conn) {
	used := 0
	for !c.closing {
		method, target, head, body, n, err := parse(c.in[used:])
		if err != nil {
			c.out = append(c.out, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"...)
			c.closing = true
			break
		}
		if n == 0 {
			if len(c.in)-used > maxRequest {
				c.out = append(c.out, "HTTP/1.1 413 Request Entity Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"...)
				c.closing = true
			}
			break
		}
		used += n
		c.out = lp.respond(ctx, c, method, target, head, body)
	}
	c.in = c.in[:copy(c.in, c.in[used:])]
}

// respond appends the answer to one request to c.out.
func (lp *loop) respond(ctx context.Context, c *conn, method, target, head, body []byte) []byte {
	if lp.o.Canned {
		lp.key = append(append(append(lp.key[:0], method...), ' '), target...)
		if a, ok := lp.canned[string(lp.key)]; ok {
			return append(c.out, a...)
		}
	}
	_, query, _ := bytes.Cut(target, []byte("?"))
	c.head = head
	c.req.Method = methodString(method)
	c.req.RawQuery = string(query)
	c.req.Body = body
	resp := lp.h(ctx, &c.req)
	c.head, c.req.Body = nil, nil
	start := len(c.out)
	out := appendResponse(c.out, resp)
	if lp.o.Canned && resp.Status == 200 {
		lp.canned[string(lp.key)] = append([]byte(nil), out[start:]...)
	}
	return out
}

// methodString is m as a string, without an allocation for the methods
// the benchmarks send.
func methodString(m []byte) string {
	switch string(m) {
	case "GET":
		return "GET"
	case "POST":
		return "POST"
	}
	return string(m)
}

// flush writes what it can of c.out, and waits for room for the rest.
func (lp *loop) flush(c *conn) {
	for len(c.out) > 0 {
		n, err := syscall.Write(c.fd, c.out)
		if errors.Is(err, syscall.EAGAIN) {
			if !c.blocked {
				c.blocked = true
				_ = syscall.EpollCtl(lp.epfd, syscall.EPOLL_CTL_MOD, c.fd, &syscall.EpollEvent{Events: syscall.EPOLLOUT, Fd: int32(c.fd)})
			}
			return
		}
		if err != nil {
			lp.close(c)
			return
		}
		c.out = c.out[:copy(c.out, c.out[n:])]
	}
	if c.closing {
		lp.close(c)
		return
	}
	if c.blocked {
		c.blocked = false
		_ = syscall.EpollCtl(lp.epfd, syscall.EPOLL_CTL_MOD, c.fd, &syscall.EpollEvent{Events: syscall.EPOLLIN, Fd: int32(c.fd)})
	}
}

func (lp *loop) close(c *conn) {
	_ = syscall.EpollCtl(lp.epfd, syscall.EPOLL_CTL_DEL, c.fd, nil)
	syscall.Close(c.fd)
	delete(lp.conns, c.fd)
	c.closing, c.out, c.in = true, nil, nil
}

func (lp *loop) closeAll() {
	for _, c := range lp.conns {
		lp.close(c)
	}
	syscall.Close(lp.epfd)
}

// errUnread is a request this loop does not read.
var errUnread = errors.New("rawloop: a request it does not read")

// parse reads the first request in in: its method, target, header block
// and body, and how many bytes it takes (0 when in holds only part of it).
// It reads HTTP/1.1 with CRLF line ends and a Content-Length on any body;
// anything else is errUnread.
func parse(in []byte) (method, target, head, body []byte, n int, err error) {
	end := bytes.Index(in, []byte("\r\n\r\n"))
	if end < 0 {
		return nil, nil, nil, nil, 0, nil
	}
	line, head, _ := bytes.Cut(in[:end+2], []byte("\r\n"))
	method, rest, ok1 := bytes.Cut(line, []byte(" "))
	target, version, ok2 := bytes.Cut(rest, []byte(" "))
	if !ok1 || !ok2 || string(version) != "HTTP/1.1" || len(method) == 0 || len(target) == 0 {
		return nil, nil, nil, nil, 0, errUnread
	}
	if headerValue(head, "Transfer-Encoding") != "" {
		return nil, nil, nil, nil, 0, errUnread
	}
	size := 0
	if v := headerValue(head, "Content-Length"); v != "" {
		if strings.Trim(v, "0123456789") != "" || len(v) > 7 {
			return nil, nil, nil, nil, 0, errUnread
		}
		if size, _ = strconv.Atoi(v); size > maxRequest {
			return nil, nil, nil, nil, 0, errUnread
		}
	}
	total := end + 4 + size
	if len(in) < total {
		return nil, nil, nil, nil, 0, nil
	}
	return method, target, head, in[end+4 : total], total, nil
}

// headerValue is the value of the first field called name in head, a
// header block of CRLF-ended lines.
func headerValue(head []byte, name string) string {
	for len(head) > 0 {
		var line []byte
		line, head, _ = bytes.Cut(head, []byte("\r\n"))
		k, v, ok := bytes.Cut(line, []byte(":"))
		if ok && len(k) == len(name) && bytes.EqualFold(k, []byte(name)) {
			return string(bytes.TrimSpace(v))
		}
	}
	return ""
}

// appendResponse appends resp as HTTP/1.1 to out.
func appendResponse(out []byte, resp *core.Response) []byte {
	out = append(out, "HTTP/1.1 "...)
	out = strconv.AppendInt(out, int64(resp.Status), 10)
	out = append(append(append(out, ' '), http.StatusText(resp.Status)...), "\r\nContent-Length: "...)
	out = strconv.AppendInt(out, int64(len(resp.Body)), 10)
	out = append(out, "\r\n"...)
	for _, f := range resp.Header {
		out = append(append(append(append(out, f.Name...), ": "...), f.Value...), "\r\n"...)
	}
	out = append(out, "\r\n"...)
	return append(out, resp.Body...)
}

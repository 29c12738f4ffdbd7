package core_test

import (
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/echofn/echofn/core"
)

// countingReader reads from r, counting the bytes read, and fails with err
// once r is exhausted if err is set.
type countingReader struct {
	r    io.Reader
	read int
	err  error
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read += n
	if err == io.EOF && c.err != nil {
		err = c.err
	}
	return n, err
}

func TestReadRequestBody(t *testing.T) {
	const limit, room = 1 << 20, 300 << 10
	b, err := core.New(core.Config{SecretKey: "sk_test", MaxBodyBytes: limit, MaxBodyBytesInFlight: room,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	read := func(size int, known bool, fail error) (*core.Request, func(), *core.Response, *countingReader) {
		src := &countingReader{r: strings.NewReader(strings.Repeat("x", size)), err: fail}
		n := int64(size)
		if !known {
			n = -1
		}
		req := &core.Request{Method: "POST"}
		release, refused := b.ReadRequestBody(req, src, n)
		return req, release, refused, src
	}
	// roomLeft reports whether a body of n bytes would find room now.
	roomLeft := func(n int64) bool {
		release, ok := b.ReserveBody(n)
		if ok {
			release()
		}
		return ok
	}

	for _, known := range []bool{true, false} {
		req, release, refused, _ := read(100, known, nil)
		if refused != nil || len(req.Body) != 100 || !roomLeft(room) {
			t.Fatalf("small body (known length %v): refused %v, %d bytes, room left %v", known, refused, len(req.Body), roomLeft(room))
		}
		release()

		req, release, refused, _ = read(200<<10, known, nil)
		if refused != nil || len(req.Body) != 200<<10 {
			t.Fatalf("large body (known length %v): refused %v, %d bytes", known, refused, len(req.Body))
		}
		if roomLeft(200 << 10) {
			t.Fatalf("large body (known length %v): it took no room", known)
		}
		_, _, busy, src := read(200<<10, true, nil)
		if busy == nil || busy.Status != 503 || src.read != 0 {
			t.Fatalf("a second large body while the first holds its room: %v, %d bytes read", busy, src.read)
		}
		release()
		if !roomLeft(room) {
			t.Fatalf("large body (known length %v): its room did not come back", known)
		}

		_, _, tooLong, src := read(2<<20, known, nil)
		if tooLong == nil || tooLong.Status != 413 || src.read > limit+1 || !roomLeft(room) {
			t.Fatalf("body over the limit (known length %v): %v, %d bytes read, room left %v", known, tooLong, src.read, roomLeft(room))
		}

		// A body that breaks off: 100 KiB arrive of a body said to be 200
		// KiB long, or of one of unknown length whose connection fails.
		cut := &countingReader{r: strings.NewReader(strings.Repeat("x", 100<<10)), err: errors.New("connection reset")}
		n := int64(200 << 10)
		if !known {
			n = -1
		}
		_, broken := b.ReadRequestBody(&core.Request{Method: "POST"}, cut, n)
		if broken == nil || broken.Status != 400 || !roomLeft(room) {
			t.Fatalf("body broken off (known length %v): %v, room left %v", known, broken, roomLeft(room))
		}
	}
}

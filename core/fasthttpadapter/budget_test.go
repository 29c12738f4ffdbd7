package fasthttpadapter_test

import (
	"bufio"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/core/fasthttpadapter"
	"github.com/echofn/echofn/core/signature"
	"github.com/echofn/echofn/internal/conformance"
)

// Large bodies are read only while the bridge has room for them: with the
// room taken by bodies still arriving, another large body is refused with
// 503 unread, a small one is answered, and once the bodies have arrived
// and been answered, a large body is read again. Both adapters: this one
// as `echofn serve` sets it up, and core/nethttp.
func TestBodyBudget(t *testing.T) {
	for _, server := range []struct {
		name  string
		serve func(testing.TB, *core.Bridge) string
	}{
		{"fasthttp", func(t testing.TB, b *core.Bridge) string { return serveFast(t, b, served) }},
		{"net/http", serveNet},
	} {
		t.Run(server.name, func(t *testing.T) {
			b, err := core.New(core.Config{SecretKey: conformance.Secret, MaxBodyBytes: 1 << 20, MaxBodyBytesInFlight: 450 << 10,
				Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, conformance.Workflows()...)
			if err != nil {
				t.Fatal(err)
			}
			addr := server.serve(t, b)
			large := signed("POST", execute, `{"payload":{"name":"`+strings.Repeat("a", 200<<10)+`"}}`)
			// Two large bodies that stop one byte short hold room for
			// 400 KiB between them.
			var held []net.Conn
			for range 2 {
				c := dial(t, addr)
				if _, err := io.WriteString(c, large[:len(large)-1]); err != nil {
					t.Fatal(err)
				}
				held = append(held, c)
			}
			// Wait until the server holds room for both: then 100 KiB more
			// do not fit.
			for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
				release, ok := b.ReserveBody(100 << 10)
				if !ok {
					break
				}
				release()
				if time.Now().After(deadline) {
					t.Fatal("the server did not reserve room for the two bodies arriving")
				}
			}
			refused := roundTrip(t, addr, large)
			if refused.Status != 503 || !strings.Contains(refused.Body, `"code":"BridgeError"`) || !strings.Contains(refused.Body, "large request bodies") {
				t.Fatalf("a third large body while two are arriving: %d %s", refused.Status, refused.Body)
			}
			if small := roundTrip(t, addr, signed("POST", execute, executeBody)); small.Status != 200 {
				t.Fatalf("a small body while the room is taken: %d %s", small.Status, small.Body)
			}
			smallChunked := "POST " + execute + " HTTP/1.1\r\nHost: bridge\r\nNovu-Signature: " +
				signature.Sign(conformance.Secret, time.Now(), []byte(executeBody)) +
				"\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(executeBody)
			if small := roundTrip(t, addr, smallChunked); small.Status != 200 {
				t.Fatalf("a small chunked body while the room is taken: %d %s", small.Status, small.Body)
			}
			for i, c := range held {
				if _, err := io.WriteString(c, large[len(large)-1:]); err != nil {
					t.Fatal(err)
				}
				resp, err := http.ReadResponse(bufio.NewReader(c), nil)
				if err != nil {
					t.Fatalf("held body %d: %v", i, err)
				}
				resp.Body.Close()
				if resp.StatusCode == 503 {
					t.Fatalf("held body %d was refused once it arrived", i)
				}
			}
			if again := roundTrip(t, addr, large); again.Status == 503 {
				t.Fatalf("a large body after the others were answered: %d %s", again.Status, again.Body)
			}
		})
	}
}

// dial opens a connection to addr, closed when the test ends.
func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	t.Cleanup(func() { c.Close() })
	return c
}

// A large body that stops arriving is cut off by the server's ReadTimeout,
// answered 400, and its room given back.
func TestStalledBodyGivesBackItsRoom(t *testing.T) {
	b, err := core.New(core.Config{SecretKey: conformance.Secret, MaxBodyBytes: 1 << 20, MaxBodyBytesInFlight: 300 << 10,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, conformance.Workflows()...)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &fasthttp.Server{Handler: fasthttpadapter.Handler(b), ErrorHandler: fasthttpadapter.ErrorHandler(b),
		StreamRequestBody: true, MaxRequestBodySize: core.SmallBodyBytes, ReadTimeout: 300 * time.Millisecond, Logger: discard{}}
	go func() { _ = srv.Serve(fasthttpadapter.Listener(ln)) }()
	t.Cleanup(func() { _ = srv.Shutdown() })
	addr := ln.Addr().String()
	large := signed("POST", execute, `{"payload":{"name":"`+strings.Repeat("a", 200<<10)+`"}}`)

	c := dial(t, addr)
	if _, err := io.WriteString(c, large[:len(large)/2]); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 || time.Since(start) > 5*time.Second {
		t.Fatalf("a stalled body: %d after %v, want 400 after the read timeout", resp.StatusCode, time.Since(start))
	}
	// With its room back, two more large bodies are read one after the
	// other (the room holds one).
	for i := range 2 {
		if a := roundTrip(t, addr, large); a.Status == 503 {
			t.Fatalf("large body %d after the stalled one: %d %s", i, a.Status, a.Body)
		}
	}
}

// Package rawhttp sends hand-written HTTP requests for tests: bytes a
// client library would never send, or would send differently.
package rawhttp

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// RoundTrip sends raw, the bytes of an HTTP request, to addr on a new
// connection and returns the first response with its body read. It fails
// t when no response arrives within 10 seconds.
func RoundTrip(t testing.TB, addr, raw string) (*http.Response, []byte) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return Exchange(t, c, raw)
}

// Exchange sends raw on c, which may already carry part of a request, and
// returns the next response with its body read, leaving c open. It fails t
// when no response arrives within 10 seconds.
func Exchange(t testing.TB, c net.Conn, raw string) (*http.Response, []byte) {
	t.Helper()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	// Written while the answer is read: a server may answer, and close,
	// before it has read all of raw.
	go func() { _, _ = io.WriteString(c, raw) }()
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("reading the response: %v", err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("reading the response body: %v", err)
	}
	return resp, body
}

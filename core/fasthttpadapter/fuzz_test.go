package fasthttpadapter_test

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// FuzzServe sends arbitrary bytes to a server with this package's handlers,
// set up as `echofn serve` sets its own (large bodies streamed), and checks that every answer is well-formed HTTP with a status the bridge
// or the server means to give, never a 500 or a dropped panic.
func FuzzServe(f *testing.F) {
	f.Add([]byte("GET /api/novu HTTP/1.1\r\nHost: b\r\n\r\n"))
	f.Add([]byte(signed("POST", execute, executeBody)))
	f.Add([]byte(signed("GET", "/api/novu?action=discover", "")))
	f.Add([]byte("POST " + execute + " HTTP/1.1\r\nHost: b\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"))
	f.Add([]byte("POST " + execute + " HTTP/1.1\r\nHost: b\r\nContent-Length: 99999999\r\n\r\n{}"))
	f.Add([]byte("GET /api/novu?action=code&workflowId=%zz HTTP/1.0\r\n\r\nGET / HTTP/1.1\r\nHost: b\r\n\r\n"))
	addr := serveFast(f, newBridge(f), served)
	f.Fuzz(func(t *testing.T, raw []byte) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(5 * time.Second))
		if _, err := c.Write(raw); err != nil {
			return // the server closed early, having answered or not
		}
		_ = c.(*net.TCPConn).CloseWrite()
		out, _ := io.ReadAll(c)
		// Answers, one per request read, until the server closed.
		br := bufio.NewReader(bytes.NewReader(out))
		for {
			if _, err := br.Peek(1); err == io.EOF {
				return
			}
			resp, err := http.ReadResponse(br, nil)
			if err != nil {
				t.Fatalf("the answer to %q is not HTTP: %v\n%q", raw, err, out)
			}
			body, err := io.ReadAll(resp.Body)
			if err != nil || resp.StatusCode >= 500 && resp.StatusCode != http.StatusBadGateway {
				t.Fatalf("%q was answered %d %q (%v):\n%q", raw, resp.StatusCode, body, err, out)
			}
		}
	})
}

package fastserve_test

import (
	"net"
	"strings"
	"testing"

	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/core/fasthttpadapter"
	"github.com/echofn/echofn/internal/conformance"
	"github.com/echofn/echofn/internal/fastserve"
	"github.com/echofn/echofn/internal/rawhttp"
)

// The server, with the bridge's handler, answers what breaks its limits
// as serve must: the bridge's 413 for a body over the bridge's limit, read
// with its header or streamed, of known length or chunked, 431 for a
// header block over MaxHeaderBytes, and answers the rest as the bridge
// does.
func TestLimits(t *testing.T) {
	b, err := core.New(core.Config{SecretKey: conformance.Secret, MaxBodyBytes: 1 << 10}, conformance.Workflows()...)
	if err != nil {
		t.Fatal(err)
	}
	srv := fastserve.New(b, fasthttpadapter.Handler(b), nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(fasthttpadapter.Listener(ln)) //nolint:errcheck // ends with Shutdown
	t.Cleanup(func() { _ = srv.Shutdown() })
	for _, c := range []struct {
		name, req string
		status    int
		body      string
	}{
		{"a plain request", "GET /api/novu?action=health-check HTTP/1.1\r\nHost: x\r\n\r\n", 200, `"status":"ok"`},
		{"a body over the bridge's limit", "POST /api/novu?action=execute HTTP/1.1\r\nHost: x\r\nContent-Length: 2000\r\n\r\n" + strings.Repeat("x", 2000), 413, "larger than 1024 bytes"},
		{"a streamed body over the bridge's limit", "POST /api/novu?action=execute HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + strings.Repeat("x", 100000), 413, "larger than 1024 bytes"},
		{"a chunked body over the bridge's limit", "POST /api/novu?action=execute HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n7d0\r\n" + strings.Repeat("x", 2000) + "\r\n0\r\n\r\n", 413, "larger than 1024 bytes"},
		{"a header block over 64 KiB", "GET /api/novu HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("a", fastserve.MaxHeaderBytes) + "\r\n\r\n", 431, ""},
	} {
		resp, body := rawhttp.RoundTrip(t, ln.Addr().String(), c.req)
		if resp.StatusCode != c.status || !strings.Contains(string(body), c.body) {
			t.Errorf("%s: %d %q, want %d with %q", c.name, resp.StatusCode, body, c.status, c.body)
		}
	}
}

//go:build linux

package rawloop

import (
	"bytes"
	"strconv"
	"testing"
)

// parse never reads past what it is given: a request it takes is whole,
// its body is the Content-Length's bytes just before where it ends, and
// the same bytes alone parse to the same request.
func FuzzParse(f *testing.F) {
	f.Add([]byte("GET /?action=health-check HTTP/1.1\r\nHost: x\r\n\r\n"))
	f.Add([]byte("POST /?action=execute HTTP/1.1\r\nContent-Length: 2\r\nnovu-signature: t=1,v1=ab\r\n\r\n{}GET / HTTP/1.1\r\n\r\n"))
	f.Add([]byte("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nshort"))
	f.Add([]byte("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"))
	f.Add([]byte("POST / HTTP/1.1\r\nContent-Length: +1\r\n\r\nx"))
	f.Fuzz(func(t *testing.T, in []byte) {
		method, target, head, body, n, err := parse(in)
		if err != nil || n == 0 {
			if n != 0 || method != nil || body != nil {
				t.Fatalf("no request, but n %d, method %q, body %q", n, method, body)
			}
			return
		}
		if n > len(in) || len(method) == 0 || len(target) == 0 {
			t.Fatalf("n %d of %d bytes, method %q, target %q", n, len(in), method, target)
		}
		size := 0
		if v := headerValue(head, "Content-Length"); v != "" {
			if size, err = strconv.Atoi(v); err != nil || v[0] < '0' || v[0] > '9' {
				t.Fatalf("took a Content-Length of %q", v)
			}
		}
		if len(body) != size || !bytes.Equal(body, in[n-size:n]) {
			t.Fatalf("body %q, want the %d bytes before %d", body, size, n)
		}
		if _, _, _, _, again, err := parse(in[:n:n]); again != n || err != nil {
			t.Fatalf("the request alone: n %d, %v; want %d", again, err, n)
		}
	})
}

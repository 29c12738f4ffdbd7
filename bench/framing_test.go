package bench

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/echofn/echofn/bench/internal/scenario"
)

// smuggled is a second request hidden at the end of a first one's body: a
// proxy that goes by Content-Length forwards it as part of the first, and a
// server that goes by Transfer-Encoding and keeps the connection would
// answer it as a request of its own.
const smuggled = "GET " + scenario.Path + "?action=health-check HTTP/1.1\r\nHost: bridge\r\n\r\n"

// framingCase is a request whose framing (Content-Length,
// Transfer-Encoding, the header block) is broken or ambiguous, written
// byte for byte, followed on the same connection by smuggled.
type framingCase struct {
	name string
	// head is the request line and header fields, without the blank line.
	head string
	body string
	// status is the first answer's; more reports whether smuggled may be
	// answered too (only when the first request's framing is sound).
	status int
	more   bool
}

func framingCases() []framingCase {
	chunkedEmpty := "0\r\n\r\n"
	post := "POST " + scenario.Path + "?action=discover HTTP/1.1\r\nHost: bridge\r\n"
	return []framingCase{
		{name: "a sound request, for comparison", head: "GET " + scenario.Path + "?action=health-check HTTP/1.1\r\nHost: bridge",
			status: 200, more: true},
		{name: "Content-Length and Transfer-Encoding both", body: chunkedEmpty + smuggled,
			head:   post + "Content-Length: " + strconv.Itoa(len(chunkedEmpty+smuggled)) + "\r\nTransfer-Encoding: chunked",
			status: 401},
		{name: "two different Content-Lengths", head: post + "Content-Length: 2\r\nContent-Length: 3", body: "{}x", status: 400},
		{name: "a negative Content-Length", head: post + "Content-Length: -1", status: 400},
		{name: "a Content-Length with a sign", head: post + "Content-Length: +2", body: "{}", status: 400},
		{name: "a Content-Length of 20 digits", head: post + "Content-Length: 99999999999999999999", status: 400},
		{name: "a chunk size that is not hex", head: post + "Transfer-Encoding: chunked", body: "zz\r\n{}\r\n0\r\n\r\n", status: 400},
		{name: "a transfer coding other than chunked", head: post + "Transfer-Encoding: gzip, chunked", body: chunkedEmpty, status: 0},
		{name: "no Host in HTTP/1.1", head: "GET " + scenario.Path + "?action=health-check HTTP/1.1", status: 400},
		{name: "a space before a header's colon", head: "GET " + scenario.Path + "?action=health-check HTTP/1.1\r\nHost : bridge", status: 400},
		{name: "a NUL byte in a header value", head: "GET " + scenario.Path + "?action=health-check HTTP/1.1\r\nHost: bridge\r\nX-A: a\x00b", status: 400},
	}
}

// TestRequestFraming sends requests whose framing is broken or ambiguous,
// each followed by a smuggled second request on the same connection, to
// both servers: each is refused with 400 (or, for one carrying both
// Content-Length and Transfer-Encoding, answered by its chunked body) and
// its connection closed, so that what a proxy would have forwarded as its
// body is never answered as a request of its own. The process survives.
func TestRequestFraming(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{echofnServe, coreServer} {
		t.Run(kind, func(t *testing.T) {
			c := startChild(t, kind)
			for _, tc := range framingCases() {
				t.Run(tc.name, func(t *testing.T) {
					statuses, err := sendFramed(c.addr, tc.head+"\r\n\r\n"+tc.body+smuggled)
					if err != nil {
						t.Fatal(err)
					}
					if len(statuses) == 0 {
						t.Fatal("no answer")
					}
					t.Logf("answers %v", statuses)
					switch {
					case tc.status == 0 && (statuses[0] < 400 || statuses[0] >= 600):
						t.Errorf("answered %d, want a refusal", statuses[0])
					case tc.status != 0 && statuses[0] != tc.status:
						t.Errorf("answered %d, want %d", statuses[0], tc.status)
					}
					if !tc.more && len(statuses) > 1 {
						t.Errorf("answers %v: the request hidden in the body was answered", statuses)
					}
					if tc.more && (len(statuses) != 2 || statuses[1] != 200) {
						t.Errorf("answers %v, want the second request answered 200 too", statuses)
					}
					c.alive(t)
				})
			}
			c.health(t)
		})
	}
}

// sendFramed writes raw on a new connection and reads answers until the
// server closes it or none comes for a second; it returns their statuses.
func sendFramed(addr, raw string) ([]int, error) {
	conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	go func() { _, _ = io.WriteString(conn, raw) }()
	br := bufio.NewReader(conn)
	var statuses []int
	for {
		_ = conn.SetReadDeadline(time.Now().Add(time.Second))
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			var ne net.Error
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || (errors.As(err, &ne) && ne.Timeout()) ||
				strings.Contains(err.Error(), "connection reset") {
				return statuses, nil
			}
			return statuses, err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		statuses = append(statuses, resp.StatusCode)
	}
}

//go:build linux

package rawloop_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/echofn/echofn/bench/internal/rawloop"
	"github.com/echofn/echofn/bench/internal/scenario"
	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/core/signature"
	"github.com/echofn/echofn/internal/conformance"
	"github.com/echofn/echofn/internal/rawhttp"
)

// start serves h on a loopback port until the test ends, and returns the
// address.
func start(t *testing.T, h rawloop.Handler, o rawloop.Options) string {
	t.Helper()
	l, err := net.ListenTCP("tcp", &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- rawloop.Serve(ctx, l, h, o) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
		l.Close()
	})
	return l.Addr().String()
}

// bridge is the conformance bridge, and a count of the requests it answers.
func bridge(t *testing.T) (*core.Bridge, rawloop.Handler, *atomic.Int32) {
	t.Helper()
	b, err := core.New(core.Config{SecretKey: conformance.Secret}, conformance.Workflows()...)
	if err != nil {
		t.Fatal(err)
	}
	calls := new(atomic.Int32)
	return b, func(ctx context.Context, r *core.Request) *core.Response {
		calls.Add(1)
		return b.Handle(ctx, r)
	}, calls
}

var duration = regexp.MustCompile(`"duration":[-+.0-9eE]+`)

// Every benchmarked request, sent three times on one connection, gets the
// bridge's own answer (status, header fields and body, all but an
// execute's duration) in every mode; canned, the bridge answers each once.
func TestAnswersAsTheBridge(t *testing.T) {
	for _, o := range []rawloop.Options{{}, {Batched: true}, {Canned: true}, {Batched: true, Canned: true}} {
		t.Run(fmt.Sprintf("%+v", o), func(t *testing.T) {
			b, h, calls := bridge(t)
			addr := start(t, h, o)
			client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxConnsPerHost: 1}}
			reqs := scenario.Benchmarked()
			for round := range 3 {
				for _, r := range reqs {
					req, err := http.NewRequest(r.Method, "http://"+addr+r.Target, bytes.NewReader(r.Body))
					if err != nil {
						t.Fatal(err)
					}
					sig := ""
					if r.Sign != nil {
						sig = r.Sign(time.Now(), r.Body)
						req.Header.Set(signature.Header, sig)
					}
					resp, err := client.Do(req)
					if err != nil {
						t.Fatalf("%s, round %d: %v", r.Name, round, err)
					}
					got, err := io.ReadAll(resp.Body)
					resp.Body.Close()
					if err != nil {
						t.Fatal(err)
					}
					want := b.Handle(context.Background(), &core.Request{
						Method: r.Method, RawQuery: query(r.Target), Body: r.Body,
						Header: func(name string) string {
							if name == signature.Header {
								return sig
							}
							return ""
						},
					})
					if resp.StatusCode != want.Status || !bytes.Equal(normal(got), normal(want.Body)) {
						t.Fatalf("%s, round %d: %d %s, want %d %s", r.Name, round, resp.StatusCode, got, want.Status, want.Body)
					}
					for _, f := range want.Header {
						if v := resp.Header.Get(f.Name); v != f.Value {
							t.Errorf("%s: %s: %q, want %q", r.Name, f.Name, v, f.Value)
						}
					}
					if !bytes.Contains(got, []byte(r.WantBody)) {
						t.Fatalf("%s: no %q in %s", r.Name, r.WantBody, got)
					}
				}
			}
			wantCalls := 3 * len(reqs)
			if o.Canned {
				wantCalls = len(reqs)
			}
			if n := int(calls.Load()); n != wantCalls {
				t.Errorf("the bridge answered %d requests, want %d", n, wantCalls)
			}
		})
	}
}

func query(target string) string {
	_, q, _ := strings.Cut(target, "?")
	return q
}

func normal(body []byte) []byte {
	return duration.ReplaceAll(body, []byte(`"duration":0`))
}

// Requests written together, the last one split over two writes, get
// their answers in order on the same connection.
func TestPipelined(t *testing.T) {
	for _, o := range []rawloop.Options{{}, {Batched: true}} {
		addr := start(t, func(ctx context.Context, r *core.Request) *core.Response {
			return &core.Response{Status: 200, Body: []byte(r.Method + " " + r.RawQuery + " " + string(r.Body))}
		}, o)
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_ = c.SetDeadline(time.Now().Add(10 * time.Second))
		br := bufio.NewReader(c)
		next := func(want string) {
			t.Helper()
			resp, err := http.ReadResponse(br, nil)
			if err != nil {
				t.Fatalf("%+v: %v, want %q", o, err, want)
			}
			body, _ := io.ReadAll(resp.Body)
			if string(body) != want {
				t.Errorf("%+v: %q, want %q", o, body, want)
			}
		}
		io.WriteString(c, "GET /?a=1 HTTP/1.1\r\nHost: x\r\n\r\n"+
			"POST /?a=2 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi"+
			"POST /?a=3 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhe")
		next("GET a=1 ")
		next("POST a=2 hi")
		io.WriteString(c, "llo")
		next("POST a=3 hello")
	}
}

// Answers larger than the socket holds reach a client that reads them
// only after asking for the next, and other connections are answered
// meanwhile.
func TestLargeAnswers(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789abcdef"), 1<<18) // 4 MiB
	addr := start(t, func(ctx context.Context, r *core.Request) *core.Response {
		if r.RawQuery == "big" {
			return &core.Response{Status: 200, Body: big}
		}
		return &core.Response{Status: 200, Body: []byte("small")}
	}, rawloop.Options{Batched: true})
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "GET /?big HTTP/1.1\r\n\r\n")
	time.Sleep(50 * time.Millisecond) // the loop fills the socket and waits
	if _, body := rawhttp.RoundTrip(t, addr, "GET /?small HTTP/1.1\r\n\r\n"); string(body) != "small" {
		t.Fatalf("another connection: %q", body)
	}
	io.WriteString(c, "GET /?big HTTP/1.1\r\n\r\n")
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(c)
	for i := range 2 {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatalf("answer %d: %v", i, err)
		}
		body, err := io.ReadAll(resp.Body)
		if err != nil || !bytes.Equal(body, big) {
			t.Fatalf("answer %d: %d bytes, %v; want the %d bytes", i, len(body), err, len(big))
		}
	}
}

// What it does not read is refused with 400, and the connection closed.
func TestRefusesWhatItDoesNotRead(t *testing.T) {
	_, h, calls := bridge(t)
	addr := start(t, h, rawloop.Options{})
	for _, raw := range []string{
		"POST /?action=execute HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
		"GET /?action=health-check HTTP/1.0\r\n\r\n",
		"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
		"POST / HTTP/1.1\r\nContent-Length: +1\r\n\r\nx",
		"POST / HTTP/1.1\r\nContent-Length: 9999999999\r\n\r\n",
		"GARBAGE\r\n\r\n",
	} {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		resp, _ := rawhttp.Exchange(t, c, raw)
		if resp.StatusCode != 400 {
			t.Errorf("%q: %d, want 400", raw, resp.StatusCode)
		}
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if n, err := c.Read(make([]byte, 1)); err != io.EOF {
			t.Errorf("%q: read %d, %v after the answer, want the connection closed", raw, n, err)
		}
		c.Close()
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("the bridge answered %d of them", n)
	}
}

package floor_test

import (
	"bytes"
	"net"
	"regexp"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttputil"

	"github.com/echofn/echofn/bench/internal/floor"
	"github.com/echofn/echofn/bench/internal/scenario"
	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/core/fasthttpadapter"
	"github.com/echofn/echofn/core/signature"
	"github.com/echofn/echofn/internal/conformance"
)

// The floor answers every benchmarked request as the bridge does (status,
// header and body, all but the date and an execute's duration), and asks
// the bridge once per method and query.
func TestAnswersAsTheBridge(t *testing.T) {
	bridge, err := core.New(core.Config{SecretKey: conformance.Secret}, conformance.Workflows()...)
	if err != nil {
		t.Fatal(err)
	}
	direct := fasthttpadapter.Handler(bridge)
	calls := 0
	fl := floor.Handler(func(ctx *fasthttp.RequestCtx) { calls++; direct(ctx) })
	reqs := scenario.Benchmarked()
	for round := range 3 {
		for _, r := range reqs {
			want := normal(answer(t, direct, r.Method, r.Target, r.Body, r.Sign))
			got := normal(answer(t, fl, r.Method, r.Target, r.Body, r.Sign))
			if !bytes.Equal(got, want) {
				t.Fatalf("%s, round %d:\n%s\nwant\n%s", r.Name, round, got, want)
			}
			if !bytes.Contains(got, []byte(r.WantBody)) {
				t.Fatalf("%s, round %d: no %q in\n%s", r.Name, round, r.WantBody, got)
			}
		}
	}
	if calls != len(reqs) {
		t.Errorf("the bridge answered %d requests, want %d (one per method and query)", calls, len(reqs))
	}
}

// A request the floor has not seen goes to the bridge, even when another
// with the same query but another method has been answered.
func TestKeysOnMethodAndQuery(t *testing.T) {
	calls := 0
	fl := floor.Handler(func(ctx *fasthttp.RequestCtx) {
		calls++
		ctx.SetBodyString(string(ctx.Method()) + " " + string(ctx.URI().QueryString()))
	})
	for _, c := range []struct{ method, target, want string }{
		{"GET", "/?a=1", "GET a=1"},
		{"POST", "/?a=1", "POST a=1"},
		{"GET", "/?a=2", "GET a=2"},
		{"GET", "/?a=1", "GET a=1"},
	} {
		got := answer(t, fl, c.method, c.target, nil, nil)
		if !bytes.HasSuffix(got, []byte("\r\n\r\n"+c.want)) {
			t.Errorf("%s %s: %q, want a body of %q", c.method, c.target, got, c.want)
		}
	}
	if calls != 3 {
		t.Errorf("%d calls, want 3", calls)
	}
}

// normal is a response without what changes from one answer to the next:
// the Date and Content-Length fields and an execute's duration.
func normal(resp []byte) []byte {
	resp = regexp.MustCompile(`(?m)^(Date|Content-Length): .*\r\n`).ReplaceAll(resp, nil)
	return regexp.MustCompile(`"duration":[-+.0-9eE]+`).ReplaceAll(resp, []byte(`"duration":0`))
}

// answer serves one request with h over an in-memory connection and
// returns the response as written.
func answer(t *testing.T, h fasthttp.RequestHandler, method, target string, body []byte, sign func(time.Time, []byte) string) []byte {
	t.Helper()
	ln := fasthttputil.NewInmemoryListener()
	defer ln.Close()
	srv := &fasthttp.Server{Handler: h, NoDefaultServerHeader: true, NoDefaultContentType: true}
	go srv.Serve(ln) //nolint:errcheck // ends with ln
	var req fasthttp.Request
	req.Header.SetMethod(method)
	req.SetRequestURI("http://bridge" + target)
	if body != nil {
		req.Header.SetContentType("application/json")
		req.SetBody(body)
	}
	if sign != nil {
		req.Header.Set(signature.Header, sign(time.Now(), body))
	}
	c := &fasthttp.Client{Dial: func(string) (net.Conn, error) { return ln.Dial() }}
	var resp fasthttp.Response
	if err := c.Do(&req, &resp); err != nil {
		t.Fatal(err)
	}
	return []byte(resp.String())
}

// Only a 200 answer is kept: a request that failed (a stale signature, a
// server still starting) does not make the floor fail every later one.
func TestKeepsOnlySuccess(t *testing.T) {
	calls := 0
	fl := floor.Handler(func(ctx *fasthttp.RequestCtx) {
		calls++
		if calls == 1 {
			ctx.Error("not yet", fasthttp.StatusServiceUnavailable)
			return
		}
		ctx.SetBodyString("ok")
	})
	for i, want := range []string{"HTTP/1.1 503", "HTTP/1.1 200", "HTTP/1.1 200"} {
		if got := answer(t, fl, "GET", "/?a=1", nil, nil); !bytes.HasPrefix(got, []byte(want)) {
			t.Errorf("request %d: %q, want %s", i, got, want)
		}
	}
	if calls != 2 {
		t.Errorf("%d calls, want 2", calls)
	}
}

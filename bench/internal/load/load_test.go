package load

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestHistogramQuantiles(t *testing.T) {
	var h Histogram
	rng := rand.New(rand.NewPCG(1, 2))
	var all []time.Duration
	for i := 0; i < 100000; i++ {
		d := time.Duration(rng.ExpFloat64() * float64(300*time.Microsecond))
		all = append(all, d)
		h.Record(d)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	for _, q := range []float64{0.5, 0.9, 0.99, 0.999} {
		exact := all[int(q*float64(len(all)))-1]
		got := h.Quantile(q)
		if got < exact || float64(got) > float64(exact)*1.02+1 {
			t.Errorf("q%.3f = %v, exact %v: not within 2%% above", q, got, exact)
		}
	}
	if h.Max() != all[len(all)-1] || h.Min() != all[0] || h.Count() != uint64(len(all)) {
		t.Errorf("min/max/count %v/%v/%d, want %v/%v/%d", h.Min(), h.Max(), h.Count(), all[0], all[len(all)-1], len(all))
	}
}

func TestHistogramSmallAndMerge(t *testing.T) {
	var a, b Histogram
	for _, d := range []time.Duration{1, 2, 3, 63, 64, 65} {
		a.Record(d)
	}
	b.Record(10 * time.Second)
	b.Record(-5) // counts as zero
	a.Merge(&b)
	got := []time.Duration{a.Min(), a.Quantile(0.5), a.Max()}
	if diff := cmp.Diff([]time.Duration{0, 3, 10 * time.Second}, got); diff != "" {
		t.Errorf("min, median, max (-want +got):\n%s", diff)
	}
	var empty Histogram
	if empty.Quantile(0.99) != 0 || empty.Mean() != 0 {
		t.Error("an empty histogram has a non-zero quantile or mean")
	}
}

func TestBucketsCoverValues(t *testing.T) {
	for _, v := range []uint64{0, 1, 63, 64, 127, 128, 1000, 1 << 20, 1<<40 + 12345, 1<<62 + 1} {
		i := bucketOf(v)
		if hi := bucketHigh(i); hi < v || (i > 0 && bucketHigh(i-1) >= v) {
			t.Errorf("value %d in bucket %d whose top is %d (previous top %d)", v, i, hi, bucketHigh(i-1))
		}
	}
}

func TestReadResponse(t *testing.T) {
	cases := []struct {
		name, raw  string
		status     int
		keep       bool
		body, rest string
	}{
		{"content-length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloNEXT", 200, true, "hello", "NEXT"},
		{"chunked", "HTTP/1.1 401 Unauthorized\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\nTrailer: 1\r\n\r\nNEXT", 401, true, "abcde", "NEXT"},
		{"close", "HTTP/1.1 413 Too Large\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", 413, false, "ok", ""},
		{"http/1.0 until eof", "HTTP/1.0 200 OK\r\n\r\nall of it", 200, false, "all of it", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			br := bufio.NewReader(strings.NewReader(tc.raw))
			status, keep, body, err := ReadResponse(br, nil)
			if err != nil {
				t.Fatal(err)
			}
			rest, _ := br.Peek(br.Buffered())
			got := []any{status, keep, string(body), string(rest)}
			if diff := cmp.Diff([]any{tc.status, tc.keep, tc.body, tc.rest}, got); diff != "" {
				t.Errorf("status, keep, body, rest (-want +got):\n%s", diff)
			}
		})
	}
	for _, bad := range []string{"", "garbage\r\n", "HTTP/1.1 2x0 OK\r\n\r\n", "HTTP/1.1 -12 OK\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
		"HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffff\r\n"} {
		if _, _, _, err := ReadResponse(bufio.NewReader(strings.NewReader(bad)), nil); err == nil {
			t.Errorf("%q was read without an error", bad)
		}
	}
}

// TestRun drives a test server and checks what Run counts: statuses,
// unexpected answers, signatures and limits.
func TestRun(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Header.Get("novu-signature") == "":
			w.WriteHeader(401)
		case r.URL.Query().Get("big") != "":
			_, _ = w.Write([]byte(strings.Repeat("x", 100000))) // chunked
		default:
			_, _ = fmt.Fprintf(w, "ok %s", r.Header.Get("novu-signature"))
		}
	}))
	defer srv.Close()
	addr := srv.Listener.Addr().String()
	sign := func(now time.Time, body []byte) string { return "t=" + now.Format("150405") }
	reqs := []Request{
		{Name: "signed", Method: "POST", Target: "/", Body: []byte(`{}`), Sign: sign, Want: 200, WantBody: "ok t="},
		{Name: "big", Method: "GET", Target: "/?big=1", Sign: sign, Want: 200},
		{Name: "unsigned", Method: "GET", Target: "/", Want: 401},
		{Name: "wrong", Method: "GET", Target: "/", Want: 200},
	}
	// One connection sends the requests strictly in turn.
	res, err := Run(context.Background(), Config{Addr: addr, Requests: reqs, Conns: 1, Count: 400, Duration: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{"signed 200": 100, "big 200": 100, "unsigned 401": 100, "wrong 401": 100}
	if diff := cmp.Diff(want, res.Status); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	if res.Requests != 400 || res.Errors != 100 || res.Latency.Count() != 400 {
		t.Errorf("requests %d, errors %d, latencies %d; want 400, 100, 400", res.Requests, res.Errors, res.Latency.Count())
	}
	if len(res.Samples) == 0 || !strings.Contains(res.Samples[0], "wrong: status 401, want 200") {
		t.Errorf("samples %q", res.Samples)
	}

	// Several connections share the count.
	res, err = Run(context.Background(), Config{Addr: addr, Requests: reqs, Conns: 8, Count: 1000, Duration: 20 * time.Second, Resign: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, n := range res.Status {
		sum += n
	}
	if sum != 1000 || res.Requests != 1000 || res.Errors != res.Status["wrong 401"] {
		t.Errorf("8 connections: %d answers, %d requests, %d errors; statuses %v", sum, res.Requests, res.Errors, res.Status)
	}

	// A duration stops the run, and nothing listening is an error, not a hang.
	start := time.Now()
	res, err = Run(context.Background(), Config{Addr: "127.0.0.1:1", Requests: reqs[:1], Conns: 2, Duration: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Errors == 0 || time.Since(start) > 5*time.Second {
		t.Errorf("run against a closed port: %d errors after %v", res.Errors, time.Since(start))
	}
	if _, err := Run(context.Background(), Config{Addr: addr, Requests: reqs}); err == nil {
		t.Error("a run with neither duration nor count was accepted")
	}
}

func TestBuild(t *testing.T) {
	r := Request{Method: "POST", Target: "/api/novu?action=execute", Body: []byte(`{"a":1}`),
		Sign: func(time.Time, []byte) string { return "t=1,v1=ab" }}
	got := string(Build(nil, "127.0.0.1:9", &r, time.Now()))
	want := "POST /api/novu?action=execute HTTP/1.1\r\nHost: 127.0.0.1:9\r\nAccept: application/json\r\n" +
		"Content-Type: application/json\r\nContent-Length: 7\r\nnovu-signature: t=1,v1=ab\r\n\r\n{\"a\":1}"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("request bytes (-want +got):\n%s", diff)
	}
	req, err := http.ReadRequest(bufio.NewReader(strings.NewReader(got)))
	if err != nil {
		t.Fatal(err)
	}
	if u, _ := url.Parse("/api/novu?action=execute"); req.URL.String() != u.String() || req.ContentLength != 7 {
		t.Errorf("net/http reads %v with length %d", req.URL, req.ContentLength)
	}
}

// TestRate checks that a rate-limited run offers about the rate asked for,
// and charges a slow server for the requests it delayed.
func TestRate(t *testing.T) {
	var slow atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if slow.Load() {
			time.Sleep(20 * time.Millisecond)
		}
	}))
	defer srv.Close()
	cfg := Config{Addr: srv.Listener.Addr().String(), Requests: []Request{{Name: "r", Method: "GET", Target: "/", Want: 200}},
		Conns: 4, Duration: time.Second, Rate: 200}
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests < 150 || res.Requests > 210 {
		t.Errorf("%d requests in 1s at 200/s", res.Requests)
	}
	// 4 connections of a server that takes 20ms can answer 200/s at most;
	// asked for 400/s, requests queue and latencies grow past the 20ms.
	slow.Store(true)
	cfg.Rate = 400
	res, err = Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if p90 := res.Latency.Quantile(0.9); p90 < 100*time.Millisecond {
		t.Errorf("p90 %v: the wait for a busy connection is not counted", p90)
	}
}

// FuzzReadResponse feeds arbitrary bytes to the response reader: it must
// return, without panicking or allocating without bound.
func FuzzReadResponse(f *testing.F) {
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"))
	f.Add([]byte("HTTP/1.1 401 Unauthorized\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"))
	f.Add([]byte("HTTP/1.0 200 OK\r\nConnection: close\r\n\r\nrest"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		br := bufio.NewReader(bytes.NewReader(raw))
		status, _, body, err := ReadResponse(br, nil)
		if err == nil && (status < 100 || status > 999 || len(body) > len(raw)) {
			t.Errorf("status %d and a %d-byte body from %d bytes", status, len(body), len(raw))
		}
	})
}

// watchStalls sees the time its process keeps it from running: here a
// goroutine that holds the only P until the runtime preempts it (after
// about 10 ms).
func TestWatchStalls(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan time.Duration)
	go func() { got <- watchStalls(ctx) }()
	time.Sleep(5 * time.Millisecond) // let it start napping
	for start := time.Now(); time.Since(start) < 100*time.Millisecond; {
	}
	cancel()
	if stall := <-got; stall < 5*time.Millisecond || stall > 5*time.Second {
		t.Fatalf("stall %v after holding the only P for 100 ms", stall)
	}
}

// Hold leaves n connections open on the server, each after one answered
// request, and reports a connection the server refuses or closes.
func TestHold(t *testing.T) {
	var open atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("close") != "" {
			w.Header().Set("Connection", "close")
		}
		_, _ = w.Write([]byte("ok"))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		switch s {
		case http.StateNew:
			open.Add(1)
		case http.StateClosed, http.StateHijacked:
			open.Add(-1)
		}
	}
	srv.Start()
	defer srv.Close()
	addr := srv.Listener.Addr().String()
	conns, err := Hold(context.Background(), addr, Request{Method: "GET", Target: "/", Want: 200}, 50)
	if err != nil || len(conns) != 50 {
		t.Fatalf("%d connections, %v", len(conns), err)
	}
	if got := open.Load(); got != 50 {
		t.Errorf("the server has %d connections open, want 50", got)
	}
	closeAll(conns)

	conns, err = Hold(context.Background(), addr, Request{Method: "GET", Target: "/", Want: 201}, 5)
	if err == nil || len(conns) != 1 || !strings.Contains(err.Error(), "status 200, want 201") {
		t.Errorf("a wrong status: %d connections, %v", len(conns), err)
	}
	closeAll(conns)
	conns, err = Hold(context.Background(), addr, Request{Method: "GET", Target: "/?close=1", Want: 200}, 5)
	if err == nil || !strings.Contains(err.Error(), "closed it") {
		t.Errorf("a server that closes: %d connections, %v", len(conns), err)
	}
	closeAll(conns)
}

func closeAll(conns []net.Conn) {
	for _, c := range conns {
		c.Close()
	}
}

func TestFloodHoldsTheLastByte(t *testing.T) {
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.ReadAll(r.Body); err != nil {
			return
		}
		served.Add(1)
		w.WriteHeader(http.StatusTeapot)
	}))
	defer srv.Close()
	addr := srv.Listener.Addr().String()
	for _, r := range []Request{
		{Name: "bodiless", Method: "GET", Target: "/"},
		{Name: "with a body", Method: "POST", Target: "/", Body: []byte(`{"payload":{}}`)},
	} {
		served.Store(0)
		var during int64 = -1
		statuses, err := Flood(context.Background(), addr, r, 20, true, func() {
			time.Sleep(100 * time.Millisecond) // time enough for a server to answer a whole request
			during = served.Load()
		})
		if err != nil {
			t.Fatalf("%s: %v", r.Name, err)
		}
		if during != 0 {
			t.Errorf("%s: %d requests were answered while their last byte was held back", r.Name, during)
		}
		if statuses[http.StatusTeapot] != 20 {
			t.Errorf("%s: answers %v, want 20 418s", r.Name, statuses)
		}
	}
}

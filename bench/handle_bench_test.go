package bench

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/echofn/echofn/bench/internal/scenario"
	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/core/nethttp"
	"github.com/echofn/echofn/core/signature"
	"github.com/echofn/echofn/internal/conformance"
)

// benchNow is the fixed clock of the in-process benchmarks, so that their
// signatures never expire however long they run.
var benchNow = time.Now()

func benchBridge(tb testing.TB) *core.Bridge {
	tb.Helper()
	b, err := core.New(core.Config{
		SecretKey: conformance.Secret,
		Server:    "bench",
		Logger:    slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now:       func() time.Time { return benchNow },
	}, conformance.Workflows()...)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// coreRequest builds the core.Request of a conformance case, signed at
// benchNow.
func coreRequest(tb testing.TB, name string) *core.Request {
	tb.Helper()
	c := scenario.Case(name)
	q, err := url.ParseQuery(c.Query)
	if err != nil {
		tb.Fatal(err)
	}
	h := http.Header{}
	for k, v := range c.Headers(benchNow) {
		h.Set(k, v)
	}
	r := &core.Request{Method: c.Method, Query: q, Header: h.Get}
	if c.Method == "POST" {
		r.Body = []byte(c.Body)
	}
	return r
}

// handleCases are the in-process benchmarks: the four benchmarked requests
// and the answers that cost most to refuse.
var handleCases = []struct {
	name, caseName string
	want           int
}{
	{"discover", "discover", 200},
	{"health-check", "health-check", 200},
	{"execute-email", "execute-email", 200},
	{"execute-custom-replay", "execute-custom", 200},
	{"execute-inapp", "execute-inapp", 200},
	{"preview-custom", "preview-custom", 200},
	{"refuse-bad-signature", "err-signature-mismatch", 401},
	{"refuse-payload-invalid", "err-payload-invalid", 400},
}

// BenchmarkHandle is core's Handle path in-process: no HTTP, no network.
func BenchmarkHandle(b *testing.B) {
	bridge := benchBridge(b)
	ctx := context.Background()
	for _, tc := range handleCases {
		b.Run(tc.name, func(b *testing.B) {
			req := coreRequest(b, tc.caseName)
			if resp := bridge.Handle(ctx, req); resp.Status != tc.want {
				b.Fatalf("status %d, want %d: %s", resp.Status, tc.want, resp.Body)
			}
			b.ReportAllocs()
			b.SetBytes(int64(len(req.Body)))
			cpu := startCPU()
			for b.Loop() {
				if resp := bridge.Handle(ctx, req); resp.Status != tc.want {
					b.Fatalf("status %d", resp.Status)
				}
			}
			cpu.report(b)
		})
	}
}

// cpuClock measures the CPU time this process uses (every thread: the
// garbage collector's included), which other work on the machine does not
// inflate the way it inflates wall time.
type cpuClock struct{ start time.Duration }

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func startCPU() cpuClock { return cpuClock{processCPU()} }

// report adds the CPU time per operation as the "cpu-ns/op" metric.
func (c cpuClock) report(b *testing.B) {
	if b.N > 0 {
		b.ReportMetric(float64(processCPU()-c.start)/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkHandleParallel is Handle from all of GOMAXPROCS goroutines at
// once, to show contention inside the bridge.
func BenchmarkHandleParallel(b *testing.B) {
	bridge := benchBridge(b)
	for _, tc := range handleCases[:4] {
		b.Run(tc.name, func(b *testing.B) {
			req := coreRequest(b, tc.caseName)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if resp := bridge.Handle(context.Background(), req); resp.Status != tc.want {
						b.Errorf("status %d", resp.Status)
						return
					}
				}
			})
		})
	}
}

// BenchmarkNetHTTPHandler adds the net/http adapter (header and query
// parsing, body read, response headers) without a network.
func BenchmarkNetHTTPHandler(b *testing.B) {
	h := nethttp.Handler(benchBridge(b))
	for _, tc := range handleCases[:4] {
		b.Run(tc.name, func(b *testing.B) {
			c := scenario.Case(tc.caseName)
			headers := c.Headers(benchNow)
			b.ReportAllocs()
			cpu := startCPU()
			for b.Loop() {
				var body io.Reader
				if c.Method == "POST" {
					body = strings.NewReader(c.Body)
				}
				r := httptest.NewRequest(c.Method, "/api/novu?"+c.Query, body)
				for k, v := range headers {
					r.Header.Set(k, v)
				}
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				if w.Code != tc.want {
					b.Fatalf("status %d", w.Code)
				}
			}
			cpu.report(b)
		})
	}
}

// BenchmarkVerify is the signature check alone, over an execute body and
// over the "{}" of a GET.
func BenchmarkVerify(b *testing.B) {
	for _, tc := range []struct{ name, caseName string }{{"execute-custom-body", "execute-custom"}, {"get", "discover"}} {
		b.Run(tc.name, func(b *testing.B) {
			c := scenario.Case(tc.caseName)
			var body []byte
			if c.Method == "POST" {
				body = []byte(c.Body)
			}
			header := signature.Sign(conformance.Secret, benchNow, body)
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			cpu := startCPU()
			for b.Loop() {
				if err := signature.Verify(header, body, benchNow, conformance.Secret); err != nil {
					b.Fatal(err)
				}
			}
			cpu.report(b)
		})
	}
}

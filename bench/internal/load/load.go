// Package load drives a bridge over HTTP/1.1 with a fixed number of
// keep-alive connections, signing requests as Novu does, checking every
// response's status and recording latencies in a Histogram.
//
// It speaks HTTP/1.1 on raw TCP connections with pre-built request bytes, so
// that one load-generating core can outpace a server on another core.
package load

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// SignFunc returns the novu-signature header value for body at now, or ""
// to send the request unsigned.
type SignFunc func(now time.Time, body []byte) string

// Request is one kind of request the generator sends.
type Request struct {
	// Name labels the request in results.
	Name string
	// Method and Target (path and query, such as
	// "/api/novu?action=discover") make the request line.
	Method string
	Target string
	// Body is sent with a Content-Type of ContentType (application/json
	// when empty) and a Content-Length.
	Body        []byte
	ContentType string
	// Sign signs the request; nil sends it unsigned.
	Sign SignFunc
	// Want is the expected status; any other status counts as an error.
	Want int
	// WantBody, when set, must occur in the response body.
	WantBody string
}

// Config says what to send, how hard and for how long.
type Config struct {
	// Addr is the server's host:port.
	Addr string
	// Requests are sent in turn by every connection, each starting at a
	// different offset.
	Requests []Request
	// Conns is the number of connections, each with one request in flight.
	Conns int
	// Duration bounds the run; Count bounds the number of requests. At
	// least one must be set; the run stops at whichever comes first.
	Duration time.Duration
	Count    int64
	// Resign is how long a signed request is reused before it is signed
	// again; zero signs every request fresh. Keep it well under Novu's
	// five-minute window.
	Resign time.Duration
	// Timeout bounds one request; zero means 10 seconds.
	Timeout time.Duration
	// Rate, when positive, is the total requests per second to offer,
	// spread evenly over the connections. Each request is then due at a
	// fixed time and its latency counts from that time, so a server that
	// falls behind is charged for the wait (no coordinated omission). Zero
	// sends each request as soon as the previous one on its connection is
	// answered.
	Rate float64
}

// Result is what a run measured.
type Result struct {
	// Requests is the number of completed requests (any status), Errors
	// those with an unexpected status, a body that did not match, or a
	// transport failure.
	Requests int64
	Errors   int64
	// Elapsed is the wall time of the run.
	Elapsed time.Duration
	// Latency holds the latencies of completed requests.
	Latency *Histogram
	// Status counts responses by "name status".
	Status map[string]int64
	// Samples holds the first few errors, for the report.
	Samples []string
	// Unfinished counts requests still unanswered when the run ended
	// (not errors: the run cut them off); Oldest is how long the oldest
	// of them had been waiting.
	Unfinished int64
	Oldest     time.Duration
	// Stall is the longest the load generator itself was held up: how
	// much later than asked a goroutine sleeping 1 ms at a time woke. A
	// maximum latency no longer than Stall may be the generator's or the
	// machine's, not the server's.
	Stall time.Duration
}

// Throughput is completed requests per second.
func (r *Result) Throughput() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// StatusLines returns Status as sorted "name status: count" lines.
func (r *Result) StatusLines() []string {
	lines := make([]string, 0, len(r.Status))
	for k, v := range r.Status {
		lines = append(lines, fmt.Sprintf("%s: %d", k, v))
	}
	sort.Strings(lines)
	return lines
}

const maxSamples = 10

// Run sends requests until ctx is done, the duration has passed or the
// count is reached, and returns what it measured.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if cfg.Addr == "" || len(cfg.Requests) == 0 {
		return nil, errors.New("load: an address and at least one request are needed")
	}
	if cfg.Duration <= 0 && cfg.Count <= 0 {
		return nil, errors.New("load: set a duration, a count or both")
	}
	if cfg.Conns <= 0 {
		cfg.Conns = 1
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	var cancel context.CancelFunc
	if cfg.Duration > 0 {
		ctx, cancel = context.WithTimeout(ctx, cfg.Duration)
	} else {
		ctx, cancel = context.WithCancel(ctx)
	}
	// Cancelling at the end also ends each connection's watcher.
	defer cancel()
	var budget atomic.Int64
	budget.Store(cfg.Count)
	take := func() bool {
		if cfg.Count <= 0 {
			return true
		}
		return budget.Add(-1) >= 0
	}

	var interval time.Duration
	if cfg.Rate > 0 {
		interval = time.Duration(float64(time.Second) * float64(cfg.Conns) / cfg.Rate)
	}
	workers := make([]*worker, cfg.Conns)
	var wg sync.WaitGroup
	stall := make(chan time.Duration, 1)
	go func() { stall <- watchStalls(ctx) }()
	start := time.Now()
	for i := range workers {
		w := &worker{cfg: &cfg, next: i % len(cfg.Requests), hist: &Histogram{}, status: map[string]int64{}, interval: interval}
		if interval > 0 { // stagger the connections over one interval
			w.due = start.Add(interval * time.Duration(i) / time.Duration(cfg.Conns))
		}
		w.built = make([]built, len(cfg.Requests))
		workers[i] = w
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.loop(ctx, take)
		}()
	}
	wg.Wait()
	res := &Result{Elapsed: time.Since(start), Latency: &Histogram{}, Status: map[string]int64{}}
	cancel()
	res.Stall = <-stall
	for _, w := range workers {
		res.Requests += w.requests
		res.Errors += w.errors
		res.Unfinished += w.unfinished
		res.Oldest = max(res.Oldest, w.longest)
		res.Latency.Merge(w.hist)
		for k, v := range w.status {
			res.Status[k] += v
		}
		for _, s := range w.samples {
			if len(res.Samples) < maxSamples {
				res.Samples = append(res.Samples, s)
			}
		}
	}
	return res, nil
}

// watchStalls sleeps 1 ms at a time until ctx is done and returns the
// longest it overslept.
func watchStalls(ctx context.Context) (longest time.Duration) {
	const nap = time.Millisecond
	for ctx.Err() == nil {
		t := time.Now()
		time.Sleep(nap)
		longest = max(longest, time.Since(t)-nap)
	}
	return longest
}

type built struct {
	raw    []byte
	signed time.Time
}

type worker struct {
	cfg      *Config
	interval time.Duration // between this connection's requests when rate-limited
	due      time.Time     // when the next request is due, when rate-limited
	next     int
	conn     net.Conn
	br       *bufio.Reader
	built    []built
	body     []byte
	hist     *Histogram
	status   map[string]int64
	requests int64
	errors   int64
	samples  []string
	// unfinished counts requests cut off by the end of the run, longest
	// how long the oldest of them had waited.
	unfinished int64
	longest    time.Duration
}

func (w *worker) fail(format string, args ...any) {
	w.errors++
	if len(w.samples) < maxSamples {
		w.samples = append(w.samples, fmt.Sprintf(format, args...))
	}
}

func (w *worker) loop(ctx context.Context, take func() bool) {
	defer w.close()
	for ctx.Err() == nil && take() {
		var due time.Time
		if w.interval > 0 {
			due = w.due
			w.due = w.due.Add(w.interval)
			if wait := time.Until(due); wait > 0 {
				sleep(ctx, wait)
				if ctx.Err() != nil {
					return
				}
			}
		}
		req := &w.cfg.Requests[w.next]
		raw := w.request(w.next, req)
		w.next = (w.next + 1) % len(w.cfg.Requests)
		if w.conn == nil {
			if err := w.dial(ctx); err != nil {
				if ctx.Err() != nil {
					return
				}
				w.fail("%s: dial: %v", req.Name, err)
				sleep(ctx, 10*time.Millisecond)
				continue
			}
		}
		t0 := time.Now()
		_ = w.conn.SetDeadline(t0.Add(w.cfg.Timeout))
		status, keep, err := w.roundTrip(raw)
		if !due.IsZero() && due.Before(t0) {
			t0 = due // the time spent waiting for this connection counts
		}
		elapsed := time.Since(t0)
		if err != nil {
			w.close()
			if ctx.Err() != nil && isCancelled(err) {
				w.unfinished++
				w.longest = max(w.longest, time.Since(t0))
				return
			}
			w.fail("%s: %v", req.Name, err)
			continue
		}
		w.requests++
		w.hist.Record(elapsed)
		w.status[req.Name+" "+strconv.Itoa(status)]++
		switch {
		case status != req.Want:
			w.fail("%s: status %d, want %d: %.200s", req.Name, status, req.Want, w.body)
		case req.WantBody != "" && !bytes.Contains(w.body, []byte(req.WantBody)):
			w.fail("%s: body lacks %q: %.200s", req.Name, req.WantBody, w.body)
		}
		if !keep {
			w.close()
		}
	}
}

func isCancelled(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

func (w *worker) dial(ctx context.Context) error {
	d := net.Dialer{Timeout: w.cfg.Timeout}
	c, err := d.DialContext(ctx, "tcp", w.cfg.Addr)
	if err != nil {
		return err
	}
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetNoDelay(true)
	}
	w.conn = c
	w.br = bufio.NewReaderSize(c, 64<<10)
	// A cancelled run unblocks a request in flight at once.
	go func(c net.Conn) {
		<-ctx.Done()
		_ = c.SetDeadline(time.Now())
	}(c)
	return nil
}

func (w *worker) close() {
	if w.conn != nil {
		_ = w.conn.Close()
		w.conn = nil
	}
}

// request returns the bytes of request i, signing it again when its
// signature is older than Resign.
func (w *worker) request(i int, r *Request) []byte {
	b := &w.built[i]
	now := time.Now()
	if b.raw != nil && (r.Sign == nil || (w.cfg.Resign > 0 && now.Sub(b.signed) < w.cfg.Resign)) {
		return b.raw
	}
	b.raw = Build(b.raw[:0], w.cfg.Addr, r, now)
	b.signed = now
	return b.raw
}

// Build appends the HTTP/1.1 bytes of r, signed at now, to dst.
func Build(dst []byte, host string, r *Request, now time.Time) []byte {
	dst = append(dst, r.Method...)
	dst = append(dst, ' ')
	dst = append(dst, r.Target...)
	dst = append(dst, " HTTP/1.1\r\nHost: "...)
	dst = append(dst, host...)
	dst = append(dst, "\r\nAccept: application/json\r\n"...)
	if r.Body != nil {
		ct := r.ContentType
		if ct == "" {
			ct = "application/json"
		}
		dst = append(dst, "Content-Type: "...)
		dst = append(dst, ct...)
		dst = append(dst, "\r\nContent-Length: "...)
		dst = strconv.AppendInt(dst, int64(len(r.Body)), 10)
		dst = append(dst, "\r\n"...)
	}
	if r.Sign != nil {
		if sig := r.Sign(now, r.Body); sig != "" {
			dst = append(dst, "novu-signature: "...)
			dst = append(dst, sig...)
			dst = append(dst, "\r\n"...)
		}
	}
	dst = append(dst, "\r\n"...)
	return append(dst, r.Body...)
}

// roundTrip writes raw and reads one response into w.body. keep reports
// whether the connection may be reused.
func (w *worker) roundTrip(raw []byte) (status int, keep bool, err error) {
	if _, err := w.conn.Write(raw); err != nil {
		return 0, false, err
	}
	status, keep, w.body, err = ReadResponse(w.br, w.body[:0])
	return status, keep, err
}

// ReadResponse reads one HTTP/1.1 response from br, appending its body
// (de-chunked) to body. keep reports whether the server keeps the
// connection open.
func ReadResponse(br *bufio.Reader, body []byte) (status int, keep bool, _ []byte, err error) {
	line, err := br.ReadSlice('\n')
	if err != nil {
		return 0, false, body, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) {
		return 0, false, body, fmt.Errorf("bad status line %q", line)
	}
	for _, c := range line[9:12] {
		if c < '0' || c > '9' {
			return 0, false, body, fmt.Errorf("bad status line %q", line)
		}
		status = status*10 + int(c-'0')
	}
	if status < 100 {
		return 0, false, body, fmt.Errorf("bad status line %q", line)
	}
	keep = line[7] == '1'
	length, chunked := -1, false
	for {
		line, err = br.ReadSlice('\n')
		if err != nil {
			return 0, false, body, err
		}
		h := bytes.TrimRight(line, "\r\n")
		if len(h) == 0 {
			break
		}
		k, v, ok := bytes.Cut(h, []byte(":"))
		if !ok {
			continue
		}
		v = bytes.TrimSpace(v)
		switch strings.ToLower(string(k)) {
		case "content-length":
			if length, err = strconv.Atoi(string(v)); err != nil || length < 0 || length > maxBody {
				return 0, false, body, fmt.Errorf("bad content-length %q", v)
			}
		case "transfer-encoding":
			chunked = bytes.EqualFold(v, []byte("chunked"))
		case "connection":
			if bytes.EqualFold(v, []byte("close")) {
				keep = false
			}
		}
	}
	switch {
	case chunked:
		body, err = readChunked(br, body)
	case length >= 0:
		body, err = readN(br, body, length)
	default:
		var rest []byte
		rest, err = io.ReadAll(io.LimitReader(br, maxBody))
		body, keep = append(body, rest...), false
	}
	return status, keep, body, err
}

// maxBody bounds a response body, far above any bridge answer.
const maxBody = 64 << 20

func readN(br *bufio.Reader, dst []byte, n int) ([]byte, error) {
	start := len(dst)
	dst = append(dst, make([]byte, n)...)
	_, err := io.ReadFull(br, dst[start:])
	return dst, err
}

func readChunked(br *bufio.Reader, dst []byte) ([]byte, error) {
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			return dst, err
		}
		size := bytes.TrimRight(line, "\r\n")
		if i := bytes.IndexByte(size, ';'); i >= 0 {
			size = size[:i]
		}
		n, err := strconv.ParseInt(string(bytes.TrimSpace(size)), 16, 64)
		if err != nil || n < 0 || n > maxBody || len(dst)+int(n) > maxBody {
			return dst, fmt.Errorf("bad chunk size %q", size)
		}
		if n == 0 {
			for { // trailers, then the blank line
				line, err = br.ReadSlice('\n')
				if err != nil {
					return dst, err
				}
				if len(bytes.TrimRight(line, "\r\n")) == 0 {
					return dst, nil
				}
			}
		}
		if dst, err = readN(br, dst, int(n)); err != nil {
			return dst, err
		}
		if _, err = br.Discard(2); err != nil {
			return dst, err
		}
	}
}

// Summary is a Result reduced to the figures the reports print.
type Summary struct {
	Requests   int64   `json:"requests"`
	Errors     int64   `json:"errors"`
	Seconds    float64 `json:"seconds"`
	PerSecond  float64 `json:"reqPerSec"`
	MeanMicros float64 `json:"meanMicros"`
	P50Micros  float64 `json:"p50Micros"`
	P90Micros  float64 `json:"p90Micros"`
	P99Micros  float64 `json:"p99Micros"`
	MaxMicros  float64 `json:"maxMicros"`
}

func micros(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// Summary reduces r.
func (r *Result) Summary() Summary {
	h := r.Latency
	return Summary{
		Requests: r.Requests, Errors: r.Errors, Seconds: r.Elapsed.Seconds(), PerSecond: r.Throughput(),
		MeanMicros: micros(h.Mean()), P50Micros: micros(h.Quantile(0.50)), P90Micros: micros(h.Quantile(0.90)),
		P99Micros: micros(h.Quantile(0.99)), MaxMicros: micros(h.Max()),
	}
}

// Add merges another run of the same requests into r, as if both had run
// one after the other.
func (r *Result) Add(o *Result) {
	r.Requests += o.Requests
	r.Errors += o.Errors
	r.Unfinished += o.Unfinished
	r.Oldest = max(r.Oldest, o.Oldest)
	r.Stall = max(r.Stall, o.Stall)
	r.Elapsed += o.Elapsed
	if r.Latency == nil {
		r.Latency = &Histogram{}
	}
	r.Latency.Merge(o.Latency)
	if r.Status == nil {
		r.Status = map[string]int64{}
	}
	for k, v := range o.Status {
		r.Status[k] += v
	}
	for _, s := range o.Samples {
		if len(r.Samples) < maxSamples {
			r.Samples = append(r.Samples, s)
		}
	}
}

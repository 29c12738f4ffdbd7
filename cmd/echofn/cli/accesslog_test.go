package cli

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
	"time"
)

// slogLine is the line slog's handler of format writes for r at t.
func slogLine(t *testing.T, format string, at time.Time, r *request) string {
	var buf bytes.Buffer
	logger, err := newLogger(&buf, format)
	if err != nil {
		t.Fatal(err)
	}
	rec := slog.NewRecord(at, slog.LevelInfo, "request", 0)
	rec.AddAttrs(slog.String("method", r.method), slog.String("path", r.path), slog.Int("status", r.status),
		slog.Float64("ms", float64(r.took.Microseconds())/1000))
	for i, v := range r.fields {
		if v != "" {
			rec.AddAttrs(slog.String(fieldNames[i], v))
		}
	}
	if err := logger.Handler().Handle(context.Background(), rec); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func checkAccessLine(t *testing.T, at time.Time, r *request) {
	for _, format := range []string{"text", "json"} {
		var buf bytes.Buffer
		newAccessLog(&buf, format).write(at, r)
		if want := slogLine(t, format, at, r); buf.String() != want {
			t.Errorf("%s line:\n got %q\nwant %q", format, buf.String(), want)
		}
	}
}

func TestAccessLogWritesAsSlog(t *testing.T) {
	at := time.Date(2026, 11, 27, 5, 4, 3, 120456789, time.UTC)
	zone := time.FixedZone("", -7*3600-30*60)
	for _, r := range []request{
		{method: "POST", path: "/api/novu", status: 200, took: 123456 * time.Nanosecond, fields: [3]string{"execute", "welcome-email", "send-email"}},
		{method: "GET", path: "/api/novu", status: 200, took: 0},
		{method: "GET", path: "/a b=\"c\"", status: 404, took: 2 * time.Hour, fields: [3]string{"", "x\ty", ""}},
		{method: "", path: "", status: 0, took: time.Millisecond, fields: [3]string{"\x00\x1f\x7f\\", "\xff\xfe", "\u2028\u2029\u00a0é"}},
		{method: "PATCH", path: "/ü/\u200b", status: 431, took: 1500 * time.Millisecond, fields: [3]string{"a=b", "<&>", "\ufffd"}},
	} {
		checkAccessLine(t, at, &r)
		checkAccessLine(t, at.In(zone), &r)
		checkAccessLine(t, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), &r)
	}
}

func FuzzAccessLog(f *testing.F) {
	f.Add("POST", "/api/novu", 200, int64(123456), "execute", "welcome-email", "send-email", int64(0))
	f.Add("GET", "/a b", 404, int64(0), "", "\xff", "\u2028", int64(999999999))
	f.Fuzz(func(t *testing.T, method, path string, status int, took int64, action, workflowID, stepID string, nanos int64) {
		// Any instant from year 1 to 9999, in UTC or at a zone's offset.
		at := time.Unix(nanos%(1<<38)-62135596800+253402300799/2, nanos%1e9)
		if nanos%3 == 0 {
			at = at.UTC()
		} else {
			at = at.In(time.FixedZone("", int(nanos%(14*3600))))
		}
		checkAccessLine(t, at, &request{method, path, status, time.Duration(took), [3]string{action, workflowID, stepID}})
	})
}

func BenchmarkAccessLog(b *testing.B) {
	var buf bytes.Buffer
	l := newAccessLog(&buf, "text")
	r := &request{method: "POST", path: "/api/novu", status: 200, took: 123456, fields: [3]string{"execute", "welcome-email", "send-email"}}
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		l.write(time.Now(), r)
	}
}

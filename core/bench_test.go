package core_test

import (
	"context"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/core/signature"
	"github.com/echofn/echofn/internal/conformance"
)

func benchBridge(b *testing.B) *core.Bridge {
	br, err := core.New(core.Config{SecretKey: conformance.Secret, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, conformance.Workflows()...)
	if err != nil {
		b.Fatal(err)
	}
	return br
}

func benchCase(b *testing.B, name string) (*core.Request, int) {
	for _, c := range conformance.Cases() {
		if c.Name != name {
			continue
		}
		q, _ := url.ParseQuery(c.Query)
		h := c.Headers(time.Now())
		return &core.Request{
			Method: c.Method, Query: q, Body: []byte(c.Body),
			Header: func(n string) string { return h[strings.ToLower(n)] },
		}, 200
	}
	b.Fatalf("no case %s", name)
	return nil, 0
}

func runHandle(b *testing.B, name string) {
	br := benchBridge(b)
	req, want := benchCase(b, name)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if resp := br.Handle(ctx, req); resp.Status != want {
			b.Fatalf("status %d: %s", resp.Status, resp.Body)
		}
	}
}

// BenchmarkDiscover answers a signed discover (signature check included).
func BenchmarkDiscover(b *testing.B) { runHandle(b, "discover") }

// BenchmarkHealthCheck answers an unsigned health-check.
func BenchmarkHealthCheck(b *testing.B) { runHandle(b, "health-check") }

// BenchmarkExecuteEmail executes an email step: payload and control
// validation, Liquid, the resolver, output validation, a provider override
// and HTML sanitising.
func BenchmarkExecuteEmail(b *testing.B) { runHandle(b, "execute-email") }

// BenchmarkExecuteReplay executes the last step of a three-step workflow,
// replaying two earlier steps from state.
func BenchmarkExecuteReplay(b *testing.B) { runHandle(b, "execute-custom") }

// BenchmarkVerify checks one signature over a typical execute body.
func BenchmarkVerify(b *testing.B) {
	body := []byte(`{"payload":{"name":"Ada"},"controls":{},"state":[],"subscriber":{"subscriberId":"sub-1","firstName":"Ada"},"context":{}}`)
	now := time.Now()
	h := signature.Sign(conformance.Secret, now, body)
	b.ReportAllocs()
	for b.Loop() {
		if err := signature.Verify(h, body, now, conformance.Secret); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDefine defines the conformance workflows and builds a bridge
// for them: the work a process does once at start-up.
func BenchmarkDefine(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := core.New(core.Config{SecretKey: "k", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, conformance.Workflows()...); err != nil {
			b.Fatal(err)
		}
	}
}

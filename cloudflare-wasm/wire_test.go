package cloudflare

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/echofn/echofn/cloudflare-wasm/internal/testflows"
	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/core/nethttp"
	"github.com/echofn/echofn/internal/conformance"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// testBridge is the bridge that the test worker serves, named server.
func testBridge(t testing.TB, server string) *core.Bridge {
	t.Helper()
	b, err := core.New(testflows.Config(core.Config{SecretKey: conformance.Secret, Server: server, Logger: quiet}), testflows.Workflows()...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// headOf builds the request head that worker.mjs sends for c at now: the
// header names lower-cased, as a Headers object gives them.
func headOf(t testing.TB, c conformance.Case, now time.Time) []byte {
	t.Helper()
	rh := requestHead{Method: c.Method, Query: c.Query}
	if c.Body != "" {
		rh.Headers = append(rh.Headers, []string{"content-type", "application/json"})
	}
	for k, v := range c.Headers(now) {
		rh.Headers = append(rh.Headers, []string{strings.ToLower(k), v})
	}
	out, err := json.Marshal(rh)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// decodeHead parses a response head as worker.mjs does.
func decodeHead(t testing.TB, raw []byte) responseHead {
	t.Helper()
	var h responseHead
	if err := json.Unmarshal(raw, &h); err != nil {
		t.Fatalf("response head %q: %v", raw, err)
	}
	return h
}

var (
	duration = regexp.MustCompile(`"duration":[-0-9.eE+]+`)
	codeLine = regexp.MustCompile(`(\.go):[0-9]+\)`)
)

// normalize hides what differs between two runs (metadata.duration) and
// between two targets: the line in a "code" string is where the function's
// first instruction is, which for some closures is the line of the func
// keyword on amd64 and the next line on wasm.
func normalize(body []byte) string {
	s := duration.ReplaceAllString(string(body), `"duration":0`)
	return codeLine.ReplaceAllString(s, "$1:N)")
}

func TestDecodeRequest(t *testing.T) {
	tests := []struct {
		name      string
		head      string
		method    string
		query     map[string][]string
		headers   map[string]string // looked up with these exact names
		oversized bool
		err       string
	}{
		{
			name:    "get with query",
			head:    `{"method":"GET","query":"action=discover&workflowId=a%20b","headers":[]}`,
			method:  "GET",
			query:   map[string][]string{"action": {"discover"}, "workflowId": {"a b"}},
			headers: map[string]string{"novu-signature": ""},
		},
		{
			name:    "headers are case-insensitive and the first one wins",
			head:    `{"method":"post","query":"?x=1","headers":[["Novu-Signature","t=1,v1=aa"],["novu-signature","second"],["content-type","application/json"]]}`,
			method:  "POST",
			query:   map[string][]string{"x": {"1"}},
			headers: map[string]string{"novu-signature": "t=1,v1=aa", "NOVU-SIGNATURE": "t=1,v1=aa", "Content-Type": "application/json", "missing": ""},
		},
		{
			name:   "bad query pairs are dropped like net/http does",
			head:   `{"method":"GET","query":"a=%zz&b=2","headers":null}`,
			method: "GET",
			query:  map[string][]string{"b": {"2"}},
		},
		{
			name:      "oversized",
			head:      `{"method":"POST","query":"","headers":[],"oversized":true}`,
			method:    "POST",
			query:     map[string][]string{},
			oversized: true,
		},
		{name: "not json", head: `{"method":`, err: "malformed request head"},
		{name: "header of the wrong shape", head: `{"method":"GET","headers":[["a"]]}`, err: "not a [name, value] pair"},
		{name: "header value not a string", head: `{"method":"GET","headers":[["a",1]]}`, err: "malformed request head"},
		{name: "no method", head: `{"query":"a=1"}`, err: "without a method"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, oversized, err := decodeRequest([]byte(tt.head))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if req.Method != tt.method {
				t.Errorf("method %q, want %q", req.Method, tt.method)
			}
			query, _ := url.ParseQuery(req.RawQuery) // as core reads it
			if diff := cmp.Diff(tt.query, map[string][]string(query)); diff != "" {
				t.Errorf("query (-want +got):\n%s", diff)
			}
			for name, want := range tt.headers {
				if got := req.Header(name); got != want {
					t.Errorf("Header(%q) = %q, want %q", name, got, want)
				}
			}
			if oversized != tt.oversized {
				t.Errorf("oversized %v, want %v", oversized, tt.oversized)
			}
		})
	}
}

func TestServe(t *testing.T) {
	b := testBridge(t, ServerName)
	small, err := core.New(core.Config{SecretKey: conformance.Secret, MaxBodyBytes: 16, Logger: quiet}, testflows.Workflows()...)
	if err != nil {
		t.Fatal(err)
	}
	health := `{"method":"GET","query":"action=health-check","headers":[]}`
	tests := []struct {
		name   string
		h      *handler
		head   string
		body   string
		status int
		code   string // the error code in the body; "" for a success
	}{
		{name: "health check", h: &handler{bridge: b}, head: health, status: 200},
		{name: "oversized", h: &handler{bridge: b}, head: `{"method":"POST","query":"action=execute","headers":[],"oversized":true}`, status: 413, code: core.CodeBridge},
		{name: "malformed head", h: &handler{bridge: b}, head: `not json`, status: 400, code: core.CodeBridge},
		{name: "unsigned discover", h: &handler{bridge: b}, head: `{"method":"GET","query":"action=discover","headers":[]}`, status: 401, code: core.CodeSignatureNotFound},
		{name: "no secret key", h: &handler{startErr: core.ErrMissingSecretKey}, head: health, status: 400, code: core.CodeMissingSecretKey},
		{name: "other start error", h: &handler{startErr: errors.New("workflow x: bad schema")}, head: health, status: 500, code: core.CodeBridge},
		{name: "a panic is answered, not raised", h: &handler{}, head: health, status: 500, code: core.CodeBridge},
		// The worker reads an isolate's first requests under the default
		// limit, before Go has told it a smaller one.
		{name: "a body over the bridge's limit, read under the worker's", h: &handler{bridge: small},
			head: `{"method":"POST","query":"action=execute","headers":[]}`, body: `{"payload":{"name":"Ada Lovelace"}}`, status: 413, code: core.CodeBridge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rawHead, body := tt.h.serve(context.Background(), []byte(tt.head), []byte(tt.body))
			head := decodeHead(t, rawHead)
			if head.Status != tt.status {
				t.Errorf("status %d, want %d: %s", head.Status, tt.status, body)
			}
			var got struct{ Code, Message string }
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatalf("body %q is not JSON: %v", body, err)
			}
			if got.Code != tt.code {
				t.Errorf("code %q, want %q (message %q)", got.Code, tt.code, got.Message)
			}
			if tt.code != "" && got.Message == "" {
				t.Errorf("error without a message: %s", body)
			}
			if ct := headerOf(head, "content-type"); ct != "application/json" {
				t.Errorf("content-type %q", ct)
			}
		})
	}
}

func headerOf(h responseHead, name string) string {
	for _, kv := range h.Headers {
		if strings.EqualFold(kv[0], name) {
			return kv[1]
		}
	}
	return ""
}

// TestServeMatchesNetHTTP checks the conversion in both directions: every
// conformance request, passed as worker.mjs passes it, gets net/http's
// answer.
func TestServeMatchesNetHTTP(t *testing.T) {
	h := &handler{bridge: testBridge(t, ServerName)}
	ref := nethttp.Handler(testBridge(t, "nethttp"))
	for _, c := range conformance.Cases() {
		t.Run(c.Name, func(t *testing.T) {
			now := time.Now()
			rawHead, body := h.serve(context.Background(), headOf(t, c, now), []byte(c.Body))
			got := decodeHead(t, rawHead)

			req := httptest.NewRequest(c.Method, "/api/novu?"+c.Query, strings.NewReader(c.Body))
			for k, v := range c.Headers(now) {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			ref.ServeHTTP(rec, req)

			if got.Status != rec.Code {
				t.Errorf("status %d, net/http %d", got.Status, rec.Code)
			}
			if diff := cmp.Diff(normalize(rec.Body.Bytes()), normalize(body)); diff != "" {
				t.Errorf("body (-net/http +ours):\n%s", diff)
			}
			want := http.Header{}
			for k, v := range rec.Header() {
				want[strings.ToLower(k)] = v
			}
			want["novu-framework-server"] = []string{ServerName}
			have := http.Header{}
			for _, kv := range got.Headers {
				have[kv[0]] = append(have[kv[0]], kv[1])
			}
			if diff := cmp.Diff(want, have); diff != "" {
				t.Errorf("headers (-net/http +ours):\n%s", diff)
			}
		})
	}
}

func TestRegistration(t *testing.T) {
	cfg := core.Config{SecretKey: "k", MaxBodyBytes: 1234, Logger: quiet}
	b, err := core.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		h    *handler
		want registration
	}{
		{"bridge", &handler{bridge: b}, registration{Protocol: Protocol, MaxBodyBytes: 1234}},
		{"start error", &handler{startErr: core.ErrMissingSecretKey}, registration{Protocol: Protocol, MaxBodyBytes: core.DefaultMaxBodyBytes}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got registration
			if err := json.Unmarshal(tt.h.registration(), &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("registration (-want +got):\n%s", diff)
			}
		})
	}
}

func TestConfig(t *testing.T) {
	t.Setenv(core.EnvSecretKey, "sk_from_binding")
	t.Setenv(core.EnvFallbackSecretKey, "sk_old")
	t.Setenv(core.EnvDevMode, "")
	c := Config()
	if c.SecretKey != "sk_from_binding" || c.FallbackSecretKey != "sk_old" || c.DevMode || c.Server != ServerName {
		t.Errorf("Config() = %+v", c)
	}
}

// FuzzServe feeds arbitrary heads and bodies to the handler: it must
// always answer with a well-formed head, a status and a JSON body.
func FuzzServe(f *testing.F) {
	f.Add([]byte(`{"method":"GET","query":"action=health-check","headers":[]}`), []byte(nil))
	f.Add([]byte(`{"method":"POST","query":"action=execute&workflowId=welcome-email&stepId=send-email","headers":[["novu-signature","t=1,v1=00"]]}`), []byte(`{"payload":{}}`))
	f.Add([]byte(`{"method":"OPTIONS","query":"%%","headers":[["",""]],"oversized":true}`), []byte("x"))
	f.Add([]byte(`[]`), []byte(nil))
	dev, err := core.New(core.Config{DevMode: true, Logger: quiet}, testflows.Workflows()[:2]...)
	if err != nil {
		f.Fatal(err)
	}
	h := &handler{bridge: dev}
	f.Fuzz(func(t *testing.T, head, body []byte) {
		rawHead, out := h.serve(context.Background(), head, body)
		got := decodeHead(t, rawHead)
		if got.Status < 200 || got.Status > 599 {
			t.Fatalf("status %d", got.Status)
		}
		if !json.Valid(out) {
			t.Fatalf("body %q is not JSON", out)
		}
	})
}

// BenchmarkServe is the Go side's time per request on the host (compare
// bench/gotime.mjs, the same in WebAssembly): conversion and bridge.
func BenchmarkServe(b *testing.B) {
	h := &handler{bridge: testBridge(b, ServerName)}
	for _, name := range []string{"health-check", "discover", "execute-email"} {
		var c conformance.Case
		for _, k := range conformance.Cases() {
			if k.Name == name {
				c = k
			}
		}
		b.Run(name, func(b *testing.B) {
			head, body := headOf(b, c, time.Now()), []byte(c.Body)
			for b.Loop() {
				h.serve(context.Background(), head, body)
			}
		})
	}
}

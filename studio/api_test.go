package studio_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/echofn/echofn/cloudsim"
	"github.com/echofn/echofn/studio"
)

type call struct {
	method  string
	path    string // under the /studio mount
	host    string // default 127.0.0.1:4000
	headers map[string]string
	body    string
}

// sameOrigin are the headers a browser sends with the page's fetch calls.
var sameOrigin = map[string]string{
	"Content-Type":   "application/json",
	"Origin":         "http://127.0.0.1:4000",
	"Sec-Fetch-Site": "same-origin",
}

// do sends c to the Studio mounted at /studio and checks that the answer
// does not contain the bridge's secret.
func do(t *testing.T, h http.Handler, c call) *http.Response {
	t.Helper()
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	req := httptest.NewRequest(c.method, "http://127.0.0.1:4000/studio"+c.path, body)
	if c.host != "" {
		req.Host = c.host
	}
	for k, v := range c.headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	mux := http.NewServeMux()
	mux.Handle("/studio/", http.StripPrefix("/studio", h))
	mux.Handle("/studio", http.StripPrefix("/studio", h))
	mux.ServeHTTP(rec, req)
	resp := rec.Result()
	b, _ := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(strings.NewReader(string(b)))
	if strings.Contains(string(b), testSecret) {
		t.Fatalf("%s %s: the answer contains the secret key: %s", c.method, c.path, b)
	}
	for k, vs := range resp.Header {
		for _, v := range vs {
			if strings.Contains(v, testSecret) {
				t.Fatalf("%s %s: header %s contains the secret key", c.method, c.path, k)
			}
		}
	}
	if got := resp.Header.Get("Content-Security-Policy"); got != studio.ContentSecurityPolicy {
		t.Errorf("%s %s: Content-Security-Policy = %q", c.method, c.path, got)
	}
	return resp
}

func decode[T any](t *testing.T, resp *http.Response) T {
	t.Helper()
	var v T
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("answer is not the expected JSON: %v: %s", err, b)
	}
	return v
}

type errorAnswer struct {
	Error studio.APIError `json:"error"`
}

func post(path, body string) call {
	return call{method: http.MethodPost, path: path, headers: sameOrigin, body: body}
}

func TestAPIAcceptsOnlySameOriginJSONPosts(t *testing.T) {
	h := studioHandler(t)
	with := func(c call, k, v string) call {
		m := map[string]string{}
		for a, b := range c.headers {
			m[a] = b
		}
		if v == "" {
			delete(m, k)
		} else {
			m[k] = v
		}
		c.headers = m
		return c
	}
	ok := post("/api/discover", `{}`)
	tests := []struct {
		name     string
		call     call
		status   int
		wantCode string
	}{
		{"same-origin browser call", ok, 200, ""},
		{"no Origin or Sec-Fetch-Site (not a browser page)", with(with(ok, "Origin", ""), "Sec-Fetch-Site", ""), 200, ""},
		{"charset parameter", with(ok, "Content-Type", "application/json; charset=utf-8"), 200, ""},
		{"localhost host", func() call { c := with(ok, "Origin", "http://localhost:4000"); c.host = "localhost:4000"; return c }(), 200, ""},
		{"IPv6 loopback host", func() call { c := with(ok, "Origin", "http://[::1]:4000"); c.host = "[::1]:4000"; return c }(), 200, ""},
		{"GET", call{method: http.MethodGet, path: "/api/discover", headers: sameOrigin}, 405, "method_not_allowed"},
		{"no content type", with(ok, "Content-Type", ""), 415, "unsupported_media_type"},
		{"form post", with(ok, "Content-Type", "application/x-www-form-urlencoded"), 415, "unsupported_media_type"},
		{"text/plain (CORS-simple)", with(ok, "Content-Type", "text/plain"), 415, "unsupported_media_type"},
		{"cross-site fetch", with(ok, "Sec-Fetch-Site", "cross-site"), 403, "cross_origin"},
		{"same-site fetch", with(ok, "Sec-Fetch-Site", "same-site"), 403, "cross_origin"},
		{"other origin", with(ok, "Origin", "http://evil.example"), 403, "cross_origin"},
		{"other port", with(ok, "Origin", "http://127.0.0.1:5000"), 403, "cross_origin"},
		{"opaque origin", with(ok, "Origin", "null"), 403, "cross_origin"},
		{"other origin without Sec-Fetch-Site", with(with(ok, "Origin", "https://evil.example"), "Sec-Fetch-Site", ""), 403, "cross_origin"},
		{"rebound DNS name", func() call {
			c := with(ok, "Origin", "http://evil.example:4000")
			c.host = "evil.example:4000"
			return c
		}(), 403, "host_not_allowed"},
		{"unknown endpoint", post("/api/nope", `{}`), 404, "not_found"},
		{"body too large", post("/api/preview", `{"workflowId":"welcome-email","payload":{"x":"`+strings.Repeat("a", 4<<20)+`"}}`), 413, "body_too_large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := do(t, h, tt.call)
			if resp.StatusCode != tt.status {
				b, _ := io.ReadAll(resp.Body)
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, b)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
			if tt.wantCode != "" {
				if got := decode[errorAnswer](t, resp).Error.Code; got != tt.wantCode {
					t.Errorf("code = %q, want %q", got, tt.wantCode)
				}
			}
		})
	}
}

func TestAllowedHosts(t *testing.T) {
	h := studio.New(cloudsim.InProcess(newBridge(t), testSecret), studio.Options{AllowedHosts: []string{"DevBox"}})
	for _, tt := range []struct {
		host   string
		status int
	}{
		{"devbox:4000", 200},
		{"devbox.:4000", 200},
		{"studio.localhost:4000", 200},
		{"10.1.2.3:4000", 200},
		{"devbox.evil.example:4000", 403},
		{"localhost.evil.example", 403},
	} {
		t.Run(tt.host, func(t *testing.T) {
			c := post("/api/discover", `{}`)
			c.headers = map[string]string{"Content-Type": "application/json"}
			c.host = tt.host
			if resp := do(t, h, c); resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
		})
	}
}

func TestDiscover(t *testing.T) {
	resp := do(t, studioHandler(t), post("/api/discover", `{}`))
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	d := decode[studio.DiscoverResponse](t, resp)
	type step struct{ ID, Type, Providers string }
	type wf struct {
		ID, Name, Description, Severity string
		Tags                            []string
		Steps                           []step
	}
	var got []wf
	for _, w := range d.Workflows {
		g := wf{ID: w.WorkflowID, Name: w.Name, Description: w.Description, Severity: w.Severity, Tags: w.Tags}
		for _, s := range w.Steps {
			g.Steps = append(g.Steps, step{s.StepID, s.Type, strings.Join(s.Providers, ",")})
			if !json.Valid(s.ControlsSchema) || s.ControlsSchema[0] != '{' {
				t.Errorf("%s/%s: controls schema %s", w.WorkflowID, s.StepID, s.ControlsSchema)
			}
		}
		got = append(got, g)
	}
	want := []wf{
		{"welcome-email", "Welcome Email", "Conformance workflow #1", "none", []string{"conformance", "email"}, []step{{"send-email", "email", "resend"}}},
		{"digest-inapp-custom", "", "", "none", []string{}, []step{{"digest-step", "digest", ""}, {"inapp-step", "in_app", ""}, {"custom-step", "custom", ""}}},
		{"studio-channels", "Studio channels", "One step of each kind, for the Studio tests.", "high", []string{"studio", "test"},
			[]step{{"text-me", "sms", ""}, {"push-me", "push", ""}, {"wait", "delay", ""}, {"chat-me", "chat", ""}, {"limit", "throttle", ""}, {"sync", "custom", ""}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("discover (-want +got):\n%s", diff)
	}
	var payload struct {
		Required []string `json:"required"`
	}
	if err := json.Unmarshal(d.Workflows[0].PayloadSchema, &payload); err != nil || !cmp.Equal(payload.Required, []string{"name"}) {
		t.Errorf("welcome-email payload schema %s", d.Workflows[0].PayloadSchema)
	}
}

// outcome is the part of a step outcome the tests compare.
type outcome struct {
	StepID  string
	Skipped bool
	Outputs map[string]any
	Code    string
	Data    any
}

func outcomes(steps []studio.StepOutcome, keep ...string) []outcome {
	var out []outcome
	for _, s := range steps {
		o := outcome{StepID: s.StepID, Skipped: s.Skipped}
		if len(s.Outputs) > 0 {
			var all map[string]any
			_ = json.Unmarshal(s.Outputs, &all)
			if len(keep) > 0 {
				o.Outputs = map[string]any{}
				for _, k := range keep {
					if v, ok := all[k]; ok {
						o.Outputs[k] = v
					}
				}
			} else {
				o.Outputs = all
			}
		}
		if s.Error != nil {
			o.Code = s.Error.Code
			_ = json.Unmarshal(s.Error.Data, &o.Data)
		}
		out = append(out, o)
	}
	return out
}

func errs(path, message string) any {
	return []any{map[string]any{"path": path, "message": message}}
}

func TestPreview(t *testing.T) {
	h := studioHandler(t)
	twoEvents := `[{"id":"a","time":"2024-01-01T00:00:00.000Z","payload":{}},{"id":"b","time":"2024-01-01T00:01:00.000Z","payload":{}}]`
	tests := []struct {
		name string
		body string
		keep []string
		want []outcome
	}{
		{
			name: "controls and payload are rendered",
			body: `{"workflowId":"welcome-email","payload":{"name":"Ada","plan":"pro"},"subscriber":{"firstName":"Grace"},"controls":{"send-email":{"subject":"Hi {{payload.name}}"}}}`,
			keep: []string{"subject", "body"},
			want: []outcome{{StepID: "send-email", Outputs: map[string]any{"subject": "Hi Ada", "body": "<p>Hi Grace, thanks for joining pro.</p><p>Plan: pro</p>"}}},
		},
		{
			name: "missing payload fields are made up",
			body: `{"workflowId":"welcome-email"}`,
			keep: []string{"subject"},
			want: []outcome{{StepID: "send-email", Outputs: map[string]any{"subject": "Welcome, [placeholder]!"}}},
		},
		{
			name: "previews never skip",
			body: `{"workflowId":"welcome-email","payload":{"name":"Ada"},"controls":{"send-email":{"skipEmail":true}}}`,
			keep: []string{"subject"},
			want: []outcome{{StepID: "send-email", Outputs: map[string]any{"subject": "Welcome, Ada!"}}},
		},
		{
			name: "invalid controls are reported with their path",
			body: `{"workflowId":"welcome-email","payload":{"name":"Ada"},"controls":{"send-email":{"skipEmail":"yes"}}}`,
			want: []outcome{{StepID: "send-email", Code: "ExecutionStateControlInvalidError", Data: errs("/skipEmail", "must be boolean")}},
		},
		{
			name: "invalid payload is reported with its path",
			body: `{"workflowId":"welcome-email","payload":{"name":"Ada","plan":"gold"}}`,
			want: []outcome{{StepID: "send-email", Code: "ExecutionEventPayloadInvalidError", Data: errs("/plan", "must be equal to one of the allowed values")}},
		},
		{
			name: "digest events reach later steps",
			body: `{"workflowId":"digest-inapp-custom","payload":{"project":"apollo"},"digestEvents":` + twoEvents + `}`,
			keep: []string{"amount", "unit", "body", "eventCount", "label"},
			want: []outcome{
				{StepID: "digest-step", Outputs: map[string]any{"amount": 5.0, "unit": "minutes"}},
				{StepID: "inapp-step", Outputs: map[string]any{"body": "You have 2 new event(s) for apollo"}},
				{StepID: "custom-step", Outputs: map[string]any{"eventCount": 2.0, "label": "processed-apollo"}},
			},
		},
		{
			name: "without digest events the trigger is the one event",
			body: `{"workflowId":"digest-inapp-custom","payload":{"project":"apollo"}}`,
			keep: []string{"body"},
			want: []outcome{
				{StepID: "digest-step", Outputs: map[string]any{}},
				{StepID: "inapp-step", Outputs: map[string]any{"body": "You have 1 new event(s) for apollo"}},
				{StepID: "custom-step", Outputs: map[string]any{}},
			},
		},
		{
			name: "a failing step does not stop the others",
			body: `{"workflowId":"digest-inapp-custom","payload":{"project":"boom"},"controls":{"digest-step":{"amount":"five"}}}`,
			keep: []string{"label"},
			want: []outcome{
				{StepID: "digest-step", Code: "ExecutionStateControlInvalidError", Data: errs("/amount", "must be number")},
				{StepID: "inapp-step", Code: "StepExecutionFailedError"},
				{StepID: "custom-step", Outputs: map[string]any{"label": "processed-boom"}},
			},
		},
		{
			name: "every step type",
			body: `{"workflowId":"studio-channels","payload":{"user":{"name":"Lin"},"urgent":true},"controls":{"sync":{"options":{"retries":9}}}}`,
			keep: []string{"body", "subject", "amount", "unit", "threshold"},
			want: []outcome{
				{StepID: "text-me", Outputs: map[string]any{"body": "Your report is ready, Lin."}},
				{StepID: "push-me", Outputs: map[string]any{"subject": "Hello Lin", "body": "Your report is ready, Lin."}},
				{StepID: "wait", Outputs: map[string]any{"amount": 2.0, "unit": "hours"}},
				{StepID: "chat-me", Outputs: map[string]any{"body": "URGENT: Your report is ready, Lin."}},
				{StepID: "limit", Outputs: map[string]any{"amount": 1.0, "unit": "hours", "threshold": 3.0}},
				{StepID: "sync", Code: "ExecutionStateControlInvalidError", Data: errs("/options/retries", "must be <= 5")},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := do(t, h, post("/api/preview", tt.body))
			if resp.StatusCode != 200 {
				b, _ := io.ReadAll(resp.Body)
				t.Fatalf("status %d: %s", resp.StatusCode, b)
			}
			got := outcomes(decode[studio.PreviewResponse](t, resp).Steps, tt.keep...)
			for i := range got {
				if got[i].Code == "StepExecutionFailedError" {
					got[i].Data = nil // a stack in dev mode only; not compared
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("preview (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPreviewProviders(t *testing.T) {
	resp := do(t, studioHandler(t), post("/api/preview", `{"workflowId":"welcome-email","payload":{"name":"Ada"}}`))
	p := decode[studio.PreviewResponse](t, resp)
	var resend map[string]any
	if err := json.Unmarshal(p.Steps[0].Providers["resend"], &resend); err != nil {
		t.Fatalf("providers %v: %v", p.Steps[0].Providers, err)
	}
	if resend["subjectLength"] != float64(len("Welcome, Ada!")) {
		t.Errorf("resend override %v", resend)
	}
}

func TestRun(t *testing.T) {
	h := studioHandler(t)
	tests := []struct {
		name  string
		body  string
		keep  []string
		want  []outcome
		notes map[string]string // step id → start of its note
	}{
		{
			name: "a step asks to be skipped",
			body: `{"workflowId":"welcome-email","payload":{"name":"Ada"},"controls":{"send-email":{"skipEmail":true}}}`,
			want: []outcome{{StepID: "send-email", Skipped: true, Outputs: map[string]any{}}},
		},
		{
			name: "a step is executed",
			body: `{"workflowId":"welcome-email","payload":{"name":"Ada"},"controls":{"send-email":{"subject":"Run {{payload.name}}"}}}`,
			keep: []string{"subject"},
			want: []outcome{{StepID: "send-email", Outputs: map[string]any{"subject": "Run Ada"}}},
		},
		{
			name: "a required payload field is missing",
			body: `{"workflowId":"welcome-email","payload":{}}`,
			want: []outcome{{StepID: "send-email", Code: "ExecutionEventPayloadInvalidError", Data: errs("", "must have required property 'name'")}},
		},
		{
			name: "digest events are passed on",
			body: `{"workflowId":"digest-inapp-custom","payload":{"project":"apollo"},"digestEvents":[{"id":"a","time":"2024-01-01T00:00:00.000Z","payload":{}},{"id":"b","time":"2024-01-01T00:00:01.000Z","payload":{}},{"id":"c","time":"2024-01-01T00:00:02.000Z","payload":{}}]}`,
			keep: []string{"eventCount", "body"},
			want: []outcome{
				{StepID: "digest-step", Outputs: map[string]any{}},
				{StepID: "inapp-step", Outputs: map[string]any{"body": "You have 3 new event(s) for apollo"}},
				{StepID: "custom-step", Outputs: map[string]any{"eventCount": 3.0}},
			},
			notes: map[string]string{"digest-step": "would collect events"},
		},
		{
			name: "the run stops at a failing step",
			body: `{"workflowId":"digest-inapp-custom","payload":{"project":"boom"}}`,
			keep: []string{"amount"},
			want: []outcome{
				{StepID: "digest-step", Outputs: map[string]any{"amount": 5.0}},
				{StepID: "inapp-step", Code: "StepExecutionFailedError"},
			},
		},
		{
			name: "delay and throttle are reported",
			body: `{"workflowId":"studio-channels","payload":{"user":{"name":"Lin"}},"controls":{"wait":{"amount":3,"unit":"days"}}}`,
			keep: []string{"amount", "synced", "tries"},
			want: []outcome{
				{StepID: "text-me", Outputs: map[string]any{}},
				{StepID: "push-me", Outputs: map[string]any{}},
				{StepID: "wait", Outputs: map[string]any{"amount": 3.0}},
				{StepID: "chat-me", Outputs: map[string]any{}},
				{StepID: "limit", Outputs: map[string]any{"amount": 1.0}},
				// Without an "options" object its defaults are not filled in
				// (as with Ajv); the Studio's form always sends it.
				{StepID: "sync", Outputs: map[string]any{"synced": "crm/", "tries": 1.0}},
			},
			notes: map[string]string{"wait": "would wait", "limit": "would throttle"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := do(t, h, post("/api/run", tt.body))
			if resp.StatusCode != 200 {
				b, _ := io.ReadAll(resp.Body)
				t.Fatalf("status %d: %s", resp.StatusCode, b)
			}
			run := decode[studio.RunResponse](t, resp)
			got := outcomes(run.Steps, tt.keep...)
			for i := range got {
				if got[i].Code == "StepExecutionFailedError" {
					got[i].Data = nil
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("run (-want +got):\n%s", diff)
			}
			for _, s := range run.Steps {
				if want, ok := tt.notes[s.StepID]; ok && !strings.HasPrefix(s.Note, want) {
					t.Errorf("step %s note %q, want it to start with %q", s.StepID, s.Note, want)
				}
			}
			if run.WorkflowID == "" || run.DurationMS <= 0 {
				t.Errorf("run %q took %v ms", run.WorkflowID, run.DurationMS)
			}
		})
	}
}

func TestRequestErrors(t *testing.T) {
	h := studioHandler(t)
	tests := []struct {
		name, path, body string
		status           int
		code             string
	}{
		{"preview of an unknown workflow", "/api/preview", `{"workflowId":"nope"}`, 404, "workflow_not_found"},
		{"run of an unknown workflow", "/api/run", `{"workflowId":"nope"}`, 404, "workflow_not_found"},
		{"no workflow id", "/api/preview", `{}`, 400, "bad_request"},
		{"not JSON", "/api/run", `{"workflowId":`, 400, "bad_request"},
		{"unknown field", "/api/run", `{"workflowId":"welcome-email","payloadz":{}}`, 400, "bad_request"},
		{"payload not an object", "/api/preview", `{"workflowId":"welcome-email","payload":[1]}`, 400, "bad_request"},
		{"subscriber not an object", "/api/run", `{"workflowId":"welcome-email","subscriber":"ada"}`, 400, "bad_request"},
		{"digest events not a list", "/api/run", `{"workflowId":"digest-inapp-custom","digestEvents":{}}`, 400, "bad_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := do(t, h, post(tt.path, tt.body))
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if got := decode[errorAnswer](t, resp).Error; got.Code != tt.code || got.Message == "" {
				t.Errorf("error %+v, want code %q", got, tt.code)
			}
		})
	}
}

func TestBridgeRefusesTheKey(t *testing.T) {
	h := studio.Handler(cloudsim.InProcess(newBridge(t), "sk_wrong_key"))
	for _, path := range []string{"/api/discover", "/api/preview", "/api/run"} {
		t.Run(path, func(t *testing.T) {
			resp := do(t, h, post(path, `{"workflowId":"welcome-email"}`))
			if resp.StatusCode != http.StatusBadGateway {
				t.Fatalf("status %d, want 502", resp.StatusCode)
			}
			got := decode[errorAnswer](t, resp).Error
			if got.Status != 401 || got.Code != "SignatureMismatchError" {
				t.Errorf("error %+v", got)
			}
		})
	}
}

func TestBridgeUnreachableOrNotABridge(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, "<html>not a bridge</html>")
	}))
	t.Cleanup(page.Close)
	for _, tt := range []struct {
		name, url, code string
	}{
		{"nothing listens", closedURL + "/api/novu", "bridge_unreachable"},
		{"a web page answers", page.URL + "/api/novu", "bridge_unexpected_answer"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := studio.Handler(cloudsim.HTTP(tt.url, testSecret, nil))
			for _, path := range []string{"/api/discover", "/api/preview", "/api/run"} {
				resp := do(t, h, post(path, `{"workflowId":"welcome-email"}`))
				if resp.StatusCode != http.StatusBadGateway {
					t.Fatalf("%s: status %d, want 502", path, resp.StatusCode)
				}
				if got := decode[errorAnswer](t, resp).Error; got.Code != tt.code || got.Message == "" {
					t.Errorf("%s: error %+v, want code %s", path, got, tt.code)
				}
			}
		})
	}
}

func TestStaticFiles(t *testing.T) {
	h := studioHandler(t)
	tests := []struct {
		name, method, path string
		status             int
		ctype, contains    string
	}{
		{"page", "GET", "/", 200, "text/html; charset=utf-8", `<script type="module" src="app.js">`},
		{"index by name", "GET", "/index.html", 200, "text/html; charset=utf-8", "echofn Studio"},
		{"script", "GET", "/app.js", 200, "text/javascript; charset=utf-8", "api/preview"},
		{"form module", "GET", "/schemaform.js", 200, "text/javascript; charset=utf-8", "export function createEditor"},
		{"styles", "GET", "/studio.css", 200, "text/css; charset=utf-8", ".email-frame"},
		{"icon", "GET", "/icon.svg", 200, "image/svg+xml", "<svg"},
		{"head", "HEAD", "/app.js", 200, "text/javascript; charset=utf-8", ""},
		{"missing", "GET", "/nope.js", 404, "", ""},
		{"no directories", "GET", "/static/app.js", 404, "", ""},
		{"unknown kind", "GET", "/studio.go", 404, "", ""},
		{"post", "POST", "/", 405, "", ""},
		{"prefix without slash", "GET", "", 301, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := do(t, h, call{method: tt.method, path: tt.path})
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if tt.ctype != "" && resp.Header.Get("Content-Type") != tt.ctype {
				t.Errorf("Content-Type %q, want %q", resp.Header.Get("Content-Type"), tt.ctype)
			}
			b, _ := io.ReadAll(resp.Body)
			if !strings.Contains(string(b), tt.contains) {
				t.Errorf("body does not contain %q", tt.contains)
			}
			if tt.status == 301 && resp.Header.Get("Location") != "studio/" {
				t.Errorf("Location %q", resp.Header.Get("Location"))
			}
			for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"} {
				if got := resp.Header.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
		})
	}
}

func TestStaticPathsStayInside(t *testing.T) {
	h := studioHandler(t)
	for _, p := range []string{"/../studio.go", "/./app.js", "//app.js", "/.", "/app.js/"} {
		t.Run(p, func(t *testing.T) {
			req := httptest.NewRequest("GET", "http://127.0.0.1/", nil)
			req.URL.Path = p
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != 404 {
				t.Fatalf("status %d, want 404", rec.Code)
			}
		})
	}
}

// TestEmbeddedPageHasNoRemoteResources keeps the page free of CDNs and of
// inline scripts, which the Content-Security-Policy would block.
func TestEmbeddedPageHasNoRemoteResources(t *testing.T) {
	h := studioHandler(t)
	for _, path := range []string{"/", "/app.js", "/schemaform.js", "/render.js", "/studio.css"} {
		t.Run(path, func(t *testing.T) {
			resp := do(t, h, call{method: "GET", path: path})
			b, _ := io.ReadAll(resp.Body)
			s := string(b)
			for _, bad := range []string{"src=\"http", "href=\"http", "@import", "url(http", "import(\"http", "from 'http", "from \"http", "innerHTML", "eval("} {
				if strings.Contains(s, bad) {
					t.Errorf("%s contains %q", path, bad)
				}
			}
			if path == "/" && strings.Count(s, "<script") != 1 {
				t.Errorf("the page should load exactly one module script")
			}
		})
	}
}

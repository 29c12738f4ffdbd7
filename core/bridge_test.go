package core_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/core/signature"
)

const key = "sk_test_key"

type orderPayload struct {
	OrderID string   `json:"orderId" jsonschema:"required"`
	Items   []string `json:"items,omitempty"`
	Express bool     `json:"express,omitempty" jsonschema:"default=false"`
}

type smsControls struct {
	Text   string `json:"text" jsonschema:"default=Order {{payload.orderId}} has {{payload.items | size}} items"`
	Silent bool   `json:"silent,omitempty"`
}

type noteOutput struct {
	Note string `json:"note" jsonschema:"required"`
}

func testWorkflows(block chan struct{}) []*core.Workflow {
	return []*core.Workflow{
		core.NewWorkflow("order", core.WorkflowOptions{Tags: []string{"orders"}},
			core.Digest("batch", func(ctx context.Context, in core.Input[orderPayload, struct{}]) (core.DigestOutput, error) {
				return core.DigestOutput{Amount: 5, Unit: core.Minutes}, nil
			}),
			core.SMS("text", func(ctx context.Context, in core.Input[orderPayload, smsControls]) (core.SMSOutput, error) {
				d, _ := in.Steps.Digest("batch")
				return core.SMSOutput{Body: in.Controls.Text + " / " + strings.Repeat("*", len(d.Events))}, nil
			}, core.SkipIf(func(c smsControls) bool { return c.Silent })),
			core.Custom("note", func(ctx context.Context, in core.Input[orderPayload, struct{}]) (noteOutput, error) {
				switch in.Payload.OrderID {
				case "panic":
					panic("resolver bug")
				case "block":
					<-block
				case "refuse":
					return noteOutput{}, &core.Error{Status: 409, Code: "OrderLocked", Message: "order is locked"}
				case "fail":
					return noteOutput{}, errors.New("database unavailable")
				}
				return noteOutput{Note: "ok " + in.Payload.OrderID}, nil
			}),
		),
	}
}

type harness struct {
	t      *testing.T
	bridge *core.Bridge
	logs   *bytes.Buffer
}

func newHarness(t *testing.T, cfg core.Config) *harness {
	t.Helper()
	block := make(chan struct{})
	t.Cleanup(func() { close(block) })
	logs := &bytes.Buffer{}
	cfg.Logger = slog.New(slog.NewTextHandler(logs, nil))
	b, err := core.New(cfg, testWorkflows(block)...)
	if err != nil {
		t.Fatal(err)
	}
	return &harness{t, b, logs}
}

func (h *harness) do(method, query, body string, headers map[string]string) (int, map[string]any) {
	h.t.Helper()
	q, _ := url.ParseQuery(query)
	resp := h.bridge.Handle(context.Background(), &core.Request{
		Method: method, Query: q, Body: []byte(body),
		Header: func(name string) string { return headers[strings.ToLower(name)] },
	})
	var m map[string]any
	if err := json.Unmarshal(resp.Body, &m); err != nil {
		h.t.Fatalf("response is not JSON: %s", resp.Body)
	}
	return resp.Status, m
}

func (h *harness) signed(method, query, body, secret string) (int, map[string]any) {
	h.t.Helper()
	signed := []byte(body)
	if method != "POST" {
		signed = nil
	}
	return h.do(method, query, body, map[string]string{signature.Header: signature.Sign(secret, time.Now(), signed)})
}

const batchState = `{"stepId":"batch","outputs":{"events":[{"id":"1","time":"t","payload":{}},{"id":"2","time":"t","payload":{}}]},"state":{"status":"completed"}}`

func TestKeysAndDevMode(t *testing.T) {
	h := newHarness(t, core.Config{SecretKey: key, FallbackSecretKey: "sk_old"})
	tests := []struct {
		name   string
		secret string
		want   int
	}{
		{"current key", key, 200},
		{"fallback key", "sk_old", 200},
		{"other key", "sk_other", 401},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if status, body := h.signed("GET", "action=discover", "", tc.secret); status != tc.want {
				t.Fatalf("status %d: %v", status, body)
			}
		})
	}
	if status, _ := h.do("GET", "action=discover", "", nil); status != 401 {
		t.Fatalf("unsigned request: %d", status)
	}
	for _, secret := range []string{key, "sk_old", "sk_other"} {
		if strings.Contains(h.logs.String(), secret) {
			t.Fatalf("a secret key reached the log: %s", h.logs)
		}
	}
	if strings.Contains(h.logs.String(), "v1=") {
		t.Fatalf("a signature reached the log: %s", h.logs)
	}

	if _, err := core.New(core.Config{}); !errors.Is(err, core.ErrMissingSecretKey) {
		t.Fatalf("New without a key: %v", err)
	}
	dev := newHarness(t, core.Config{DevMode: true})
	if status, _ := dev.do("GET", "action=discover", "", nil); status != 200 {
		t.Fatalf("dev mode refused an unsigned request: %d", status)
	}
	if !strings.Contains(dev.logs.String(), "DEV MODE") {
		t.Fatal("dev mode was not announced in the log")
	}
}

func TestExecuteTypedWorkflow(t *testing.T) {
	h := newHarness(t, core.Config{SecretKey: key})
	const q = "action=execute&workflowId=order&stepId=text"
	tests := []struct {
		name, body string
		status     int
		check      func(t *testing.T, body map[string]any)
	}{
		{"defaults and liquid", `{"payload":{"orderId":"A1","items":["x","y","z"]},"controls":{},"state":[` + batchState + `],"subscriber":{}}`, 200,
			func(t *testing.T, body map[string]any) {
				if got := body["outputs"].(map[string]any)["body"]; got != "Order A1 has 3 items / **" {
					t.Fatalf("body %q", got)
				}
			}},
		{"skip", `{"payload":{"orderId":"A1"},"controls":{"silent":true},"state":[` + batchState + `],"subscriber":{}}`, 200,
			func(t *testing.T, body map[string]any) {
				if body["options"].(map[string]any)["skip"] != true {
					t.Fatalf("not skipped: %v", body)
				}
			}},
		{"required payload field", `{"payload":{"items":[]},"controls":{},"state":[],"subscriber":{}}`, 400,
			func(t *testing.T, body map[string]any) {
				want := []any{map[string]any{"path": "", "message": "must have required property 'orderId'"}}
				if body["code"] != core.CodeExecutionEventPayloadInvalid || !equalJSON(body["data"], want) {
					t.Fatalf("%v", body)
				}
			}},
		{"earlier step missing from state", `{"payload":{"orderId":"A1"},"controls":{},"state":[],"subscriber":{}}`, 400,
			func(t *testing.T, body map[string]any) {
				if body["code"] != core.CodeExecutionStateCorrupt {
					t.Fatalf("%v", body)
				}
			}},
		{"invalid JSON body", `{"payload":`, 400,
			func(t *testing.T, body map[string]any) {
				if body["code"] != core.CodeBridge {
					t.Fatalf("%v", body)
				}
			}},
		{"state not an array", `{"payload":{"orderId":"A1"},"controls":{},"state":{},"subscriber":{}}`, 400, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			status, body := h.signed("POST", q, tc.body, key)
			if status != tc.status {
				t.Fatalf("status %d, want %d: %v", status, tc.status, body)
			}
			if tc.check != nil {
				tc.check(t, body)
			}
		})
	}
}

// noteQuery and noteBody execute the note step of testWorkflows with
// orderId id.
const noteQuery = "action=execute&workflowId=order&stepId=note"

func noteBody(id string) string {
	return `{"payload":{"orderId":"` + id + `"},"controls":{},"state":[` + batchState + `,{"stepId":"text","outputs":{},"state":{"status":"completed"}}],"subscriber":{}}`
}

func TestResolverFailures(t *testing.T) {
	h := newHarness(t, core.Config{SecretKey: key, StepTimeout: 200 * time.Millisecond})
	tests := []struct {
		id, code string
		status   int
		message  string
	}{
		{"ok-1", "", 200, ""},
		{"panic", core.CodeStepExecutionFailed, 502, "Failed to execute Step with id: `note`: panic: resolver bug"},
		{"fail", core.CodeStepExecutionFailed, 502, "Failed to execute Step with id: `note`: database unavailable"},
		{"refuse", "OrderLocked", 409, "order is locked"},
		{"block", core.CodeStepExecutionFailed, 502, "Failed to execute Step with id: `note`: step did not finish: context deadline exceeded"},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			start := time.Now()
			status, resp := h.signed("POST", noteQuery, noteBody(tc.id), key)
			if status != tc.status {
				t.Fatalf("status %d, want %d: %v", status, tc.status, resp)
			}
			if tc.code != "" && (resp["code"] != tc.code || resp["message"] != tc.message) {
				t.Fatalf("got %v", resp)
			}
			if _, ok := resp["data"]; ok && status == 502 {
				t.Fatalf("internals in a production answer: %v", resp["data"])
			}
			if time.Since(start) > 3*time.Second {
				t.Fatalf("answer took %v", time.Since(start))
			}
		})
	}
	dev := newHarness(t, core.Config{DevMode: true})
	_, resp := dev.do("POST", noteQuery, noteBody("panic"), nil)
	stack, _ := resp["data"].(map[string]any)["stack"].(string)
	if !strings.Contains(stack, "bridge_test.go") {
		t.Fatalf("dev mode answer has no stack: %v", resp)
	}
}

// Steps stuck past their deadline are bounded: beyond the bound, no step
// is started (503) until enough of them return, while calls that run no
// step code are answered as usual.
func TestOverrunningStepsAreBounded(t *testing.T) {
	for _, bound := range []int{2, -1} {
		block := make(chan struct{})
		b, err := core.New(core.Config{SecretKey: key, StepTimeout: 50 * time.Millisecond, MaxOverrunningSteps: bound,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, testWorkflows(block)...)
		if err != nil {
			t.Fatal(err)
		}
		h := &harness{t, b, &bytes.Buffer{}}
		for range 2 {
			if status, resp := h.signed("POST", noteQuery, noteBody("block"), key); status != 502 {
				t.Fatalf("bound %d: a blocked step: status %d, want 502: %v", bound, status, resp)
			}
		}
		if n := b.OverrunningSteps(); n != 2 {
			t.Fatalf("bound %d: OverrunningSteps() = %d after two blocked steps, want 2", bound, n)
		}
		status, resp := h.signed("POST", noteQuery, noteBody("ok-1"), key)
		if bound < 0 {
			if status != 200 {
				t.Fatalf("no bound: status %d, want 200: %v", status, resp)
			}
			close(block)
			continue
		}
		want := "Too many steps are still running past their deadline (2); no step is started until fewer are. Please try again later."
		if status != 503 || resp["code"] != core.CodeBridge || resp["message"] != want {
			t.Fatalf("at the bound: status %d, %v; want 503 %s %q", status, resp, core.CodeBridge, want)
		}
		if status, resp := h.signed("POST", strings.Replace(noteQuery, "execute", "preview", 1), noteBody("ok-1"), key); status != 503 {
			t.Fatalf("a preview at the bound: status %d, want 503: %v", status, resp)
		}
		for _, q := range []string{"action=discover", "action=health-check"} {
			if status, resp := h.signed("GET", q, "", key); status != 200 {
				t.Fatalf("%s at the bound: status %d, want 200: %v", q, status, resp)
			}
		}
		close(block)
		for deadline := time.Now().Add(5 * time.Second); b.OverrunningSteps() != 0; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("OverrunningSteps() = %d 5 s after the steps were released", b.OverrunningSteps())
			}
		}
		if status, resp := h.signed("POST", noteQuery, noteBody("ok-1"), key); status != 200 {
			t.Fatalf("once the steps returned: status %d, want 200: %v", status, resp)
		}
	}
}

func TestBodyLimit(t *testing.T) {
	h := newHarness(t, core.Config{SecretKey: key, MaxBodyBytes: 64})
	big := `{"payload":{"orderId":"` + strings.Repeat("x", 100) + `"}}`
	status, resp := h.signed("POST", "action=execute&workflowId=order&stepId=batch", big, key)
	if status != 413 || resp["code"] != core.CodeBridge {
		t.Fatalf("status %d: %v", status, resp)
	}
}

func TestDefinitionErrors(t *testing.T) {
	email := func(ctx context.Context, in core.Input[orderPayload, smsControls]) (core.EmailOutput, error) {
		return core.EmailOutput{}, nil
	}
	tests := []struct {
		name string
		wf   *core.Workflow
		want string
	}{
		{"duplicate step", core.NewWorkflow("w", core.WorkflowOptions{}, core.Email("a", email), core.Email("a", email)), "already exists"},
		{"skip of another type", core.NewWorkflow("w", core.WorkflowOptions{}, core.Email("a", email, core.SkipIf(func(c orderPayload) bool { return false }))), "SkipIf takes"},
		{"unknown provider", core.NewWorkflow("w", core.WorkflowOptions{}, core.Email("a", email,
			core.WithProvider("slack", func(ctx context.Context, in core.Input[orderPayload, smsControls], o core.EmailOutput) (core.ProviderOutput, error) {
				return core.ProviderOutput{}, nil
			}))), `"slack" is not a email provider`},
		{"bad control schema", core.NewWorkflow("w", core.WorkflowOptions{}, core.Email("a", email, core.WithControlSchema([]byte(`{"type":"string"}`)))), "control schema"},
		{"bad payload schema", core.NewWorkflow[orderPayload]("w", core.WorkflowOptions{PayloadSchema: []byte(`{`)}), "payload schema"},
		{"no id", core.NewWorkflow[orderPayload]("", core.WorkflowOptions{}), "needs an id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := core.New(core.Config{SecretKey: key}, tc.wf)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
		})
	}
	w := core.NewWorkflow[orderPayload]("dup", core.WorkflowOptions{})
	if _, err := core.New(core.Config{SecretKey: key}, w, w); err == nil {
		t.Fatal("a duplicate workflow was accepted")
	}
}

func TestDiscoverDerivedSchemas(t *testing.T) {
	h := newHarness(t, core.Config{SecretKey: key})
	status, body := h.signed("GET", "action=discover", "", key)
	if status != 200 {
		t.Fatal(status)
	}
	wf := body["workflows"].([]any)[0].(map[string]any)
	payload := wf["payload"].(map[string]any)["schema"].(map[string]any)
	if !equalJSON(payload["required"], []any{"orderId"}) || payload["additionalProperties"] != false {
		t.Fatalf("payload schema %v", payload)
	}
	steps := wf["steps"].([]any)
	text := steps[1].(map[string]any)
	ctl := text["controls"].(map[string]any)["schema"].(map[string]any)["properties"].(map[string]any)["text"].(map[string]any)
	if ctl["default"] != "Order {{payload.orderId}} has {{payload.items | size}} items" {
		t.Fatalf("control default %v", ctl)
	}
	if steps[0].(map[string]any)["type"] != "digest" || steps[2].(map[string]any)["type"] != "custom" {
		t.Fatalf("step types %v", steps)
	}
	status, hc := h.do("GET", "", "", nil)
	if status != 200 || !equalJSON(hc["discovered"], map[string]any{"workflows": 1, "steps": 3}) {
		t.Fatalf("health %v", hc)
	}
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

// FuzzHandle feeds arbitrary requests to a bridge: it must answer every one
// with JSON and a status from its catalogue, and never panic.
func FuzzHandle(f *testing.F) {
	block := make(chan struct{})
	// Without a bound on blocked steps, so that executes keep running
	// step code however many have blocked.
	b, err := core.New(core.Config{DevMode: true, StepTimeout: 50 * time.Millisecond, MaxOverrunningSteps: -1,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, testWorkflows(block)...)
	if err != nil {
		f.Fatal(err)
	}
	f.Add("POST", "action=execute&workflowId=order&stepId=text", []byte(`{"payload":{"orderId":"A"},"controls":{"text":"{{payload.orderId | upcase}}"},"state":[`+batchState+`],"subscriber":{}}`))
	f.Add("POST", "action=preview&workflowId=order&stepId=note", []byte(`{"payload":{},"controls":{},"state":[]}`))
	f.Add("GET", "action=code&workflowId=order&stepId=batch", []byte(nil))
	f.Add("POST", "action=execute&workflowId=order&stepId=batch", []byte(`{"payload":{"orderId":1},"controls":[],"state":"x"}`))
	f.Add("POST", "action=execute&workflowId=order&stepId=text", []byte(`{"payload":{"orderId":"A"},"controls":{"text":"{% for x in payload.items %}{{x}}{% endfor %}{{"},"state":[`+batchState+`]}`))
	allowed := map[int]bool{200: true, 400: true, 404: true, 405: true, 409: true, 413: true, 501: true, 502: true, 503: true}
	f.Fuzz(func(t *testing.T, method, query string, body []byte) {
		q, _ := url.ParseQuery(query)
		resp := b.Handle(context.Background(), &core.Request{Method: method, Query: q, Body: body})
		if !allowed[resp.Status] {
			t.Fatalf("status %d for %s %s %q: %s", resp.Status, method, query, body, resp.Body)
		}
		if !json.Valid(resp.Body) {
			t.Fatalf("invalid JSON answer %q", resp.Body)
		}
	})
}

func TestSkipWhenAndProvidersSeeTheInput(t *testing.T) {
	type p struct {
		Phone string `json:"phone"`
	}
	wf := core.NewWorkflow("w", core.WorkflowOptions{},
		core.Push("push", func(ctx context.Context, in core.Input[p, struct{}]) (core.PushOutput, error) {
			return core.PushOutput{Subject: "s", Body: "<b>b</b>"}, nil
		},
			core.SkipWhen(func(ctx context.Context, in core.Input[p, struct{}]) (bool, error) {
				if in.Payload.Phone == "err" {
					return false, errors.New("lookup failed")
				}
				return in.Payload.Phone == "", nil
			}),
			core.WithProvider("fcm", func(ctx context.Context, in core.Input[p, struct{}], out core.PushOutput) (core.ProviderOutput, error) {
				return core.ProviderOutput{Fields: struct {
					To   string `json:"to"`
					Note string `json:"note"`
				}{in.Payload.Phone, "<" + out.Subject + ">"}}, nil
			})))
	b, err := core.New(core.Config{DevMode: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, wf)
	if err != nil {
		t.Fatal(err)
	}
	q := url.Values{"action": {"execute"}, "workflowId": {"w"}, "stepId": {"push"}}
	run := func(phone string) (int, string) {
		resp := b.Handle(context.Background(), &core.Request{Method: "POST", Query: q,
			Body: []byte(`{"payload":{"phone":"` + phone + `"},"controls":{},"state":[],"subscriber":{}}`)})
		return resp.Status, string(resp.Body)
	}
	if status, body := run(""); status != 200 || !strings.Contains(body, `"skip":true`) {
		t.Fatalf("%d %s", status, body)
	}
	if status, body := run("+1555"); status != 200 || !strings.Contains(body, `"providers":{"fcm":{"to":"+1555","note":"<s>"}}`) {
		t.Fatalf("%d %s", status, body)
	}
	if status, body := run("err"); status != 502 || !strings.Contains(body, "lookup failed") {
		t.Fatalf("%d %s", status, body)
	}
}

// The step timeout bounds all of a step's code together, so that a slow
// resolver followed by a slow provider cannot outlast Novu's call timeout.
func TestStepTimeoutCoversResolverAndProviders(t *testing.T) {
	const each = 150 * time.Millisecond
	wf := core.NewWorkflow("slow", core.WorkflowOptions{},
		core.Email("mail", func(ctx context.Context, in core.Input[orderPayload, smsControls]) (core.EmailOutput, error) {
			time.Sleep(each)
			return core.EmailOutput{Subject: "s", Body: "b"}, nil
		}, core.WithProvider("sendgrid", func(ctx context.Context, in core.Input[orderPayload, smsControls], o core.EmailOutput) (core.ProviderOutput, error) {
			select {
			case <-time.After(each):
				return core.ProviderOutput{}, nil
			case <-ctx.Done():
				return core.ProviderOutput{}, ctx.Err()
			}
		})))
	b, err := core.New(core.Config{SecretKey: key, StepTimeout: 200 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, wf)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t, b, &bytes.Buffer{}}
	start := time.Now()
	status, resp := h.signed("POST", "action=execute&workflowId=slow&stepId=mail", `{"payload":{"orderId":"1"},"controls":{},"state":[],"subscriber":{}}`, key)
	if status != 502 || !strings.Contains(fmt.Sprint(resp["message"]), "context deadline exceeded") {
		t.Fatalf("status %d: %v", status, resp)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Fatalf("the answer took %v", took)
	}
}

// TestRawQuery checks that a request carrying its query raw is answered as
// the same request with the query parsed.
func TestRawQuery(t *testing.T) {
	h := newHarness(t, core.Config{SecretKey: "sk"})
	sig := signature.Sign("sk", time.Now(), nil)
	header := func(name string) string {
		if strings.EqualFold(name, signature.Header) {
			return sig
		}
		return ""
	}
	for _, raw := range []string{
		"", "action=discover", "action=health-check", "action=nope", "action=disc%6Fver&action=execute",
		"action=code&workflowId=order&stepId=text", "action=code&workflowId=nope", "action=discover;x=1",
		"action=code&workflowId=order&stepId=%zz", "action=code&workflowId=order&workflowId=x&stepId=text", "action=code&workflowId=order&stepId=nope",
	} {
		parsed, _ := url.ParseQuery(raw)
		want := h.bridge.Handle(context.Background(), &core.Request{Method: "GET", Query: parsed, Header: header})
		got := h.bridge.Handle(context.Background(), &core.Request{Method: "GET", RawQuery: raw, Header: header})
		if raw == "action=code&workflowId=order&stepId=text" && want.Status != 200 {
			t.Fatalf("?%s: %d %s", raw, want.Status, want.Body)
		}
		if got.Status != want.Status || string(got.Body) != string(want.Body) {
			t.Errorf("?%s: raw %d %s, parsed %d %s", raw, got.Status, got.Body, want.Status, want.Body)
		}
	}
}

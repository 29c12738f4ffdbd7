package studio_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/echofn/echofn/cloudsim"
	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/internal/conformance"
	"github.com/echofn/echofn/studio"
)

// testSecret is the bridge's secret key in these tests; no Studio response
// may contain it.
const testSecret = "sk_test_studio_5f1c0ffee_never_in_a_page"

// ChannelsPayload is the payload of the "studio-channels" test workflow.
type ChannelsPayload struct {
	User   ChannelsUser `json:"user"`
	Urgent bool         `json:"urgent"`
}

// ChannelsUser is part of ChannelsPayload.
type ChannelsUser struct {
	Name string `json:"name"`
}

// TextControls are the controls of its sms, push and chat steps.
type TextControls struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

// WaitControls are the controls of its delay step.
type WaitControls struct {
	Amount int           `json:"amount"`
	Unit   core.TimeUnit `json:"unit"`
}

// LimitControls are the controls of its throttle step.
type LimitControls struct {
	Threshold int `json:"threshold"`
}

// SyncControls are the controls of its custom step.
type SyncControls struct {
	Target  string      `json:"target"`
	Options SyncOptions `json:"options"`
}

// SyncOptions is a nested control object.
type SyncOptions struct {
	Retries int    `json:"retries"`
	Mode    string `json:"mode"`
	DryRun  bool   `json:"dryRun"`
}

// SyncOutput is what its custom step returns.
type SyncOutput struct {
	Synced string `json:"synced"`
	Tries  int    `json:"tries"`
}

// channelsWorkflow has one step of most types, controls of every form field
// kind (text, enum, boolean, number, nested object) and a payload with
// nested objects, an array and required fields.
func channelsWorkflow() *core.Workflow {
	text := json.RawMessage(`{"type":"object","properties":{"title":{"type":"string","default":"Hello {{payload.user.name}}"},"body":{"type":"string","default":"Your report is ready, {{payload.user.name}}."}},"additionalProperties":false}`)
	return core.NewWorkflow("studio-channels",
		core.WorkflowOptions{
			Name:          "Studio channels",
			Description:   "One step of each kind, for the Studio tests.",
			Tags:          []string{"studio", "test"},
			Severity:      core.SeverityHigh,
			PayloadSchema: json.RawMessage(`{"type":"object","properties":{"user":{"type":"object","properties":{"name":{"type":"string","default":"Grace"}},"required":["name"]},"urgent":{"type":"boolean","default":false,"description":"Marks the message urgent."},"meta":{"type":"object","properties":{"source":{"type":"string"},"labels":{"type":"array","items":{"type":"string"}}},"required":["source"]}},"required":["user"],"additionalProperties":false}`),
		},
		core.SMS("text-me", func(ctx context.Context, in core.Input[ChannelsPayload, TextControls]) (core.SMSOutput, error) {
			return core.SMSOutput{Body: in.Controls.Body}, nil
		}, core.WithControlSchema(text)),
		core.Push("push-me", func(ctx context.Context, in core.Input[ChannelsPayload, TextControls]) (core.PushOutput, error) {
			return core.PushOutput{Subject: in.Controls.Title, Body: in.Controls.Body}, nil
		}, core.WithControlSchema(text)),
		core.Delay("wait", func(ctx context.Context, in core.Input[ChannelsPayload, WaitControls]) (core.DelayOutput, error) {
			return core.DelayOutput{Amount: in.Controls.Amount, Unit: in.Controls.Unit}, nil
		}, core.WithControlSchema(json.RawMessage(`{"type":"object","properties":{"amount":{"type":"integer","minimum":1,"default":2},"unit":{"type":"string","enum":["seconds","minutes","hours","days"],"default":"hours"}},"additionalProperties":false}`))),
		core.Chat("chat-me", func(ctx context.Context, in core.Input[ChannelsPayload, TextControls]) (core.ChatOutput, error) {
			body := in.Controls.Body
			if in.Payload.Urgent {
				body = "URGENT: " + body
			}
			return core.ChatOutput{Body: body}, nil
		}, core.WithControlSchema(text)),
		core.Throttle("limit", func(ctx context.Context, in core.Input[ChannelsPayload, LimitControls]) (core.ThrottleOutput, error) {
			return core.ThrottleOutput{Type: "fixed", Amount: 1, Unit: core.Hours, Threshold: in.Controls.Threshold}, nil
		}, core.WithControlSchema(json.RawMessage(`{"type":"object","properties":{"threshold":{"type":"integer","default":3}},"additionalProperties":false}`))),
		core.Custom("sync", func(ctx context.Context, in core.Input[ChannelsPayload, SyncControls]) (SyncOutput, error) {
			return SyncOutput{Synced: fmt.Sprintf("%s/%s", in.Controls.Target, in.Controls.Options.Mode), Tries: in.Controls.Options.Retries + 1}, nil
		}, core.WithControlSchema(json.RawMessage(`{"type":"object","properties":{"target":{"type":"string","default":"crm"},"options":{"type":"object","properties":{"retries":{"type":"integer","minimum":0,"maximum":5,"default":1},"mode":{"type":"string","enum":["fast","safe"],"default":"safe"},"dryRun":{"type":"boolean","default":true}},"additionalProperties":false}},"additionalProperties":false}`))),
	)
}

// newBridge serves the conformance workflows and the Studio's own test
// workflow.
func newBridge(t *testing.T) *core.Bridge {
	t.Helper()
	wfs := append(conformance.Workflows(), channelsWorkflow())
	b, err := core.New(core.Config{SecretKey: testSecret, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, wfs...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// newStudioServer mounts the Studio at /studio/ as `echofn dev` does.
func newStudioServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/studio/", http.StripPrefix("/studio", h))
	mux.Handle("/studio", http.StripPrefix("/studio", h))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func studioHandler(t *testing.T) http.Handler {
	return studio.Handler(cloudsim.InProcess(newBridge(t), testSecret))
}

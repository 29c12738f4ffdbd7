package core_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/core/signature"
)

// badJSON is an output whose JSON encoding panics.
type badJSON struct{ N int }

func (badJSON) MarshalJSON() ([]byte, error) { panic("marshal bug") }

// badPayload is a payload whose decoding panics: user code that runs on
// the request's own goroutine, before the step's.
type badPayload struct{ N int }

func (*badPayload) UnmarshalJSON([]byte) error { panic("unmarshal bug") }

type failingJSON struct{ N int }

func (failingJSON) MarshalJSON() ([]byte, error) { return nil, errors.New("marshal failed") }

// TestPanicInUserEncodingIsAnswered checks that a panic in user code that
// is not a step's resolver (a type's UnmarshalJSON or MarshalJSON) is
// answered with the bridge's error, never passed to the transport, which
// may not recover it (fasthttp does not; a worker would stop).
func TestPanicInUserEncodingIsAnswered(t *testing.T) {
	panics := core.NewWorkflow("panics", core.WorkflowOptions{},
		core.Custom("panics", func(ctx context.Context, in core.Input[struct{}, struct{}]) (badJSON, error) {
			return badJSON{1}, nil
		}))
	fails := core.NewWorkflow("fails", core.WorkflowOptions{},
		core.Custom("fails", func(ctx context.Context, in core.Input[struct{}, struct{}]) (failingJSON, error) {
			return failingJSON{1}, nil
		}))
	decode := core.NewWorkflow("decode", core.WorkflowOptions{},
		core.Custom("decode", func(ctx context.Context, in core.Input[badPayload, struct{}]) (struct{}, error) {
			return struct{}{}, nil
		}))
	var logs strings.Builder
	b, err := core.New(core.Config{SecretKey: "sk", Logger: slog.New(slog.NewTextHandler(&logs, nil))}, panics, fails, decode)
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []string{"panics", "fails", "decode"} {
		body := []byte(`{"payload":{"N":1},"controls":{},"state":[],"subscriber":{}}`)
		sig := signature.Sign("sk", time.Now(), body)
		var resp *core.Response
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Fatalf("%s: Handle panicked: %v", step, p)
				}
			}()
			resp = b.Handle(context.Background(), &core.Request{Method: "POST", RawQuery: "action=execute&workflowId=" + step + "&stepId=" + step,
				Header: func(string) string { return sig }, Body: body})
		}()
		if resp.Status < 500 || !strings.Contains(string(resp.Body), "marshal") {
			t.Errorf("%s: %d %s, want a 5xx answer that names the failure", step, resp.Status, resp.Body)
		}
	}
	if !strings.Contains(logs.String(), "panic: marshal bug") || !strings.Contains(logs.String(), "panic: unmarshal bug") {
		t.Errorf("the panic was not logged:\n%s", logs.String())
	}
}

package cloudsim_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/echofn/echofn/cloudsim"
	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/core/nethttp"
	"github.com/echofn/echofn/internal/conformance"
)

func bridge(t *testing.T) *core.Bridge {
	t.Helper()
	b, err := core.New(core.Config{SecretKey: conformance.Secret, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, conformance.Workflows()...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRunOverHTTPAndInProcess(t *testing.T) {
	b := bridge(t)
	srv := httptest.NewServer(nethttp.Handler(b))
	defer srv.Close()
	transports := map[string]cloudsim.Transport{
		"http":       cloudsim.HTTP(srv.URL, conformance.Secret, nil),
		"in-process": cloudsim.InProcess(b, conformance.Secret),
	}
	for name, tr := range transports {
		t.Run(name, func(t *testing.T) {
			c := &cloudsim.Client{Transport: tr}
			run, err := c.Run(context.Background(), "digest-inapp-custom", cloudsim.Trigger{
				Payload: json.RawMessage(`{"project":"apollo"}`),
				DigestEvents: []cloudsim.DigestEvent{
					{ID: "a", Time: "2024-01-01T00:00:00.000Z", Payload: json.RawMessage(`{}`)},
					{ID: "b", Time: "2024-01-01T00:00:01.000Z", Payload: json.RawMessage(`{}`)},
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			if f := run.Failed(); f != nil {
				t.Fatalf("step %s failed: %v", f.StepID, f.Err)
			}
			if len(run.Steps) != 3 {
				t.Fatalf("ran %d steps, want 3", len(run.Steps))
			}
			var custom struct {
				Label      string `json:"label"`
				EventCount int    `json:"eventCount"`
			}
			if err := json.Unmarshal(run.Steps[2].Result.Outputs, &custom); err != nil {
				t.Fatal(err)
			}
			if custom.Label != "processed-apollo" || custom.EventCount != 2 {
				t.Fatalf("custom step outputs %s", run.Steps[2].Result.Outputs)
			}
		})
	}
}

func TestRunSkipAndErrors(t *testing.T) {
	c := &cloudsim.Client{Transport: cloudsim.InProcess(bridge(t), conformance.Secret)}
	run, err := c.Run(context.Background(), "welcome-email", cloudsim.Trigger{
		Payload:  json.RawMessage(`{"name":"Ada"}`),
		Controls: map[string]json.RawMessage{"send-email": json.RawMessage(`{"skipEmail":true}`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !run.Steps[0].Skipped {
		t.Fatal("the email step was not skipped")
	}
	run, err = c.Run(context.Background(), "welcome-email", cloudsim.Trigger{Payload: json.RawMessage(`{}`)})
	if err != nil {
		t.Fatal(err)
	}
	var be *cloudsim.BridgeError
	if f := run.Failed(); f == nil || !errors.As(f.Err, &be) || be.Code != core.CodeExecutionEventPayloadInvalid || be.Status != 400 {
		t.Fatalf("want a payload error, got %+v", run.Steps)
	}
	if _, err := c.Run(context.Background(), "nope", cloudsim.Trigger{}); !errors.Is(err, cloudsim.ErrWorkflowNotFound) {
		t.Fatalf("err = %v", err)
	}
	wrong := &cloudsim.Client{Transport: cloudsim.InProcess(bridge(t), "sk_wrong")}
	if _, err := wrong.Discover(context.Background()); !errors.As(err, &be) || be.Status != 401 {
		t.Fatalf("wrong key: err = %v", err)
	}
}

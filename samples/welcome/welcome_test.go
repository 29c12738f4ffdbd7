package welcome_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/echofn/echofn/cloudsim"
	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/samples/welcome"
)

// run runs the workflow end to end, signed, as Novu Cloud would.
func run(t *testing.T, trigger cloudsim.Trigger) *cloudsim.Run {
	t.Helper()
	c, err := cloudsim.Local(welcome.Workflow())
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Run(context.Background(), welcome.ID, trigger)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func outputs[T any](t *testing.T, s cloudsim.StepRun) T {
	t.Helper()
	var out T
	if s.Err != nil {
		t.Fatalf("step %s failed: %v", s.StepID, s.Err)
	}
	if err := json.Unmarshal(s.Result.Outputs, &out); err != nil {
		t.Fatalf("step %s: %v", s.StepID, err)
	}
	return out
}

const dashboard = `"dashboardUrl":"https://app.example.com/start"`

func TestWelcome(t *testing.T) {
	tests := []struct {
		name       string
		trigger    cloudsim.Trigger
		subject    string
		bodyHas    []string
		bodyHasNot []string
		inbox      core.InAppOutput
	}{
		{
			name: "defaults with the subscriber's name",
			trigger: cloudsim.Trigger{
				Payload:    json.RawMessage(`{"appName":"Orbit","plan":"pro","trialDays":14,` + dashboard + `}`),
				Subscriber: json.RawMessage(`{"subscriberId":"u1","firstName":"Ada"}`),
			},
			subject: "Welcome to Orbit, Ada!",
			bodyHas: []string{"<h1>Hi Ada, welcome aboard</h1>", "Your pro workspace on Orbit is ready.",
				"Your trial ends in 14 days.", `href="https://app.example.com/start"`, "Open your dashboard"},
			inbox: core.InAppOutput{
				Subject: "Welcome aboard, Ada",
				Body:    "Finish setting up Orbit: invite your team and create your first project.",
				PrimaryAction: &core.InAppAction{Label: "Get started",
					Redirect: &core.Redirect{URL: "https://app.example.com/start", Target: "_blank"}},
				Data: map[string]any{"plan": "pro"},
			},
		},
		{
			name:       "payload defaults and no first name",
			trigger:    cloudsim.Trigger{Payload: json.RawMessage(`{` + dashboard + `}`)},
			subject:    "Welcome to Acme, there!",
			bodyHas:    []string{"Hi there, welcome aboard", "Your free workspace on Acme"},
			bodyHasNot: []string{"trial"},
			inbox: core.InAppOutput{
				Subject: "Welcome aboard, there",
				Body:    "Finish setting up Acme: invite your team and create your first project.",
				PrimaryAction: &core.InAppAction{Label: "Get started",
					Redirect: &core.Redirect{URL: "https://app.example.com/start", Target: "_blank"}},
				Data: map[string]any{"plan": "free"},
			},
		},
		{
			name: "controls edited in the dashboard",
			trigger: cloudsim.Trigger{
				Payload:    json.RawMessage(`{"trialDays":30,` + dashboard + `}`),
				Subscriber: json.RawMessage(`{"firstName":"Grace"}`),
				Controls: map[string]json.RawMessage{
					"welcome-email": json.RawMessage(`{"subject":"{{subscriber.firstName}}, your {{payload.appName}} account is live","showTrial":false}`),
					"welcome-inbox": json.RawMessage(`{"actionLabel":"Take the tour"}`),
				},
			},
			subject:    "Grace, your Acme account is live",
			bodyHas:    []string{"Hi Grace, welcome aboard"},
			bodyHasNot: []string{"trial"},
			inbox: core.InAppOutput{
				Subject: "Welcome aboard, Grace",
				Body:    "Finish setting up Acme: invite your team and create your first project.",
				PrimaryAction: &core.InAppAction{Label: "Take the tour",
					Redirect: &core.Redirect{URL: "https://app.example.com/start", Target: "_blank"}},
				Data: map[string]any{"plan": "free"},
			},
		},
		{
			name: "markup in a name is escaped",
			trigger: cloudsim.Trigger{
				Payload:    json.RawMessage(`{` + dashboard + `}`),
				Subscriber: json.RawMessage(`{"firstName":"<img src=x onerror=alert(1)>"}`),
			},
			subject:    "Welcome to Acme, <img src=\"x\" />!",
			bodyHas:    []string{"Hi &lt;img src=x onerror=alert(1)&gt;, welcome aboard"},
			bodyHasNot: []string{"onerror=alert(1)>"},
			inbox: core.InAppOutput{
				Subject: "Welcome aboard, <img src=\"x\" />",
				Body:    "Finish setting up Acme: invite your team and create your first project.",
				PrimaryAction: &core.InAppAction{Label: "Get started",
					Redirect: &core.Redirect{URL: "https://app.example.com/start", Target: "_blank"}},
				Data: map[string]any{"plan": "free"},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, tc.trigger)
			if len(r.Steps) != 2 {
				t.Fatalf("ran %d steps, want 2", len(r.Steps))
			}
			email := outputs[core.EmailOutput](t, r.Steps[0])
			if email.Subject != tc.subject {
				t.Errorf("subject = %q, want %q", email.Subject, tc.subject)
			}
			for _, s := range tc.bodyHas {
				if !strings.Contains(email.Body, s) {
					t.Errorf("email body lacks %q:\n%s", s, email.Body)
				}
			}
			for _, s := range tc.bodyHasNot {
				if strings.Contains(email.Body, s) {
					t.Errorf("email body has %q:\n%s", s, email.Body)
				}
			}
			inbox := outputs[core.InAppOutput](t, r.Steps[1])
			if diff := cmp.Diff(tc.inbox, inbox); diff != "" {
				t.Errorf("inbox outputs (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWelcomeRejectsBadPayloads(t *testing.T) {
	tests := []struct {
		name    string
		payload string
		path    string
		message string
	}{
		{"no dashboard URL", `{"appName":"Orbit"}`, "", "must have required property 'dashboardUrl'"},
		{"unknown plan", `{"plan":"gold",` + dashboard + `}`, "/plan", "must be equal to one of the allowed values"},
		{"trial too long", `{"trialDays":365,` + dashboard + `}`, "/trialDays", "must be <= 90"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, cloudsim.Trigger{Payload: json.RawMessage(tc.payload)})
			var be *cloudsim.BridgeError
			f := r.Failed()
			if f == nil || !errors.As(f.Err, &be) {
				t.Fatalf("the run did not fail: %+v", r.Steps)
			}
			if be.Status != 400 || be.Code != core.CodeExecutionEventPayloadInvalid {
				t.Errorf("got %d %s, want 400 %s", be.Status, be.Code, core.CodeExecutionEventPayloadInvalid)
			}
			var data []struct{ Path, Message string }
			if err := json.Unmarshal(be.Data, &data); err != nil {
				t.Fatalf("data %s: %v", be.Data, err)
			}
			want := []struct{ Path, Message string }{{tc.path, tc.message}}
			if diff := cmp.Diff(want, data); diff != "" {
				t.Errorf("validation errors (-want +got):\n%s", diff)
			}
		})
	}
}

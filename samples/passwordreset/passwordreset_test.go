package passwordreset_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/echofn/echofn/cloudsim"
	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/samples/passwordreset"
)

func run(t *testing.T, trigger cloudsim.Trigger) *cloudsim.Run {
	t.Helper()
	c, err := cloudsim.Local(passwordreset.Workflow())
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Run(context.Background(), passwordreset.ID, trigger)
	if err != nil {
		t.Fatal(err)
	}
	if f := r.Failed(); f != nil {
		t.Fatalf("step %s failed: %v", f.StepID, f.Err)
	}
	return r
}

const payload = `{"code":"482913","resetUrl":"https://app.example.com/reset?c=482913","requestedFrom":"Firefox on Linux, Berlin"}`

func TestPasswordReset(t *testing.T) {
	tests := []struct {
		name       string
		subscriber string
		controls   map[string]json.RawMessage
		sms        *core.SMSOutput // nil: skipped
		subject    string          // "": email skipped
		emailHas   []string
		emailLacks []string
	}{
		{
			name:       "phone: SMS only",
			subscriber: `{"subscriberId":"u1","phone":"+4915112345678","email":"ada@example.com"}`,
			sms:        &core.SMSOutput{Body: "482913 is your password reset code. It expires in 15 minutes."},
		},
		{
			name:       "no phone: email instead",
			subscriber: `{"subscriberId":"u2","firstName":"Grace","email":"grace@example.com"}`,
			subject:    "Your password reset code: 482913",
			emailHas: []string{"Hi Grace,", "from Firefox on Linux, Berlin.", ">482913</strong>",
				`href="https://app.example.com/reset?c=482913"`, "expires in 15 minutes"},
		},
		{
			name:       "an empty phone number is no number",
			subscriber: `{"subscriberId":"u3","phone":"","email":"linus@example.com"}`,
			subject:    "Your password reset code: 482913",
			emailHas:   []string{"Hi there,", ">482913</strong>"},
		},
		{
			name:       "editor sends the email always, without the code",
			subscriber: `{"phone":"+4915112345678"}`,
			controls: map[string]json.RawMessage{
				"sms":   json.RawMessage(`{"webOtpDomain":"app.example.com"}`),
				"email": json.RawMessage(`{"send":"always","showCode":false}`),
			},
			sms:        &core.SMSOutput{Body: "482913 is your password reset code. It expires in 15 minutes.\n\n@app.example.com #482913"},
			subject:    "Reset your password",
			emailHas:   []string{"Hi there,", "Reset your password</a>"},
			emailLacks: []string{"482913</strong>"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, cloudsim.Trigger{Payload: json.RawMessage(payload), Subscriber: json.RawMessage(tc.subscriber), Controls: tc.controls})
			sms, email := r.Steps[0], r.Steps[1]
			if sms.Skipped != (tc.sms == nil) {
				t.Fatalf("sms skipped = %v, want %v", sms.Skipped, tc.sms == nil)
			}
			if tc.sms != nil {
				var got core.SMSOutput
				if err := json.Unmarshal(sms.Result.Outputs, &got); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(*tc.sms, got); diff != "" {
					t.Errorf("sms (-want +got):\n%s", diff)
				}
			}
			if email.Skipped != (tc.subject == "") {
				t.Fatalf("email skipped = %v, want %v", email.Skipped, tc.subject == "")
			}
			if tc.subject == "" {
				return
			}
			var got core.EmailOutput
			if err := json.Unmarshal(email.Result.Outputs, &got); err != nil {
				t.Fatal(err)
			}
			if got.Subject != tc.subject {
				t.Errorf("subject = %q, want %q", got.Subject, tc.subject)
			}
			for _, s := range tc.emailHas {
				if !strings.Contains(got.Body, s) {
					t.Errorf("email lacks %q:\n%s", s, got.Body)
				}
			}
			for _, s := range tc.emailLacks {
				if strings.Contains(got.Body, s) {
					t.Errorf("email has %q:\n%s", s, got.Body)
				}
			}
		})
	}
}

func TestPasswordResetRefusesBadInput(t *testing.T) {
	tests := []struct {
		name     string
		payload  string
		controls map[string]json.RawMessage
		code     string
		path     string
	}{
		{"code with letters", `{"code":"48a913","resetUrl":"https://x.example"}`, nil, core.CodeExecutionEventPayloadInvalid, "/code"},
		{"reset URL that is no URL", `{"code":"482913","resetUrl":"reset here"}`, nil, core.CodeExecutionEventPayloadInvalid, "/resetUrl"},
		{"unknown send mode", `{"code":"482913","resetUrl":"https://x.example"}`,
			map[string]json.RawMessage{"email": json.RawMessage(`{"send":"never"}`)},
			core.CodeExecutionStateControlInvalid, "/send"},
		{"autofill domain that is no host name", `{"code":"482913","resetUrl":"https://x.example"}`,
			map[string]json.RawMessage{"sms": json.RawMessage(`{"webOtpDomain":"https://app.example.com"}`)},
			core.CodeExecutionStateControlInvalid, "/webOtpDomain"},
	}
	c, err := cloudsim.Local(passwordreset.Workflow())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := c.Run(context.Background(), passwordreset.ID, cloudsim.Trigger{
				Payload:    json.RawMessage(tc.payload),
				Subscriber: json.RawMessage(`{}`),
				Controls:   tc.controls,
			})
			if err != nil {
				t.Fatal(err)
			}
			var be *cloudsim.BridgeError
			if f := r.Failed(); f == nil || !errors.As(f.Err, &be) {
				t.Fatalf("the run did not fail: %+v", r.Steps)
			}
			var data []struct{ Path string }
			_ = json.Unmarshal(be.Data, &data)
			if be.Status != 400 || be.Code != tc.code || len(data) != 1 || data[0].Path != tc.path {
				t.Errorf("got %d %s %s, want 400 %s at %s", be.Status, be.Code, be.Data, tc.code, tc.path)
			}
		})
	}
}

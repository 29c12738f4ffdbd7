// Package passwordreset is a sample one-time code workflow: the code goes
// by SMS to subscribers with a phone number, and by email to the others (or
// to everyone, if an editor says so).
//
// It shows typed controls (an enum, a boolean, a validated host name) and
// steps skipped from data of the run: core.SkipWhen reads the subscriber's
// phone number from the step's input, together with the controls editors
// set.
package passwordreset

import (
	"bytes"
	"context"
	"fmt"
	"html/template"

	"github.com/echofn/echofn/core"
)

// ID is the workflow id, the name it is triggered by.
const ID = "password-reset"

// Payload is what the trigger sends. The code is made and checked by your
// application; the workflow only delivers it.
type Payload struct {
	Code             string `json:"code" jsonschema:"required,pattern=^[0-9]{6}$,description=The six-digit one-time code"`
	ResetURL         string `json:"resetUrl" jsonschema:"required,format=uri,description=Link that opens the reset form with the code filled in"`
	ExpiresInMinutes int    `json:"expiresInMinutes" jsonschema:"minimum=1,maximum=1440,default=15"`
	RequestedFrom    string `json:"requestedFrom,omitempty" jsonschema:"description=Where the request came from\\, such as 'Firefox on Linux\\, Berlin'"`
}

// SMSControls are the editable parts of the text message.
type SMSControls struct {
	Body string `json:"body" jsonschema:"default={{payload.code}} is your password reset code. It expires in {{payload.expiresInMinutes}} minutes."`
	// WebOTPDomain, when set, adds the "@domain #code" line that lets
	// browsers on that site fill the code in by themselves.
	WebOTPDomain string `json:"webOtpDomain,omitempty" jsonschema:"format=hostname,description=Your site's host name for browser autofill; empty for none"`
}

// Email delivery modes.
const (
	SendWhenNoPhone = "when-no-phone" // email only subscribers the SMS cannot reach
	SendAlways      = "always"        // email everyone, SMS or not
)

// EmailControls are the editable parts of the fallback email.
type EmailControls struct {
	Subject string `json:"subject" jsonschema:"default=Your password reset code: {{payload.code}}"`
	Send    string `json:"send" jsonschema:"enum=when-no-phone,enum=always,default=when-no-phone,description=Who gets the email"`
	// ShowCode puts the code in the email; turn it off to send only the
	// link.
	ShowCode bool `json:"showCode" jsonschema:"default=true"`
}

// Workflow returns the password reset workflow.
func Workflow() *core.Workflow {
	return core.NewWorkflow(ID,
		core.WorkflowOptions{
			Name:        "Password reset code",
			Description: "A one-time code by SMS, with email as the fallback.",
			Tags:        []string{"security", "transactional"},
			Severity:    core.SeverityHigh,
		},
		core.SMS("sms", sendSMS, core.SkipWhen(noPhone)),
		core.Email("email", sendEmail, core.SkipWhen(smsReaches)),
	)
}

// noPhone skips the SMS for subscribers without a phone number.
func noPhone(ctx context.Context, in core.Input[Payload, SMSControls]) (bool, error) {
	return in.Subscriber.Phone == "", nil
}

// smsReaches skips the email when the SMS reaches the subscriber, unless
// an editor chose to send it always.
func smsReaches(ctx context.Context, in core.Input[Payload, EmailControls]) (bool, error) {
	return in.Controls.Send == SendWhenNoPhone && in.Subscriber.Phone != "", nil
}

func sendSMS(ctx context.Context, in core.Input[Payload, SMSControls]) (core.SMSOutput, error) {
	body := in.Controls.Body
	if d := in.Controls.WebOTPDomain; d != "" {
		body += "\n\n@" + d + " #" + in.Payload.Code
	}
	return core.SMSOutput{Body: body}, nil
}

func sendEmail(ctx context.Context, in core.Input[Payload, EmailControls]) (core.EmailOutput, error) {
	subject := in.Controls.Subject
	if !in.Controls.ShowCode {
		subject = "Reset your password"
	}
	var body bytes.Buffer
	if err := emailHTML.Execute(&body, map[string]any{"In": in, "ShowCode": in.Controls.ShowCode}); err != nil {
		return core.EmailOutput{}, err
	}
	return core.EmailOutput{
		Subject:   subject,
		Body:      body.String(),
		Preheader: fmt.Sprintf("The code expires in %d minutes.", in.Payload.ExpiresInMinutes),
	}, nil
}

var emailHTML = template.Must(template.New("reset").Parse(`<!DOCTYPE html>
<html><body style="font-family: sans-serif; color: #1f2933">
<p>Hi {{or .In.Subscriber.FirstName "there"}},</p>
<p>We received a request to reset your password{{with .In.Payload.RequestedFrom}} from {{.}}{{end}}.</p>
{{if .ShowCode}}<p>Your code: <strong style="font-size: 24px; letter-spacing: 4px">{{.In.Payload.Code}}</strong></p>{{end}}
<p><a href="{{.In.Payload.ResetURL}}">Reset your password</a>. The link expires in {{.In.Payload.ExpiresInMinutes}} minutes.</p>
<p>If you did not ask for this, ignore this email: your password stays as it is.</p>
</body></html>`))

// Package welcome is a sample onboarding workflow: a welcome email, then a
// message in the subscriber's Inbox that leads to the dashboard.
//
// Copy this folder into your project, rename the package and edit the
// texts: every text is a control with a default, so editors can change it
// from the Novu dashboard without a deploy.
package welcome

import (
	"bytes"
	"context"
	"html/template"

	"github.com/echofn/echofn/core"
)

// ID is the workflow id, the name it is triggered by.
const ID = "welcome-onboarding"

// Payload is what the trigger sends.
type Payload struct {
	AppName      string `json:"appName" jsonschema:"default=Acme,description=Product name used in the messages"`
	Plan         string `json:"plan" jsonschema:"enum=free,enum=pro,enum=team,default=free"`
	DashboardURL string `json:"dashboardUrl" jsonschema:"required,format=uri,description=Where the subscriber starts"`
	TrialDays    int    `json:"trialDays,omitempty" jsonschema:"minimum=0,maximum=90,description=Days left in the trial; 0 for none"`
}

// EmailControls are the editable parts of the welcome email. Defaults are
// Liquid templates over the payload and the subscriber.
type EmailControls struct {
	Subject    string `json:"subject" jsonschema:"default=Welcome to {{payload.appName}}\\, {{subscriber.firstName | default: 'there'}}!"`
	Heading    string `json:"heading" jsonschema:"default=Hi {{subscriber.firstName | default: 'there'}}\\, welcome aboard"`
	Intro      string `json:"intro" jsonschema:"default=Your {{payload.plan}} workspace on {{payload.appName}} is ready. Three things to do first:"`
	ButtonText string `json:"buttonText" jsonschema:"default=Open your dashboard"`
	// ShowTrial adds a line about the trial when the payload has trial days.
	ShowTrial bool `json:"showTrial" jsonschema:"default=true"`
}

// InboxControls are the editable parts of the Inbox message.
type InboxControls struct {
	Subject     string `json:"subject" jsonschema:"default=Welcome aboard\\, {{subscriber.firstName | default: 'there'}}"`
	Body        string `json:"body" jsonschema:"default=Finish setting up {{payload.appName}}: invite your team and create your first project."`
	ActionLabel string `json:"actionLabel" jsonschema:"default=Get started"`
}

// Workflow returns the onboarding workflow.
func Workflow() *core.Workflow {
	return core.NewWorkflow(ID,
		core.WorkflowOptions{
			Name:        "Welcome and onboarding",
			Description: "Welcome email, then an Inbox message with the first steps.",
			Tags:        []string{"onboarding"},
		},
		core.Email("welcome-email", welcomeEmail),
		core.InApp("welcome-inbox", welcomeInbox),
	)
}

func welcomeEmail(ctx context.Context, in core.Input[Payload, EmailControls]) (core.EmailOutput, error) {
	var body bytes.Buffer
	err := emailHTML.Execute(&body, map[string]any{
		"Controls":  in.Controls,
		"Payload":   in.Payload,
		"ShowTrial": in.Controls.ShowTrial && in.Payload.TrialDays > 0,
		"Steps":     []string{"Invite your team", "Create your first project", "Connect your notifications"},
	})
	if err != nil {
		return core.EmailOutput{}, err
	}
	return core.EmailOutput{
		Subject:   in.Controls.Subject,
		Body:      body.String(),
		Preheader: in.Controls.Intro,
	}, nil
}

func welcomeInbox(ctx context.Context, in core.Input[Payload, InboxControls]) (core.InAppOutput, error) {
	return core.InAppOutput{
		Subject: in.Controls.Subject,
		Body:    in.Controls.Body,
		PrimaryAction: &core.InAppAction{
			Label:    in.Controls.ActionLabel,
			Redirect: &core.Redirect{URL: in.Payload.DashboardURL},
		},
		Data: map[string]any{"plan": in.Payload.Plan},
	}, nil
}

// emailHTML escapes every value it is given, so a subscriber's name or an
// editor's text can never inject markup.
var emailHTML = template.Must(template.New("welcome").Parse(`<!DOCTYPE html>
<html><body style="font-family: sans-serif; color: #1f2933">
<h1>{{.Controls.Heading}}</h1>
<p>{{.Controls.Intro}}</p>
<ol>{{range .Steps}}<li>{{.}}</li>{{end}}</ol>
{{if .ShowTrial}}<p>Your trial ends in {{.Payload.TrialDays}} days.</p>{{end}}
<p><a href="{{.Payload.DashboardURL}}" style="background: #3b5bdb; color: #fff; padding: 10px 16px; border-radius: 4px; text-decoration: none">{{.Controls.ButtonText}}</a></p>
</body></html>`))

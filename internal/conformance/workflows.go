// Package conformance holds the workflows of the reference bridge written
// with core, and the table of signed requests that every transport of this
// project must answer the way the reference SDK does.
package conformance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf16"

	"github.com/echofn/echofn/core"
)

// WelcomePayload is the payload of the "welcome-email" workflow.
type WelcomePayload struct {
	Name string `json:"name"`
	Plan string `json:"plan"`
}

// WelcomeControls are the controls of its "send-email" step.
type WelcomeControls struct {
	Subject   string `json:"subject"`
	Greeting  string `json:"greeting"`
	SkipEmail bool   `json:"skipEmail"`
}

// DigestPayload is the payload of the "digest-inapp-custom" workflow.
type DigestPayload struct {
	Project string `json:"project"`
}

// DigestControls are the controls of its digest step.
type DigestControls struct {
	Amount int           `json:"amount"`
	Unit   core.TimeUnit `json:"unit"`
}

// InAppControls are the controls of its in-app step.
type InAppControls struct {
	Subject string `json:"subject"`
	Avatar  string `json:"avatar"`
}

// CustomControls are the controls of its custom step.
type CustomControls struct {
	Label string `json:"label"`
}

// CustomOutput is what its custom step returns.
type CustomOutput struct {
	Seen       bool   `json:"seen"`
	Label      string `json:"label"`
	EventCount int    `json:"eventCount"`
}

// jsLength is JavaScript's String.prototype.length: UTF-16 code units.
func jsLength(s string) int {
	n := 0
	for _, r := range s { // invalid UTF-8 reads as U+FFFD, one unit
		n += utf16.RuneLen(r)
	}
	return n
}

func ptr[T any](v T) *T { return &v }

// Workflows returns the two workflows the reference bridge serves, with the
// same ids, schemas and behaviour.
func Workflows() []*core.Workflow {
	welcome := core.NewWorkflow("welcome-email",
		core.WorkflowOptions{
			Name:          "Welcome Email",
			Description:   "Conformance workflow #1",
			Tags:          []string{"conformance", "email"},
			PayloadSchema: json.RawMessage(`{"type":"object","properties":{"name":{"type":"string"},"plan":{"type":"string","enum":["free","pro"],"default":"free"}},"required":["name"],"additionalProperties":false}`),
			Preferences: core.Preferences{
				All:      &core.WorkflowPreference{Enabled: ptr(true), ReadOnly: ptr(false)},
				Channels: &core.ChannelPreferences{Email: &core.ChannelPreference{Enabled: true}, InApp: &core.ChannelPreference{Enabled: false}},
			},
		},
		core.Email("send-email",
			func(ctx context.Context, in core.Input[WelcomePayload, WelcomeControls]) (core.EmailOutput, error) {
				return core.EmailOutput{
					Subject: in.Controls.Subject,
					Body:    fmt.Sprintf("<p>%s</p><p>Plan: %s</p><script>alert(1)</script>", in.Controls.Greeting, in.Payload.Plan),
				}, nil
			},
			core.WithControlSchema(json.RawMessage(`{"type":"object","properties":{"subject":{"type":"string","default":"Welcome, {{payload.name}}!"},"greeting":{"type":"string","default":"Hi {{subscriber.firstName}}, thanks for joining {{payload.plan}}."},"skipEmail":{"type":"boolean","default":false}},"required":[],"additionalProperties":false}`)),
			core.SkipIf(func(c WelcomeControls) bool { return c.SkipEmail }),
			core.WithProvider("resend", func(ctx context.Context, in core.Input[WelcomePayload, WelcomeControls], out core.EmailOutput) (core.ProviderOutput, error) {
				return core.ProviderOutput{
					Fields:      map[string]any{"headers": map[string]any{"X-Conformance": "yes"}, "subjectLength": jsLength(out.Subject)},
					Passthrough: &core.Passthrough{Body: map[string]any{"tags": []any{map[string]any{"name": "source", "value": "conformance"}}}},
				}, nil
			}),
		),
	)

	digest := core.NewWorkflow("digest-inapp-custom",
		core.WorkflowOptions{
			PayloadSchema: json.RawMessage(`{"type":"object","properties":{"project":{"type":"string","default":"novu"}},"additionalProperties":true}`),
		},
		core.Digest("digest-step",
			func(ctx context.Context, in core.Input[DigestPayload, DigestControls]) (core.DigestOutput, error) {
				return core.DigestOutput{Amount: in.Controls.Amount, Unit: in.Controls.Unit}, nil
			},
			core.WithControlSchema(json.RawMessage(`{"type":"object","properties":{"amount":{"type":"number","default":5},"unit":{"type":"string","enum":["seconds","minutes","hours","days","weeks","months"],"default":"minutes"}},"additionalProperties":false}`)),
		),
		core.InApp("inapp-step",
			func(ctx context.Context, in core.Input[DigestPayload, InAppControls]) (core.InAppOutput, error) {
				if in.Payload.Project == "boom" {
					return core.InAppOutput{}, errors.New("boom requested by payload")
				}
				d, _ := in.Steps.Digest("digest-step")
				return core.InAppOutput{
					Subject:       in.Controls.Subject,
					Body:          fmt.Sprintf("You have %d new event(s) for %s", len(d.Events), in.Payload.Project),
					Avatar:        in.Controls.Avatar,
					PrimaryAction: &core.InAppAction{Label: "Open", Redirect: &core.Redirect{URL: "/projects"}},
					Redirect:      &core.Redirect{URL: "https://example.com/inbox"},
					Data:          map[string]any{"project": in.Payload.Project, "count": len(d.Events)},
				}, nil
			},
			core.WithControlSchema(json.RawMessage(`{"type":"object","properties":{"subject":{"type":"string","default":"Digest for {{payload.project}}"},"avatar":{"type":"string","default":"https://example.com/avatar.png"}},"additionalProperties":false}`)),
		),
		core.Custom("custom-step",
			func(ctx context.Context, in core.Input[DigestPayload, CustomControls]) (CustomOutput, error) {
				d, _ := in.Steps.Digest("digest-step")
				inApp, _ := in.Steps.InApp("inapp-step")
				return CustomOutput{Seen: inApp.Seen, Label: in.Controls.Label, EventCount: len(d.Events)}, nil
			},
			core.WithControlSchema(json.RawMessage(`{"type":"object","properties":{"label":{"type":"string","default":"processed-{{payload.project}}"}},"additionalProperties":false}`)),
			core.WithOutputSchema(json.RawMessage(`{"type":"object","properties":{"seen":{"type":"boolean"},"label":{"type":"string"},"eventCount":{"type":"number"}},"required":["seen","label","eventCount"],"additionalProperties":false}`)),
		),
	)
	return []*core.Workflow{welcome, digest}
}

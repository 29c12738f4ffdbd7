//go:build js && wasm

package main

import (
	"context"
	"fmt"

	cloudflare "github.com/echofn/echofn/cloudflare-wasm"
	"github.com/echofn/echofn/core"
)

// Payload is what the welcome workflow is triggered with.
type Payload struct {
	Name string `json:"name" jsonschema:"required"`
}

// Controls are the email step's settings that editors can change in the
// Novu dashboard; values are Liquid templates.
type Controls struct {
	Subject string `json:"subject" jsonschema:"default=Welcome {{payload.name}}"`
}

func welcome() *core.Workflow {
	return core.NewWorkflow("welcome", core.WorkflowOptions{Name: "Welcome"},
		core.Email("send-email", func(ctx context.Context, in core.Input[Payload, Controls]) (core.EmailOutput, error) {
			return core.EmailOutput{
				Subject: in.Controls.Subject,
				Body:    fmt.Sprintf("<p>Hello %s, welcome aboard.</p>", in.Payload.Name),
			}, nil
		}),
	)
}

func main() {
	cloudflare.Main(welcome())
}

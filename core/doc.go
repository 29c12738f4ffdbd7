// Package core is a Novu bridge engine: it serves code-first notification
// workflows, written in Go, to Novu Cloud.
//
// A workflow is a list of steps. Each step has a type (email, sms, push,
// chat, in_app, delay, digest, throttle, custom, ...), typed controls that
// editors can change from the Novu dashboard, and a resolver that turns the
// trigger's typed payload and those controls into the step's outputs:
//
//	type Payload struct {
//		Name string `json:"name" jsonschema:"required"`
//	}
//	type Controls struct {
//		Subject string `json:"subject" jsonschema:"default=Welcome {{payload.name}}"`
//	}
//	welcome := core.NewWorkflow("welcome", core.WorkflowOptions{},
//		core.Email("send-email", func(ctx context.Context, in core.Input[Payload, Controls]) (core.EmailOutput, error) {
//			return core.EmailOutput{Subject: in.Controls.Subject, Body: "Hello " + in.Payload.Name}, nil
//		}),
//	)
//
// JSON Schemas for payloads, controls and outputs are derived from the Go
// types (see WorkflowOptions and WithControlSchema for giving them
// explicitly). Control values are Liquid templates, rendered before the
// resolver sees them.
//
// A Bridge answers Novu's calls (discover, execute, preview, health-check,
// code) after checking each call's HMAC signature (package
// core/signature). It knows nothing of HTTP servers: Handle takes a Request
// and returns a Response, so the same engine runs behind net/http (package
// core/nethttp), AWS Lambda, Google Cloud Functions or a WebAssembly worker.
package core

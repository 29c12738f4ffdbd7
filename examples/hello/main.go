// Command hello is the smallest Novu bridge: one workflow with one email
// step, served at http://localhost:4000/api/novu.
package main

import (
	"context"
	"log"
	"net/http"

	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/core/nethttp"
)

type Payload struct {
	Name string `json:"name" jsonschema:"required"`
}

type Controls struct {
	Subject string `json:"subject" jsonschema:"default=Welcome\\, {{payload.name}}!"`
}

var welcome = core.NewWorkflow("welcome", core.WorkflowOptions{},
	core.Email("send-email", func(ctx context.Context, in core.Input[Payload, Controls]) (core.EmailOutput, error) {
		return core.EmailOutput{Subject: in.Controls.Subject, Body: "<p>Hello " + in.Payload.Name + "</p>"}, nil
	}),
)

func main() {
	bridge, err := core.New(core.ConfigFromEnv(), welcome) // NOVU_SECRET_KEY
	if err != nil {
		log.Fatal(err)
	}
	http.Handle("/api/novu", nethttp.Handler(bridge))
	log.Fatal(http.ListenAndServe(":4000", nil))
}

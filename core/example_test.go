package core_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/core/nethttp"
	"github.com/echofn/echofn/core/signature"
)

type WelcomePayload struct {
	Name string `json:"name" jsonschema:"required"`
}

type WelcomeControls struct {
	Subject string `json:"subject" jsonschema:"default=Welcome {{payload.name}}!"`
}

// A workflow with one email step, served over HTTP at /api/novu.
func Example() {
	welcome := core.NewWorkflow("welcome", core.WorkflowOptions{},
		core.Email("send-email", func(ctx context.Context, in core.Input[WelcomePayload, WelcomeControls]) (core.EmailOutput, error) {
			return core.EmailOutput{Subject: in.Controls.Subject, Body: "<p>Hello " + in.Payload.Name + "</p>"}, nil
		}),
	)
	bridge, err := core.New(core.ConfigFromEnv(), welcome)
	if err != nil {
		log.Fatal(err)
	}
	http.Handle("/api/novu", nethttp.Handler(bridge))
	// log.Fatal(http.ListenAndServe(":4000", nil))
}

// Handle answers a signed execute call the way Novu Cloud makes it.
func ExampleBridge_Handle() {
	welcome := core.NewWorkflow("welcome", core.WorkflowOptions{},
		core.Email("send-email", func(ctx context.Context, in core.Input[WelcomePayload, WelcomeControls]) (core.EmailOutput, error) {
			return core.EmailOutput{Subject: in.Controls.Subject, Body: "<p>Hello " + in.Payload.Name + "</p>"}, nil
		}),
	)
	bridge, err := core.New(core.Config{SecretKey: "sk_test"}, welcome)
	if err != nil {
		log.Fatal(err)
	}
	body := []byte(`{"payload":{"name":"Ada"},"controls":{},"state":[],"subscriber":{}}`)
	sig := signature.Sign("sk_test", time.Now(), body)
	resp := bridge.Handle(context.Background(), &core.Request{
		Method: "POST",
		Query:  url.Values{"action": {"execute"}, "workflowId": {"welcome"}, "stepId": {"send-email"}},
		Header: func(name string) string {
			if strings.EqualFold(name, signature.Header) {
				return sig
			}
			return ""
		},
		Body: body,
	})
	fmt.Println(resp.Status)
	fmt.Println(string(resp.Body[:strings.Index(string(resp.Body), `,"providers"`)]))
	// Output:
	// 200
	// {"outputs":{"subject":"Welcome Ada!","body":"<p>Hello Ada</p>"}
}

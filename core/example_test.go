package core_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"log/slog"
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

// A transport reserves room for a large body before it reads it, and
// answers with HandleBusy when the bodies already being read take all the
// room the bridge allows them.
func ExampleBridge_ReserveBody() {
	bridge, err := core.New(core.Config{SecretKey: "sk_test", MaxBodyBytesInFlight: 8 << 20,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}) // HandleBusy logs each refusal
	if err != nil {
		log.Fatal(err)
	}
	first, ok := bridge.ReserveBody(5 << 20) // a 5 MiB body: read it
	fmt.Println("first:", ok)
	_, ok = bridge.ReserveBody(5 << 20) // another, while the first is held
	fmt.Println("second:", ok)
	if !ok {
		resp := bridge.HandleBusy(&core.Request{Method: "POST"})
		fmt.Println(resp.Status, string(resp.Body))
	}
	first() // the first was answered: its room is free again
	_, ok = bridge.ReserveBody(5 << 20)
	fmt.Println("third:", ok)
	// Output:
	// first: true
	// second: false
	// 503 {"message":"The bridge is reading as many large request bodies as it may at once. Please try again later.","code":"BridgeError"}
	// third: true
}

// ConfigFrom reads the keys and the limits from an environment of the
// caller's, and names each value it could not read.
func ExampleConfigFrom() {
	env := map[string]string{"NOVU_SECRET_KEY": "sk_test", "ECHOFN_STEP_TIMEOUT": "2s", "ECHOFN_MAX_BODY_BYTES": "1MB"}
	getenv := func(k string) string { return env[k] }
	_, err := core.ConfigFrom(getenv)
	fmt.Println(err)

	env["ECHOFN_MAX_BODY_BYTES"] = "1048576"
	cfg, err := core.ConfigFrom(getenv)
	fmt.Println(cfg.StepTimeout, cfg.MaxBodyBytes, err)
	// Output:
	// core: ECHOFN_MAX_BODY_BYTES="1MB": want a positive number of bytes
	// 2s 1048576 <nil>
}

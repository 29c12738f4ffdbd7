package lambda_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/core/signature"
	"github.com/echofn/echofn/lambda"
)

type WelcomePayload struct {
	Name string `json:"name" jsonschema:"required"`
}

type WelcomeControls struct {
	Subject string `json:"subject" jsonschema:"default=Welcome {{payload.name}}!"`
}

func welcomeWorkflow() *core.Workflow {
	return core.NewWorkflow("welcome", core.WorkflowOptions{},
		core.Email("send-email", func(ctx context.Context, in core.Input[WelcomePayload, WelcomeControls]) (core.EmailOutput, error) {
			return core.EmailOutput{Subject: in.Controls.Subject, Body: "<p>Hello " + in.Payload.Name + "</p>"}, nil
		}),
	)
}

// The main function of a Lambda bridge: the secret key comes from the
// environment, or from Parameter Store or Secrets Manager.
func Example() {
	cfg, err := lambda.ConfigFromEnv(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	bridge, err := core.New(cfg, welcomeWorkflow())
	if err != nil {
		log.Fatal(err)
	}
	_ = bridge
	// lambda.Start(bridge)
}

// Handler answers an API Gateway HTTP API event carrying a signed execute
// call, in the HTTP API's response format.
func ExampleHandler() {
	bridge, err := core.New(core.Config{SecretKey: "sk_test", Server: "lambda"}, welcomeWorkflow())
	if err != nil {
		log.Fatal(err)
	}
	body := `{"payload":{"name":"Ada"},"controls":{},"state":[],"subscriber":{}}`
	event, _ := json.Marshal(map[string]any{
		"version":        "2.0",
		"rawPath":        "/api/novu",
		"rawQueryString": "action=execute&workflowId=welcome&stepId=send-email",
		"headers": map[string]string{
			"content-type":   "application/json",
			"novu-signature": signature.Sign("sk_test", time.Now(), []byte(body)),
		},
		"requestContext":  map[string]any{"http": map[string]string{"method": "POST", "path": "/api/novu"}},
		"body":            body,
		"isBase64Encoded": false,
	})
	out, err := lambda.Handler(bridge).Invoke(context.Background(), event)
	if err != nil {
		log.Fatal(err)
	}
	var resp struct {
		StatusCode int               `json:"statusCode"`
		Headers    map[string]string `json:"headers"`
		Body       string            `json:"body"`
	}
	if err := json.Unmarshal(out, &resp); err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.StatusCode, resp.Headers["content-type"])
	fmt.Println(resp.Body[:strings.Index(resp.Body, `,"providers"`)])
	// Output:
	// 200 application/json
	// {"outputs":{"subject":"Welcome Ada!","body":"<p>Hello Ada</p>"}
}

// WithFormat fixes the event format; events of another shape are refused.
func ExampleWithFormat() {
	bridge, err := core.New(core.Config{SecretKey: "sk_test"}, welcomeWorkflow())
	if err != nil {
		log.Fatal(err)
	}
	h := lambda.Handler(bridge, lambda.WithFormat(lambda.ALB))
	_, err = h.Invoke(context.Background(), []byte(`{"version":"2.0","requestContext":{"http":{"method":"GET"}}}`))
	fmt.Println(err)
	// Output:
	// lambda: the event is not an HTTP request from API Gateway, a function URL or an Application Load Balancer
}

func ExampleParseFormat() {
	f, err := lambda.ParseFormat("function-url")
	fmt.Println(f == lambda.FunctionURL, err)
	// Output:
	// true <nil>
}

package gcf_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/core/signature"
	"github.com/echofn/echofn/gcf"
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

// The init function of a Cloud Function's package: deployed with
// --entry-point NovuBridge, and NOVU_SECRET_KEY mounted from Secret
// Manager.
func ExampleRegister() {
	bridge, err := core.New(gcf.ConfigFromEnv(), welcomeWorkflow())
	if err != nil {
		log.Fatal(err)
	}
	gcf.Register(bridge)
}

// Handler is the HTTP function itself; here it answers a signed execute
// call as the Functions Framework would pass it on.
func ExampleHandler() {
	bridge, err := core.New(core.Config{SecretKey: "sk_test", Server: "gcf"}, welcomeWorkflow())
	if err != nil {
		log.Fatal(err)
	}
	body := `{"payload":{"name":"Ada"},"controls":{},"state":[],"subscriber":{}}`
	req := httptest.NewRequest("POST", "/?action=execute&workflowId=welcome&stepId=send-email", strings.NewReader(body))
	req.Header.Set("novu-signature", signature.Sign("sk_test", time.Now(), []byte(body)))
	rec := httptest.NewRecorder()
	gcf.Handler(bridge)(rec, req)
	out := rec.Body.String()
	fmt.Println(rec.Code, rec.Header().Get("Novu-Framework-Server"))
	fmt.Println(out[:strings.Index(out, `,"providers"`)])
	// Output:
	// 200 gcf
	// {"outputs":{"subject":"Welcome Ada!","body":"<p>Hello Ada</p>"}
}

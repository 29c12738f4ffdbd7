package welcome_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/echofn/echofn/cloudsim"
	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/samples/welcome"
)

// Run the workflow end to end in this process, as Novu Cloud would call it.
func ExampleWorkflow() {
	c, err := cloudsim.Local(welcome.Workflow())
	if err != nil {
		panic(err)
	}
	run, err := c.Run(context.Background(), welcome.ID, cloudsim.Trigger{
		Payload:    json.RawMessage(`{"appName":"Orbit","dashboardUrl":"https://app.example.com"}`),
		Subscriber: json.RawMessage(`{"subscriberId":"u1","firstName":"Ada"}`),
	})
	if err != nil {
		panic(err)
	}
	var email core.EmailOutput
	var inbox core.InAppOutput
	_ = json.Unmarshal(run.Steps[0].Result.Outputs, &email)
	_ = json.Unmarshal(run.Steps[1].Result.Outputs, &inbox)
	fmt.Println(email.Subject)
	fmt.Println(inbox.Subject, "->", inbox.PrimaryAction.Redirect.URL)
	// Output:
	// Welcome to Orbit, Ada!
	// Welcome aboard, Ada -> https://app.example.com
}

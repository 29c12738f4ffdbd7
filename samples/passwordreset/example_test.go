package passwordreset_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/echofn/echofn/cloudsim"
	"github.com/echofn/echofn/samples/passwordreset"
)

// A subscriber without a phone number gets the code by email.
func ExampleWorkflow() {
	c, err := cloudsim.Local(passwordreset.Workflow())
	if err != nil {
		panic(err)
	}
	run, err := c.Run(context.Background(), passwordreset.ID, cloudsim.Trigger{
		Payload:    json.RawMessage(`{"code":"482913","resetUrl":"https://app.example.com/reset"}`),
		Subscriber: json.RawMessage(`{"subscriberId":"u2","email":"grace@example.com"}`),
	})
	if err != nil {
		panic(err)
	}
	for _, s := range run.Steps {
		fmt.Printf("%s skipped=%v\n", s.StepID, s.Skipped)
	}
	// Output:
	// sms skipped=true
	// email skipped=false
}

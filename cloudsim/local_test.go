package cloudsim_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/echofn/echofn/cloudsim"
	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/internal/conformance"
)

func TestLocal(t *testing.T) {
	c, err := cloudsim.Local(conformance.Workflows()...)
	if err != nil {
		t.Fatal(err)
	}
	h, err := c.HealthCheck(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if h.Status != "ok" || h.Discovered.Workflows != 2 || h.Discovered.Steps != 4 {
		t.Fatalf("health = %+v", h)
	}
	// Discover is signed: it only passes if the client signs with the
	// bridge's own key.
	d, err := c.Discover(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Workflows) != 2 {
		t.Fatalf("discovered %d workflows", len(d.Workflows))
	}
}

func TestLocalRefusesBrokenWorkflows(t *testing.T) {
	w := conformance.Workflows()[0]
	if _, err := cloudsim.Local(w, w); err == nil {
		t.Fatal("two workflows with one id were accepted")
	}
	broken := core.NewWorkflow[map[string]any]("", core.WorkflowOptions{})
	if _, err := cloudsim.Local(broken); err == nil {
		t.Fatal("a workflow without an id was accepted")
	}
}

func ExampleLocal() {
	c, err := cloudsim.Local(conformance.Workflows()...)
	if err != nil {
		panic(err)
	}
	run, err := c.Run(context.Background(), "welcome-email", cloudsim.Trigger{
		Payload:    json.RawMessage(`{"name":"Ada"}`),
		Subscriber: json.RawMessage(`{"firstName":"Ada"}`),
	})
	if err != nil {
		panic(err)
	}
	var email core.EmailOutput
	_ = json.Unmarshal(run.Steps[0].Result.Outputs, &email)
	fmt.Println(email.Subject)
	// Output: Welcome, Ada!
}

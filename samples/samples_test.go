package samples_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/echofn/echofn/cloudsim"
	"github.com/echofn/echofn/samples"
)

func TestAllServeTogether(t *testing.T) {
	c, err := cloudsim.Local(samples.All()...)
	if err != nil {
		t.Fatal(err)
	}
	d, err := c.Discover(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range d.Workflows {
		var steps []string
		for _, s := range w.Steps {
			steps = append(steps, s.StepID+":"+s.Type)
		}
		got = append(got, fmt.Sprint(w.WorkflowID, " ", steps))
	}
	want := []string{
		"welcome-onboarding [welcome-email:email welcome-inbox:in_app]",
		"password-reset [sms:sms email:email]",
		"comment-digest [digest:digest inbox:in_app email:email]",
		"order-update [push:push team-feed:chat review-delay:delay review-request:push]",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("discovered workflows (-want +got):\n%s", diff)
	}
}

// TestControlsAreForEditors lists the controls each step shows in Novu's
// dashboard: texts, amounts, units, URLs and switches an editor may change.
// Run data (the payload, the subscriber, earlier steps' results) reaches
// resolvers, skip rules and provider overrides through their input instead.
func TestControlsAreForEditors(t *testing.T) {
	c, err := cloudsim.Local(samples.All()...)
	if err != nil {
		t.Fatal(err)
	}
	d, err := c.Discover(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, w := range d.Workflows {
		for _, s := range w.Steps {
			var schema struct {
				Properties map[string]json.RawMessage `json:"properties"`
			}
			if err := json.Unmarshal(s.Controls.Schema, &schema); err != nil {
				t.Fatalf("%s/%s: %v", w.WorkflowID, s.StepID, err)
			}
			names := []string{}
			for name := range schema.Properties {
				names = append(names, name)
			}
			slices.Sort(names)
			got[w.WorkflowID+"/"+s.StepID] = names
		}
	}
	want := map[string][]string{
		"welcome-onboarding/welcome-email": {"buttonText", "heading", "intro", "showTrial", "subject"},
		"welcome-onboarding/welcome-inbox": {"actionLabel", "body", "subject"},
		"password-reset/sms":               {"body", "webOtpDomain"},
		"password-reset/email":             {"send", "showCode", "subject"},
		"comment-digest/digest":            {"amount", "unit"},
		"comment-digest/inbox":             {"body", "subject"},
		"comment-digest/email":             {"quote", "subject"},
		"order-update/push":                {"confirmed", "delivered", "outForDelivery", "shipped", "title"},
		"order-update/team-feed":           {"adminUrl", "text"},
		"order-update/review-delay":        {"amount", "unit"},
		"order-update/review-request":      {"body", "title"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("controls by step (-want +got):\n%s", diff)
	}
}

func ExampleAll() {
	for _, w := range samples.All() {
		fmt.Println(w.ID())
	}
	// Output:
	// welcome-onboarding
	// password-reset
	// comment-digest
	// order-update
}

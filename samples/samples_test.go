package samples_test

import (
	"context"
	"fmt"
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

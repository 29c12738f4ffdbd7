package orderupdates_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/echofn/echofn/cloudsim"
	"github.com/echofn/echofn/samples/orderupdates"
)

// A delivered order: the review request waits three days.
func ExampleWorkflow() {
	c, err := cloudsim.Local(orderupdates.Workflow())
	if err != nil {
		panic(err)
	}
	run, err := c.Run(context.Background(), orderupdates.ID, cloudsim.Trigger{
		Payload: json.RawMessage(`{"orderId":"1042","status":"delivered","orderUrl":"https://shop.example.com/orders/1042"}`),
	})
	if err != nil {
		panic(err)
	}
	for _, s := range run.Steps {
		fmt.Println(strings.TrimSpace(fmt.Sprintf("%-14s %-6s skipped=%v %s", s.StepID, s.Type, s.Skipped, s.Note)))
	}
	var fcm map[string]any
	_ = json.Unmarshal(run.Steps[0].Result.Providers["fcm"], &fcm)
	fmt.Println("fcm priority:", fcm["priority"], "collapse key:", fcm["collapseKey"])
	// Output:
	// push           push   skipped=false
	// team-feed      chat   skipped=false
	// review-delay   delay  skipped=false would wait: {"amount":3,"unit":"days"}
	// review-request push   skipped=false
	// fcm priority: normal collapse key: order-1042
}

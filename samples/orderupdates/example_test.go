package orderupdates_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/echofn/echofn/cloudsim"
	"github.com/echofn/echofn/samples/orderupdates"
)

// A delivered order: the review request waits three days, and FCM gets
// the order's collapse key and data.
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
	fmt.Println("fcm:", string(run.Steps[0].Result.Providers["fcm"]))
	// Output:
	// push           push   skipped=false
	// team-feed      chat   skipped=false
	// review-delay   delay  skipped=false would wait: {"amount":3,"unit":"days"}
	// review-request push   skipped=false
	// fcm: {"collapseKey":"order-1042","priority":"normal","timeToLive":86400,"data":{"orderId":"1042","status":"delivered"}}
}

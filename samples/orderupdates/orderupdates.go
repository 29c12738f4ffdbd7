// Package orderupdates is a sample order status workflow: a push
// notification to the customer, a message in the store team's Slack
// channel, and, once the order is delivered, a review request a few days
// later.
//
// It shows provider overrides: what Novu sends to FCM, APNs and Slack beyond
// the step's own outputs (priorities, collapse keys, Slack blocks), and a
// delay whose length editors control.
package orderupdates

import (
	"context"
	"fmt"

	"github.com/echofn/echofn/core"
)

// ID is the workflow id, the name it is triggered by.
const ID = "order-update"

// Order statuses.
const (
	Confirmed      = "confirmed"
	Shipped        = "shipped"
	OutForDelivery = "out_for_delivery"
	Delivered      = "delivered"
)

// Payload is what the trigger sends when an order changes status.
type Payload struct {
	OrderID     string `json:"orderId" jsonschema:"required"`
	Status      string `json:"status" jsonschema:"required,enum=confirmed,enum=shipped,enum=out_for_delivery,enum=delivered"`
	OrderURL    string `json:"orderUrl" jsonschema:"required,format=uri,description=The order's page in your app"`
	Carrier     string `json:"carrier,omitempty"`
	TrackingURL string `json:"trackingUrl,omitempty" jsonschema:"format=uri"`
	Total       string `json:"total,omitempty" jsonschema:"description=The formatted total\\, such as €42.00"`
}

// PushControls are the editable texts of the status notification, one per
// status.
type PushControls struct {
	Title          string `json:"title" jsonschema:"default=Order {{payload.orderId}}"`
	Confirmed      string `json:"confirmed" jsonschema:"default=Thanks! We are getting your order ready."`
	Shipped        string `json:"shipped" jsonschema:"default=On its way with {{payload.carrier | default: 'our carrier'}}."`
	OutForDelivery string `json:"outForDelivery" jsonschema:"default=Out for delivery: it arrives today."`
	Delivered      string `json:"delivered" jsonschema:"default=Delivered. Enjoy!"`
	// OrderID and Status are rendered from the payload for the provider
	// overrides, which see the controls but not the payload.
	OrderID string `json:"orderId" jsonschema:"default={{payload.orderId}},description=Leave as is: the order id"`
	Status  string `json:"status" jsonschema:"default={{payload.status}},description=Leave as is: the order status"`
}

// TeamControls are the editable parts of the Slack message.
type TeamControls struct {
	Text     string `json:"text" jsonschema:"default=Order {{payload.orderId}} is {{payload.status | replace: '_'\\, ' '}}"`
	AdminURL string `json:"adminUrl" jsonschema:"default=https://admin.example.com/orders/{{payload.orderId}},description=Where the Slack button leads"`
}

// ReviewDelayControls set how long after delivery the review request goes.
type ReviewDelayControls struct {
	Amount int           `json:"amount" jsonschema:"minimum=1,default=3"`
	Unit   core.TimeUnit `json:"unit" jsonschema:"enum=hours,enum=days,enum=weeks,default=days"`
	Status string        `json:"status" jsonschema:"default={{payload.status}},description=Leave as is: the order status; only delivered orders wait for a review"`
}

// ReviewControls are the editable texts of the review request.
type ReviewControls struct {
	Title  string `json:"title" jsonschema:"default=How was order {{payload.orderId}}?"`
	Body   string `json:"body" jsonschema:"default=Tell us in 30 seconds: rate your order."`
	Status string `json:"status" jsonschema:"default={{payload.status}},description=Leave as is: the order status; only delivered orders get a review request"`
}

// Workflow returns the order update workflow.
func Workflow() *core.Workflow {
	return core.NewWorkflow(ID,
		core.WorkflowOptions{
			Name:        "Order updates",
			Description: "Push to the customer, Slack to the team, and a review request after delivery.",
			Tags:        []string{"orders", "transactional"},
		},
		core.Push("push", statusPush,
			core.WithProvider("fcm", fcm),
			core.WithProvider("apns", apns)),
		core.Chat("team-feed", teamFeed,
			core.WithProvider("slack", slack)),
		core.Delay("review-delay", reviewDelay,
			core.SkipIf(func(c ReviewDelayControls) bool { return c.Status != Delivered })),
		core.Push("review-request", reviewRequest,
			core.SkipIf(func(c ReviewControls) bool { return c.Status != Delivered })),
	)
}

func statusPush(ctx context.Context, in core.Input[Payload, PushControls]) (core.PushOutput, error) {
	body := map[string]string{
		Confirmed:      in.Controls.Confirmed,
		Shipped:        in.Controls.Shipped,
		OutForDelivery: in.Controls.OutForDelivery,
		Delivered:      in.Controls.Delivered,
	}[in.Payload.Status]
	return core.PushOutput{Subject: in.Controls.Title, Body: body}, nil
}

// fcm makes Android show only the latest update of an order, and sends
// "out for delivery" with high priority.
func fcm(ctx context.Context, in core.Input[Payload, PushControls], out core.PushOutput) (core.ProviderOutput, error) {
	priority := "normal"
	if in.Payload.Status == OutForDelivery {
		priority = "high"
	}
	return core.ProviderOutput{Fields: map[string]any{
		"priority":    priority,
		"collapseKey": "order-" + in.Payload.OrderID,
		"timeToLive":  86400,
		"data":        map[string]any{"orderId": in.Payload.OrderID, "status": in.Payload.Status},
	}}, nil
}

// apns groups an order's notifications in one thread on iOS and replaces
// an older update of the same order.
func apns(ctx context.Context, in core.Input[Payload, PushControls], out core.PushOutput) (core.ProviderOutput, error) {
	return core.ProviderOutput{Fields: map[string]any{
		"threadId":   "order-" + in.Payload.OrderID,
		"collapseId": "order-" + in.Payload.OrderID,
		"pushType":   "alert",
		"payload":    map[string]any{"orderId": in.Payload.OrderID, "status": in.Payload.Status},
	}}, nil
}

func teamFeed(ctx context.Context, in core.Input[Payload, TeamControls]) (core.ChatOutput, error) {
	text := in.Controls.Text
	if in.Payload.Total != "" {
		text += " (" + in.Payload.Total + ")"
	}
	return core.ChatOutput{Body: text}, nil
}

// slack replaces the plain text with Block Kit blocks: the status, the
// details and a button to the order in the admin.
func slack(ctx context.Context, in core.Input[Payload, TeamControls], out core.ChatOutput) (core.ProviderOutput, error) {
	return core.ProviderOutput{Fields: map[string]any{
		"text": out.Body,
		"blocks": []any{
			map[string]any{"type": "section", "text": map[string]any{"type": "mrkdwn", "text": fmt.Sprintf("*%s*", out.Body)}},
			map[string]any{"type": "actions", "elements": []any{map[string]any{
				"type": "button",
				"text": map[string]any{"type": "plain_text", "text": "Open in admin"},
				"url":  in.Controls.AdminURL,
			}}},
		},
	}}, nil
}

func reviewDelay(ctx context.Context, in core.Input[Payload, ReviewDelayControls]) (core.DelayOutput, error) {
	return core.DelayOutput{Amount: in.Controls.Amount, Unit: in.Controls.Unit}, nil
}

func reviewRequest(ctx context.Context, in core.Input[Payload, ReviewControls]) (core.PushOutput, error) {
	return core.PushOutput{Subject: in.Controls.Title, Body: in.Controls.Body}, nil
}

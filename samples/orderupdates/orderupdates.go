// Package orderupdates is a sample order status workflow: a push
// notification to the customer, a message in the store team's Slack
// channel, and, once the order is delivered, a review request a few days
// later.
//
// It shows provider overrides: what Novu sends to FCM, APNs and Slack beyond
// the step's own outputs (priorities, collapse keys, Slack blocks), built
// from the order in the payload. The review steps are skipped with
// core.SkipWhen, which reads the order status from the payload too, so the
// controls editors see in the dashboard are only texts, a URL and the
// length of the delay.
package orderupdates

import (
	"context"
	"strings"

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
}

// ReviewControls are the editable texts of the review request.
type ReviewControls struct {
	Title string `json:"title" jsonschema:"default=How was order {{payload.orderId}}?"`
	Body  string `json:"body" jsonschema:"default=Tell us in 30 seconds: rate your order."`
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
			core.SkipWhen(notDelivered[ReviewDelayControls])),
		core.Push("review-request", reviewRequest,
			core.SkipWhen(notDelivered[ReviewControls])),
	)
}

// notDelivered skips the review steps until the order is delivered. It
// serves both steps, whatever their controls.
func notDelivered[C any](ctx context.Context, in core.Input[Payload, C]) (bool, error) {
	return in.Payload.Status != Delivered, nil
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

// orderData is the data a push carries to the app, which opens the order
// from it.
type orderData struct {
	OrderID string `json:"orderId"`
	Status  string `json:"status"`
}

// fcmFields are the FCM request fields the push overrides.
type fcmFields struct {
	CollapseKey string    `json:"collapseKey"`
	Priority    string    `json:"priority"`
	TimeToLive  int       `json:"timeToLive"` // seconds
	Data        orderData `json:"data"`
}

// fcm makes Android show only the latest update of an order, and sends
// "out for delivery" with high priority.
func fcm(ctx context.Context, in core.Input[Payload, PushControls], out core.PushOutput) (core.ProviderOutput, error) {
	priority := "normal"
	if in.Payload.Status == OutForDelivery {
		priority = "high"
	}
	return core.ProviderOutput{Fields: fcmFields{
		CollapseKey: "order-" + in.Payload.OrderID,
		Priority:    priority,
		TimeToLive:  24 * 60 * 60, // a status update a day old is no news
		Data:        orderData{OrderID: in.Payload.OrderID, Status: in.Payload.Status},
	}}, nil
}

// apnsFields are the APNs request fields the push overrides.
type apnsFields struct {
	ThreadID   string    `json:"threadId"`
	CollapseID string    `json:"collapseId"`
	PushType   string    `json:"pushType"`
	Payload    orderData `json:"payload"`
}

// apns groups an order's notifications in one thread on iOS and replaces
// an older update of the same order.
func apns(ctx context.Context, in core.Input[Payload, PushControls], out core.PushOutput) (core.ProviderOutput, error) {
	return core.ProviderOutput{Fields: apnsFields{
		ThreadID:   "order-" + in.Payload.OrderID,
		CollapseID: "order-" + in.Payload.OrderID,
		PushType:   "alert",
		Payload:    orderData{OrderID: in.Payload.OrderID, Status: in.Payload.Status},
	}}, nil
}

func teamFeed(ctx context.Context, in core.Input[Payload, TeamControls]) (core.ChatOutput, error) {
	text := in.Controls.Text
	if in.Payload.Total != "" {
		text += " (" + in.Payload.Total + ")"
	}
	return core.ChatOutput{Body: text}, nil
}

// Slack's Block Kit, as much of it as the team message uses.
type (
	slackMessage struct {
		Text   string       `json:"text"` // shown in notifications and where blocks are not
		Blocks []slackBlock `json:"blocks"`
	}
	slackBlock struct {
		Type     string        `json:"type"`
		Text     *slackText    `json:"text,omitempty"`
		Elements []slackButton `json:"elements,omitempty"`
	}
	slackText struct {
		Type string `json:"type"` // "mrkdwn" or "plain_text"
		Text string `json:"text"`
	}
	slackButton struct {
		Type string    `json:"type"`
		Text slackText `json:"text"`
		URL  string    `json:"url"`
	}
)

// slack replaces the plain text with Block Kit blocks: the status in bold
// and a button to the order in the admin.
func slack(ctx context.Context, in core.Input[Payload, TeamControls], out core.ChatOutput) (core.ProviderOutput, error) {
	text := mrkdwn.Replace(out.Body)
	return core.ProviderOutput{Fields: slackMessage{
		Text: text,
		Blocks: []slackBlock{
			{Type: "section", Text: &slackText{Type: "mrkdwn", Text: "*" + text + "*"}},
			{Type: "actions", Elements: []slackButton{{
				Type: "button",
				Text: slackText{Type: "plain_text", Text: "Open in admin"},
				URL:  in.Controls.AdminURL,
			}}},
		},
	}}, nil
}

// mrkdwn escapes the characters Slack's mrkdwn gives a meaning to, so a
// payload value cannot turn into a link or a mention.
var mrkdwn = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func reviewDelay(ctx context.Context, in core.Input[Payload, ReviewDelayControls]) (core.DelayOutput, error) {
	return core.DelayOutput{Amount: in.Controls.Amount, Unit: in.Controls.Unit}, nil
}

func reviewRequest(ctx context.Context, in core.Input[Payload, ReviewControls]) (core.PushOutput, error) {
	return core.PushOutput{Subject: in.Controls.Title, Body: in.Controls.Body}, nil
}

package orderupdates_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/echofn/echofn/cloudsim"
	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/samples/orderupdates"
)

func payload(status string) json.RawMessage {
	return json.RawMessage(`{"orderId":"1042","status":"` + status + `","orderUrl":"https://shop.example.com/orders/1042","carrier":"DHL","total":"€42.00"}`)
}

func decode(t *testing.T, raw json.RawMessage) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	return m
}

func TestOrderUpdates(t *testing.T) {
	tests := []struct {
		name      string
		status    string
		controls  map[string]json.RawMessage
		push      string
		priority  string
		chat      string
		delay     string // "" when the delay and the review request are skipped
		delayNote string
	}{
		{name: "confirmed", status: "confirmed", push: "Thanks! We are getting your order ready.", priority: "normal",
			chat: "Order 1042 is confirmed (€42.00)"},
		{name: "shipped", status: "shipped", push: "On its way with DHL.", priority: "normal",
			chat: "Order 1042 is shipped (€42.00)"},
		{name: "out for delivery has high priority", status: "out_for_delivery", push: "Out for delivery: it arrives today.", priority: "high",
			chat: "Order 1042 is out for delivery (€42.00)"},
		{name: "delivered waits, then asks for a review", status: "delivered", push: "Delivered. Enjoy!", priority: "normal",
			chat: "Order 1042 is delivered (€42.00)", delay: `{"amount":3,"unit":"days"}`},
		{name: "editor shortens the wait", status: "delivered", push: "Delivered. Enjoy!", priority: "normal",
			controls: map[string]json.RawMessage{"review-delay": json.RawMessage(`{"amount":12,"unit":"hours"}`)},
			chat:     "Order 1042 is delivered (€42.00)", delay: `{"amount":12,"unit":"hours"}`},
	}
	c, err := cloudsim.Local(orderupdates.Workflow())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := c.Run(context.Background(), orderupdates.ID, cloudsim.Trigger{
				Payload:    payload(tc.status),
				Subscriber: json.RawMessage(`{"subscriberId":"c-77"}`),
				Controls:   tc.controls,
			})
			if err != nil {
				t.Fatal(err)
			}
			if f := r.Failed(); f != nil {
				t.Fatalf("step %s failed: %v", f.StepID, f.Err)
			}
			push, chat, delay, review := r.Steps[0], r.Steps[1], r.Steps[2], r.Steps[3]

			if diff := cmp.Diff(map[string]any{"subject": "Order 1042", "body": tc.push}, decode(t, push.Result.Outputs)); diff != "" {
				t.Errorf("push (-want +got):\n%s", diff)
			}
			// The overrides are structs, so Novu gets their fields in the
			// order they are declared.
			wantFCM := `{"collapseKey":"order-1042","priority":"` + tc.priority + `","timeToLive":86400,"data":{"orderId":"1042","status":"` + tc.status + `"}}`
			if got := string(push.Result.Providers["fcm"]); got != wantFCM {
				t.Errorf("fcm override = %s, want %s", got, wantFCM)
			}
			wantAPNs := `{"threadId":"order-1042","collapseId":"order-1042","pushType":"alert","payload":{"orderId":"1042","status":"` + tc.status + `"}}`
			if got := string(push.Result.Providers["apns"]); got != wantAPNs {
				t.Errorf("apns override = %s, want %s", got, wantAPNs)
			}

			if diff := cmp.Diff(map[string]any{"body": tc.chat}, decode(t, chat.Result.Outputs)); diff != "" {
				t.Errorf("chat (-want +got):\n%s", diff)
			}
			wantSlack := map[string]any{"text": tc.chat, "blocks": []any{
				map[string]any{"type": "section", "text": map[string]any{"type": "mrkdwn", "text": "*" + tc.chat + "*"}},
				map[string]any{"type": "actions", "elements": []any{map[string]any{"type": "button",
					"text": map[string]any{"type": "plain_text", "text": "Open in admin"},
					"url":  "https://admin.example.com/orders/1042"}}},
			}}
			if diff := cmp.Diff(wantSlack, decode(t, chat.Result.Providers["slack"])); diff != "" {
				t.Errorf("slack override (-want +got):\n%s", diff)
			}

			if delay.Skipped != (tc.delay == "") || review.Skipped != (tc.delay == "") {
				t.Fatalf("skipped: delay %v, review %v; want %v", delay.Skipped, review.Skipped, tc.delay == "")
			}
			if tc.delay == "" {
				return
			}
			if got := string(delay.Result.Outputs); got != tc.delay {
				t.Errorf("delay = %s, want %s", got, tc.delay)
			}
			if delay.Note != "would wait: "+tc.delay {
				t.Errorf("delay note = %q", delay.Note)
			}
			want := map[string]any{"subject": "How was order 1042?", "body": "Tell us in 30 seconds: rate your order."}
			if diff := cmp.Diff(want, decode(t, review.Result.Outputs)); diff != "" {
				t.Errorf("review request (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOrderUpdatesRefusesUnknownStatus(t *testing.T) {
	c, err := cloudsim.Local(orderupdates.Workflow())
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Run(context.Background(), orderupdates.ID, cloudsim.Trigger{Payload: payload("lost")})
	if err != nil {
		t.Fatal(err)
	}
	var be *cloudsim.BridgeError
	if f := r.Failed(); f == nil || f.StepID != "push" || !errors.As(f.Err, &be) || be.Code != core.CodeExecutionEventPayloadInvalid {
		t.Fatalf("want a payload error at the first step, got %+v", r.Steps)
	}
}

func TestOrderUpdatesSlackMessage(t *testing.T) {
	c, err := cloudsim.Local(orderupdates.Workflow())
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Run(context.Background(), orderupdates.ID, cloudsim.Trigger{
		Payload: json.RawMessage(`{"orderId":"1042","status":"shipped","orderUrl":"https://shop.example.com/orders/1042","total":"<!channel> & co"}`),
		Controls: map[string]json.RawMessage{
			"team-feed": json.RawMessage(`{"adminUrl":"https://shop.example.com/admin/{{payload.orderId}}"}`),
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if f := r.Failed(); f != nil {
		t.Fatalf("step %s failed: %v", f.StepID, f.Err)
	}
	// The fields keep the order of the Go types, and what came from the
	// payload cannot mention the channel.
	const text = "Order 1042 is shipped (&lt;!channel&gt; &amp; co)"
	want := `{"text":"` + text + `","blocks":[` +
		`{"type":"section","text":{"type":"mrkdwn","text":"*` + text + `*"}},` +
		`{"type":"actions","elements":[{"type":"button","text":{"type":"plain_text","text":"Open in admin"},"url":"https://shop.example.com/admin/1042"}]}]}`
	if got := string(r.Steps[1].Result.Providers["slack"]); got != want {
		t.Errorf("slack override:\n got %s\nwant %s", got, want)
	}
}

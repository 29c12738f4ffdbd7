package commentdigest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/echofn/echofn/cloudsim"
	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/samples/commentdigest"
)

const payload = `{"postId":"p1","postTitle":"Shipping Go on Lambda","postUrl":"https://blog.example.com/p1","comment":{"author":"Ada","text":"Great post!"}}`

// events makes n digest events, one comment each.
func events(authors ...string) []cloudsim.DigestEvent {
	out := []cloudsim.DigestEvent{}
	for i, a := range authors {
		out = append(out, cloudsim.DigestEvent{
			ID:      fmt.Sprintf("e%d", i+1),
			Time:    fmt.Sprintf("2025-01-01T10:%02d:00.000Z", i),
			Payload: json.RawMessage(fmt.Sprintf(`{"postId":"p1","comment":{"author":%q,"text":"Comment %d"}}`, a, i+1)),
		})
	}
	return out
}

func TestCommentDigest(t *testing.T) {
	tests := []struct {
		name       string
		events     []cloudsim.DigestEvent
		controls   map[string]json.RawMessage
		skipped    bool
		inbox      core.InAppOutput
		subject    string
		emailHas   []string
		emailLacks []string
	}{
		{
			name:   "one comment",
			events: events("Ada"),
			inbox: core.InAppOutput{
				Subject:  "1 new comment on Shipping Go on Lambda",
				Body:     "Ada commented on your post.",
				Redirect: &core.Redirect{URL: "https://blog.example.com/p1", Target: "_blank"},
				Data:     map[string]any{"postId": "p1", "comments": float64(1)},
			},
			subject:    "1 new comment on Shipping Go on Lambda",
			emailHas:   []string{"<strong>Ada</strong><br />Comment 1</blockquote>", `href="https://blog.example.com/p1"`},
			emailLacks: []string{"more."},
		},
		{
			name:     "seven comments, three quoted",
			events:   events("Ada", "Grace", "Linus", "Ken", "Rob", "Barbara", "Edsger"),
			controls: map[string]json.RawMessage{"email": json.RawMessage(`{"quote":3}`)},
			inbox: core.InAppOutput{
				Subject:  "7 new comments on Shipping Go on Lambda",
				Body:     "Ada, Grace and 5 others commented on your post.",
				Redirect: &core.Redirect{URL: "https://blog.example.com/p1", Target: "_blank"},
				Data:     map[string]any{"postId": "p1", "comments": float64(7)},
			},
			subject:    "7 new comments on Shipping Go on Lambda",
			emailHas:   []string{"<strong>Ada</strong>", "<strong>Linus</strong>", "<p>and 4 more.</p>"},
			emailLacks: []string{"<strong>Ken</strong>"},
		},
		{
			name:    "empty digest skips both messages",
			events:  events(),
			skipped: true,
		},
		{
			name: "events without a comment skip both messages too",
			events: []cloudsim.DigestEvent{
				{ID: "e1", Time: "2025-01-01T10:00:00.000Z", Payload: json.RawMessage(`{"postId":"p1"}`)},
				{ID: "e2", Time: "2025-01-01T10:01:00.000Z", Payload: json.RawMessage(`{"postId":"p1","comment":{"author":"Ada","text":""}}`)},
			},
			skipped: true,
		},
	}
	c, err := cloudsim.Local(commentdigest.Workflow())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := c.Run(context.Background(), commentdigest.ID, cloudsim.Trigger{
				Payload:      json.RawMessage(payload),
				DigestEvents: tc.events,
				Controls:     tc.controls,
			})
			if err != nil {
				t.Fatal(err)
			}
			if f := r.Failed(); f != nil {
				t.Fatalf("step %s failed: %v", f.StepID, f.Err)
			}
			digest, inbox, email := r.Steps[0], r.Steps[1], r.Steps[2]
			if got := string(digest.Result.Outputs); got != `{"amount":30,"unit":"minutes","digestKey":"postId"}` {
				t.Errorf("digest outputs = %s", got)
			}
			if inbox.Skipped != tc.skipped || email.Skipped != tc.skipped {
				t.Fatalf("skipped: inbox %v, email %v; want %v", inbox.Skipped, email.Skipped, tc.skipped)
			}
			if tc.skipped {
				return
			}
			var gotInbox core.InAppOutput
			if err := json.Unmarshal(inbox.Result.Outputs, &gotInbox); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.inbox, gotInbox); diff != "" {
				t.Errorf("inbox (-want +got):\n%s", diff)
			}
			var gotEmail core.EmailOutput
			if err := json.Unmarshal(email.Result.Outputs, &gotEmail); err != nil {
				t.Fatal(err)
			}
			if gotEmail.Subject != tc.subject {
				t.Errorf("subject = %q, want %q", gotEmail.Subject, tc.subject)
			}
			for _, s := range tc.emailHas {
				if !strings.Contains(gotEmail.Body, s) {
					t.Errorf("email lacks %q:\n%s", s, gotEmail.Body)
				}
			}
			for _, s := range tc.emailLacks {
				if strings.Contains(gotEmail.Body, s) {
					t.Errorf("email has %q:\n%s", s, gotEmail.Body)
				}
			}
		})
	}
}

func TestCommentDigestWindowControls(t *testing.T) {
	c, err := cloudsim.Local(commentdigest.Workflow())
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Execute(context.Background(), commentdigest.ID, "digest", cloudsim.Event{
		Payload:  json.RawMessage(payload),
		Controls: json.RawMessage(`{"amount":2,"unit":"hours"}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(res.Outputs); got != `{"amount":2,"unit":"hours","digestKey":"postId"}` {
		t.Errorf("digest outputs = %s", got)
	}
	_, err = c.Execute(context.Background(), commentdigest.ID, "digest", cloudsim.Event{
		Payload:  json.RawMessage(payload),
		Controls: json.RawMessage(`{"unit":"seconds"}`),
	})
	if be, ok := err.(*cloudsim.BridgeError); !ok || be.Code != core.CodeExecutionStateControlInvalid {
		t.Errorf("unit seconds: err = %v, want %s", err, core.CodeExecutionStateControlInvalid)
	}
}

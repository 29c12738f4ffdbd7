package commentdigest_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/echofn/echofn/cloudsim"
	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/samples/commentdigest"
)

// Three comments collected by the digest become one Inbox message.
func ExampleWorkflow() {
	c, err := cloudsim.Local(commentdigest.Workflow())
	if err != nil {
		panic(err)
	}
	comment := func(author string) cloudsim.DigestEvent {
		return cloudsim.DigestEvent{ID: author, Time: "2025-01-01T10:00:00.000Z",
			Payload: json.RawMessage(`{"comment":{"author":"` + author + `","text":"+1"}}`)}
	}
	run, err := c.Run(context.Background(), commentdigest.ID, cloudsim.Trigger{
		Payload:      json.RawMessage(`{"postId":"p1","postTitle":"Hello","postUrl":"https://blog.example.com/p1","comment":{"author":"Ada","text":"+1"}}`),
		DigestEvents: []cloudsim.DigestEvent{comment("Ada"), comment("Grace"), comment("Linus")},
	})
	if err != nil {
		panic(err)
	}
	var inbox core.InAppOutput
	_ = json.Unmarshal(run.Steps[1].Result.Outputs, &inbox)
	fmt.Println(inbox.Subject)
	fmt.Println(inbox.Body)
	// Output:
	// 3 new comments on Hello
	// Ada, Grace and 1 other commented on your post.
}

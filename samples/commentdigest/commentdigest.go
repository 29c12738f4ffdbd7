// Package commentdigest is a sample digest workflow: comments on a post are
// collected for a while, then the author gets one Inbox message and one
// email about all of them. Both are skipped when the digest is empty.
//
// Each trigger carries one comment. Later steps read every collected
// comment with in.Steps.Digest, and their control defaults count them with
// Liquid ({{steps.digest.events | size}}), which is how the skip rules see
// the digest: controls are rendered before the skip rule runs.
package commentdigest

import (
	"bytes"
	"context"
	"encoding/json"
	"html/template"
	"strconv"

	"github.com/echofn/echofn/core"
)

// ID is the workflow id, the name it is triggered by.
const ID = "comment-digest"

// Payload is what each trigger sends: one new comment on a post.
type Payload struct {
	PostID    string  `json:"postId" jsonschema:"required"`
	PostTitle string  `json:"postTitle" jsonschema:"required"`
	PostURL   string  `json:"postUrl" jsonschema:"required,format=uri"`
	Comment   Comment `json:"comment" jsonschema:"required"`
}

// Comment is one comment.
type Comment struct {
	Author string `json:"author" jsonschema:"required"`
	Text   string `json:"text" jsonschema:"required,maxLength=2000"`
}

// DigestControls set how long comments are collected.
type DigestControls struct {
	Amount int           `json:"amount" jsonschema:"minimum=1,default=30"`
	Unit   core.TimeUnit `json:"unit" jsonschema:"enum=minutes,enum=hours,enum=days,default=minutes"`
}

// InboxControls are the editable parts of the Inbox message.
type InboxControls struct {
	Subject string `json:"subject" jsonschema:"default={{steps.digest.events | pluralize: 'new comment'}} on {{payload.postTitle}}"`
	Body    string `json:"body" jsonschema:"default={{steps.digest.events | digest: 2\\, 'payload.comment.author'}} commented on your post."`
	// Count is rendered from the digest; the step is skipped when it is 0.
	Count string `json:"count" jsonschema:"default={{steps.digest.events | size}},description=Leave as is: the number of collected comments; 0 skips the step"`
}

// EmailControls are the editable parts of the email.
type EmailControls struct {
	Subject string `json:"subject" jsonschema:"default={{steps.digest.events | pluralize: 'new comment'}} on {{payload.postTitle}}"`
	// Quote is how many comments the email quotes in full.
	Quote int    `json:"quote" jsonschema:"minimum=1,maximum=20,default=5"`
	Count string `json:"count" jsonschema:"default={{steps.digest.events | size}},description=Leave as is: the number of collected comments; 0 skips the step"`
}

// Workflow returns the comment digest workflow.
func Workflow() *core.Workflow {
	return core.NewWorkflow(ID,
		core.WorkflowOptions{
			Name:        "Comment digest",
			Description: "New comments on a post, collected and sent as one Inbox message and one email.",
			Tags:        []string{"digest", "activity"},
		},
		core.Digest("digest", collect),
		core.InApp("inbox", inbox,
			core.SkipIf(func(c InboxControls) bool { return empty(c.Count) })),
		core.Email("email", email,
			core.SkipIf(func(c EmailControls) bool { return empty(c.Count) })),
	)
}

// empty reports whether a rendered count is zero (or did not render).
func empty(count string) bool {
	n, err := strconv.Atoi(count)
	return err != nil || n <= 0
}

func collect(ctx context.Context, in core.Input[Payload, DigestControls]) (core.DigestOutput, error) {
	// One digest per post: comments on other posts are collected apart.
	return core.DigestOutput{Amount: in.Controls.Amount, Unit: in.Controls.Unit, DigestKey: "postId"}, nil
}

func inbox(ctx context.Context, in core.Input[Payload, InboxControls]) (core.InAppOutput, error) {
	return core.InAppOutput{
		Subject:  in.Controls.Subject,
		Body:     in.Controls.Body,
		Redirect: &core.Redirect{URL: in.Payload.PostURL},
		Data:     map[string]any{"postId": in.Payload.PostID, "comments": len(comments(in.Steps))},
	}, nil
}

func email(ctx context.Context, in core.Input[Payload, EmailControls]) (core.EmailOutput, error) {
	all := comments(in.Steps)
	quoted := all[:min(len(all), in.Controls.Quote)]
	var body bytes.Buffer
	err := emailHTML.Execute(&body, map[string]any{
		"Payload":  in.Payload,
		"Comments": quoted,
		"More":     len(all) - len(quoted),
	})
	if err != nil {
		return core.EmailOutput{}, err
	}
	return core.EmailOutput{Subject: in.Controls.Subject, Body: body.String()}, nil
}

// comments returns the comments the digest collected, oldest first.
// Events whose payload has no comment are left out.
func comments(steps core.Results) []Comment {
	d, _ := steps.Digest("digest")
	var out []Comment
	for _, e := range d.Events {
		raw, err := json.Marshal(e.Payload["comment"])
		if err != nil {
			continue
		}
		var c Comment
		if json.Unmarshal(raw, &c) == nil && c.Text != "" {
			out = append(out, c)
		}
	}
	return out
}

var emailHTML = template.Must(template.New("digest").Parse(`<!DOCTYPE html>
<html><body style="font-family: sans-serif; color: #1f2933">
<p>New comments on <a href="{{.Payload.PostURL}}">{{.Payload.PostTitle}}</a>:</p>
{{range .Comments}}<blockquote style="border-left: 3px solid #cbd2d9; margin: 12px 0; padding-left: 12px"><strong>{{.Author}}</strong><br>{{.Text}}</blockquote>
{{end}}{{if .More}}<p>and {{.More}} more.</p>
{{end}}<p><a href="{{.Payload.PostURL}}">Reply on the post</a></p>
</body></html>`))

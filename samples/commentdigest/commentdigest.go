// Package commentdigest is a sample digest workflow: comments on a post are
// collected for a while, then the author gets one Inbox message and one
// email about all of them. Both are skipped when no comment was collected.
//
// Each trigger carries one comment. Later steps read every collected
// comment with in.Steps.Digest, in their resolvers and in their skip rules
// (core.SkipWhen); their texts can count them with Liquid
// ({{steps.digest.events | pluralize: 'new comment'}}).
package commentdigest

import (
	"bytes"
	"context"
	"encoding/json"
	"html/template"

	"github.com/echofn/echofn/core"
)

// ID is the workflow id, the name it is triggered by.
const ID = "comment-digest"

// digestStep is the id of the digest step, whose results later steps read.
const digestStep = "digest"

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
}

// EmailControls are the editable parts of the email.
type EmailControls struct {
	Subject string `json:"subject" jsonschema:"default={{steps.digest.events | pluralize: 'new comment'}} on {{payload.postTitle}}"`
	// Quote is how many comments the email quotes in full.
	Quote int `json:"quote" jsonschema:"minimum=1,maximum=20,default=5"`
}

// Workflow returns the comment digest workflow.
func Workflow() *core.Workflow {
	return core.NewWorkflow(ID,
		core.WorkflowOptions{
			Name:        "Comment digest",
			Description: "New comments on a post, collected and sent as one Inbox message and one email.",
			Tags:        []string{"digest", "activity"},
		},
		core.Digest(digestStep, collect),
		core.InApp("inbox", inbox, core.SkipWhen(noComments[InboxControls])),
		core.Email("email", email, core.SkipWhen(noComments[EmailControls])),
	)
}

// noComments skips a message when the digest collected no comment. It
// serves both messages, whatever their controls.
func noComments[C any](ctx context.Context, in core.Input[Payload, C]) (bool, error) {
	return len(comments(in.Steps)) == 0, nil
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
	d, _ := steps.Digest(digestStep)
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

package schema

import (
	"testing"

	"github.com/echofn/echofn/core/internal/jsonx"
)

func BenchmarkValidate(b *testing.B) {
	payload := MustCompile(`{"type":"object","properties":{"name":{"type":"string","minLength":1},"plan":{"type":"string","enum":["free","pro","team"],"default":"free"},"seats":{"type":"integer","minimum":1,"default":1},"tags":{"type":"array","items":{"type":"string"},"default":[]},"address":{"type":"object","properties":{"city":{"type":"string"},"country":{"type":"string","default":"FR"}},"additionalProperties":false}},"required":["name"],"additionalProperties":false}`)
	cases := []struct {
		name   string
		schema *Schema
		value  string
	}{
		{"email-outputs", stepSchema(b, "email", "outputs"), `{"subject":"Welcome, Ada!","body":"<p>Hello Ada, your plan is <b>pro</b>.</p>","from":{"email":"team@example.com","name":"Team"},"preheader":"Your account is ready"}`},
		{"in_app-outputs", stepSchema(b, "in_app", "outputs"), `{"subject":"New comment","body":"Ada replied to your post","avatar":"https://example.com/a.png","primaryAction":{"label":"Open","redirect":{"url":"/posts/1"}},"redirect":{"url":"https://example.com/inbox"}}`},
		{"payload-defaults", payload, `{"name":"Ada","address":{"city":"Paris","zip":"75001"},"extra":true}`},
		{"payload-error", payload, `{"name":"Ada","seats":0}`},
	}
	for _, c := range cases {
		v, err := jsonx.Decode([]byte(c.value))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.schema.Validate(v)
			}
		})
	}
}

package core

import (
	"encoding/json"
	"strconv"

	"github.com/echofn/echofn/core/internal/jsonx"
	"github.com/echofn/echofn/core/internal/schema"
)

// discoverDoc builds the discover answer: every workflow, its steps and
// schemas, keys in the order Novu's SDK writes them.
func (b *Bridge) discoverDoc() *jsonx.Object {
	workflows := make([]any, 0, len(b.order))
	for _, w := range b.order {
		o := jsonx.NewObject()
		o.Set("workflowId", w.id)
		o.Set("severity", string(w.opts.Severity))
		steps := make([]any, 0, len(w.steps))
		for _, s := range w.steps {
			steps = append(steps, stepDoc(s))
		}
		o.Set("steps", steps)
		o.Set("code", w.code)
		o.Set("payload", schemaDoc(w.payloadSchema))
		o.Set("controls", schemaDoc(w.controlSchema))
		o.Set("env", schemaDoc(w.envSchema))
		tags := make([]any, len(w.opts.Tags))
		for i, t := range w.opts.Tags {
			tags[i] = t
		}
		o.Set("tags", tags)
		o.Set("preferences", mustOrdered(w.opts.Preferences))
		if w.opts.Name != "" {
			o.Set("name", w.opts.Name)
		}
		if w.opts.Description != "" {
			o.Set("description", w.opts.Description)
		}
		workflows = append(workflows, o)
	}
	d := jsonx.NewObject()
	d.Set("workflows", workflows)
	d.Set("agents", []any{})
	return d
}

func stepDoc(s *stepDef) *jsonx.Object {
	o := jsonx.NewObject()
	o.Set("stepId", s.id)
	o.Set("type", string(s.typ))
	o.Set("controls", schemaDoc(s.controlSchema))
	o.Set("outputs", schemaDoc(s.outputSchema))
	o.Set("results", schemaDoc(s.resultSchema))
	o.Set("code", s.code)
	opts := jsonx.NewObject()
	if s.explicitCtl || string(s.controlSchema.JSON()) != schema.Default {
		opts.Set("controlSchema", json.RawMessage(s.controlSchema.JSON()))
	}
	if s.explicitOut || ((s.typ == StepCustom || s.typ == StepHTTPRequest) && string(s.outputSchema.JSON()) != schema.Default) {
		opts.Set("outputSchema", json.RawMessage(s.outputSchema.JSON()))
	}
	if len(s.providers) > 0 {
		opts.Set("providers", jsonx.NewObject())
	}
	if !s.sanitize && (s.typ == StepEmail || s.typ == StepInApp) {
		opts.Set("disableOutputSanitization", true)
	}
	o.Set("options", opts)
	providers := make([]any, 0, len(s.providers))
	for _, p := range s.providers {
		po := jsonx.NewObject()
		po.Set("type", p.id)
		po.Set("code", p.code)
		po.Set("outputs", schemaDoc(p.schema))
		providers = append(providers, po)
	}
	o.Set("providers", providers)
	return o
}

func schemaDoc(s *schema.Schema) *jsonx.Object {
	o := jsonx.NewObject()
	o.Set("schema", json.RawMessage(s.JSON()))
	o.Set("unknownSchema", json.RawMessage(s.JSON()))
	return o
}

func mustOrdered(v any) any {
	o, err := jsonx.FromGo(v)
	if err != nil {
		panic("core: " + err.Error())
	}
	return o
}

func (b *Bridge) healthDoc() []byte {
	steps := 0
	for _, w := range b.order {
		steps += len(w.steps)
	}
	return []byte(`{"status":"ok","sdkVersion":"` + SDKVersion + `","frameworkVersion":"` + FrameworkVersion +
		`","discovered":{"workflows":` + strconv.Itoa(len(b.order)) + `,"steps":` + strconv.Itoa(steps) + `}}`)
}

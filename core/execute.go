package core

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"github.com/echofn/echofn/core/internal/jsonx"
	"github.com/echofn/echofn/core/internal/sanitize"
	"github.com/echofn/echofn/core/internal/tmpl"
)

// event is the body of an execute or preview call.
type event struct {
	payload     any
	hasPayload  bool
	controls    any
	hasControls bool
	state       []stateEntry
	subscriber  any
	context     any
	env         any
	actor       any
}

type stateEntry struct {
	stepID  string
	outputs any
}

// execution holds what one execute call builds, in one allocation: the
// event, the scope its templates see, the input of its step, and the
// context and job its code runs as.
type execution struct {
	ev    event
	scope liquidScope
	in    runInput
	step  stepContext
	run   stepRun
}

// stepRun is what the developer's code for a step runs with, and, once
// it has run, what it gave. It is the job guarded runs.
type stepRun struct {
	b          *Bridge
	step       *stepDef
	bd         bound
	workflowID string
	action     string
	preview    bool

	// Set by run.
	skipped   bool
	outputs   any // validated, for the provider overrides and the answer
	providers *jsonx.Object
}

// run runs all of the developer's code for the step in one kept goroutine,
// under one deadline: the skip rule and the resolver, the encoding of the
// outputs (a MarshalJSON of theirs), and the provider overrides, which see
// the validated outputs. An *Error it returns is the answer; any other
// error is the step's failure.
func (r *stepRun) run(ctx context.Context) error {
	res, err := runResolver(ctx, r.step, r.bd, r.preview)
	if err != nil {
		return err
	}
	if res == skippedStep {
		r.skipped = true
		return nil
	}
	ordered, err := jsonx.FromGo(res)
	if err != nil {
		return fmt.Errorf("encoding outputs: %w", err)
	}
	outputs, verr := r.step.outputSchema.ValidateInPlace(ordered)
	if verr != nil {
		return errOutputInvalid(r.workflowID, r.step.id, verr)
	}
	r.outputs = outputs
	if len(r.step.providers) == 0 {
		r.providers = jsonx.NewObject()
		return nil
	}
	r.providers, err = r.b.runProviders(ctx, r.step, r.bd, outputs, r.workflowID, r.action, r.preview)
	return err
}

// parseEvent reads body into ev.
func parseEvent(body []byte, ev *event) error {
	if len(body) == 0 {
		return nil
	}
	v, err := jsonx.Decode(body)
	if err != nil {
		return errBadRequest("Invalid request body: %v", err)
	}
	o, ok := v.(*jsonx.Object)
	if !ok {
		return errBadRequest("Invalid request body: expected a JSON object")
	}
	ev.payload, ev.hasPayload = o.Get("payload")
	ev.controls, ev.hasControls = o.Get("controls")
	ev.subscriber, _ = o.Get("subscriber")
	ev.context, _ = o.Get("context")
	ev.env, _ = o.Get("env")
	ev.actor, _ = o.Get("actor")
	if st, ok := o.Get("state"); ok && st != nil {
		arr, ok := st.([]any)
		if !ok {
			return errBadRequest("Invalid request body: `state` must be an array")
		}
		if len(arr) > 0 {
			ev.state = make([]stateEntry, 0, len(arr))
		}
		for _, e := range arr {
			eo, ok := e.(*jsonx.Object)
			if !ok {
				return errBadRequest("Invalid request body: every `state` entry must be an object")
			}
			id, _ := eo.Get("stepId")
			sid, _ := id.(string)
			out, _ := eo.Get("outputs")
			ev.state = append(ev.state, stateEntry{sid, out})
		}
	}
	return nil
}

func (ev *event) find(stepID string) (stateEntry, bool) {
	for _, e := range ev.state {
		if e.stepID == stepID {
			return e, true
		}
	}
	return stateEntry{}, false
}

func (b *Bridge) execute(ctx context.Context, r *Request, action, workflowID, stepID string) (*Response, error) {
	start := time.Now()
	w, ok := b.workflows[workflowID]
	if !ok {
		return nil, errWorkflowNotFound(workflowID)
	}
	if n, max := b.overrunning.Load(), b.cfg.MaxOverrunningSteps; max > 0 && n >= int64(max) {
		return nil, errOverrunning(n)
	}
	x := new(execution)
	ev := &x.ev
	if err := parseEvent(r.Body, ev); err != nil {
		return nil, err
	}
	preview := action == "preview"

	payload := ev.payload
	if preview {
		payload = assign(mock(w.payloadSchema.Doc()), payload)
	} else if !jsonx.Truthy(payload) {
		return nil, errPayloadInvalid(workflowID, map[string]string{"message": "Event `payload` is required"})
	}
	// The event's values are this request's own: they are validated in
	// place, except the state's outputs, which Liquid sees as sent.
	payload, verr := w.payloadSchema.ValidateInPlace(payload)
	if verr != nil {
		return nil, errPayloadInvalid(workflowID, verr)
	}

	// Earlier steps are replayed from state: each must be there and match
	// its step type's result schema. Liquid sees every state entry as sent.
	idx, target := w.step(stepID)
	limit := idx
	if target == nil {
		limit = len(w.steps)
	}
	var results map[string]any // nil when no step comes before
	if limit > 0 {
		results = make(map[string]any, limit)
	}
	for _, s := range w.steps[:limit] {
		entry, found := ev.find(s.id)
		if preview {
			results[s.id] = merge(mock(s.resultSchema.Doc()), entry.outputs)
			continue
		}
		if !found {
			return nil, errStateCorrupt(workflowID, s.id)
		}
		v, verr := s.resultSchema.Validate(entry.outputs)
		if verr != nil {
			return nil, errResultInvalid(workflowID, s.id, verr)
		}
		results[s.id] = v
	}
	if target == nil {
		return b.stepResponse(jsonx.NewObject(), jsonx.NewObject(), false, start), nil
	}

	controls, verr := target.controlSchema.ValidateInPlace(ev.controls)
	if verr != nil {
		return nil, errControlsInvalid(workflowID, target.id, verr)
	}
	x.scope = liquidScope{w: w, payload: payload, ev: ev}
	compiled, err := b.liquid.RenderScope(controls, &x.scope)
	if err != nil {
		data := map[string]string{}
		var te *tmpl.Error
		if errors.As(err, &te) {
			data["name"] = te.Name
		}
		return nil, errControlsCompilation(workflowID, target.id, data, err)
	}

	in := &x.in
	*in = runInput{
		payload: payload, controls: compiled, subscriber: ev.subscriber, context: ev.context,
		env: ev.env, actor: ev.actor, results: results, workflowID: workflowID, preview: preview,
	}
	bd, err := target.bind(in)
	if err != nil {
		return nil, b.stepFailure(target.id, action, err)
	}
	// The developer's code runs in a goroutine of its own, all of it under
	// one deadline; decoding the request stays in the request's goroutine.
	x.run = stepRun{b: b, step: target, bd: bd, workflowID: workflowID, action: action, preview: preview}
	if err := guarded(&x.step, ctx, b.cfg.StepTimeout, &x.run, &b.overrunning); err != nil {
		return nil, b.stepFailure(target.id, action, err)
	}
	if x.run.skipped {
		return b.stepResponse(jsonx.NewObject(), jsonx.NewObject(), true, start), nil
	}
	sent := x.run.outputs
	if target.sanitize {
		sent = sanitize.Value(sent)
	}
	return b.stepResponse(sent, x.run.providers, false, start), nil
}

// skippedStep is what runResolver returns in place of outputs for a step
// that asked to be skipped.
var skippedStep = &struct{ skipped bool }{true}

// runResolver runs the developer's skip rule and resolver for the target
// step.
func runResolver(ctx context.Context, s *stepDef, bd bound, preview bool) (any, error) {
	if !preview && s.skip != nil {
		skip, err := s.skip(ctx, bd)
		if err != nil {
			return nil, err
		}
		if skip {
			return skippedStep, nil
		}
	}
	return s.resolve(ctx, bd)
}

// runProviders runs the step's provider overrides in order. In a preview a
// failing provider is replaced by example data.
func (b *Bridge) runProviders(ctx context.Context, s *stepDef, bd bound, outputs any, workflowID, action string, preview bool) (*jsonx.Object, error) {
	providers := jsonx.NewObjectSize(len(s.providers))
	for _, p := range s.providers {
		v, err := b.runProvider(ctx, p, bd, outputs, workflowID, s.id)
		if err != nil {
			if !preview {
				return nil, b.withStack(errProviderFailed(p.id, action, err))
			}
			v = mock(p.schema.Doc())
		}
		providers.Set(p.id, v)
	}
	return providers, nil
}

func (b *Bridge) runProvider(ctx context.Context, p providerDef, bd bound, outputs any, workflowID, stepID string) (_ any, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &panicError{r, debug.Stack()}
		}
	}()
	po, err := p.resolve(ctx, bd, outputs)
	if err != nil {
		return nil, err
	}
	fields, err := jsonx.FromGo(po.Fields)
	if err != nil {
		return nil, err
	}
	if fields == nil {
		fields = jsonx.NewObject()
	}
	validated, verr := p.schema.ValidateInPlace(fields)
	if verr != nil {
		return nil, errOutputInvalid(workflowID, stepID, verr)
	}
	if po.Passthrough != nil {
		pt, err := po.Passthrough.value()
		if err != nil {
			return nil, err
		}
		validated.(*jsonx.Object).Set("_passthrough", pt)
	}
	return validated, nil
}

// value is p as the answer holds it: the JSON text of what
// jsonx.FromGo(p) gives, written straight from p's maps.
func (p *Passthrough) value() (json.RawMessage, error) {
	b := make([]byte, 0, 128)
	b = append(b, '{')
	for _, f := range [...]struct {
		name string
		m    any
		n    int
	}{{"body", p.Body, len(p.Body)}, {"headers", p.Headers, len(p.Headers)}, {"query", p.Query, len(p.Query)}} {
		if f.n == 0 { // omitempty
			continue
		}
		if len(b) > 1 {
			b = append(b, ',')
		}
		b = jsonx.AppendString(b, f.name)
		b = append(b, ':')
		var err error
		if b, err = jsonx.AppendFromGo(b, f.m); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// stepFailure turns a resolver's error into the answer: an *Error it
// returned passes through, anything else is a 502.
func (b *Bridge) stepFailure(stepID, action string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return b.withStack(errStepFailed(stepID, action, err))
}

// withStack adds the failure's stack to the answer in dev mode only.
func (b *Bridge) withStack(e *Error) *Error {
	if !b.cfg.DevMode {
		return e
	}
	var p *panicError
	if errors.As(e.cause, &p) {
		e.Data = map[string]string{"stack": string(p.stack)}
	} else {
		e.Data = map[string]string{"stack": errorText(e.cause)}
	}
	return e
}

type panicError struct {
	value any
	stack []byte
}

func (p *panicError) Error() string { return fmt.Sprintf("panic: %v", p.value) }

func (b *Bridge) stepResponse(outputs, providers any, skip bool, start time.Time) *Response {
	buf := responseBuffers.Get().(*[]byte)
	body := append((*buf)[:0], `{"outputs":`...)
	body = jsonx.Append(body, outputs)
	body = append(body, `,"providers":`...)
	body = jsonx.Append(body, providers)
	body = append(body, `,"options":{"skip":`...)
	body = strconv.AppendBool(body, skip)
	body = append(body, `},"metadata":{"status":"success","error":false,"duration":`...)
	// Milliseconds, written as JSON.stringify writes a number of this size.
	body = strconv.AppendFloat(body, float64(time.Since(start).Nanoseconds())/1e6, 'f', -1, 64)
	body = append(body, "}}"...)
	resp := b.json(200, bytes.Clone(body))
	if cap(body) <= maxKeptResponse {
		*buf = body
		responseBuffers.Put(buf)
	}
	return resp
}

// responseBuffers keeps the buffers step responses are written in; each
// response gets a copy of its exact size.
var responseBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

// maxKeptResponse is the largest buffer kept for later responses.
const maxKeptResponse = 64 << 10

// liquidScope is what a step's control templates see: the validated
// payload, and the event's subscriber, context, env, actor and state.
type liquidScope struct {
	w       *Workflow
	payload any
	ev      *event
	steps   *jsonx.Object // Root("steps"), once built
}

// Bindings implements tmpl.Scope.
func (s *liquidScope) Bindings() map[string]any {
	ev := s.ev
	bindings := map[string]any{
		"workflow":   s.workflowVars(),
		"payload":    tmpl.Bindings(s.payload),
		"subscriber": tmpl.Bindings(ev.subscriber),
		"context":    tmpl.Bindings(ev.context),
		"steps":      liquidSteps(ev.state),
		"env":        map[string]any{},
	}
	if ev.env != nil {
		bindings["env"] = tmpl.Bindings(ev.env)
	}
	if jsonx.Truthy(ev.actor) {
		bindings["actor"] = tmpl.Bindings(ev.actor)
	}
	return bindings
}

// Root implements tmpl.Scope.
func (s *liquidScope) Root(name string) (any, bool) {
	ev := s.ev
	switch name {
	case "payload":
		return s.payload, true
	case "subscriber":
		return ev.subscriber, ev.subscriber != nil
	case "context":
		return ev.context, ev.context != nil
	case "env":
		return ev.env, ev.env != nil
	case "actor":
		return ev.actor, jsonx.Truthy(ev.actor)
	case "steps":
		if s.steps == nil {
			s.steps = jsonx.NewObject()
			for _, e := range ev.state {
				s.steps.Set(e.stepID, e.outputs) // the last entry of a step wins
			}
		}
		return s.steps, true
	case "workflow":
		o, _ := jsonx.FromGo(s.workflowVars())
		return o, true
	}
	return nil, false
}

func (s *liquidScope) workflowVars() map[string]any {
	w := s.w
	return map[string]any{
		"workflowId": w.id, "name": w.opts.Name, "description": w.opts.Description,
		"tags": stringsToAny(w.opts.Tags), "severity": string(w.opts.Severity),
	}
}

// liquidSteps is what templates see as `steps`: every state entry's
// outputs as sent.
func liquidSteps(state []stateEntry) map[string]any {
	m := make(map[string]any, len(state))
	for _, e := range state {
		m[e.stepID] = tmpl.Bindings(e.outputs)
	}
	return m
}

func stringsToAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// assign is Object.assign(base, over) for objects: over's keys replace
// base's. A non-object over replaces base; a nil one leaves it.
func assign(base, over any) any { return overlay(base, over, false) }

// merge is assign that merges nested objects key by key too.
func merge(base, over any) any { return overlay(base, over, true) }

func overlay(base, over any, deep bool) any {
	bo, ok1 := base.(*jsonx.Object)
	oo, ok2 := over.(*jsonx.Object)
	if !ok1 || !ok2 {
		if over == nil {
			return base
		}
		return over
	}
	for _, m := range oo.Members {
		v := m.Value
		if cur, ok := bo.Get(m.Key); ok && deep {
			v = overlay(cur, v, true)
		}
		bo.Set(m.Key, v)
	}
	return bo
}

package core

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"runtime"

	"github.com/echofn/echofn/core/internal/jsonx"
	"github.com/echofn/echofn/core/internal/schema"
	"github.com/echofn/echofn/core/internal/stepschema"
)

// Input is what a resolver receives: the run's payload and the step's
// controls (validated, defaults filled in, Liquid rendered), decoded into
// the step's Go types, with the rest of the run's context.
type Input[P, C any] struct {
	Payload    P
	Controls   C
	Subscriber Subscriber
	// Steps holds the results of the steps before this one.
	Steps Results
	// Context, Env and Actor are passed through from Novu as they came.
	Context map[string]any
	Env     map[string]any
	Actor   map[string]any
	// WorkflowID and StepID name what is running.
	WorkflowID string
	StepID     string
	// Preview is true when the Novu dashboard asks for a preview rather
	// than a delivery; resolvers should avoid side effects then.
	Preview bool
}

// Resolver computes a step's outputs from its input.
type Resolver[P, C, O any] func(ctx context.Context, in Input[P, C]) (O, error)

// Step is one step of a workflow whose payload is P. Create steps with
// Email, SMS, Push, Chat, InApp, Tool, Delay, Digest, Throttle, Custom or
// HTTPRequest.
type Step[P any] struct {
	def *stepDef
}

// ID returns the step's id.
func (s Step[P]) ID() string { return s.def.id }

// runInput is the untyped input handed to a step's resolver.
type runInput struct {
	payload    any // validated ordered value
	controls   any // compiled ordered value
	subscriber any
	context    any
	env        any
	actor      any
	results    map[string]any
	workflowID string
	preview    bool
}

// bound is a run's input decoded for one step: its *Input[P, C] and a
// pointer to its controls, a *C.
type bound struct {
	input    any
	controls any
}

type providerDef struct {
	id     string
	code   string
	schema *schema.Schema
	// resolve takes the step's bound input and its validated outputs.
	resolve func(ctx context.Context, b bound, outputs any) (ProviderOutput, error)
}

type stepDef struct {
	id            string
	typ           StepType
	controlSchema *schema.Schema
	outputSchema  *schema.Schema
	resultSchema  *schema.Schema
	payloadType   reflect.Type
	controlsType  reflect.Type
	outputsType   reflect.Type
	explicitCtl   bool
	explicitOut   bool
	providers     []providerDef
	// bind decodes a run's input into the step's Input[P, C] once; skip,
	// resolve and providers then share it.
	bind     func(in *runInput) (bound, error)
	skip     func(ctx context.Context, b bound) (bool, error)
	resolve  func(ctx context.Context, b bound) (any, error)
	code     string
	sanitize bool
	errs     []error
}

// StepOption changes how a step is defined.
type StepOption func(*stepDef)

// WithControlSchema gives the step's control schema as JSON Schema instead
// of deriving it from the controls type. The controls are still decoded into
// that type (use map[string]any to take them as they are).
func WithControlSchema(raw json.RawMessage) StepOption {
	return func(d *stepDef) {
		s, err := schema.Compile(raw)
		if err != nil {
			d.errs = append(d.errs, fmt.Errorf("step %q: control schema: %w", d.id, err))
			return
		}
		d.controlSchema, d.explicitCtl = s, true
	}
}

// WithOutputSchema gives a custom or http_request step's output schema as
// JSON Schema instead of deriving it from the output type.
func WithOutputSchema(raw json.RawMessage) StepOption {
	return func(d *stepDef) {
		if d.typ != StepCustom && d.typ != StepHTTPRequest {
			d.errs = append(d.errs, fmt.Errorf("step %q: an output schema can only be given for custom and http_request steps", d.id))
			return
		}
		s, err := schema.Compile(raw)
		if err != nil {
			d.errs = append(d.errs, fmt.Errorf("step %q: output schema: %w", d.id, err))
			return
		}
		d.outputSchema, d.resultSchema, d.explicitOut = s, s, true
	}
}

// SkipIf skips the step when fn, given the step's rendered controls,
// returns true. C must be the step's controls type. Novu then cancels the
// step's job; previews never skip.
func SkipIf[C any](fn func(controls C) bool) StepOption {
	return func(d *stepDef) {
		if want := reflect.TypeFor[C](); want != d.controlsType {
			d.errs = append(d.errs, fmt.Errorf("step %q: SkipIf takes %s, the step's controls type, not %s", d.id, d.controlsType, want))
			return
		}
		d.skip = func(_ context.Context, b bound) (bool, error) { return fn(*b.controls.(*C)), nil }
	}
}

// SkipWhen skips the step when fn, given the step's whole input (payload,
// subscriber, earlier steps' results, rendered controls), returns true. P
// and C must be the step's payload and controls types; an error fails the
// step as a resolver's error does. Previews never skip.
func SkipWhen[P, C any](fn func(ctx context.Context, in Input[P, C]) (bool, error)) StepOption {
	return func(d *stepDef) {
		if p, c := reflect.TypeFor[P](), reflect.TypeFor[C](); p != d.payloadType || c != d.controlsType {
			d.errs = append(d.errs, fmt.Errorf("step %q: SkipWhen takes Input[%s, %s], the step's types, not Input[%s, %s]", d.id, d.payloadType, d.controlsType, p, c))
			return
		}
		d.skip = func(ctx context.Context, b bound) (bool, error) { return fn(ctx, *b.input.(*Input[P, C])) }
	}
}

// WithProvider overrides what Novu sends to one delivery provider (by its
// Novu id, such as "sendgrid" or "slack") for this step. fn receives the
// step's input and its outputs; P, C and O must be the step's payload,
// controls and output types.
func WithProvider[P, C, O any](providerID string, fn func(ctx context.Context, in Input[P, C], outputs O) (ProviderOutput, error)) StepOption {
	return func(d *stepDef) {
		p, c, o := reflect.TypeFor[P](), reflect.TypeFor[C](), reflect.TypeFor[O]()
		if p != d.payloadType || c != d.controlsType || o != d.outputsType {
			d.errs = append(d.errs, fmt.Errorf("step %q: provider %q takes (Input[%s, %s], %s), the step's types, not (Input[%s, %s], %s)",
				d.id, providerID, d.payloadType, d.controlsType, d.outputsType, p, c, o))
			return
		}
		raw, ok := stepschema.Provider(string(d.typ), providerID)
		if !ok {
			d.errs = append(d.errs, fmt.Errorf("step %q: %q is not a %s provider", d.id, providerID, d.typ))
			return
		}
		for _, existing := range d.providers {
			if existing.id == providerID {
				d.errs = append(d.errs, fmt.Errorf("step %q: provider %q given twice", d.id, providerID))
				return
			}
		}
		d.providers = append(d.providers, providerDef{
			id:     providerID,
			code:   funcName(fn),
			schema: schema.Shared(raw),
			resolve: func(ctx context.Context, b bound, outputs any) (ProviderOutput, error) {
				var out O
				if err := jsonx.ToGo(outputs, &out); err != nil {
					return ProviderOutput{}, err
				}
				return fn(ctx, *b.input.(*Input[P, C]), out)
			},
		})
	}
}

// DisableOutputSanitization keeps the HTML in an email or in-app step's
// outputs as the resolver wrote it. Only use it for trusted content.
func DisableOutputSanitization() StepOption {
	return func(d *stepDef) { d.sanitize = false }
}

// Email defines an email step.
func Email[P, C any](id string, resolve Resolver[P, C, EmailOutput], opts ...StepOption) Step[P] {
	return newStep(id, StepEmail, resolve, opts)
}

// SMS defines an sms step.
func SMS[P, C any](id string, resolve Resolver[P, C, SMSOutput], opts ...StepOption) Step[P] {
	return newStep(id, StepSMS, resolve, opts)
}

// Push defines a push notification step.
func Push[P, C any](id string, resolve Resolver[P, C, PushOutput], opts ...StepOption) Step[P] {
	return newStep(id, StepPush, resolve, opts)
}

// Chat defines a chat step (Slack, Teams, Discord, ...).
func Chat[P, C any](id string, resolve Resolver[P, C, ChatOutput], opts ...StepOption) Step[P] {
	return newStep(id, StepChat, resolve, opts)
}

// InApp defines an in-app (Inbox) step.
func InApp[P, C any](id string, resolve Resolver[P, C, InAppOutput], opts ...StepOption) Step[P] {
	return newStep(id, StepInApp, resolve, opts)
}

// Tool defines a tool step (PagerDuty, Opsgenie, ...).
func Tool[P, C any](id string, resolve Resolver[P, C, ToolOutput], opts ...StepOption) Step[P] {
	return newStep(id, StepTool, resolve, opts)
}

// Delay defines a delay step.
func Delay[P, C any](id string, resolve Resolver[P, C, DelayOutput], opts ...StepOption) Step[P] {
	return newStep(id, StepDelay, resolve, opts)
}

// Digest defines a digest step. Later steps read the collected events with
// Results.Digest.
func Digest[P, C any](id string, resolve Resolver[P, C, DigestOutput], opts ...StepOption) Step[P] {
	return newStep(id, StepDigest, resolve, opts)
}

// Throttle defines a throttle step.
func Throttle[P, C any](id string, resolve Resolver[P, C, ThrottleOutput], opts ...StepOption) Step[P] {
	return newStep(id, StepThrottle, resolve, opts)
}

// Custom defines a custom step that runs code and returns a value of type O.
// O's schema (or WithOutputSchema) says what Novu stores; later steps read
// it with Results.Decode.
func Custom[P, C, O any](id string, resolve Resolver[P, C, O], opts ...StepOption) Step[P] {
	return newStep(id, StepCustom, resolve, opts)
}

// HTTPRequest defines an http_request step, whose outputs describe a
// request for Novu to make.
func HTTPRequest[P, C, O any](id string, resolve Resolver[P, C, O], opts ...StepOption) Step[P] {
	return newStep(id, StepHTTPRequest, resolve, opts)
}

func newStep[P, C, O any](id string, typ StepType, resolve Resolver[P, C, O], opts []StepOption) Step[P] {
	d := &stepDef{
		id:           id,
		typ:          typ,
		payloadType:  reflect.TypeFor[P](),
		controlsType: reflect.TypeFor[C](),
		outputsType:  reflect.TypeFor[O](),
		sanitize:     typ == StepEmail || typ == StepInApp,
		code:         funcName(resolve),
	}
	if id == "" {
		d.errs = append(d.errs, fmt.Errorf("a %s step needs an id", typ))
	}
	if resolve == nil {
		d.errs = append(d.errs, fmt.Errorf("step %q: no resolver", id))
	}
	for _, o := range opts {
		o(d)
	}
	if d.controlSchema == nil {
		d.controlSchema = derive(d, d.controlsType, "controls")
	}
	if typ == StepCustom || typ == StepHTTPRequest {
		if d.outputSchema == nil {
			d.outputSchema = derive(d, d.outputsType, "output")
			d.resultSchema = d.outputSchema
		}
	} else {
		out, res := stepschema.Step(string(typ))
		d.outputSchema, d.resultSchema = schema.Shared(out), schema.Shared(res)
	}
	d.bind = func(in *runInput) (bound, error) {
		typed := &Input[P, C]{
			Steps:      Results{in.results},
			WorkflowID: in.workflowID,
			StepID:     id,
			Preview:    in.preview,
		}
		if err := decodeInto(in.payload, &typed.Payload, "payload"); err != nil {
			return bound{}, err
		}
		if err := decodeInto(in.controls, &typed.Controls, "controls"); err != nil {
			return bound{}, err
		}
		for _, f := range []struct {
			v   any
			dst any
		}{{in.subscriber, &typed.Subscriber}, {in.context, &typed.Context}, {in.env, &typed.Env}, {in.actor, &typed.Actor}} {
			if o, ok := f.v.(*jsonx.Object); f.v != nil && (!ok || o.Len() > 0) {
				_ = jsonx.ToGo(f.v, f.dst) // loosely typed context: keep what decodes
			}
		}
		return bound{input: typed, controls: &typed.Controls}, nil
	}
	d.resolve = func(ctx context.Context, b bound) (any, error) {
		return resolve(ctx, *b.input.(*Input[P, C]))
	}
	return Step[P]{d}
}

func decodeInto(v any, dst any, what string) error {
	if v == nil {
		return nil
	}
	if err := jsonx.ToGo(v, dst); err != nil {
		return fmt.Errorf("decoding %s: %w", what, err)
	}
	return nil
}

func derive(d *stepDef, t reflect.Type, what string) *schema.Schema {
	raw, err := schema.For(t)
	if err == nil {
		var s *schema.Schema
		if s, err = schema.Compile(raw); err == nil {
			return s
		}
	}
	d.errs = append(d.errs, fmt.Errorf("step %q: %s schema from %s: %w", d.id, what, t, err))
	return schema.Shared(schema.Default)
}

// funcName describes a Go function for the "code" Novu stores: its name and
// where it is defined.
func funcName(fn any) string {
	v := reflect.ValueOf(fn)
	if v.Kind() != reflect.Func || v.IsNil() {
		return ""
	}
	f := runtime.FuncForPC(v.Pointer())
	if f == nil {
		return ""
	}
	file, line := f.FileLine(v.Pointer())
	return fmt.Sprintf("func %s (%s:%d)", f.Name(), shortPath(file), line)
}

func shortPath(p string) string {
	slashes := 0
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' {
			slashes++
			if slashes == 2 {
				return p[i+1:]
			}
		}
	}
	return p
}

// Results gives a step the results of the steps before it.
type Results struct {
	m map[string]any
}

// Has reports whether a result for stepID is present.
func (r Results) Has(stepID string) bool {
	_, ok := r.m[stepID]
	return ok
}

// Decode decodes the result of stepID into dst; use it for custom steps.
func (r Results) Decode(stepID string, dst any) error {
	v, ok := r.m[stepID]
	if !ok {
		return fmt.Errorf("no result for step %q", stepID)
	}
	return jsonx.ToGo(v, dst)
}

// Digest returns the events collected by the digest step stepID.
func (r Results) Digest(stepID string) (DigestResult, bool) { return result[DigestResult](r, stepID) }

// Delay returns how long the delay step stepID waited.
func (r Results) Delay(stepID string) (DelayResult, bool) { return result[DelayResult](r, stepID) }

// InApp returns what the subscriber did with the in-app step stepID.
func (r Results) InApp(stepID string) (InAppResult, bool) { return result[InAppResult](r, stepID) }

// Throttle returns whether the throttle step stepID held the run back.
func (r Results) Throttle(stepID string) (ThrottleResult, bool) {
	return result[ThrottleResult](r, stepID)
}

func result[T any](r Results, stepID string) (T, bool) {
	var t T
	if err := r.Decode(stepID, &t); err != nil {
		return t, false
	}
	return t, true
}

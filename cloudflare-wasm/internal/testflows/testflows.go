package testflows

import (
	"context"
	"encoding/json"
	"time"

	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/internal/conformance"
)

// StepTimeout is the step timeout of the test bridge, shorter than core's
// default so that a step that outlives it is quick to test.
const StepTimeout = time.Second

// StuckFor is how long the "stuck" step runs, past StepTimeout: its
// goroutine and timer outlive the request that started them.
const StuckFor = 2500 * time.Millisecond

// TimersPayload is the payload of the "sleep", "stuck" and "crash" workflows.
type TimersPayload struct {
	// SleepMS is how long the "sleep" step sleeps, in milliseconds.
	SleepMS int `json:"sleepMs"`
}

// Nothing is an empty set of controls.
type Nothing struct{}

// Slept is the output of the "sleep" step.
type Slept struct {
	SleptMS int `json:"sleptMs"`
}

// Config returns the test bridge's configuration for base (which brings
// the secret key and the server name).
func Config(base core.Config) core.Config {
	base.StepTimeout = StepTimeout
	return base
}

// Workflows returns the conformance workflows and three of one step each:
// "sleep" sleeps payload.sleepMs, "stuck" outlives the step timeout and
// "crash" brings the Go program down. Each step has its workflow's id.
func Workflows() []*core.Workflow {
	sleep := func(ctx context.Context, in core.Input[TimersPayload, Nothing]) (Slept, error) {
		time.Sleep(time.Duration(in.Payload.SleepMS) * time.Millisecond)
		return Slept{SleptMS: in.Payload.SleepMS}, nil
	}
	stuck := func(ctx context.Context, in core.Input[TimersPayload, Nothing]) (Slept, error) {
		<-time.After(StuckFor) // ignores ctx on purpose
		return Slept{SleptMS: int(StuckFor / time.Millisecond)}, nil
	}
	// crash brings the whole Go program down, as a bug in user code can:
	// a panic in a goroutine that nothing recovers. Only the worker tests
	// call it.
	crash := func(ctx context.Context, in core.Input[TimersPayload, Nothing]) (Slept, error) {
		go func() { panic("crash requested by the test") }()
		<-ctx.Done()
		return Slept{}, ctx.Err()
	}
	out := json.RawMessage(`{"type":"object","properties":{"sleptMs":{"type":"number"}},"required":["sleptMs"],"additionalProperties":false}`)
	one := func(id string, step core.Step[TimersPayload]) *core.Workflow {
		return core.NewWorkflow(id, core.WorkflowOptions{}, step)
	}
	return append(conformance.Workflows(),
		one("sleep", core.Custom("sleep", sleep, core.WithOutputSchema(out))),
		one("stuck", core.Custom("stuck", stuck, core.WithOutputSchema(out))),
		one("crash", core.Custom("crash", crash, core.WithOutputSchema(out))),
	)
}

package cloudsim

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Trigger describes one run of a workflow.
type Trigger struct {
	// Payload is the trigger payload; nil means {}.
	Payload json.RawMessage
	// Subscriber is the recipient as Novu would send it; nil means {}.
	Subscriber json.RawMessage
	// Context is sent to every step; nil leaves it out.
	Context json.RawMessage
	// Controls holds control values by step id, as edited in the dashboard;
	// a step without an entry gets {} and so its defaults.
	Controls map[string]json.RawMessage
	// DigestEvents are the events a digest step reports having collected;
	// nil means the triggering event alone.
	DigestEvents []DigestEvent
	// InApp is what the subscriber did with in-app notifications; nil means
	// unseen and unread.
	InApp json.RawMessage
}

// DigestEvent is one event a digest collected.
type DigestEvent struct {
	ID      string          `json:"id"`
	Time    string          `json:"time"`
	Payload json.RawMessage `json:"payload"`
}

// StepRun is what happened to one step in a run.
type StepRun struct {
	StepID string
	Type   string
	// Skipped is true when the step asked to be skipped.
	Skipped bool
	// Result is the bridge's answer; nil when the step failed.
	Result *StepResult
	// Note says how the step would act in Novu, for delay, digest and
	// throttle steps (they are reported, not waited for).
	Note string
	// Err is the bridge's error for this step; the run stops at it.
	Err error
}

// Run is the outcome of running a workflow end to end.
type Run struct {
	WorkflowID string
	Steps      []StepRun
	Duration   time.Duration
}

// Failed returns the first failed step, or nil.
func (r *Run) Failed() *StepRun {
	for i := range r.Steps {
		if r.Steps[i].Err != nil {
			return &r.Steps[i]
		}
	}
	return nil
}

// Run discovers the bridge's workflows and executes workflowID step by step,
// as Novu's worker would: each step gets the results of the steps before it
// (nearest first), a skipped step is recorded and passed over, and the run
// stops at the first error.
func (c *Client) Run(ctx context.Context, workflowID string, t Trigger) (*Run, error) {
	start := time.Now()
	d, err := c.Discover(ctx)
	if err != nil {
		return nil, fmt.Errorf("discover: %w", err)
	}
	wf, ok := d.Workflow(workflowID)
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrWorkflowNotFound, workflowID)
	}
	run := &Run{WorkflowID: workflowID}
	var state []State // nearest first
	payload := t.Payload
	if len(payload) == 0 {
		payload = json.RawMessage(`{}`)
	}
	for _, s := range wf.Steps {
		ev := Event{
			Payload:    payload,
			Controls:   t.Controls[s.StepID],
			State:      append([]State{}, state...),
			Subscriber: t.Subscriber,
			Context:    t.Context,
		}
		sr := StepRun{StepID: s.StepID, Type: s.Type}
		res, err := c.Execute(ctx, workflowID, s.StepID, ev)
		if err != nil {
			sr.Err = err
			run.Steps = append(run.Steps, sr)
			break
		}
		sr.Result = res
		sr.Skipped = res.Options.Skip
		outputs, note := resultFor(s.Type, res, t, payload)
		sr.Note = note
		run.Steps = append(run.Steps, sr)
		status := "completed"
		if sr.Skipped {
			status = "canceled"
		}
		state = append([]State{{StepID: s.StepID, Outputs: outputs, State: StateStatus{Status: status}}}, state...)
	}
	run.Duration = time.Since(start)
	return run, nil
}

// resultFor is the state entry Novu records for a finished step, and a note
// on what the step would do there.
func resultFor(typ string, res *StepResult, t Trigger, payload json.RawMessage) (json.RawMessage, string) {
	switch typ {
	case "delay":
		return json.RawMessage(`{"duration":0}`), "would wait: " + string(res.Outputs)
	case "digest":
		events := t.DigestEvents
		if events == nil {
			events = []DigestEvent{{ID: "event-1", Time: time.Now().UTC().Format("2006-01-02T15:04:05.000Z"), Payload: payload}}
		}
		b, _ := json.Marshal(struct {
			EventCount int           `json:"eventCount"`
			Events     []DigestEvent `json:"events"`
		}{len(events), events})
		return b, fmt.Sprintf("would collect events (%s); reporting %d", res.Outputs, len(events))
	case "throttle":
		return json.RawMessage(`{"throttled":false}`), "would throttle: " + string(res.Outputs)
	case "in_app":
		if len(t.InApp) > 0 {
			return t.InApp, ""
		}
		return json.RawMessage(`{"seen":false,"read":false,"lastSeenDate":null,"lastReadDate":null}`), ""
	case "custom", "http_request":
		return res.Outputs, ""
	default:
		return json.RawMessage(`{}`), ""
	}
}

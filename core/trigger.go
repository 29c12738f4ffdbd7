package core

import (
	"context"
	"errors"

	"github.com/echofn/echofn/core/internal/jsonx"
)

// apiFailure is an answer outside 2xx from Novu's API, as a
// TriggerForwarder reports it.
type apiFailure interface {
	error
	APIStatus() int
	APICode() string
	APIMessage() string
}

// trigger forwards a `trigger` call to Novu's API, building the body as
// Novu's SDK does: query workflowId unless the body names one, payload and
// overrides default to {}, and the optional keys only when set.
func (b *Bridge) trigger(ctx context.Context, r *Request, workflowID string) (*Response, error) {
	if b.cfg.Trigger == nil {
		return nil, newError(501, CodeBridge, "The `trigger` action is not configured on this bridge; trigger workflows through the Novu API.")
	}
	in := jsonx.NewObject()
	if len(r.Body) > 0 {
		v, err := jsonx.Decode(r.Body)
		if err != nil {
			return nil, errBadRequest("Invalid request body: %v", err)
		}
		o, ok := v.(*jsonx.Object)
		if !ok {
			return nil, errBadRequest("Invalid request body: expected a JSON object")
		}
		in = o
	}
	name, ok := in.Get("workflowId")
	if !ok {
		name = workflowID
	}
	out := jsonx.NewObject()
	out.Set("name", name)
	if to, ok := in.Get("to"); ok {
		out.Set("to", to)
	}
	out.Set("payload", orEmpty(in, "payload"))
	if t, ok := in.Get("transactionId"); ok {
		out.Set("transactionId", t)
	}
	out.Set("overrides", orEmpty(in, "overrides"))
	for _, k := range []string{"actor", "bridgeUrl", "controls", "context"} {
		if v, ok := in.Get(k); ok && jsonx.Truthy(v) {
			out.Set(k, v)
		}
	}
	if v, ok := in.Get("agentId"); ok {
		out.Set("agentId", v)
	}
	answer, err := b.cfg.Trigger.ForwardTrigger(ctx, jsonx.Marshal(out))
	if err != nil {
		var af apiFailure
		if errors.As(err, &af) && af.APIStatus() >= 400 && af.APIStatus() < 500 && af.APICode() != "" {
			return nil, &Error{Status: af.APIStatus(), Code: af.APICode(), Message: "",
				Data: map[string]string{"message": af.APIMessage()}, cause: err}
		}
		return nil, &Error{Status: 500, Code: CodeBridge, Message: "Unknown BridgeError: " + err.Error(), cause: err}
	}
	if _, err := jsonx.Decode(answer); err != nil {
		return nil, &Error{Status: 500, Code: CodeBridge, Message: "Unknown BridgeError: the Novu API answered with invalid JSON", cause: err}
	}
	return b.json(200, answer), nil
}

func orEmpty(o *jsonx.Object, key string) any {
	if v, ok := o.Get(key); ok && jsonx.Truthy(v) {
		return v
	}
	return jsonx.NewObject()
}

package studio

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/echofn/echofn/cloudsim"
)

// maxRequestBytes bounds the body of a Studio API request.
const maxRequestBytes = 4 << 20

// WorkflowInfo is a workflow as the Studio page shows it.
type WorkflowInfo struct {
	WorkflowID    string          `json:"workflowId"`
	Name          string          `json:"name,omitempty"`
	Description   string          `json:"description,omitempty"`
	Severity      string          `json:"severity,omitempty"`
	Tags          []string        `json:"tags"`
	PayloadSchema json.RawMessage `json:"payloadSchema"`
	Steps         []StepInfo      `json:"steps"`
}

// StepInfo is a step as the Studio page shows it.
type StepInfo struct {
	StepID         string          `json:"stepId"`
	Type           string          `json:"type"`
	ControlsSchema json.RawMessage `json:"controlsSchema"`
	Providers      []string        `json:"providers"`
}

// DiscoverResponse answers api/discover.
type DiscoverResponse struct {
	Workflows []WorkflowInfo `json:"workflows"`
}

// StepRequest is the body of api/preview and api/run: the inputs of one run
// of a workflow.
type StepRequest struct {
	WorkflowID string          `json:"workflowId"`
	Payload    json.RawMessage `json:"payload,omitempty"`
	Subscriber json.RawMessage `json:"subscriber,omitempty"`
	Context    json.RawMessage `json:"context,omitempty"`
	// Controls holds control values by step id.
	Controls map[string]json.RawMessage `json:"controls,omitempty"`
	// DigestEvents are what digest steps report having collected; absent
	// or null means the triggering event alone.
	DigestEvents []cloudsim.DigestEvent `json:"digestEvents,omitempty"`
}

// APIError is a failure as the page receives it: the Studio's own, or the
// bridge's error answer (status, code, message and data as the bridge sent
// them).
type APIError struct {
	Status  int             `json:"status"`
	Code    string          `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data,omitempty"`
}

// StepOutcome is one step's preview or run result.
type StepOutcome struct {
	StepID     string                     `json:"stepId"`
	Type       string                     `json:"type"`
	Skipped    bool                       `json:"skipped,omitempty"`
	Outputs    json.RawMessage            `json:"outputs,omitempty"`
	Providers  map[string]json.RawMessage `json:"providers,omitempty"`
	Note       string                     `json:"note,omitempty"`
	DurationMS float64                    `json:"durationMs,omitempty"`
	Error      *APIError                  `json:"error,omitempty"`
}

// PreviewResponse answers api/preview.
type PreviewResponse struct {
	WorkflowID string        `json:"workflowId"`
	Steps      []StepOutcome `json:"steps"`
}

// RunResponse answers api/run.
type RunResponse struct {
	WorkflowID string        `json:"workflowId"`
	DurationMS float64       `json:"durationMs"`
	Steps      []StepOutcome `json:"steps"`
}

type errorBody struct {
	Error APIError `json:"error"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"error":{"status":500,"code":"encode_failed","message":"The Studio could not encode its answer."}}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, errorBody{APIError{Status: status, Code: code, Message: msg}})
}

// sameOriginJSON checks that a request comes from the Studio page itself: a
// POST with a JSON body, and, when the browser says where it comes from,
// from this very origin. A request without Origin and Sec-Fetch-Site is not
// from a browser page (browsers send Origin with every POST), so it is let
// through: it could not have been made by a web site anyway.
func sameOriginJSON(r *http.Request) (status int, code, msg string) {
	if r.Method != http.MethodPost {
		return http.StatusMethodNotAllowed, "method_not_allowed", "The Studio API only takes POST requests."
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return http.StatusUnsupportedMediaType, "unsupported_media_type", "The Studio API only takes application/json bodies."
	}
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" {
		return http.StatusForbidden, "cross_origin", "The Studio API only answers its own page (Sec-Fetch-Site: " + site + ")."
	}
	if origin := r.Header.Get("Origin"); origin != "" {
		u, err := url.Parse(origin)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !strings.EqualFold(u.Host, r.Host) {
			return http.StatusForbidden, "cross_origin", "The Studio API only answers its own page."
		}
	}
	return 0, "", ""
}

func (s *server) serveAPI(w http.ResponseWriter, r *http.Request, name string) {
	var handle func(context.Context, []byte) (int, any)
	switch name {
	case "discover":
		handle = s.discover
	case "preview":
		handle = s.preview
	case "run":
		handle = s.run
	default:
		writeError(w, http.StatusNotFound, "not_found", "No such Studio API endpoint.")
		return
	}
	if status, code, msg := sameOriginJSON(r); status != 0 {
		if status == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", http.MethodPost)
		}
		writeError(w, status, code, msg)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBytes+1))
	if err != nil {
		writeError(w, http.StatusBadRequest, "unreadable_body", "The request body could not be read.")
		return
	}
	if len(body) > maxRequestBytes {
		writeError(w, http.StatusRequestEntityTooLarge, "body_too_large", fmt.Sprintf("The request body is larger than %d bytes.", maxRequestBytes))
		return
	}
	status, v := handle(r.Context(), body)
	writeJSON(w, status, v)
}

// bridgeFailure turns an error from the bridge or the transport into an
// APIError and the status the Studio answers with.
func bridgeFailure(err error) *APIError {
	var be *cloudsim.BridgeError
	switch {
	case errors.As(err, &be):
		return &APIError{Status: be.Status, Code: be.Code, Message: be.Message, Data: be.Data}
	case errors.Is(err, cloudsim.ErrUnexpectedBody):
		return &APIError{Status: http.StatusBadGateway, Code: "bridge_unexpected_answer", Message: err.Error()}
	}
	return &APIError{Status: http.StatusBadGateway, Code: "bridge_unreachable", Message: err.Error()}
}

func failure(e *APIError) (int, any) {
	status := http.StatusBadGateway
	if e.Status >= 400 && e.Status < 500 && e.Status != http.StatusUnauthorized {
		status = e.Status
	}
	return status, errorBody{*e}
}

func (s *server) discover(ctx context.Context, body []byte) (int, any) {
	d, err := s.client.Discover(ctx)
	if err != nil {
		return failure(bridgeFailure(err))
	}
	out := DiscoverResponse{Workflows: []WorkflowInfo{}}
	for _, wf := range d.Workflows {
		out.Workflows = append(out.Workflows, workflowInfo(wf))
	}
	return http.StatusOK, out
}

func workflowInfo(wf cloudsim.Workflow) WorkflowInfo {
	info := WorkflowInfo{
		WorkflowID:    wf.WorkflowID,
		Name:          wf.Name,
		Description:   wf.Description,
		Severity:      wf.Severity,
		Tags:          wf.Tags,
		PayloadSchema: orEmptyObject(wf.Payload.Schema),
		Steps:         []StepInfo{},
	}
	if info.Tags == nil {
		info.Tags = []string{}
	}
	for _, st := range wf.Steps {
		si := StepInfo{StepID: st.StepID, Type: st.Type, ControlsSchema: orEmptyObject(st.Controls.Schema), Providers: []string{}}
		for _, p := range st.Providers {
			si.Providers = append(si.Providers, p.Type)
		}
		info.Steps = append(info.Steps, si)
	}
	return info
}

func orEmptyObject(raw json.RawMessage) json.RawMessage {
	if len(bytes.TrimSpace(raw)) == 0 || string(raw) == "null" {
		return json.RawMessage(`{}`)
	}
	return raw
}

func parseStepRequest(body []byte) (*StepRequest, *APIError) {
	var req StepRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return nil, &APIError{Status: http.StatusBadRequest, Code: "bad_request", Message: "The request is not valid JSON for this endpoint: " + err.Error()}
	}
	if req.WorkflowID == "" {
		return nil, &APIError{Status: http.StatusBadRequest, Code: "bad_request", Message: "workflowId is required."}
	}
	for _, f := range []struct {
		name string
		raw  json.RawMessage
	}{{"payload", req.Payload}, {"subscriber", req.Subscriber}, {"context", req.Context}} {
		if len(f.raw) > 0 && !isObject(f.raw) {
			return nil, &APIError{Status: http.StatusBadRequest, Code: "bad_request", Message: f.name + " must be a JSON object."}
		}
	}
	if string(req.Context) == "null" {
		req.Context = nil
	}
	return &req, nil
}

func isObject(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) > 0 && t[0] == '{'
}

// workflow discovers the bridge and finds one workflow.
func (s *server) workflow(ctx context.Context, id string) (*cloudsim.Workflow, *APIError) {
	d, err := s.client.Discover(ctx)
	if err != nil {
		return nil, bridgeFailure(err)
	}
	wf, ok := d.Workflow(id)
	if !ok {
		return nil, &APIError{Status: http.StatusNotFound, Code: "workflow_not_found", Message: fmt.Sprintf("The bridge serves no workflow %q.", id)}
	}
	return wf, nil
}

// digestEvents is what a digest step reports: the given events, or the
// triggering event alone, as cloudsim.Client.Run does.
func digestEvents(req *StepRequest, payload json.RawMessage) json.RawMessage {
	events := req.DigestEvents
	if events == nil {
		events = []cloudsim.DigestEvent{{ID: "event-1", Time: time.Now().UTC().Format("2006-01-02T15:04:05.000Z"), Payload: payload}}
	}
	b, _ := json.Marshal(struct {
		EventCount int                    `json:"eventCount"`
		Events     []cloudsim.DigestEvent `json:"events"`
	}{len(events), events})
	return b
}

// preview renders every step of a workflow through the bridge's preview
// action, in order. Digest steps report the given digest events and custom
// steps their previewed outputs to the steps after them; the bridge makes up
// the other earlier results.
func (s *server) preview(ctx context.Context, body []byte) (int, any) {
	req, e := parseStepRequest(body)
	if e != nil {
		return failure(e)
	}
	wf, e := s.workflow(ctx, req.WorkflowID)
	if e != nil {
		return failure(e)
	}
	payload := req.Payload
	if len(payload) == 0 {
		payload = json.RawMessage(`{}`)
	}
	out := PreviewResponse{WorkflowID: wf.WorkflowID, Steps: []StepOutcome{}}
	var state []cloudsim.State // nearest first
	for _, st := range wf.Steps {
		res, err := s.client.Preview(ctx, wf.WorkflowID, st.StepID, cloudsim.Event{
			Payload:    payload,
			Controls:   req.Controls[st.StepID],
			State:      append([]cloudsim.State{}, state...),
			Subscriber: req.Subscriber,
			Context:    req.Context,
		})
		so := StepOutcome{StepID: st.StepID, Type: st.Type}
		if err != nil {
			if ctx.Err() != nil {
				return failure(bridgeFailure(err))
			}
			so.Error = bridgeFailure(err)
		} else {
			so.Outputs, so.Providers, so.DurationMS = res.Outputs, res.Providers, res.Metadata.Duration
		}
		out.Steps = append(out.Steps, so)
		var result json.RawMessage
		switch st.Type {
		case "digest":
			result = digestEvents(req, payload)
		case "custom", "http_request":
			if err == nil {
				result = res.Outputs
			}
		}
		if result != nil {
			state = append([]cloudsim.State{{StepID: st.StepID, Outputs: result, State: cloudsim.StateStatus{Status: "completed"}}}, state...)
		}
	}
	return http.StatusOK, out
}

// run executes a workflow end to end as `echofn run` does.
func (s *server) run(ctx context.Context, body []byte) (int, any) {
	req, e := parseStepRequest(body)
	if e != nil {
		return failure(e)
	}
	run, err := s.client.Run(ctx, req.WorkflowID, cloudsim.Trigger{
		Payload:      req.Payload,
		Subscriber:   req.Subscriber,
		Context:      req.Context,
		Controls:     req.Controls,
		DigestEvents: req.DigestEvents,
	})
	if errors.Is(err, cloudsim.ErrWorkflowNotFound) {
		return failure(&APIError{Status: http.StatusNotFound, Code: "workflow_not_found", Message: fmt.Sprintf("The bridge serves no workflow %q.", req.WorkflowID)})
	}
	if err != nil {
		return failure(bridgeFailure(err))
	}
	out := RunResponse{WorkflowID: run.WorkflowID, DurationMS: float64(run.Duration.Microseconds()) / 1000, Steps: []StepOutcome{}}
	for _, sr := range run.Steps {
		so := StepOutcome{StepID: sr.StepID, Type: sr.Type, Skipped: sr.Skipped, Note: sr.Note}
		if sr.Result != nil {
			so.Outputs, so.Providers, so.DurationMS = sr.Result.Outputs, sr.Result.Providers, sr.Result.Metadata.Duration
		}
		if sr.Err != nil {
			so.Error = bridgeFailure(sr.Err)
		}
		out.Steps = append(out.Steps, so)
	}
	return http.StatusOK, out
}

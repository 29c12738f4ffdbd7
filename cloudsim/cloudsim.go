package cloudsim

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/core/signature"
)

// Transport carries one signed call to a bridge and returns its status and
// body.
type Transport interface {
	Call(ctx context.Context, method string, query url.Values, body []byte) (status int, respBody []byte, err error)
}

// HTTP returns a Transport that calls the bridge at bridgeURL over HTTP,
// signing every request with secretKey as Novu does. A nil client means
// http.DefaultClient.
func HTTP(bridgeURL, secretKey string, client *http.Client) Transport {
	if client == nil {
		client = http.DefaultClient
	}
	return &httpTransport{url: bridgeURL, secret: secretKey, client: client}
}

type httpTransport struct {
	url    string
	secret string
	client *http.Client
}

func (t *httpTransport) Call(ctx context.Context, method string, query url.Values, body []byte) (int, []byte, error) {
	u, err := url.Parse(t.url)
	if err != nil {
		return 0, nil, fmt.Errorf("bridge URL: %w", err)
	}
	q := u.Query()
	for k, v := range query {
		q[k] = v
	}
	u.RawQuery = q.Encode()
	var rd io.Reader
	if method == http.MethodPost {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Bypass-Tunnel-Reminder", "true")
	if method != http.MethodPost {
		body = nil
	}
	req.Header.Set(signature.Header, signature.Sign(t.secret, time.Now(), body))
	resp, err := t.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	return resp.StatusCode, b, err
}

// InProcess returns a Transport that hands signed requests straight to a
// bridge in the same process.
func InProcess(b *core.Bridge, secretKey string) Transport {
	return &inProcess{b: b, secret: secretKey}
}

type inProcess struct {
	b      *core.Bridge
	secret string
}

func (t *inProcess) Call(ctx context.Context, method string, query url.Values, body []byte) (int, []byte, error) {
	signed := body
	if method != http.MethodPost {
		signed = nil
	}
	sig := signature.Sign(t.secret, time.Now(), signed)
	resp := t.b.Handle(ctx, &core.Request{
		Method: method,
		Query:  query,
		Header: func(name string) string {
			if strings.EqualFold(name, signature.Header) {
				return sig
			}
			return ""
		},
		Body: body,
	})
	return resp.Status, resp.Body, nil
}

// Client calls one bridge as Novu Cloud does.
type Client struct {
	Transport Transport
}

// BridgeError is an error answer from the bridge.
type BridgeError struct {
	Status  int             `json:"status"`
	Code    string          `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data,omitempty"`
}

func (e *BridgeError) Error() string {
	if e.Code == "" {
		return fmt.Sprintf("bridge answered %d: %s", e.Status, e.Message)
	}
	return fmt.Sprintf("bridge answered %d %s: %s", e.Status, e.Code, e.Message)
}

func (c *Client) call(ctx context.Context, method string, q url.Values, body []byte, out any) error {
	status, resp, err := c.Transport.Call(ctx, method, q, body)
	if err != nil {
		return err
	}
	if status < 200 || status > 299 {
		be := &BridgeError{Status: status}
		if json.Unmarshal(resp, be) != nil || be.Message == "" && be.Code == "" {
			be.Message = strings.TrimSpace(string(resp))
			if len(be.Message) > 500 {
				be.Message = be.Message[:500] + "…"
			}
		}
		return be
	}
	if err := json.Unmarshal(resp, out); err != nil {
		return fmt.Errorf("bridge answered %d with a body that is %w: %w", status, ErrUnexpectedBody, err)
	}
	return nil
}

// Health is the answer to a health-check.
type Health struct {
	Status           string `json:"status"`
	SDKVersion       string `json:"sdkVersion"`
	FrameworkVersion string `json:"frameworkVersion"`
	Discovered       struct {
		Workflows int `json:"workflows"`
		Steps     int `json:"steps"`
	} `json:"discovered"`
}

// HealthCheck asks the bridge whether it is up.
func (c *Client) HealthCheck(ctx context.Context) (*Health, error) {
	var h Health
	err := c.call(ctx, http.MethodGet, url.Values{"action": {"health-check"}}, nil, &h)
	return &h, err
}

// Discovery is what a bridge serves.
type Discovery struct {
	Workflows []Workflow `json:"workflows"`
}

// Workflow is a discovered workflow.
type Workflow struct {
	WorkflowID  string          `json:"workflowId"`
	Name        string          `json:"name,omitempty"`
	Description string          `json:"description,omitempty"`
	Severity    string          `json:"severity"`
	Tags        []string        `json:"tags"`
	Steps       []Step          `json:"steps"`
	Payload     SchemaPair      `json:"payload"`
	Controls    SchemaPair      `json:"controls"`
	Preferences json.RawMessage `json:"preferences"`
}

// Step is a discovered step.
type Step struct {
	StepID    string          `json:"stepId"`
	Type      string          `json:"type"`
	Controls  SchemaPair      `json:"controls"`
	Outputs   SchemaPair      `json:"outputs"`
	Results   SchemaPair      `json:"results"`
	Options   json.RawMessage `json:"options"`
	Providers []struct {
		Type string `json:"type"`
	} `json:"providers"`
}

// SchemaPair holds a JSON Schema as Novu publishes it.
type SchemaPair struct {
	Schema json.RawMessage `json:"schema"`
}

// Discover asks the bridge for its workflows.
func (c *Client) Discover(ctx context.Context) (*Discovery, error) {
	var d Discovery
	err := c.call(ctx, http.MethodGet, url.Values{"action": {"discover"}}, nil, &d)
	return &d, err
}

// Workflow finds a discovered workflow by id.
func (d *Discovery) Workflow(id string) (*Workflow, bool) {
	for i := range d.Workflows {
		if d.Workflows[i].WorkflowID == id {
			return &d.Workflows[i], true
		}
	}
	return nil, false
}

// Event is the body of an execute or preview call.
type Event struct {
	Payload    json.RawMessage `json:"payload"`
	Controls   json.RawMessage `json:"controls"`
	State      []State         `json:"state"`
	Subscriber json.RawMessage `json:"subscriber"`
	Context    json.RawMessage `json:"context,omitempty"`
	Env        json.RawMessage `json:"env,omitempty"`
}

// State is an earlier step's result as Novu sends it back.
type State struct {
	StepID  string          `json:"stepId"`
	Outputs json.RawMessage `json:"outputs"`
	State   StateStatus     `json:"state"`
}

// StateStatus is the job status of an earlier step.
type StateStatus struct {
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
}

// StepResult is a bridge's answer to execute or preview.
type StepResult struct {
	Outputs   json.RawMessage            `json:"outputs"`
	Providers map[string]json.RawMessage `json:"providers"`
	Options   struct {
		Skip bool `json:"skip"`
	} `json:"options"`
	Metadata struct {
		Status   string  `json:"status"`
		Error    bool    `json:"error"`
		Duration float64 `json:"duration"`
	} `json:"metadata"`
}

// Execute runs one step as Novu's worker does.
func (c *Client) Execute(ctx context.Context, workflowID, stepID string, ev Event) (*StepResult, error) {
	return c.step(ctx, "execute", workflowID, stepID, ev)
}

// Preview renders one step as the Novu dashboard does.
func (c *Client) Preview(ctx context.Context, workflowID, stepID string, ev Event) (*StepResult, error) {
	return c.step(ctx, "preview", workflowID, stepID, ev)
}

func (c *Client) step(ctx context.Context, action, workflowID, stepID string, ev Event) (*StepResult, error) {
	ev = withDefaults(ev)
	body, err := json.Marshal(ev)
	if err != nil {
		return nil, err
	}
	var r StepResult
	q := url.Values{"action": {action}, "workflowId": {workflowID}, "stepId": {stepID}}
	if err := c.call(ctx, http.MethodPost, q, body, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

func withDefaults(ev Event) Event {
	if len(ev.Payload) == 0 {
		ev.Payload = json.RawMessage(`{}`)
	}
	if len(ev.Controls) == 0 {
		ev.Controls = json.RawMessage(`{}`)
	}
	if len(ev.Subscriber) == 0 {
		ev.Subscriber = json.RawMessage(`{}`)
	}
	if ev.State == nil {
		ev.State = []State{}
	}
	return ev
}

// ErrUnexpectedBody is wrapped by the error a Client returns when a
// successful answer is not the JSON a bridge would send, as when the URL
// is some other web page.
var ErrUnexpectedBody = errors.New("not the expected JSON")

// ErrWorkflowNotFound is returned by Run for a workflow the bridge does not
// serve.
var ErrWorkflowNotFound = errors.New("cloudsim: workflow not found on the bridge")

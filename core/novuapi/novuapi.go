// Package novuapi calls Novu's REST API: it triggers workflows and tells an
// environment where its bridge is.
//
// Requests carry "Authorization: ApiKey <secret key>". The API URL is
// https://api.novu.co by default; https://eu.api.novu.co serves the EU
// region, and a self-hosted Novu has its own.
package novuapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
)

// Default API URLs.
const (
	DefaultAPIURL = "https://api.novu.co"
	EUAPIURL      = "https://eu.api.novu.co"
)

// Client calls one Novu environment's API. The zero value is not usable:
// set SecretKey.
type Client struct {
	// SecretKey is the environment's secret key.
	SecretKey string
	// APIURL is the API's base URL; empty means DefaultAPIURL.
	APIURL string
	// HTTPClient makes the requests; nil means http.DefaultClient.
	HTTPClient *http.Client
}

// FromEnv returns a client configured by NOVU_SECRET_KEY and NOVU_API_URL.
func FromEnv() *Client {
	return &Client{SecretKey: os.Getenv("NOVU_SECRET_KEY"), APIURL: os.Getenv("NOVU_API_URL")}
}

// APIError is an answer outside 2xx from the Novu API.
type APIError struct {
	Status int
	// Code is the API's "error" field, such as "Bad Request".
	Code    string
	Message string
	// Body is the raw answer.
	Body []byte
}

func (e *APIError) Error() string {
	if e.Message != "" {
		return fmt.Sprintf("novu api: %d %s: %s", e.Status, e.Code, e.Message)
	}
	return fmt.Sprintf("novu api: %d", e.Status)
}

// ErrNoSecretKey is returned when the client has no secret key.
var ErrNoSecretKey = errors.New("novu api: no secret key (set NOVU_SECRET_KEY)")

// Post sends body as JSON to path under the API URL and returns the answer
// body; an answer outside 2xx is an *APIError.
func (c *Client) Post(ctx context.Context, path string, body []byte) ([]byte, error) {
	return c.do(ctx, http.MethodPost, path, body)
}

func (c *Client) do(ctx context.Context, method, path string, body []byte) ([]byte, error) {
	if c.SecretKey == "" {
		return nil, ErrNoSecretKey
	}
	base := c.APIURL
	if base == "" {
		base = DefaultAPIURL
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(base, "/")+path, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "ApiKey "+c.SecretKey)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	hc := c.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("novu api: %w", err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return nil, fmt.Errorf("novu api: reading the answer: %w", err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := &APIError{Status: resp.StatusCode, Body: out}
		var parsed struct {
			Error   string `json:"error"`
			Message any    `json:"message"`
		}
		if json.Unmarshal(out, &parsed) == nil {
			e.Code = parsed.Error
			switch m := parsed.Message.(type) {
			case string:
				e.Message = m
			case nil:
			default:
				b, _ := json.Marshal(m)
				e.Message = string(b)
			}
		}
		return nil, e
	}
	return out, nil
}

// Recipient is who a trigger notifies: a subscriber id, a subscriber
// object, a topic, or a list of those.
type Recipient = any

// Topic addresses every subscriber of a topic.
type Topic struct {
	TopicKey string   `json:"topicKey"`
	Type     string   `json:"type"` // always "Topic"
	Exclude  []string `json:"exclude,omitempty"`
}

// ToTopic returns a Recipient for a topic.
func ToTopic(key string) Topic { return Topic{TopicKey: key, Type: "Topic"} }

// TriggerRequest is one trigger of a workflow.
type TriggerRequest struct {
	// WorkflowID names the workflow ("name" on the wire).
	WorkflowID string `json:"name"`
	// To is a subscriber id string, a subscriber object, a Topic or a
	// slice of those.
	To            Recipient      `json:"to"`
	Payload       any            `json:"payload,omitempty"`
	Overrides     map[string]any `json:"overrides,omitempty"`
	TransactionID string         `json:"transactionId,omitempty"`
	Actor         any            `json:"actor,omitempty"`
	Tenant        any            `json:"tenant,omitempty"`
	Context       map[string]any `json:"context,omitempty"`
}

// TriggerResult is Novu's acknowledgement of a trigger.
type TriggerResult struct {
	Acknowledged  bool   `json:"acknowledged"`
	Status        string `json:"status"`
	TransactionID string `json:"transactionId"`
}

// Trigger starts a workflow run (POST /v1/events/trigger).
func (c *Client) Trigger(ctx context.Context, t TriggerRequest) (*TriggerResult, error) {
	if t.WorkflowID == "" {
		return nil, errors.New("novu api: a trigger needs a workflow id")
	}
	if t.To == nil {
		return nil, errors.New("novu api: a trigger needs a recipient")
	}
	if t.Payload == nil {
		t.Payload = map[string]any{}
	}
	body, err := json.Marshal(t)
	if err != nil {
		return nil, err
	}
	out, err := c.Post(ctx, "/v1/events/trigger", body)
	if err != nil {
		return nil, err
	}
	var wrapped struct {
		Data TriggerResult `json:"data"`
	}
	if err := json.Unmarshal(out, &wrapped); err != nil {
		return nil, fmt.Errorf("novu api: unexpected trigger answer: %w", err)
	}
	return &wrapped.Data, nil
}

// Cancel cancels the pending steps of a triggered run
// (DELETE /v1/events/trigger/<transactionId>).
func (c *Client) Cancel(ctx context.Context, transactionID string) error {
	if transactionID == "" {
		return errors.New("novu api: no transaction id")
	}
	_, err := c.do(ctx, http.MethodDelete, "/v1/events/trigger/"+transactionID, nil)
	return err
}

// ForwardTrigger posts a trigger body built by a bridge's `trigger` action
// to the API; it lets a Client serve as core.Config.Trigger.
func (c *Client) ForwardTrigger(ctx context.Context, body []byte) ([]byte, error) {
	return c.Post(ctx, "/v1/events/trigger", body)
}

// APIStatus, APICode and APIMessage describe the failure to a bridge, which
// answers with them.
func (e *APIError) APIStatus() int { return e.Status }

// APICode returns the API's error name.
func (e *APIError) APICode() string { return e.Code }

// APIMessage returns the API's message.
func (e *APIError) APIMessage() string { return e.Message }

package cloudflare

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/echofn/echofn/core"
)

// Protocol is the version of the calling convention between worker.mjs and
// the Go program. The worker module refuses a Go program that registers
// with another version, so a worker.mjs and a .wasm from different releases
// fail with a clear message instead of misreading each other.
const Protocol = 1

// ServerName is the novu-framework-server header value that Config sets.
const ServerName = "cloudflare"

// Config returns core.ConfigFromEnv() naming this platform in the
// novu-framework-server header. In a worker, the environment is the
// worker's string bindings (vars and secrets).
func Config() core.Config {
	c := core.ConfigFromEnv()
	c.Server = ServerName
	return c
}

// requestHead is what worker.mjs sends with each request's body, as JSON.
type requestHead struct {
	// Method is the HTTP method.
	Method string `json:"method"`
	// Query is the URL's query string, without the "?".
	Query string `json:"query"`
	// Headers are the request headers as [name, value] pairs; a Headers
	// object in a worker already joins repeated headers and lower-cases
	// their names.
	Headers [][]string `json:"headers"`
	// Oversized is set when the body is longer than the bridge accepts;
	// the body is then not sent.
	Oversized bool `json:"oversized"`
}

// responseHead is what the Go program sends back with each answer's body.
type responseHead struct {
	Status  int         `json:"status"`
	Headers [][2]string `json:"headers"`
}

// registration is what the Go program tells worker.mjs when it is ready.
type registration struct {
	Protocol     int   `json:"protocol"`
	MaxBodyBytes int64 `json:"maxBodyBytes"`
}

// handler answers the requests that worker.mjs passes to the Go program.
// Exactly one of bridge and startErr is set.
type handler struct {
	bridge   *core.Bridge
	startErr error
}

// registration returns the JSON announcing h to worker.mjs.
func (h *handler) registration() []byte {
	r := registration{Protocol: Protocol, MaxBodyBytes: core.DefaultMaxBodyBytes}
	if h.bridge != nil {
		r.MaxBodyBytes = h.bridge.MaxBodyBytes()
	}
	return marshal(r)
}

// serve answers one request: head is the JSON requestHead and body the raw
// request body. It returns the JSON responseHead and the answer's body. It
// never panics: a malformed head is answered with 400, and a panic in the
// bridge with 500.
func (h *handler) serve(ctx context.Context, head, body []byte) (respHead, respBody []byte) {
	resp := h.answer(ctx, head, body)
	out := responseHead{Status: resp.Status, Headers: make([][2]string, len(resp.Header))}
	for i, f := range resp.Header {
		out.Headers[i] = [2]string{f.Name, f.Value}
	}
	return marshal(out), resp.Body
}

func (h *handler) answer(ctx context.Context, head, body []byte) (resp *core.Response) {
	defer func() {
		if p := recover(); p != nil {
			resp = errorResponse(500, core.CodeBridge, fmt.Sprintf("Unknown BridgeError: panic: %v", p))
		}
	}()
	if h.startErr != nil {
		var e *core.Error
		if errors.As(h.startErr, &e) {
			return errorResponse(e.Status, e.Code, e.Message)
		}
		return errorResponse(500, core.CodeBridge, "The bridge could not start: "+h.startErr.Error())
	}
	req, oversized, err := decodeRequest(head)
	if err != nil {
		return errorResponse(400, core.CodeBridge, err.Error())
	}
	if oversized {
		return h.bridge.HandleOversized(req)
	}
	req.Body = body
	return h.bridge.Handle(ctx, req)
}

// decodeRequest turns a requestHead into a core.Request without its body.
func decodeRequest(head []byte) (req *core.Request, oversized bool, err error) {
	var rh requestHead
	if err := json.Unmarshal(head, &rh); err != nil {
		return nil, false, fmt.Errorf("The worker module sent a malformed request head: %v", err)
	}
	if rh.Method == "" {
		return nil, false, errors.New("The worker module sent a request head without a method.")
	}
	headers := make(map[string]string, len(rh.Headers))
	for _, kv := range rh.Headers {
		if len(kv) != 2 {
			return nil, false, fmt.Errorf("The worker module sent a header that is not a [name, value] pair: %q", kv)
		}
		name := strings.ToLower(kv[0])
		if _, seen := headers[name]; !seen {
			headers[name] = kv[1]
		}
	}
	return &core.Request{
		Method: strings.ToUpper(rh.Method),
		// Read as net/http's URL.Query reads it: pairs that do not parse
		// are dropped.
		RawQuery: strings.TrimPrefix(rh.Query, "?"),
		Header:   func(name string) string { return headers[strings.ToLower(name)] },
	}, rh.Oversized, nil
}

// errorResponse is an answer in the bridge's error format, for the cases
// where there is no bridge to answer.
func errorResponse(status int, code, message string) *core.Response {
	body := marshal(struct {
		Message string `json:"message"`
		Code    string `json:"code"`
	}{message, code})
	return &core.Response{Status: status, Header: []core.Field{{Name: "content-type", Value: "application/json"}}, Body: body}
}

// marshal encodes v, which holds only strings, numbers and booleans, as
// JSON without escaping HTML characters (as core's answers do).
func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // cannot fail for such values
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

package core

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/echofn/echofn/core/internal/jsonx"
	"github.com/echofn/echofn/core/internal/tmpl"
	"github.com/echofn/echofn/core/signature"
	"github.com/echofn/echofn/internal/rawquery"
)

// Protocol constants sent in every response.
const (
	// FrameworkVersion is the bridge protocol version.
	FrameworkVersion = "2024-06-26"
	// SDKVersion is the version of Novu's SDK whose wire protocol this
	// package implements.
	SDKVersion = "2.13.2"
)

// Environment variables read by ConfigFromEnv for the keys and dev mode.
const (
	EnvSecretKey         = "NOVU_SECRET_KEY"
	EnvLegacySecretKey   = "NOVU_API_KEY"
	EnvFallbackSecretKey = "NOVU_SECRET_KEY_FALLBACK"
	EnvDevMode           = "ECHOFN_DEV_MODE"
)

// DefaultStepTimeout is how long the developer's code for one step (its
// skip rule, resolver and provider overrides together) may run before the
// bridge gives up on it; it leaves room within Novu's 5-second call timeout.
const DefaultStepTimeout = 4 * time.Second

// DefaultMaxOverrunningSteps is how many steps may still be running past
// their deadline, unless Config says otherwise.
const DefaultMaxOverrunningSteps = 1000

// DefaultMaxBodyBytes is the largest request body a bridge accepts.
const DefaultMaxBodyBytes = 5 << 20

// Config configures a Bridge.
type Config struct {
	// SecretKey is the Novu environment's secret key; requests must be
	// signed with it. Required unless DevMode is on.
	SecretKey string
	// FallbackSecretKey is also accepted, so that the secret key can be
	// rotated without refusing requests signed with the old one.
	FallbackSecretKey string
	// DevMode accepts unsigned requests and puts stack traces in errors.
	// It is never on unless set here or by ECHOFN_DEV_MODE=true, and is
	// logged as a warning when the bridge is created.
	DevMode bool
	// Server names the platform in the novu-framework-server response
	// header, such as "nethttp" or "lambda".
	Server string
	// StepTimeout bounds the run of a step's skip rule, resolver and
	// provider overrides together; zero means DefaultStepTimeout.
	StepTimeout time.Duration
	// MaxOverrunningSteps bounds how many steps may still be running
	// after their deadline passed and their call was answered: Go cannot
	// stop code that ignores its context, so each keeps its goroutine and
	// what it holds until it returns. While that many are running, execute
	// and preview calls are answered 503 (a BridgeError, which Novu Cloud
	// retries) without running any code, so that a step stuck for good
	// cannot grow the process until it dies. Zero means
	// DefaultMaxOverrunningSteps; a negative value, no bound.
	MaxOverrunningSteps int
	// MaxBodyBytes bounds request bodies; zero means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// MaxBodyBytesInFlight bounds the memory taken at once by request
	// bodies larger than SmallBodyBytes: transports reserve room for such
	// a body (ReserveBody) before they read it, and a request that finds
	// none is answered 503 without its body being read. Zero means
	// DefaultMaxBodyBytesInFlight; a negative value, no bound.
	MaxBodyBytesInFlight int64
	// Logger receives one line per refused or failed request; nil logs to
	// standard error. Secrets and signatures are never logged.
	Logger *slog.Logger
	// Now returns the current time for signature checks; nil means time.Now.
	Now func() time.Time
	// Trigger forwards the `trigger` action to Novu's API (a
	// *novuapi.Client does); nil answers that action with 501.
	Trigger TriggerForwarder

	// envErr is what ConfigFromEnv could not read, for New to report.
	envErr error
}

// TriggerForwarder sends a trigger, built by the bridge from a `trigger`
// call, to Novu's API and returns the API's answer.
type TriggerForwarder interface {
	ForwardTrigger(ctx context.Context, body []byte) ([]byte, error)
}

// ErrMissingSecretKey is returned by New when no secret key is configured
// and DevMode is off.
var ErrMissingSecretKey = &Error{Status: 400, Code: CodeMissingSecretKey,
	Message: "Missing secret key. Set the `NOVU_SECRET_KEY` environment variable or pass `secretKey` to the client options."}

// Request is one call to the bridge, as any transport receives it.
type Request struct {
	// Method is the HTTP method, upper case.
	Method string
	// Query is the parsed query string. When it is nil, the bridge reads
	// the names it needs from RawQuery, with the same result.
	Query url.Values
	// RawQuery is the query string without the '?', as in url.URL.RawQuery;
	// read only when Query is nil. A transport that has the raw query saves
	// parsing all of it.
	RawQuery string
	// Header looks up a request header by name, case-insensitively; nil
	// means no headers.
	Header func(name string) string
	// Body is the raw request body. The bridge keeps nothing of it after
	// Handle returns.
	Body []byte
}

// query returns the first value of the query parameter key.
func (r *Request) query(key string) string {
	if r.Query != nil {
		return r.Query.Get(key)
	}
	return rawquery.Get(r.RawQuery, key)
}

// idKeys are the query parameters ids reads.
var idKeys = [3]string{"action", "workflowId", "stepId"}

// ids returns the action, workflowId and stepId query parameters, reading
// a raw query once for all three.
func (r *Request) ids() (action, workflowID, stepID string) {
	if r.Query != nil {
		return r.Query.Get(idKeys[0]), r.Query.Get(idKeys[1]), r.Query.Get(idKeys[2])
	}
	var v [3]string
	rawquery.GetEach(r.RawQuery, idKeys[:], v[:])
	return v[0], v[1], v[2]
}

// Field is one response header.
type Field struct {
	Name, Value string
}

// Response is the bridge's answer.
type Response struct {
	Status int
	// Header is shared between responses: read it, do not modify it.
	Header []Field
	Body   []byte
}

// Bridge serves a set of workflows to Novu. It is safe for concurrent use.
type Bridge struct {
	cfg       Config
	secrets   []string
	workflows map[string]*Workflow
	order     []*Workflow
	headers   []Field
	discover  []byte
	health    []byte
	liquid    *tmpl.Engine
	log       *slog.Logger
	// overrunning counts the steps still running past their deadline.
	overrunning atomic.Int64
	// bodyBytes is the room reserved for large bodies (ReserveBody).
	bodyBytes atomic.Int64
}

// OverrunningSteps reports how many steps are still running after their
// deadline passed and their call was answered (see
// Config.MaxOverrunningSteps).
func (b *Bridge) OverrunningSteps() int { return int(b.overrunning.Load()) }

// New returns a bridge serving workflows, or the first problem with the
// configuration or a workflow's definition.
func New(cfg Config, workflows ...*Workflow) (*Bridge, error) {
	if cfg.envErr != nil {
		return nil, cfg.envErr
	}
	if cfg.SecretKey == "" && !cfg.DevMode {
		return nil, ErrMissingSecretKey
	}
	if cfg.StepTimeout <= 0 {
		cfg.StepTimeout = DefaultStepTimeout
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.MaxBodyBytesInFlight == 0 {
		cfg.MaxBodyBytesInFlight = DefaultMaxBodyBytesInFlight
	}
	if cfg.MaxOverrunningSteps == 0 {
		cfg.MaxOverrunningSteps = DefaultMaxOverrunningSteps
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Server == "" {
		cfg.Server = "echofn"
	}
	b := &Bridge{
		cfg:       cfg,
		workflows: map[string]*Workflow{},
		liquid:    tmpl.New(),
		log:       cfg.Logger,
	}
	if b.log == nil {
		b.log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	for _, k := range []string{cfg.SecretKey, cfg.FallbackSecretKey} {
		if k != "" {
			b.secrets = append(b.secrets, k)
		}
	}
	for _, w := range workflows {
		if w == nil {
			return nil, errors.New("core: nil workflow")
		}
		if w.err != nil {
			return nil, w.err
		}
		if _, dup := b.workflows[w.id]; dup {
			return nil, &Error{Status: 409, Code: CodeWorkflowAlreadyExists,
				Message: fmt.Sprintf("Workflow with id: `%s` already exists. Please use a different id.", w.id)}
		}
		b.workflows[w.id] = w
		b.order = append(b.order, w)
	}
	b.headers = []Field{
		{"content-type", "application/json"},
		{"access-control-allow-origin", "*"},
		{"access-control-allow-private-network", "true"},
		{"access-control-allow-methods", "GET, POST"},
		{"access-control-allow-headers", "*"},
		{"access-control-max-age", "604800"},
		{"novu-framework-version", FrameworkVersion},
		{"novu-framework-sdk", SDKVersion},
		{"novu-framework-server", cfg.Server},
		{"user-agent", "novu-framework:v" + SDKVersion},
	}
	b.discover = jsonx.Marshal(b.discoverDoc())
	b.health = b.healthDoc()
	if cfg.DevMode {
		b.log.Warn("DEV MODE: request signatures are NOT checked and errors include stack traces; never use this in a deployed bridge",
			"env", EnvDevMode)
	}
	return b, nil
}

// Workflows returns the served workflows in the order they were given.
func (b *Bridge) Workflows() []*Workflow { return append([]*Workflow(nil), b.order...) }

// Headers returns the headers every response carries.
func (b *Bridge) Headers() []Field { return b.headers }

var (
	postActions = []string{"trigger", "execute", "preview", "agent-event"}
	getActions  = []string{"discover", "health-check", "code"}
)

// Handle answers one request. It never panics on bad input and never
// returns nil.
func (b *Bridge) Handle(ctx context.Context, r *Request) (resp *Response) {
	// Step code runs in its own goroutines, where its panics are answered
	// as the step's failure; user code that runs here (an output's
	// MarshalJSON) is answered with a 500 rather than left to a transport
	// that may not recover it.
	defer func() {
		if p := recover(); p != nil {
			pe := &panicError{p, debug.Stack()}
			resp = b.errorResponse(r, b.withStack(&Error{Status: 500, Code: CodeBridge,
				Message: "Unknown BridgeError: " + pe.Error(), cause: pe}))
		}
	}()
	resp, err := b.route(ctx, r)
	if err != nil {
		return b.errorResponse(r, err)
	}
	return resp
}

func (b *Bridge) route(ctx context.Context, r *Request) (*Response, error) {
	action, workflowID, stepID := r.ids()
	if action == "" {
		action = "health-check"
	}
	if int64(len(r.Body)) > b.cfg.MaxBodyBytes {
		return nil, b.errTooLarge()
	}
	if action != "health-check" {
		if err := b.verify(r); err != nil {
			return nil, err
		}
	}
	switch r.Method {
	case "POST":
		switch action {
		case "execute", "preview":
			return b.execute(ctx, r, action, workflowID, stepID)
		case "trigger":
			return b.trigger(ctx, r, workflowID)
		case "agent-event":
			return b.json(404, []byte(`{"error":`+string(jsonx.AppendString(nil, "Agent '"+r.query("agentId")+"' not registered"))+`}`)), nil
		}
		return nil, errInvalidAction(action, postActions)
	case "GET":
		switch action {
		case "discover":
			return b.json(200, b.discover), nil
		case "health-check":
			return b.json(200, b.health), nil
		case "code":
			return b.code(workflowID, stepID)
		}
		return nil, errInvalidAction(action, getActions)
	case "OPTIONS":
		return b.json(200, []byte("{}")), nil
	}
	return nil, errMethodNotAllowed()
}

// verify checks the request's signature against the configured keys.
func (b *Bridge) verify(r *Request) error {
	if b.cfg.DevMode {
		return nil
	}
	header := ""
	if r.Header != nil {
		header = r.Header(signature.Header)
		if header == "" {
			header = r.Header(signature.LegacyHeader)
		}
	}
	var body []byte
	if r.Method == "POST" {
		body = r.Body
	}
	err := signature.Verify(header, body, b.cfg.Now(), b.secrets...)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, signature.ErrNotSigned):
		return newError(401, CodeSignatureNotFound, "Signature not found. Please provide a signature in the `novu-signature` header")
	case errors.Is(err, signature.ErrNoSecret):
		return newError(401, CodeSigningKeyNotFound, "Signature key not found. Please provide a valid key in the Client constructor `config.secretKey`")
	case errors.Is(err, signature.ErrInvalidHeader):
		return newError(401, CodeSignatureInvalid, "Signature is invalid. Please provide a valid signature in the `novu-signature` header")
	case errors.Is(err, signature.ErrTooOld), errors.Is(err, signature.ErrTooNew):
		e := newError(401, CodeSignatureExpired, "Signature expired. Please provide a signature with a timestamp no older than 5 minutes in the `novu-signature` header")
		e.cause = err
		return e
	default:
		return newError(401, CodeSignatureMismatch, "Signature does not match the expected signature. Please ensure the signature provided in the `novu-signature` header is correct and try again.")
	}
}

func (b *Bridge) errTooLarge() *Error {
	return newError(413, CodeBridge, "Request body is larger than %d bytes.", b.cfg.MaxBodyBytes)
}

// MaxBodyBytes is the largest request body the bridge accepts. Transports
// that stream bodies should stop reading past it and call HandleOversized.
func (b *Bridge) MaxBodyBytes() int64 { return b.cfg.MaxBodyBytes }

// HandleOversized answers a request whose body is longer than MaxBodyBytes
// with 413, without the body.
func (b *Bridge) HandleOversized(r *Request) *Response {
	return b.errorResponse(r, b.errTooLarge())
}

// HandleBadRequest answers a request the transport could not read (a body
// that failed to arrive, an undecodable encoding) with 400 and message, in
// the bridge's error shape, and logs it.
func (b *Bridge) HandleBadRequest(r *Request, message string) *Response {
	return b.errorResponse(r, errBadRequest("%s", message))
}

func (b *Bridge) json(status int, body []byte) *Response {
	return &Response{Status: status, Header: b.headers, Body: body}
}

func (b *Bridge) errorResponse(r *Request, err error) *Response {
	var e *Error
	if !errors.As(err, &e) {
		e = &Error{Status: 500, Code: CodeBridge, Message: "Unknown BridgeError: " + err.Error(), cause: err}
	}
	body := jsonx.NewObject()
	body.Set("message", e.Message)
	if e.Data != nil {
		body.Set("data", e.Data)
	}
	body.Set("code", e.Code)
	action, workflowID, stepID := r.ids()
	attrs := []any{"status", e.Status, "code", e.Code, "method", r.Method, "action", action,
		"workflowId", workflowID, "stepId", stepID}
	if e.cause != nil {
		attrs = append(attrs, "cause", e.cause.Error())
	}
	switch {
	case e.Status >= 500:
		b.log.Error(e.Message, attrs...)
	case e.Status == 401:
		b.log.Warn("refused: "+e.Code, attrs...)
	default:
		b.log.Info(e.Message, attrs...)
	}
	return b.json(e.Status, jsonx.Marshal(body))
}

func (b *Bridge) code(workflowID, stepID string) (*Response, error) {
	w, ok := b.workflows[workflowID]
	if !ok {
		return nil, errWorkflowNotFound(workflowID)
	}
	code := w.code
	if stepID != "" {
		_, s := w.step(stepID)
		if s == nil {
			return nil, errStepNotFound(stepID)
		}
		code = s.code
	}
	o := jsonx.NewObject()
	o.Set("code", code)
	return b.json(200, jsonx.Marshal(o)), nil
}

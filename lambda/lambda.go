package lambda

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	awslambda "github.com/aws/aws-lambda-go/lambda"

	"github.com/echofn/echofn/core"
)

// Format is the shape of the HTTP events a function receives.
type Format string

// The event formats a Handler reads and answers.
const (
	// Auto detects the format of each event (the default).
	Auto Format = "auto"
	// APIGatewayV1 is an API Gateway REST API proxy event, or an HTTP API
	// event with payload format version 1.0.
	APIGatewayV1 Format = "apigateway-v1"
	// APIGatewayV2 is an API Gateway HTTP API event with payload format
	// version 2.0.
	APIGatewayV2 Format = "apigateway-v2"
	// FunctionURL is a Lambda function URL event (payload format 2.0).
	FunctionURL Format = "function-url"
	// ALB is an Application Load Balancer target group event, with or
	// without multi-value headers.
	ALB Format = "alb"
)

// EnvEventFormat names the environment variable that Start reads the event
// format from: one of auto, apigateway-v1, apigateway-v2, function-url or
// alb. Empty means auto.
const EnvEventFormat = "ECHOFN_LAMBDA_EVENT_FORMAT"

// ParseFormat returns the Format named s; "" is Auto.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case "":
		return Auto, nil
	case Auto, APIGatewayV1, APIGatewayV2, FunctionURL, ALB:
		return f, nil
	}
	return "", fmt.Errorf("lambda: unknown event format %q (want auto, apigateway-v1, apigateway-v2, function-url or alb)", s)
}

// Option configures a Handler.
type Option func(*handler)

// WithFormat makes the handler read every event as format f instead of
// detecting it; an event of another shape is then refused.
func WithFormat(f Format) Option { return func(h *handler) { h.format = f } }

// ErrNotHTTPEvent is returned for an event that is not an HTTP request from
// API Gateway, a function URL or an ALB (or not of the configured Format).
var ErrNotHTTPEvent = errors.New("lambda: the event is not an HTTP request from API Gateway, a function URL or an Application Load Balancer")

// Handler returns a Lambda handler that answers the HTTP events of b's
// callers. Pass it to the aws-lambda-go lambda.Start, or use Start.
func Handler(b *core.Bridge, opts ...Option) awslambda.Handler {
	h := &handler{bridge: b, format: Auto}
	for _, o := range opts {
		o(h)
	}
	return h
}

// Start serves b from Lambda in the format named by ECHOFN_LAMBDA_EVENT_FORMAT
// (auto-detected when unset), unless opts say otherwise. It never returns;
// outside Lambda, or with an unknown format, it exits with an error.
func Start(b *core.Bridge, opts ...Option) {
	f, err := ParseFormat(os.Getenv(EnvEventFormat))
	if err != nil {
		log.Fatal(err)
	}
	awslambda.Start(Handler(b, append([]Option{WithFormat(f)}, opts...)...))
}

type handler struct {
	bridge *core.Bridge
	format Format
}

// event is the union of the request fields of the four event formats.
type event struct {
	Version                         string              `json:"version"`
	HTTPMethod                      string              `json:"httpMethod"`
	Headers                         map[string]string   `json:"headers"`
	MultiValueHeaders               map[string][]string `json:"multiValueHeaders"`
	QueryStringParameters           map[string]string   `json:"queryStringParameters"`
	MultiValueQueryStringParameters map[string][]string `json:"multiValueQueryStringParameters"`
	RawQueryString                  string              `json:"rawQueryString"`
	Body                            string              `json:"body"`
	IsBase64Encoded                 bool                `json:"isBase64Encoded"`
	RequestContext                  struct {
		ELB        *json.RawMessage `json:"elb"`
		DomainName string           `json:"domainName"`
		HTTP       struct {
			Method string `json:"method"`
		} `json:"http"`
	} `json:"requestContext"`
}

// detect returns the format of e, or "" when e is no HTTP event.
func (e *event) detect() Format {
	switch {
	case e.RequestContext.ELB != nil && e.HTTPMethod != "":
		return ALB
	case e.Version == "2.0" && e.RequestContext.HTTP.Method != "":
		if strings.Contains(e.RequestContext.DomainName, ".lambda-url.") {
			return FunctionURL
		}
		return APIGatewayV2
	case e.HTTPMethod != "" && e.RequestContext.ELB == nil:
		return APIGatewayV1
	}
	return ""
}

// Invoke answers one event; it implements the aws-lambda-go Handler.
func (h *handler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	var e event
	if err := json.Unmarshal(payload, &e); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotHTTPEvent, err)
	}
	f := e.detect()
	if f == "" || (h.format != Auto && !compatible(h.format, f)) {
		return nil, ErrNotHTTPEvent
	}
	if h.format != Auto {
		f = h.format
	}
	req := e.request(f)
	var resp *core.Response
	if e.IsBase64Encoded {
		body, err := base64.StdEncoding.DecodeString(e.Body)
		if err != nil {
			resp = h.bridge.HandleBadRequest(req, "The request body is not valid base64.")
		}
		req.Body = body
	} else {
		req.Body = []byte(e.Body)
	}
	if resp == nil {
		if int64(len(req.Body)) > h.bridge.MaxBodyBytes() {
			resp = h.bridge.HandleOversized(req)
		} else {
			resp = h.bridge.Handle(ctx, req)
		}
	}
	return json.Marshal(encode(f, &e, resp))
}

// compatible reports whether an event detected as got may be read as want:
// function URL and HTTP API 2.0 events have the same shape.
func compatible(want, got Format) bool {
	if want == got {
		return true
	}
	v2 := func(f Format) bool { return f == APIGatewayV2 || f == FunctionURL }
	return v2(want) && v2(got)
}

// request converts e, of format f, to a core.Request without its body.
func (e *event) request(f Format) *core.Request {
	r := &core.Request{}
	var headers map[string][]string
	switch f {
	case APIGatewayV2, FunctionURL:
		r.Method = e.RequestContext.HTTP.Method
		r.Query = v2Query(e.RawQueryString, e.QueryStringParameters)
		// Version 2.0 joins repeated headers with commas; they are kept
		// joined, as a signature header's value itself holds a comma.
		headers = lowerKeys(nil, e.Headers)
	default:
		r.Method = e.HTTPMethod
		r.Query = v1Query(e.MultiValueQueryStringParameters, e.QueryStringParameters, f == ALB)
		if len(e.MultiValueHeaders) > 0 {
			headers = make(map[string][]string, len(e.MultiValueHeaders))
			for k, vs := range e.MultiValueHeaders {
				k = strings.ToLower(k)
				headers[k] = append(headers[k], vs...)
			}
		} else {
			headers = lowerKeys(nil, e.Headers)
		}
	}
	r.Method = strings.ToUpper(r.Method)
	r.Header = func(name string) string {
		if vs := headers[strings.ToLower(name)]; len(vs) > 0 {
			return vs[0]
		}
		return ""
	}
	return r
}

func lowerKeys(dst map[string][]string, src map[string]string) map[string][]string {
	if dst == nil {
		dst = make(map[string][]string, len(src))
	}
	for k, v := range src {
		k = strings.ToLower(k)
		dst[k] = append(dst[k], v)
	}
	return dst
}

// v2Query parses a version 2.0 event's raw query string, as net/http does
// (malformed pairs are left out).
func v2Query(raw string, params map[string]string) url.Values {
	if raw == "" && len(params) > 0 {
		q := make(url.Values, len(params))
		for k, v := range params {
			q[k] = []string{v}
		}
		return q
	}
	q, _ := url.ParseQuery(raw)
	return q
}

// v1Query reads a REST API or ALB event's query parameters. API Gateway
// decodes them; an ALB passes them on percent-encoded, so they are
// decoded here.
func v1Query(multi map[string][]string, single map[string]string, encoded bool) url.Values {
	unescape := func(s string) string {
		if !encoded {
			return s
		}
		if u, err := url.QueryUnescape(s); err == nil {
			return u
		}
		return s
	}
	q := url.Values{}
	if len(multi) > 0 {
		for k, vs := range multi {
			k = unescape(k)
			for _, v := range vs {
				q[k] = append(q[k], unescape(v))
			}
		}
		return q
	}
	for k, v := range single {
		q.Add(unescape(k), unescape(v))
	}
	return q
}

// response is the union of the four formats' answers: API Gateway and
// function URLs read statusCode, headers, body and isBase64Encoded; an ALB
// also reads statusDescription, and reads multiValueHeaders instead of
// headers when its target group has multi-value headers on.
type response struct {
	StatusCode        int                 `json:"statusCode"`
	StatusDescription string              `json:"statusDescription,omitempty"`
	Headers           map[string]string   `json:"headers,omitempty"`
	MultiValueHeaders map[string][]string `json:"multiValueHeaders,omitempty"`
	Body              string              `json:"body"`
	IsBase64Encoded   bool                `json:"isBase64Encoded"`
}

func encode(f Format, e *event, resp *core.Response) *response {
	out := &response{StatusCode: resp.Status}
	if utf8.Valid(resp.Body) {
		out.Body = string(resp.Body)
	} else {
		out.Body = base64.StdEncoding.EncodeToString(resp.Body)
		out.IsBase64Encoded = true
	}
	multi := f == ALB && len(e.MultiValueHeaders) > 0
	if multi {
		out.MultiValueHeaders = make(map[string][]string, len(resp.Header))
	} else {
		out.Headers = make(map[string]string, len(resp.Header))
	}
	for _, h := range resp.Header {
		if multi {
			out.MultiValueHeaders[h.Name] = append(out.MultiValueHeaders[h.Name], h.Value)
		} else {
			out.Headers[h.Name] = h.Value
		}
	}
	if f == ALB {
		out.StatusDescription = strconv.Itoa(resp.Status) + " " + http.StatusText(resp.Status)
	}
	return out
}

package lambda_test

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/core/nethttp"
	"github.com/echofn/echofn/internal/conformance"
	"github.com/echofn/echofn/lambda"
)

// fixture is a recorded-shape event from testdata: one per source of HTTP
// events. Its request line, headers and body are replaced per test.
type fixture struct {
	name   string
	format lambda.Format
	raw    []byte
}

var fixtureFormats = map[string]lambda.Format{
	"apigw-v1":        lambda.APIGatewayV1,
	"apigw-v2":        lambda.APIGatewayV2,
	"function-url":    lambda.FunctionURL,
	"alb":             lambda.ALB,
	"alb-multi-value": lambda.ALB,
}

func loadFixtures(t testing.TB) []fixture {
	t.Helper()
	var out []fixture
	for _, name := range []string{"apigw-v1", "apigw-v2", "function-url", "alb", "alb-multi-value"} {
		raw, err := os.ReadFile(filepath.Join("testdata", name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fixture{name: name, format: fixtureFormats[name], raw: raw})
	}
	return out
}

// event returns f's event carrying method, the raw query string, body and
// headers, encoded the way f's source would: API Gateway v1 keeps the
// sender's header case and decodes query values, v2 and function URLs
// lower-case headers and keep the raw query, an ALB passes query keys and
// values on undecoded.
func (f fixture) event(t testing.TB, method, query, body string, headers map[string]string) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(f.raw, &m); err != nil {
		t.Fatal(err)
	}
	name := strings.ToLower
	if f.format == lambda.APIGatewayV1 {
		name = textproto.CanonicalMIMEHeaderKey
	}
	for _, key := range []string{"headers", "multiValueHeaders"} {
		h, ok := m[key].(map[string]any)
		if !ok {
			continue
		}
		for k := range h {
			if lk := strings.ToLower(k); lk == "novu-signature" || lk == "x-novu-signature" || lk == "content-length" {
				delete(h, k)
			}
		}
		set := func(k, v string) {
			if key == "headers" {
				h[name(k)] = v
			} else {
				h[name(k)] = []any{v}
			}
		}
		for k, v := range headers {
			set(k, v)
		}
		if body != "" {
			set("content-length", strconv.Itoa(len(body)))
		}
	}
	b64, _ := m["isBase64Encoded"].(bool)
	switch {
	case body == "":
		m["body"] = nil
		m["isBase64Encoded"] = false
	case b64:
		m["body"] = base64.StdEncoding.EncodeToString([]byte(body))
	default:
		m["body"] = body
	}
	switch f.format {
	case lambda.APIGatewayV2, lambda.FunctionURL:
		m["requestContext"].(map[string]any)["http"].(map[string]any)["method"] = method
		m["rawQueryString"] = query
		q, _ := url.ParseQuery(query)
		if len(q) == 0 {
			delete(m, "queryStringParameters")
		} else {
			single := map[string]any{}
			for k, vs := range q {
				single[k] = strings.Join(vs, ",")
			}
			m["queryStringParameters"] = single
		}
	default:
		m["httpMethod"] = method
		if rc, ok := m["requestContext"].(map[string]any); ok && f.format == lambda.APIGatewayV1 {
			rc["httpMethod"] = method
		}
		single, multi := map[string]any{}, map[string]any{}
		for _, pair := range strings.Split(query, "&") {
			if pair == "" {
				continue
			}
			k, v, _ := strings.Cut(pair, "=")
			if f.format == lambda.APIGatewayV1 {
				k, _ = url.QueryUnescape(k)
				v, _ = url.QueryUnescape(v)
			}
			single[k] = v
			vs, _ := multi[k].([]any)
			multi[k] = append(vs, v)
		}
		for _, key := range []string{"queryStringParameters", "multiValueQueryStringParameters"} {
			if _, ok := m[key]; !ok {
				continue
			}
			switch {
			case len(single) == 0:
				m[key] = nil
			case key == "queryStringParameters":
				m[key] = single
			default:
				m[key] = multi
			}
		}
	}
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// caseEvent returns f's event for a conformance case, signed at now.
func (f fixture) caseEvent(t testing.TB, c conformance.Case, now time.Time) []byte {
	return f.event(t, c.Method, c.Query, c.Body, c.Headers(now))
}

// answer is a Lambda HTTP answer, read in the union of the four shapes.
type answer struct {
	StatusCode        int                 `json:"statusCode"`
	StatusDescription string              `json:"statusDescription"`
	Headers           map[string]string   `json:"headers"`
	MultiValueHeaders map[string][]string `json:"multiValueHeaders"`
	Body              string              `json:"body"`
	IsBase64Encoded   bool                `json:"isBase64Encoded"`
}

func decodeAnswer(t testing.TB, raw []byte) answer {
	t.Helper()
	var a answer
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatalf("answer %s: %v", raw, err)
	}
	if a.IsBase64Encoded {
		b, err := base64.StdEncoding.DecodeString(a.Body)
		if err != nil {
			t.Fatal(err)
		}
		a.Body = string(b)
	}
	return a
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// newBridge returns the conformance bridge as the Lambda entry point runs it.
func newBridge(t testing.TB, server string) *core.Bridge {
	t.Helper()
	b, err := core.New(core.Config{SecretKey: conformance.Secret, Server: server, Logger: quietLogger()}, conformance.Workflows()...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// reference serves the conformance bridge behind core/nethttp: the answers
// every platform must give.
type reference struct{ url string }

func newReference(t testing.TB) reference {
	srv := httptest.NewServer(nethttp.Handler(newBridge(t, "nethttp")))
	t.Cleanup(srv.Close)
	return reference{srv.URL}
}

// do sends c to the reference, signed at now, and returns its status and body.
func (r reference) do(t testing.TB, c conformance.Case, now time.Time) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(c.Method, r.url+"/api/novu?"+c.Query, strings.NewReader(c.Body))
	if err != nil {
		t.Fatal(err)
	}
	if c.Body != "" {
		req.Header.Set("content-type", "application/json")
	}
	for k, v := range c.Headers(now) {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}

package lambda_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/core/nethttp"
	"github.com/echofn/echofn/core/signature"
	"github.com/echofn/echofn/internal/conformance"
	"github.com/echofn/echofn/lambda"
)

const (
	executeQuery = "action=execute&workflowId=welcome-email&stepId=send-email"
	executeBody  = `{"payload":{"name":"Ada"},"controls":{},"state":[],"subscriber":{"subscriberId":"sub-1","firstName":"Ada"},"context":{}}`
)

// TestFixturesAreLambdaEvents checks that each fixture is a well-formed
// event of its source, as the aws-lambda-go event types read it.
func TestFixturesAreLambdaEvents(t *testing.T) {
	for _, f := range loadFixtures(t) {
		t.Run(f.name, func(t *testing.T) {
			var target any
			switch f.format {
			case lambda.APIGatewayV1:
				target = &events.APIGatewayProxyRequest{}
			case lambda.APIGatewayV2:
				target = &events.APIGatewayV2HTTPRequest{}
			case lambda.FunctionURL:
				// A function URL event is an HTTP API 2.0 event; the
				// aws-lambda-go type for it leaves out routeKey and
				// stage, which AWS sends as "$default".
				var e events.LambdaFunctionURLRequest
				if err := json.Unmarshal(f.raw, &e); err != nil || e.RequestContext.HTTP.Method != "POST" {
					t.Fatalf("not a function URL event: %v", err)
				}
				target = &events.APIGatewayV2HTTPRequest{}
			case lambda.ALB:
				target = &events.ALBTargetGroupRequest{}
			}
			d := json.NewDecoder(bytes.NewReader(f.raw))
			d.DisallowUnknownFields()
			if err := d.Decode(target); err != nil {
				t.Fatalf("not a %s event: %v", f.format, err)
			}
		})
	}
}

// TestInvokeFixtures sends signed discover and execute requests and a
// tampered execute in each event format, in process.
func TestInvokeFixtures(t *testing.T) {
	ref := newReference(t)
	h := lambda.Handler(newBridge(t, "lambda"))
	tampered := strings.Replace(executeBody, "Ada", "Eve", 1)
	tests := []struct {
		name   string
		c      conformance.Case
		body   string // sent instead of c.Body when set
		status int
		code   string
	}{
		{name: "discover", c: conformance.Case{Name: "discover", Method: "GET", Query: "action=discover"}, status: 200},
		{name: "execute", c: conformance.Case{Name: "execute-email", Method: "POST", Query: executeQuery, Body: executeBody}, status: 200},
		{name: "tampered", c: conformance.Case{Name: "tampered", Method: "POST", Query: executeQuery, Body: executeBody}, body: tampered,
			status: 401, code: core.CodeSignatureMismatch},
		{name: "unsigned", c: conformance.Case{Name: "unsigned", Method: "POST", Query: executeQuery, Body: executeBody,
			Sign: func(time.Time, string) map[string]string { return nil }}, status: 401, code: core.CodeSignatureNotFound},
	}
	for _, f := range loadFixtures(t) {
		for _, tt := range tests {
			t.Run(f.name+"/"+tt.name, func(t *testing.T) {
				now := time.Now()
				body := tt.c.Body
				if tt.body != "" {
					body = tt.body
				}
				ev := f.event(t, tt.c.Method, tt.c.Query, body, tt.c.Headers(now))
				raw, err := h.Invoke(context.Background(), ev)
				if err != nil {
					t.Fatal(err)
				}
				a := decodeAnswer(t, raw)
				if a.StatusCode != tt.status {
					t.Fatalf("status %d, want %d: %s", a.StatusCode, tt.status, a.Body)
				}
				if tt.code != "" && !strings.Contains(a.Body, `"code":"`+tt.code+`"`) {
					t.Errorf("body %s lacks code %s", a.Body, tt.code)
				}
				if tt.status == 200 {
					refStatus, refBody := ref.do(t, tt.c, now)
					for _, d := range conformance.Compare(tt.c.Name, refStatus, refBody, a.StatusCode, []byte(a.Body)) {
						t.Error(d)
					}
				}
				checkShape(t, f, raw, a)
			})
		}
	}
}

// checkShape checks an answer against its source's response type.
func checkShape(t *testing.T, f fixture, raw []byte, a answer) {
	t.Helper()
	contentType := a.Headers["content-type"]
	switch f.format {
	case lambda.ALB:
		var r events.ALBTargetGroupResponse
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatal(err)
		}
		if want := http.StatusText(a.StatusCode); !strings.HasSuffix(r.StatusDescription, " "+want) {
			t.Errorf("statusDescription %q, want \"%d %s\"", r.StatusDescription, a.StatusCode, want)
		}
		// A target group with multi-value headers reads only
		// multiValueHeaders; one without reads only headers.
		if strings.Contains(f.name, "multi") {
			if len(r.Headers) != 0 || len(r.MultiValueHeaders["content-type"]) != 1 {
				t.Errorf("multi-value ALB answer has headers %v, multiValueHeaders %v", r.Headers, r.MultiValueHeaders)
			}
			contentType = r.MultiValueHeaders["content-type"][0]
		} else if len(r.MultiValueHeaders) != 0 {
			t.Errorf("single-value ALB answer has multiValueHeaders %v", r.MultiValueHeaders)
		}
	case lambda.APIGatewayV1:
		var r events.APIGatewayProxyResponse
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatal(err)
		}
	default:
		var r events.APIGatewayV2HTTPResponse
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatal(err)
		}
	}
	if contentType != "application/json" {
		t.Errorf("content-type %q", contentType)
	}
}

// TestConformanceInProcess runs the shared conformance table through every
// event format and compares each answer with core/nethttp's.
func TestConformanceInProcess(t *testing.T) {
	ref := newReference(t)
	h := lambda.Handler(newBridge(t, "lambda"))
	for _, f := range loadFixtures(t) {
		for _, c := range conformance.Cases() {
			t.Run(f.name+"/"+c.Name, func(t *testing.T) {
				now := time.Now()
				raw, err := h.Invoke(context.Background(), f.caseEvent(t, c, now))
				if err != nil {
					t.Fatal(err)
				}
				a := decodeAnswer(t, raw)
				refStatus, refBody := ref.do(t, c, now)
				for _, d := range conformance.Compare(c.Name, refStatus, refBody, a.StatusCode, []byte(a.Body)) {
					t.Error(d)
				}
			})
		}
	}
}

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in      string
		want    lambda.Format
		wantErr bool
	}{
		{"", lambda.Auto, false},
		{"auto", lambda.Auto, false},
		{"apigateway-v1", lambda.APIGatewayV1, false},
		{" APIGateway-V2 ", lambda.APIGatewayV2, false},
		{"function-url", lambda.FunctionURL, false},
		{"alb", lambda.ALB, false},
		{"rest", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := lambda.ParseFormat(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("ParseFormat(%q) = %q, %v; want %q, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

// TestFormats checks detection, and a configured format refusing events
// of another shape.
func TestFormats(t *testing.T) {
	b := newBridge(t, "lambda")
	fixtures := map[string]fixture{}
	for _, f := range loadFixtures(t) {
		fixtures[f.name] = f
	}
	discover := func(name string) []byte {
		c := conformance.Case{Method: "GET", Query: "action=discover"}
		return fixtures[name].caseEvent(t, c, time.Now())
	}
	tests := []struct {
		name   string
		format lambda.Format
		event  []byte
		ok     bool
	}{
		{"auto v1", lambda.Auto, discover("apigw-v1"), true},
		{"auto v2", lambda.Auto, discover("apigw-v2"), true},
		{"auto function URL", lambda.Auto, discover("function-url"), true},
		{"auto ALB", lambda.Auto, discover("alb"), true},
		{"v1 as v1", lambda.APIGatewayV1, discover("apigw-v1"), true},
		{"v2 as function URL", lambda.FunctionURL, discover("apigw-v2"), true},
		{"function URL as v2", lambda.APIGatewayV2, discover("function-url"), true},
		{"ALB as ALB", lambda.ALB, discover("alb-multi-value"), true},
		{"v1 as ALB", lambda.ALB, discover("apigw-v1"), false},
		{"ALB as v1", lambda.APIGatewayV1, discover("alb"), false},
		{"v2 as v1", lambda.APIGatewayV1, discover("apigw-v2"), false},
		{"empty object", lambda.Auto, []byte(`{}`), false},
		{"array", lambda.Auto, []byte(`[1,2]`), false},
		{"null", lambda.Auto, []byte(`null`), false},
		{"string", lambda.Auto, []byte(`"GET"`), false},
		{"not JSON", lambda.Auto, []byte(`GET /api/novu`), false},
		{"scheduled event", lambda.Auto, []byte(`{"version":"0","id":"x","detail-type":"Scheduled Event","source":"aws.events","detail":{}}`), false},
		{"S3 event", lambda.Auto, []byte(`{"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put"}]}`), false},
		{"wrong field type", lambda.Auto, []byte(`{"httpMethod":"GET","headers":["x"]}`), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, err := lambda.Handler(b, lambda.WithFormat(tt.format)).Invoke(context.Background(), tt.event)
			if !tt.ok {
				if !errors.Is(err, lambda.ErrNotHTTPEvent) {
					t.Fatalf("got %s, %v; want ErrNotHTTPEvent", raw, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if a := decodeAnswer(t, raw); a.StatusCode != 200 {
				t.Errorf("status %d: %s", a.StatusCode, a.Body)
			}
		})
	}
}

// TestRequestDetails covers what API Gateway and ALB events carry beyond
// the fixtures: header case, multi-value headers, encoded query strings,
// bad base64 and oversized bodies.
func TestRequestDetails(t *testing.T) {
	now := time.Now()
	sig := signature.Sign(conformance.Secret, now, []byte(executeBody))
	b := newBridge(t, "lambda")
	small, err := core.New(core.Config{SecretKey: conformance.Secret, MaxBodyBytes: 64, Logger: quietLogger()}, conformance.Workflows()...)
	if err != nil {
		t.Fatal(err)
	}
	quoted, _ := json.Marshal(executeBody)
	v1 := func(headers string, query string) string {
		return `{"httpMethod":"POST","path":"/api/novu",` + headers + `,` + query + `,"requestContext":{"stage":"prod"},"body":` + string(quoted) + `,"isBase64Encoded":false}`
	}
	q1 := `"queryStringParameters":{"action":"execute","workflowId":"welcome-email","stepId":"send-email"}`
	tests := []struct {
		name   string
		bridge *core.Bridge
		event  string
		status int
		code   string
	}{
		{"v1 upper-case header", b, v1(`"headers":{"NOVU-SIGNATURE":"`+sig+`"}`, q1), 200, ""},
		{"v1 multiValueHeaders only", b, v1(`"multiValueHeaders":{"Novu-Signature":["`+sig+`"]}`, q1), 200, ""},
		{"v1 multiValueHeaders win over headers", b,
			v1(`"headers":{"novu-signature":"t=1,v1=00"},"multiValueHeaders":{"novu-signature":["`+sig+`"]}`, q1), 200, ""},
		{"v1 repeated header first wins", b,
			v1(`"multiValueHeaders":{"novu-signature":["`+sig+`","t=1,v1=00"]}`, q1), 200, ""},
		{"v1 multi-value query", b, v1(`"headers":{"novu-signature":"`+sig+`"}`,
			`"multiValueQueryStringParameters":{"action":["execute","discover"],"workflowId":["welcome-email"],"stepId":["send-email"]}`), 200, ""},
		{"v1 legacy header", b, v1(`"headers":{"X-Novu-Signature":"`+sig+`"}`, q1), 200, ""},
		{"v1 no signature", b, v1(`"headers":{"Content-Type":"application/json"}`, q1), 401, core.CodeSignatureNotFound},
		{"ALB percent-encoded query", b, `{"requestContext":{"elb":{"targetGroupArn":"arn"}},"httpMethod":"POST","path":"/",` +
			`"queryStringParameters":{"action":"exec%75te","workflowId":"welcome%2Demail","step%49d":"send-email"},` +
			`"headers":{"novu-signature":"` + sig + `"},"body":` + string(quoted) + `,"isBase64Encoded":false}`, 200, ""},
		{"ALB plus is a space", b, `{"requestContext":{"elb":{"targetGroupArn":"arn"}},"httpMethod":"POST","path":"/",` +
			`"queryStringParameters":{"action":"execute","workflowId":"no+such+workflow","stepId":"x"},` +
			`"headers":{"novu-signature":"` + sig + `"},"body":` + string(quoted) + `,"isBase64Encoded":false}`, 404, core.CodeWorkflowNotFound},
		{"v2 bad base64", b, `{"version":"2.0","rawQueryString":"` + executeQuery + `","headers":{"novu-signature":"` + sig + `"},` +
			`"requestContext":{"http":{"method":"POST"}},"body":"not base64!","isBase64Encoded":true}`, 400, core.CodeBridge},
		{"v2 query parameters without raw query", b, `{"version":"2.0","queryStringParameters":{"action":"execute","workflowId":"welcome-email","stepId":"send-email"},` +
			`"headers":{"novu-signature":"` + sig + `"},"requestContext":{"http":{"method":"post"}},"body":` + string(quoted) + `}`, 200, ""},
		{"oversized body", small, v1(`"headers":{"novu-signature":"`+sig+`"}`, q1), 413, core.CodeBridge},
		{"v1 body bytes kept exactly", b, rawEvent(t, now, false,
			"{ \"payload\" : {\"name\":\"Zo\u00eb \\u00e9 <b>&amp;\\n\", \"n\": 1.50e0 },\n\"controls\":{},\"state\":[],\"subscriber\":{} }"), 200, ""},
		{"base64 body with bytes that are not UTF-8", b, rawEvent(t, now, true,
			"{\"payload\":{\"name\":\"Ada\xff\xfe\"},\"controls\":{},\"state\":[],\"subscriber\":{}}"), 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, err := lambda.Handler(tt.bridge).Invoke(context.Background(), []byte(tt.event))
			if err != nil {
				t.Fatal(err)
			}
			a := decodeAnswer(t, raw)
			if a.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", a.StatusCode, tt.status, a.Body)
			}
			if tt.code != "" && !strings.Contains(a.Body, `"code":"`+tt.code+`"`) {
				t.Errorf("body %s lacks code %s", a.Body, tt.code)
			}
		})
	}
}

// rawEvent is a REST API event carrying body, signed over its exact bytes.
func rawEvent(t *testing.T, now time.Time, b64 bool, body string) string {
	t.Helper()
	ev := map[string]any{
		"httpMethod":            "POST",
		"queryStringParameters": map[string]string{"action": "execute", "workflowId": "welcome-email", "stepId": "send-email"},
		"headers":               map[string]string{"Novu-Signature": signature.Sign(conformance.Secret, now, []byte(body))},
		"requestContext":        map[string]any{"stage": "prod"},
		"body":                  body,
		"isBase64Encoded":       b64,
	}
	if b64 {
		ev["body"] = base64.StdEncoding.EncodeToString([]byte(body))
	}
	out, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestAgainstAPIProxy compares this package with
// aws-lambda-go-api-proxy's httpadapter in front of core/nethttp. Where
// the proxy reads an event right, both answer alike; the two places where
// it does not are why events are converted here (see README.md).
func TestAgainstAPIProxy(t *testing.T) {
	ours := lambda.Handler(newBridge(t, "lambda"))
	std := nethttp.Handler(newBridge(t, "lambda"))
	ctx := context.Background()
	proxied := func(f fixture, ev []byte) (int, string) {
		t.Helper()
		switch f.format {
		case lambda.APIGatewayV1:
			var e events.APIGatewayProxyRequest
			if err := json.Unmarshal(ev, &e); err != nil {
				t.Fatal(err)
			}
			r, err := httpadapter.New(std).ProxyWithContext(ctx, e)
			if err != nil {
				t.Fatal(err)
			}
			return r.StatusCode, r.Body
		case lambda.ALB:
			var e events.ALBTargetGroupRequest
			if err := json.Unmarshal(ev, &e); err != nil {
				t.Fatal(err)
			}
			r, err := httpadapter.NewALB(std).ProxyWithContext(ctx, e)
			if err != nil {
				t.Fatal(err)
			}
			return r.StatusCode, r.Body
		default:
			var e events.APIGatewayV2HTTPRequest
			if err := json.Unmarshal(ev, &e); err != nil {
				t.Fatal(err)
			}
			r, err := httpadapter.NewV2(std).ProxyWithContext(ctx, e)
			if err != nil {
				t.Fatal(err)
			}
			return r.StatusCode, r.Body
		}
	}
	t.Run("alb-percent-encoded-query", func(t *testing.T) {
		// An ALB passes query values on as sent, percent-encoded; the
		// proxy encodes them once more, so "welcome%2Demail" never names
		// the workflow there.
		f := loadFixtures(t)[4]
		if f.name != "alb-multi-value" {
			t.Fatal(f.name)
		}
		var m map[string]any
		if err := json.Unmarshal(f.event(t, "POST", executeQuery, executeBody, map[string]string{
			signature.Header: signature.Sign(conformance.Secret, time.Now(), []byte(executeBody))}), &m); err != nil {
			t.Fatal(err)
		}
		m["multiValueQueryStringParameters"].(map[string]any)["workflowId"] = []string{"welcome%2Demail"}
		ev, _ := json.Marshal(m)
		raw, err := ours.Invoke(ctx, ev)
		if err != nil {
			t.Fatal(err)
		}
		if a := decodeAnswer(t, raw); a.StatusCode != 200 {
			t.Errorf("ours: %d %s", a.StatusCode, a.Body)
		}
		if status, body := proxied(f, ev); status != 404 || !strings.Contains(body, core.CodeWorkflowNotFound) {
			t.Errorf("the proxy now decodes ALB queries (%d %s); revisit README.md", status, body)
		}
	})
	t.Run("alb-response-headers", func(t *testing.T) {
		// A target group without multi-value headers reads only
		// "headers" from the answer; the proxy fills only
		// "multiValueHeaders", so content-type and the CORS headers
		// would be lost there.
		f := loadFixtures(t)[3]
		if f.name != "alb" {
			t.Fatal(f.name)
		}
		ev := f.caseEvent(t, conformance.Case{Method: "GET", Query: "action=health-check"}, time.Now())
		var e events.ALBTargetGroupRequest
		if err := json.Unmarshal(ev, &e); err != nil {
			t.Fatal(err)
		}
		r, err := httpadapter.NewALB(std).ProxyWithContext(ctx, e)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Headers) != 0 || r.StatusDescription != "OK" {
			t.Errorf("the proxy now answers ALB events with headers %v, statusDescription %q; revisit README.md", r.Headers, r.StatusDescription)
		}
		raw, err := ours.Invoke(ctx, ev)
		if err != nil {
			t.Fatal(err)
		}
		var mine events.ALBTargetGroupResponse
		if err := json.Unmarshal(raw, &mine); err != nil {
			t.Fatal(err)
		}
		if mine.Headers["content-type"] != "application/json" || mine.StatusDescription != "200 OK" {
			t.Errorf("ours: headers %v, statusDescription %q", mine.Headers, mine.StatusDescription)
		}
	})
	for _, f := range loadFixtures(t) {
		t.Run(f.name, func(t *testing.T) {
			for _, c := range conformance.Cases() {
				now := time.Now()
				ev := f.caseEvent(t, c, now)
				raw, err := ours.Invoke(ctx, ev)
				if err != nil {
					t.Fatal(err)
				}
				a := decodeAnswer(t, raw)
				status, body := proxied(f, ev)
				signed := false
				for _, v := range c.Headers(now) {
					signed = signed || strings.Contains(v, ",")
				}
				switch {
				case (f.format == lambda.APIGatewayV2 || f.format == lambda.FunctionURL) && signed:
					// Version 2.0 events join repeated headers with
					// commas; the proxy splits every header on them, so
					// "t=…,v1=…" reaches the handler as "t=…" only.
					if status != 401 || !strings.Contains(body, core.CodeSignatureInvalid) {
						t.Errorf("%s: the proxy now reads v2 signatures (%d %s); revisit README.md", c.Name, status, body)
					}
				default:
					for _, d := range conformance.Compare(c.Name, status, []byte(body), a.StatusCode, []byte(a.Body)) {
						t.Errorf("%s: %s", c.Name, d)
					}
				}
			}
		})
	}
}

// FuzzInvoke checks that no event makes the handler panic, and that each
// answer is either ErrNotHTTPEvent or a well-formed HTTP answer.
func FuzzInvoke(f *testing.F) {
	now := time.Now()
	for _, fx := range loadFixtures(f) {
		f.Add(fx.raw)
		f.Add(fx.event(f, "POST", executeQuery, executeBody, map[string]string{signature.Header: signature.Sign(conformance.Secret, now, []byte(executeBody))}))
	}
	f.Add([]byte(`{"httpMethod":"GET","isBase64Encoded":true,"body":"@@"}`))
	h := lambda.Handler(newBridge(f, "lambda"))
	f.Fuzz(func(t *testing.T, ev []byte) {
		raw, err := h.Invoke(context.Background(), ev)
		if err != nil {
			if !errors.Is(err, lambda.ErrNotHTTPEvent) {
				t.Fatalf("error %v is not ErrNotHTTPEvent", err)
			}
			return
		}
		var a answer
		if err := json.Unmarshal(raw, &a); err != nil {
			t.Fatalf("answer %q: %v", raw, err)
		}
		if a.StatusCode < 200 || a.StatusCode > 599 {
			t.Fatalf("status %d", a.StatusCode)
		}
	})
}

// BenchmarkInvoke measures the handler alone on a signed execute event in
// each format: event decoding, signature check, resolver and encoding.
func BenchmarkInvoke(b *testing.B) {
	h := lambda.Handler(newBridge(b, "lambda"))
	sig := map[string]string{signature.Header: signature.Sign(conformance.Secret, time.Now(), []byte(executeBody))}
	for _, f := range loadFixtures(b) {
		ev := f.event(b, "POST", executeQuery, executeBody, sig)
		b.Run(f.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := h.Invoke(context.Background(), ev); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

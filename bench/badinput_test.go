package bench

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/echofn/echofn/bench/internal/scenario"
	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/core/signature"
	"github.com/echofn/echofn/internal/conformance"
)

// testMaxBody is the body limit of the server the bad-input suite starts:
// small, so that bodies over it are cheap to send.
const testMaxBody = 64 << 10

// testStepTimeout is that server's step timeout.
const testStepTimeout = 500 * time.Millisecond

const (
	welcome     = scenario.Path + "?action=execute&workflowId=welcome-email&stepId=send-email"
	inapp       = scenario.Path + "?action=execute&workflowId=digest-inapp-custom&stepId=inapp-step"
	discover    = scenario.Path + "?action=discover"
	welcomeBody = `{"payload":{"name":"Ada"},"controls":{},"state":[],"subscriber":{"subscriberId":"sub-1","firstName":"Ada"},"context":{}}`
	faultBody   = `{"payload":{},"controls":{},"state":[],"subscriber":{}}`
)

func sign(now time.Time, body string) string {
	return signature.Sign(conformance.Secret, now, []byte(body))
}

// post is a signed JSON POST.
func post(target, body string) func(time.Time) rawRequest {
	return func(now time.Time) rawRequest {
		return rawRequest{method: "POST", target: target, body: []byte(body),
			header: [][2]string{{"Content-Type", "application/json"}, {"novu-signature", sign(now, body)}}}
	}
}

// getWith is a GET discover with the given novu-signature value.
func getWith(sig func(now time.Time) string) func(time.Time) rawRequest {
	return func(now time.Time) rawRequest {
		return rawRequest{method: "GET", target: discover, header: [][2]string{{"novu-signature", sig(now)}}}
	}
}

func nested(depth int) string {
	return `{"payload":{"name":"Ada","deep":` + strings.Repeat("[", depth) + strings.Repeat("]", depth) + `},"controls":{},"state":[],"subscriber":{}}`
}

// padded is a valid execute body of exactly n bytes (trailing spaces).
func padded(n int) string {
	return welcomeBody + strings.Repeat(" ", n-len(welcomeBody))
}

type badInput struct {
	name string
	req  func(now time.Time) rawRequest
	// status and code are the expected answer; code "" means a success
	// or a body that is not a bridge error (net/http's own answers).
	status int
	code   string
}

// badInputs are the cases for a server whose body limit is limit.
func badInputs(limit int) []badInput {
	ts := func(now time.Time) string { return strconv.FormatInt(now.UnixMilli(), 10) }
	mac := func(secret, t, body string) string { return signature.Compute(secret, t, []byte(body)) }
	return []badInput{
		// Bodies.
		{"no body, signed", func(now time.Time) rawRequest {
			return rawRequest{method: "POST", target: welcome, header: [][2]string{{"novu-signature", sign(now, "")}}}
		}, 400, "ExecutionEventPayloadInvalidError"},
		{"empty body with a length of zero", func(now time.Time) rawRequest {
			return rawRequest{method: "POST", target: welcome, body: []byte{}, header: [][2]string{{"novu-signature", sign(now, "")}}}
		}, 400, "ExecutionEventPayloadInvalidError"},
		{"no body, unsigned", func(time.Time) rawRequest { return rawRequest{method: "POST", target: welcome} }, 401, "SignatureNotFoundError"},
		{"body exactly at the limit", post(welcome, padded(limit)), 200, ""},
		{"body one byte over the limit", post(welcome, padded(limit+1)), 413, "BridgeError"},
		{"body twice the limit", post(welcome, padded(2*limit)), 413, "BridgeError"},
		{"body over the limit, unsigned", func(time.Time) rawRequest {
			return rawRequest{method: "POST", target: welcome, body: []byte(padded(limit + 1))}
		}, 413, "BridgeError"},
		{"truncated JSON", post(welcome, welcomeBody[:len(welcomeBody)/2]), 400, "BridgeError"},
		{"JSON with trailing garbage", post(welcome, welcomeBody+"}"), 400, "BridgeError"},
		{"JSON nested 129 deep", post(welcome, nested(129)), 400, "BridgeError"},
		{"JSON nested 30000 deep", post(welcome, nested(30000)), 400, "BridgeError"},
		{"JSON nested 100 deep is fine", post(welcome, nested(100)), 200, ""},
		{"body is an array", post(welcome, `[]`), 400, "BridgeError"},
		{"body is a string", post(welcome, `"payload"`), 400, "BridgeError"},
		{"invalid UTF-8 in a string", post(welcome, "{\"payload\":{\"name\":\"A\xffda\"},\"controls\":{},\"state\":[],\"subscriber\":{}}"), 200, ""},
		{"NUL byte inside a string", post(welcome, "{\"payload\":{\"name\":\"A\x00\"},\"controls\":{},\"state\":[],\"subscriber\":{}}"), 400, "BridgeError"},
		// The signature covers the bytes, whatever the content type says.
		{"text/plain content type, JSON body", func(now time.Time) rawRequest {
			return rawRequest{method: "POST", target: welcome, body: []byte(welcomeBody),
				header: [][2]string{{"Content-Type", "text/plain"}, {"novu-signature", sign(now, welcomeBody)}}}
		}, 200, ""},
		{"form content type and body", func(now time.Time) rawRequest {
			body := "payload=Ada&controls="
			return rawRequest{method: "POST", target: welcome, body: []byte(body),
				header: [][2]string{{"Content-Type", "application/x-www-form-urlencoded"}, {"novu-signature", sign(now, body)}}}
		}, 400, "BridgeError"},
		// Headers.
		{"header of 2 MiB", func(now time.Time) rawRequest {
			return rawRequest{method: "GET", target: discover, header: [][2]string{{"X-Pad", strings.Repeat("a", 2<<20)}, {"novu-signature", sign(now, "")}}}
		}, 431, ""},
		{"header of 32 KiB is fine", func(now time.Time) rawRequest {
			return rawRequest{method: "GET", target: discover, header: [][2]string{{"X-Pad", strings.Repeat("a", 32<<10)}, {"novu-signature", sign(now, "")}}}
		}, 200, ""},
		// Signature faults.
		{"signature missing", getWith(func(time.Time) string { return "" }), 401, "SignatureNotFoundError"},
		{"signature malformed", getWith(func(time.Time) string { return "garbage" }), 401, "SignatureInvalidError"},
		{"signature without v1", getWith(func(now time.Time) string { return "t=" + ts(now) }), 401, "SignatureInvalidError"},
		{"signature without t", getWith(func(now time.Time) string { return "v1=" + mac(conformance.Secret, ts(now), "{}") }), 401, "SignatureInvalidError"},
		{"signature with a non-numeric t", getWith(func(now time.Time) string { return "t=soon,v1=" + mac(conformance.Secret, "soon", "{}") }), 401, "SignatureInvalidError"},
		{"signature with a 40-digit t", getWith(func(time.Time) string {
			t := strings.Repeat("9", 40)
			return "t=" + t + ",v1=" + mac(conformance.Secret, t, "{}")
		}), 401, "SignatureInvalidError"},
		{"signature expired", getWith(func(now time.Time) string { return sign(now.Add(-6*time.Minute), "") }), 401, "SignatureExpiredError"},
		{"signature in seconds", getWith(func(now time.Time) string {
			t := strconv.FormatInt(now.Unix(), 10)
			return "t=" + t + ",v1=" + mac(conformance.Secret, t, "{}")
		}), 401, "SignatureExpiredError"},
		{"signature from the future", getWith(func(now time.Time) string { return sign(now.Add(6*time.Minute), "") }), 401, "SignatureExpiredError"},
		{"signature with the wrong key", getWith(func(now time.Time) string { return signature.Sign("sk_test_wrong", now, nil) }), 401, "SignatureMismatchError"},
		{"signature in upper-case hex", getWith(func(now time.Time) string {
			return "t=" + ts(now) + ",v1=" + strings.ToUpper(mac(conformance.Secret, ts(now), "{}"))
		}), 401, "SignatureMismatchError"},
		{"signature truncated", getWith(func(now time.Time) string { return sign(now, "")[:40] }), 401, "SignatureMismatchError"},
		{"signature over another timestamp", getWith(func(now time.Time) string {
			return "t=" + ts(now) + ",v1=" + mac(conformance.Secret, ts(now.Add(-time.Second)), "{}")
		}), 401, "SignatureMismatchError"},
		{"signature with 500 bad v1 entries", getWith(func(now time.Time) string {
			return "t=" + ts(now) + strings.Repeat(",v1="+strings.Repeat("0", 64), 500)
		}), 401, "SignatureMismatchError"},
		{"tampered body", func(now time.Time) rawRequest {
			body := strings.Replace(welcomeBody, "Ada", "Eve", 1)
			return rawRequest{method: "POST", target: welcome, body: []byte(body),
				header: [][2]string{{"Content-Type", "application/json"}, {"novu-signature", sign(now, welcomeBody)}}}
		}, 401, "SignatureMismatchError"},
		{"GET signed over a body", getWith(func(now time.Time) string { return sign(now, welcomeBody) }), 401, "SignatureMismatchError"},
		// Unknown names.
		{"unknown workflow", post(scenario.Path+"?action=execute&workflowId=nope&stepId=send-email", welcomeBody), 404, "WorkflowNotFoundError"},
		{"unknown step after replayed state", post(scenario.Path+"?action=execute&workflowId=welcome-email&stepId=nope",
			`{"payload":{"name":"Ada"},"controls":{},"state":[{"stepId":"send-email","outputs":{},"state":{"status":"completed"}}],"subscriber":{}}`), 200, ""},
		{"unknown step without state", post(scenario.Path+"?action=execute&workflowId=welcome-email&stepId=nope", welcomeBody), 400, "ExecutionStateCorruptError"},
		{"code of an unknown step", func(now time.Time) rawRequest {
			return rawRequest{method: "GET", target: scenario.Path + "?action=code&workflowId=welcome-email&stepId=nope", header: [][2]string{{"novu-signature", sign(now, "")}}}
		}, 404, "StepNotFoundError"},
		{"unknown action", func(now time.Time) rawRequest {
			return rawRequest{method: "GET", target: scenario.Path + "?action=nope", header: [][2]string{{"novu-signature", sign(now, "")}}}
		}, 400, "InvalidActionError"},
		{"method DELETE", func(now time.Time) rawRequest {
			return rawRequest{method: "DELETE", target: discover, header: [][2]string{{"novu-signature", sign(now, "")}}}
		}, 405, "MethodNotAllowedError"},
		// Corrupt state.
		{"state is an object", post(inapp, `{"payload":{},"controls":{},"state":{"stepId":"digest-step"},"subscriber":{}}`), 400, "BridgeError"},
		{"state entry is a string", post(inapp, `{"payload":{},"controls":{},"state":["digest-step"],"subscriber":{}}`), 400, "BridgeError"},
		{"state misses an earlier step", post(inapp, `{"payload":{},"controls":{},"state":[{"stepId":"other","outputs":{}}],"subscriber":{}}`), 400, "ExecutionStateCorruptError"},
		{"state entry without outputs", post(inapp, `{"payload":{},"controls":{},"state":[{"stepId":"digest-step"}],"subscriber":{}}`), 400, "ExecutionStateResultInvalidError"},
		{"state result of the wrong shape", post(inapp, `{"payload":{},"controls":{},"state":[{"stepId":"digest-step","outputs":{"events":[{"id":1}]}}],"subscriber":{}}`), 400, "ExecutionStateResultInvalidError"},
		// Step code that fails.
		{"step panics", post(scenario.Path+"?action=execute&workflowId=fault-panics&stepId=panics", faultBody), 502, "StepExecutionFailedError"},
		{"step blocks and ignores its context", post(scenario.Path+"?action=execute&workflowId=fault-blocks&stepId=blocks", faultBody), 502, "StepExecutionFailedError"},
		{"step waits for its context", post(scenario.Path+"?action=execute&workflowId=fault-waits&stepId=waits", faultBody), 502, "StepExecutionFailedError"},
	}
}

// hexRun is what a signature's MAC looks like.
var hexRun = regexp.MustCompile(`[0-9a-fA-F]{64}`)

// TestBadInput sends each bad request to a real server process and checks
// the typed answer; the process must survive all of them and log neither
// the secret key nor a signature. It runs against `echofn serve` with its
// production defaults, and against core behind a server whose step timeout
// and body limit are short, for the steps that fail and block.
func TestBadInput(t *testing.T) {
	t.Parallel()
	t.Run(echofnServe, func(t *testing.T) {
		c := startChild(t, echofnServe)
		var cases []badInput
		for _, tc := range badInputs(core.DefaultMaxBodyBytes) {
			if !strings.HasPrefix(tc.name, "step ") || tc.name == "step panics" { // TestStepTimeoutBeatsNovu has the slow ones
				cases = append(cases, tc)
			}
		}
		checkBadInputs(t, c, cases)
	})
	t.Run(coreServer, func(t *testing.T) {
		c := startChild(t, coreServer, envMaxBody+"="+strconv.Itoa(testMaxBody), envStepTimeout+"="+testStepTimeout.String())
		checkBadInputs(t, c, badInputs(testMaxBody))
		if !c.waitForLog(t, `msg="waits step released" cause="context deadline exceeded"`, 5*time.Second) {
			t.Errorf("the step waiting for its context was not released by the step timeout:\n%.3000s", c.logText(t))
		}
	})
}

func checkBadInputs(t *testing.T, c *child, cases []badInput) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			resp, err := send(c.addr, tc.req(time.Now()), 30*time.Second)
			elapsed := time.Since(start)
			if err != nil {
				t.Fatalf("no answer: %v", err)
			}
			if resp.status != tc.status || resp.code() != tc.code {
				t.Errorf("got %d %q, want %d %q: %.300s", resp.status, resp.code(), tc.status, tc.code, resp.body)
			}
			if strings.Contains(string(resp.body), conformance.Secret) {
				t.Errorf("the answer holds the secret key: %s", resp.body)
			}
			if strings.HasPrefix(tc.name, "step ") && elapsed > testStepTimeout+4*time.Second {
				t.Errorf("a failing step was answered after %v; Novu gives up after 5s", elapsed)
			}
			c.alive(t)
		})
	}
	c.health(t)
	logs := c.logText(t)
	if strings.Contains(logs, conformance.Secret) {
		t.Error("the server logged the secret key")
	}
	if m := hexRun.FindString(logs); m != "" {
		t.Errorf("the server logged a signature: %s", m)
	}
	if strings.Contains(logs, "v1=") {
		t.Error(`the server logged a signature header ("v1=")`)
	}
	for _, want := range []string{"StepExecutionFailedError", "SignatureMismatchError"} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log does not mention %s:\n%.2000s", want, logs)
		}
	}
}

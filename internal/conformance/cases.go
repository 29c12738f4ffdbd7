package conformance

import (
	"strconv"
	"strings"
	"time"

	"github.com/echofn/echofn/core/signature"
)

// Secret is the secret key both the reference bridge and ours are started
// with in conformance runs.
const Secret = "sk_test_conformance"

// Case is one request sent to a bridge.
type Case struct {
	// Name matches the reference capture of the same name, when there is
	// one.
	Name   string
	Method string
	Query  string
	Body   string
	// Sign returns the request's signature headers at now; nil sends the
	// request signed with Secret as Novu would.
	Sign func(now time.Time, body string) map[string]string
	// Differs says why our answer differs from the reference on purpose;
	// such a case is compared with Want instead.
	Differs string
	// Want is our answer where it differs: the status, and the code of an
	// error body ("" for a success).
	Want Want
}

// Want is an expected status and error code.
type Want struct {
	Status int
	Code   string
}

// Headers returns the headers to send with c at now.
func (c Case) Headers(now time.Time) map[string]string {
	if c.Sign != nil {
		return c.Sign(now, c.Body)
	}
	return map[string]string{signature.Header: Signed(now, c.Method, c.Body)}
}

// Signed signs a request as Novu does: the body for POST, "{}" otherwise.
func Signed(now time.Time, method, body string) string {
	if method != "POST" {
		body = ""
	}
	return signature.Sign(Secret, now, []byte(body))
}

func unsigned(time.Time, string) map[string]string { return map[string]string{} }

func header(name string, value func(now time.Time, body string) string) func(time.Time, string) map[string]string {
	return func(now time.Time, body string) map[string]string {
		return map[string]string{name: value(now, body)}
	}
}

func goodMAC(now time.Time, body string) (ts, mac string) {
	ts = strconv.FormatInt(now.UnixMilli(), 10)
	return ts, signature.Compute(Secret, ts, []byte(body))
}

const (
	triggerState = `{"stepId":"trigger","outputs":{},"state":{"status":"completed"}}`
	digestState  = `{"stepId":"digest-step","outputs":{"eventCount":2,"events":[{"id":"e1","time":"2024-01-01T00:00:00.000Z","payload":{"x":1}},{"id":"e2","time":"2024-01-01T00:01:00.000Z","payload":{"x":2}}]},"state":{"status":"completed"}}`
	rawBody      = `{ "payload": { "name": "Ada", "n": 1.50 }, "controls": {}, "state": [], "subscriber": {} }`
)

// Cases returns every request of the conformance table.
func Cases() []Case {
	get := func(name, q string) Case { return Case{Name: name, Method: "GET", Query: q} }
	post := func(name, q, body string) Case { return Case{Name: name, Method: "POST", Query: q, Body: body} }
	cases := []Case{
		{Name: "health-check", Method: "GET", Query: "action=health-check", Sign: unsigned},
		{Name: "default-action", Method: "GET", Query: "", Sign: unsigned},
		get("discover", "action=discover"),
		get("code-workflow", "action=code&workflowId=welcome-email"),
		get("code-step", "action=code&workflowId=welcome-email&stepId=send-email"),
		post("execute-email", "action=execute&workflowId=welcome-email&stepId=send-email",
			`{"payload":{"name":"Ada"},"controls":{},"state":[],"subscriber":{"subscriberId":"sub-1","firstName":"Ada"},"context":{}}`),
		post("execute-email-controls", "action=execute&workflowId=welcome-email&stepId=send-email",
			`{"payload":{"name":"Ada","plan":"pro"},"controls":{"subject":"Custom {{payload.plan | upcase}} subject","unknownKey":1},"state":[],"subscriber":{"subscriberId":"sub-1"}}`),
		post("execute-email-skip", "action=execute&workflowId=welcome-email&stepId=send-email",
			`{"payload":{"name":"Ada"},"controls":{"skipEmail":true},"state":[],"subscriber":{}}`),
		post("execute-digest", "action=execute&workflowId=digest-inapp-custom&stepId=digest-step",
			`{"payload":{"project":"apollo"},"controls":{},"state":[`+triggerState+`],"subscriber":{"subscriberId":"sub-1"}}`),
		post("execute-inapp", "action=execute&workflowId=digest-inapp-custom&stepId=inapp-step",
			`{"payload":{"project":"apollo"},"controls":{},"state":[`+digestState+`],"subscriber":{"subscriberId":"sub-1"}}`),
		post("execute-custom", "action=execute&workflowId=digest-inapp-custom&stepId=custom-step",
			`{"payload":{"project":"apollo"},"controls":{},"state":[{"stepId":"digest-step","outputs":{"events":[{"id":"e1","time":"2024-01-01T00:00:00.000Z","payload":{}}]},"state":{"status":"completed"}},{"stepId":"inapp-step","outputs":{"seen":true,"read":false,"lastSeenDate":"2024-01-01T00:02:00.000Z","lastReadDate":null},"state":{"status":"completed"}}],"subscriber":{"subscriberId":"sub-1"}}`),
		post("preview-custom", "action=preview&workflowId=digest-inapp-custom&stepId=custom-step",
			`{"payload":{},"controls":{},"state":[],"subscriber":{}}`),
		post("preview-email", "action=preview&workflowId=welcome-email&stepId=send-email",
			`{"payload":{},"controls":{},"state":[],"subscriber":{}}`),
		{Name: "options-no-action", Method: "OPTIONS", Query: "", Sign: unsigned},

		{Name: "err-signature-missing", Method: "GET", Query: "action=discover", Sign: unsigned},
		{Name: "err-signature-invalid", Method: "GET", Query: "action=discover",
			Sign: header(signature.Header, func(time.Time, string) string { return "garbage" })},
		{Name: "err-signature-expired", Method: "GET", Query: "action=discover",
			Sign: header(signature.Header, func(time.Time, string) string { return signature.Sign(Secret, time.UnixMilli(1000), nil) })},
		{Name: "err-signature-mismatch", Method: "GET", Query: "action=discover",
			Sign: header(signature.Header, func(now time.Time, _ string) string { return signature.Sign("wrong-secret", now, nil) })},
		{Name: "err-signature-x-header-only", Method: "GET", Query: "action=discover",
			Sign:    header(signature.LegacyHeader, func(now time.Time, _ string) string { return signature.Sign(Secret, now, nil) }),
			Differs: "x-novu-signature is read when novu-signature is absent (Echo-era senders)", Want: Want{200, ""}},
		{Name: "err-options-with-action", Method: "OPTIONS", Query: "action=discover", Sign: unsigned},
		get("err-invalid-get-action", "action=nope"),
		post("err-invalid-post-action", "action=discover", `{}`),
		{Name: "err-method-not-allowed", Method: "PUT", Query: "action=health-check", Sign: unsigned},
		post("err-workflow-not-found", "action=execute&workflowId=nope&stepId=x", `{"payload":{},"controls":{},"state":[],"subscriber":{}}`),
		post("err-payload-missing", "action=execute&workflowId=welcome-email&stepId=send-email", `{"controls":{},"state":[],"subscriber":{}}`),
		post("err-payload-invalid", "action=execute&workflowId=welcome-email&stepId=send-email", `{"payload":{"plan":"gold","extra":true},"controls":{},"state":[],"subscriber":{}}`),
		post("err-controls-invalid", "action=execute&workflowId=welcome-email&stepId=send-email", `{"payload":{"name":"Ada"},"controls":{"skipEmail":"yes"},"state":[],"subscriber":{}}`),
		post("err-controls-absent", "action=execute&workflowId=welcome-email&stepId=send-email", `{"payload":{"name":"Ada"},"state":[],"subscriber":{}}`),
		post("err-state-corrupt", "action=execute&workflowId=digest-inapp-custom&stepId=inapp-step", `{"payload":{},"controls":{},"state":[],"subscriber":{}}`),
		post("err-state-result-invalid", "action=execute&workflowId=digest-inapp-custom&stepId=inapp-step", `{"payload":{},"controls":{},"state":[{"stepId":"digest-step","outputs":{"events":"nope"},"state":{"status":"completed"}}],"subscriber":{}}`),
		{Name: "err-state-absent", Method: "POST", Query: "action=execute&workflowId=digest-inapp-custom&stepId=inapp-step",
			Body:    `{"payload":{},"controls":{},"subscriber":{}}`,
			Differs: "an absent state means no earlier step ran: 400 ExecutionStateCorruptError, not a 500 from a JavaScript TypeError",
			Want:    Want{400, "ExecutionStateCorruptError"}},
		post("err-controls-enum", "action=execute&workflowId=digest-inapp-custom&stepId=digest-step", `{"payload":{},"controls":{"unit":"years"},"state":[],"subscriber":{}}`),
		post("err-output-invalid", "action=execute&workflowId=digest-inapp-custom&stepId=inapp-step",
			`{"payload":{},"controls":{"avatar":"not a uri"},"state":[{"stepId":"digest-step","outputs":{"events":[]},"state":{"status":"completed"}}],"subscriber":{}}`),
		post("execute-unknown-step", "action=execute&workflowId=welcome-email&stepId=nope",
			`{"payload":{"name":"Ada"},"controls":{},"state":[{"stepId":"send-email","outputs":{},"state":{"status":"completed"}}],"subscriber":{}}`),
		post("err-step-throws", "action=execute&workflowId=digest-inapp-custom&stepId=inapp-step",
			`{"payload":{"project":"boom"},"controls":{},"state":[{"stepId":"digest-step","outputs":{"events":[]},"state":{"status":"completed"}}],"subscriber":{}}`),
		post("err-post-code-action", "action=code&workflowId=welcome-email&stepId=nope", `{}`),
		get("err-code-step-not-found", "action=code&workflowId=welcome-email&stepId=nope"),
		get("err-code-no-workflow", "action=code"),
		post("liquid-unknown-filter", "action=execute&workflowId=welcome-email&stepId=send-email",
			`{"payload":{"name":"Ada"},"controls":{"subject":"{{ payload.name | nosuchfilter }}"},"state":[],"subscriber":{}}`),
		post("err-liquid-compile", "action=execute&workflowId=welcome-email&stepId=send-email",
			`{"payload":{"name":"Ada"},"controls":{"subject":"{{ payload.name "},"state":[],"subscriber":{}}`),

		{Name: "err-signature-seconds", Method: "GET", Query: "action=discover",
			Sign: header(signature.Header, func(now time.Time, _ string) string {
				ts := strconv.FormatInt(now.Unix(), 10)
				return "t=" + ts + ",v1=" + signature.Compute(Secret, ts, nil)
			})},
		{Name: "err-signature-two-v1-bad-first", Method: "GET", Query: "action=discover",
			Sign: header(signature.Header, func(now time.Time, _ string) string {
				ts, mac := goodMAC(now, "{}")
				return "t=" + ts + ",v1=deadbeef,v1=" + mac
			}),
			Differs: "every v1 entry is tried, so a sender can sign with old and new keys during a rotation", Want: Want{200, ""}},
		{Name: "ok-signature-two-v1-good-first", Method: "GET", Query: "action=discover",
			Sign: header(signature.Header, func(now time.Time, _ string) string {
				ts, mac := goodMAC(now, "{}")
				return "t=" + ts + ",v1=" + mac + ",v1=deadbeef"
			})},
		{Name: "ok-signature-reordered-spaces", Method: "GET", Query: "action=discover",
			Sign: header(signature.Header, func(now time.Time, _ string) string {
				ts, mac := goodMAC(now, "{}")
				return "v1=" + mac + " , t=" + ts
			})},
		{Name: "err-signature-uppercase-hex", Method: "GET", Query: "action=discover",
			Sign: header(signature.Header, func(now time.Time, _ string) string {
				ts, mac := goodMAC(now, "{}")
				return "t=" + ts + ",v1=" + strings.ToUpper(mac)
			})},
		{Name: "ok-signature-v0-extra-field", Method: "GET", Query: "action=discover",
			Sign: header(signature.Header, func(now time.Time, _ string) string {
				ts, mac := goodMAC(now, "{}")
				return "t=" + ts + ",v0=zzz,v1=" + mac
			})},
		{Name: "err-signature-over-raw-bytes", Method: "POST", Query: "action=execute&workflowId=welcome-email&stepId=send-email", Body: rawBody,
			Sign: header(signature.Header, func(now time.Time, body string) string {
				ts, mac := goodMAC(now, body)
				return "t=" + ts + ",v1=" + mac
			}),
			Differs: "the signature covers the raw body bytes as sent, not a re-serialisation", Want: Want{200, ""}},
		{Name: "ok-signature-over-reserialized", Method: "POST", Query: "action=execute&workflowId=welcome-email&stepId=send-email", Body: rawBody,
			Sign: header(signature.Header, func(now time.Time, _ string) string {
				ts, mac := goodMAC(now, `{"payload":{"name":"Ada","n":1.5},"controls":{},"state":[],"subscriber":{}}`)
				return "t=" + ts + ",v1=" + mac
			}),
			Differs: "the signature covers the raw body bytes as sent, not a re-serialisation", Want: Want{401, "SignatureMismatchError"}},
	}
	cases = append(cases, post("trigger", "action=trigger&workflowId=welcome-email",
		`{"to":{"subscriberId":"sub-1"},"payload":{"name":"Ada"},"transactionId":"txn-1","actor":"actor-1","bridgeUrl":"https://example.com/api/novu","controls":{"steps":{"send-email":{"subject":"x"}}},"context":{"tenant":"acme"}}`))
	return append(cases, extraCases()...)
}

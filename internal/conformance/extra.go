package conformance

import (
	"strconv"
	"time"

	"github.com/echofn/echofn/core/signature"
)

// extraCases are requests the reference capture does not hold; the
// differential test compares them with the reference running live.
func extraCases() []Case {
	const (
		welcome = "action=execute&workflowId=welcome-email&stepId=send-email"
		inapp   = "action=execute&workflowId=digest-inapp-custom&stepId=inapp-step"
		custom  = "action=execute&workflowId=digest-inapp-custom&stepId=custom-step"
		digest  = "action=execute&workflowId=digest-inapp-custom&stepId=digest-step"
	)
	post := func(name, q, body string) Case { return Case{Name: name, Method: "POST", Query: q, Body: body} }
	signedAt := func(offset time.Duration) func(time.Time, string) map[string]string {
		return func(now time.Time, body string) map[string]string {
			return map[string]string{signature.Header: signature.Sign(Secret, now.Add(offset), []byte(body))}
		}
	}
	return []Case{
		{Name: "x-future-signature", Method: "GET", Query: "action=discover", Sign: signedAt(10 * time.Minute)},
		{Name: "x-signature-just-inside-window", Method: "GET", Query: "action=discover", Sign: signedAt(-4 * time.Minute)},
		{Name: "x-signature-no-v1", Method: "GET", Query: "action=discover",
			Sign: func(now time.Time, _ string) map[string]string {
				return map[string]string{signature.Header: "t=" + strconv.FormatInt(now.UnixMilli(), 10)}
			}},
		{Name: "x-tampered-body", Method: "POST", Query: welcome, Body: `{"payload":{"name":"Eve"},"controls":{},"state":[],"subscriber":{}}`,
			Sign: func(now time.Time, _ string) map[string]string {
				return map[string]string{signature.Header: signature.Sign(Secret, now, []byte(`{"payload":{"name":"Ada"},"controls":{},"state":[],"subscriber":{}}`))}
			}},
		{Name: "x-code-unsigned", Method: "GET", Query: "action=code&workflowId=welcome-email", Sign: unsigned},
		{Name: "x-execute-unsigned", Method: "POST", Query: welcome, Body: `{"payload":{"name":"Ada"},"controls":{},"state":[],"subscriber":{}}`, Sign: unsigned},
		{Name: "x-delete-unsigned", Method: "DELETE", Query: "action=discover", Sign: unsigned},
		{Name: "x-patch-signed", Method: "PATCH", Query: "action=discover"},
		{Name: "x-put-no-action", Method: "PUT", Query: "", Sign: unsigned},
		{Name: "x-post-health-check", Method: "POST", Query: "action=health-check", Body: `{}`, Sign: unsigned},
		{Name: "x-get-execute", Method: "GET", Query: "action=execute&workflowId=welcome-email&stepId=send-email"},
		{Name: "x-get-preview", Method: "GET", Query: "action=preview"},
		{Name: "x-action-case-sensitive", Method: "GET", Query: "action=Discover"},
		{Name: "x-code-unknown-workflow", Method: "GET", Query: "action=code&workflowId=nope"},
		post("x-payload-not-object", welcome, `{"payload":"Ada","controls":{},"state":[],"subscriber":{}}`),
		post("x-payload-zero", welcome, `{"payload":0,"controls":{},"state":[],"subscriber":{}}`),
		post("x-payload-wrong-type", welcome, `{"payload":{"name":5},"controls":{},"state":[],"subscriber":{}}`),
		post("x-controls-null", welcome, `{"payload":{"name":"Ada"},"controls":null,"state":[],"subscriber":{}}`),
		post("x-controls-array", welcome, `{"payload":{"name":"Ada"},"controls":[],"state":[],"subscriber":{}}`),
		post("x-liquid-subscriber", welcome, `{"payload":{"name":"Ada","plan":"pro"},"controls":{"greeting":"Dear {{subscriber.firstName | upcase}} ({{subscriber.data.team}})"},"state":[],"subscriber":{"firstName":"Grace","data":{"team":"core"}}}`),
		post("x-liquid-if", welcome, `{"payload":{"name":"Ada","plan":"pro"},"controls":{"subject":"{% if payload.plan == 'pro' %}Pro{% else %}Free{% endif %} plan"},"state":[],"subscriber":{}}`),
		post("x-liquid-quotes-newlines", welcome, `{"payload":{"name":"A \"quoted\"\nname"},"controls":{"subject":"Hi {{payload.name}}"},"state":[],"subscriber":{}}`),
		post("x-html-escaping", welcome, `{"payload":{"name":"Tom & <b>Jerry</b>"},"controls":{},"state":[],"subscriber":{"firstName":"<img src=x onerror=alert(1)>"}}`),
		post("x-skip-false", welcome, `{"payload":{"name":"Ada"},"controls":{"skipEmail":false},"state":[],"subscriber":{}}`),
		post("x-empty-subject-output", welcome, `{"payload":{"name":"Ada"},"controls":{"subject":""},"state":[],"subscriber":{}}`),
		post("x-state-extra-entries", inapp, `{"payload":{"project":"x"},"controls":{},"state":[{"stepId":"other","outputs":{"a":1},"state":{"status":"completed"}},`+digestState+`],"subscriber":{}}`),
		post("x-state-duplicate-entries", inapp, `{"payload":{"project":"x"},"controls":{},"state":[`+digestState+`,{"stepId":"digest-step","outputs":{"events":"bad"},"state":{"status":"completed"}}],"subscriber":{}}`),
		post("x-digest-events-in-liquid", inapp, `{"payload":{"project":"x"},"controls":{"subject":"{{steps.digest-step.events | size}} events"},"state":[`+digestState+`],"subscriber":{}}`),
		post("x-liquid-digest-filter", inapp, `{"payload":{"project":"x"},"controls":{"subject":"{{steps.digest-step.events | digest: 1, 'payload.x'}}"},"state":[`+digestState+`],"subscriber":{}}`),
		post("x-liquid-tosentence-filter", inapp, `{"payload":{"project":"x"},"controls":{"subject":"{{steps.digest-step.events | toSentence: 'id', 1, 'event'}}"},"state":[`+digestState+`],"subscriber":{}}`),
		post("x-liquid-pluralize-filter", inapp, `{"payload":{"project":"x"},"controls":{"subject":"{{steps.digest-step.events | pluralize: 'event'}} / {{ 1 | pluralize: 'box' }} / {{ payload.project | pluralize: 'x', 'y', 'false' }}"},"state":[`+digestState+`],"subscriber":{}}`),
		post("x-liquid-json-filter", inapp, `{"payload":{"project":"x","meta":{"a":[1,2],"b":"c"}},"controls":{"subject":"{{payload.meta | json}} {{payload.meta}}"},"state":[`+digestState+`],"subscriber":{}}`),
		post("x-liquid-math-and-default", inapp, `{"payload":{"project":"x","n":7},"controls":{"subject":"{{payload.n | plus: 3 | times: 2}} {{payload.none | default: 'fallback'}} {{ payload.project | append: '!' | capitalize }}"},"state":[`+digestState+`],"subscriber":{}}`),
		post("x-liquid-for-loop", inapp, `{"payload":{"project":"x"},"controls":{"subject":"{% for e in steps.digest-step.events %}{{e.id}}{% unless forloop.last %}+{% endunless %}{% endfor %}"},"state":[`+digestState+`],"subscriber":{}}`),
		post("x-liquid-workflow-and-env", inapp, `{"payload":{"project":"x"},"controls":{"subject":"{{workflow.workflowId}} {{env.name}} {{context.tenant}} {{actor.name}}"},"state":[`+digestState+`],"subscriber":{},"env":{"name":"dev"},"context":{"tenant":"acme"},"actor":{"name":"Bo"}}`),
		post("x-liquid-translation-marker", inapp, `{"payload":{"project":"x"},"controls":{"subject":"{{ t.welcome_title }} {{payload.project}}"},"state":[`+digestState+`],"subscriber":{}}`),
		post("x-custom-missing-inapp-state", custom, `{"payload":{"project":"x"},"controls":{},"state":[`+digestState+`],"subscriber":{}}`),
		post("x-inapp-result-invalid", custom, `{"payload":{"project":"x"},"controls":{},"state":[`+digestState+`,{"stepId":"inapp-step","outputs":{"seen":"yes"},"state":{"status":"completed"}}],"subscriber":{}}`),
		post("x-digest-controls-number", digest, `{"payload":{},"controls":{"amount":"five"},"state":[],"subscriber":{}}`),
		post("x-digest-controls-ok", digest, `{"payload":{},"controls":{"amount":2,"unit":"hours"},"state":[],"subscriber":{}}`),
		post("x-payload-extra-allowed", inapp, `{"payload":{"project":"x","extra":{"deep":[1,2]}},"controls":{},"state":[`+digestState+`],"subscriber":{}}`),
		post("x-preview-inapp", "action=preview&workflowId=digest-inapp-custom&stepId=inapp-step", `{"payload":{"project":"p"},"controls":{},"state":[],"subscriber":{}}`),
		post("x-preview-unknown-workflow", "action=preview&workflowId=nope&stepId=x", `{"payload":{},"controls":{},"state":[],"subscriber":{}}`),
		post("x-execute-no-step-id", "action=execute&workflowId=welcome-email", `{"payload":{"name":"Ada"},"controls":{},"state":[],"subscriber":{}}`),
		// Novu sends bodies as JSON.stringify writes them: U+2028 raw, not escaped.
		post("x-trigger-minimal", "action=trigger&workflowId=digest-inapp-custom", `{"to":"sub-2"}`),
		post("x-trigger-body-names-workflow", "action=trigger&workflowId=welcome-email", `{"workflowId":"digest-inapp-custom","to":["a","b"],"payload":{"project":"p"},"overrides":{"email":{"from":"x"}},"actor":"","tenant":"t1","agentId":"ag"}`),
		post("x-unicode-payload", welcome, "{\"payload\":{\"name\":\"Zoë 🚀 \u2028 日本\"},\"controls\":{},\"state\":[],\"subscriber\":{}}"),
	}
}

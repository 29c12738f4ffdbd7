// Package scenario holds the requests the benchmarks and load tests send:
// the conformance table's requests, signed as Novu signs them, with the
// status each must get.
package scenario

import (
	"fmt"
	"strings"
	"time"

	"github.com/echofn/echofn/bench/internal/load"
	"github.com/echofn/echofn/core/signature"
	"github.com/echofn/echofn/internal/conformance"
)

// Path is where both bridges serve Novu's calls.
const Path = "/api/novu"

// Valid signs a request with the conformance secret as Novu does: the body
// for POST, "{}" for other methods (an empty body is signed as "{}").
func Valid(now time.Time, body []byte) string {
	return signature.Sign(conformance.Secret, now, body)
}

// SignedWith signs with another key.
func SignedWith(secret string) load.SignFunc {
	return func(now time.Time, body []byte) string { return signature.Sign(secret, now, body) }
}

// SignedAt signs with the right key at now+offset.
func SignedAt(offset time.Duration) load.SignFunc {
	return func(now time.Time, body []byte) string { return Valid(now.Add(offset), body) }
}

// SignedOver signs other bytes than the body sent.
func SignedOver(other []byte) load.SignFunc {
	return func(now time.Time, _ []byte) string { return Valid(now, other) }
}

// Case returns the conformance case of that name; it panics when there is
// none, which is a mistake in this package.
func Case(name string) conformance.Case {
	for _, c := range conformance.Cases() {
		if c.Name == name {
			return c
		}
	}
	panic(fmt.Sprintf("scenario: no conformance case %q", name))
}

// FromCase makes a correctly signed request of the conformance case name,
// expecting want.
func FromCase(name string, want int, wantBody string) load.Request {
	c := Case(name)
	r := load.Request{Name: name, Method: c.Method, Target: Path + "?" + c.Query, Sign: Valid, Want: want, WantBody: wantBody}
	if c.Method == "POST" {
		r.Body = []byte(c.Body)
	}
	return r
}

// LargeUnsigned is an unsigned execute of the email step whose body, a
// payload with one long string, is size bytes long (at least its 20 bytes
// of JSON): what a client without the secret key can send to make a
// server read large bodies. The bridge answers it with 401 once read.
func LargeUnsigned(size int) load.Request {
	body := `{"payload":{"name":"` + strings.Repeat("a", max(size-20, 0)) + `"}}`
	return load.Request{Name: "large-unsigned", Method: "POST", Target: Path + "?" + Case("execute-email").Query,
		Body: []byte(body), Want: 401}
}

// Benchmarked are the four requests the side-by-side benchmark compares:
// execute of an email step, execute of the last step of a three-step
// workflow (two earlier steps replayed from state), discover and
// health-check. Both bridges answer each with 200.
func Benchmarked() []load.Request {
	health := load.Request{Name: "health-check", Method: "GET", Target: Path + "?action=health-check", Want: 200, WantBody: `"status":"ok"`}
	return []load.Request{
		FromCase("execute-email", 200, `"subject":"Welcome, Ada!"`),
		FromCase("execute-custom", 200, `"label":"processed-apollo"`),
		FromCase("discover", 200, `"workflowId":"digest-inapp-custom"`),
		health,
	}
}

// Named returns the requests of Benchmarked whose names are listed
// (comma-separated), in that order; "all" or "" means all of them.
func Named(list string) ([]load.Request, error) {
	all := Benchmarked()
	if list == "" || list == "all" {
		return all, nil
	}
	var out []load.Request
	for _, name := range strings.Split(list, ",") {
		found := false
		for _, r := range all {
			if r.Name == strings.TrimSpace(name) {
				out = append(out, r)
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("unknown scenario %q (have execute-email, execute-custom, discover, health-check)", name)
		}
	}
	return out, nil
}

// Mixed is a mix of valid and invalid requests, each with the status our
// bridge must answer. It is what the sustained load test sends.
func Mixed() []load.Request {
	email := Case("execute-email")
	emailBody := []byte(email.Body)
	emailTarget := Path + "?" + email.Query
	post := func(name, target string, body []byte, sign load.SignFunc, want int) load.Request {
		return load.Request{Name: name, Method: "POST", Target: target, Body: body, Sign: sign, Want: want}
	}
	reqs := Benchmarked()
	reqs = append(reqs,
		FromCase("execute-email-skip", 200, `"skip":true`),
		FromCase("execute-digest", 200, `"unit":"minutes"`),
		FromCase("execute-inapp", 200, `"subject":"Digest for apollo"`),
		FromCase("preview-custom", 200, `"status":"success"`),
		FromCase("err-workflow-not-found", 404, `"code":"WorkflowNotFoundError"`),
		FromCase("err-payload-invalid", 400, `"code":"ExecutionEventPayloadInvalidError"`),
		FromCase("err-controls-invalid", 400, `"code":"ExecutionStateControlInvalidError"`),
		FromCase("err-state-corrupt", 400, `"code":"ExecutionStateCorruptError"`),
		FromCase("err-step-throws", 502, `"code":"StepExecutionFailedError"`),
		FromCase("err-liquid-compile", 400, `"code":"StepControlCompilationFailedError"`),
		FromCase("err-invalid-get-action", 400, `"code":"InvalidActionError"`),
		post("unsigned-execute", emailTarget, emailBody, nil, 401),
		post("expired-execute", emailTarget, emailBody, SignedAt(-10*time.Minute), 401),
		post("future-execute", emailTarget, emailBody, SignedAt(10*time.Minute), 401),
		post("wrong-key-execute", emailTarget, emailBody, SignedWith("sk_test_other"), 401),
		post("tampered-execute", emailTarget, []byte(strings.Replace(email.Body, "Ada", "Eve", 1)), SignedOver(emailBody), 401),
		post("not-json-execute", emailTarget, []byte(`{"payload":`), Valid, 400),
		load.Request{Name: "put", Method: "PUT", Target: Path + "?action=discover", Sign: Valid, Want: 405},
	)
	return reqs
}

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/echofn/echofn/cloudsim"
)

const runUsage = `
Usage: %[1]s run WORKFLOW [flags]

Runs a workflow end to end against a bridge, as Novu Cloud would: it
discovers the bridge's workflows, then executes each step in order with a
signed request, passing earlier steps' outputs back as state and honouring
skips. It prints each step's outputs (an email's HTML as text as well).
Delay and digest steps are reported, not waited for; --digest-events says
what a digest collected.

It works against any bridge URL: '%[1]s dev' (the default URL), '%[1]s serve',
a serverless emulator or a deployment (then NOVU_SECRET_KEY must be the
bridge's key). It exits 1 when a step fails, printing the bridge's error.

JSON values are given inline, as @file, or as @- for standard input.

Examples:
  %[1]s run welcome-onboarding --subscriber-id u1 \
    --payload '{"dashboardUrl":"https://app.example.com"}' --out out/
  %[1]s run comment-digest --payload @payload.json --digest-events @events.json
  %[1]s run password-reset --controls 'email={"send":"always"}' --payload @reset.json
`

func (a *App) run(ctx context.Context, args []string) int {
	f := a.newFlags("run", fmt.Sprintf(runUsage, a.Name))
	bridgeFlag := f.String("bridge-url", "", "`URL` of the bridge (default "+DefaultBridgeURL+")")
	f.alias("b", "bridge-url")
	f.fromEnv("bridge-url", EnvBridgeURL)
	secretFlag := f.String("secret-key", "", "secret `key` to sign with, the bridge's; prefer the environment variable")
	f.alias("s", "secret-key")
	f.fromEnv("secret-key", EnvSecretKey)
	payloadFlag := f.String("payload", "", "the trigger payload, a `JSON` object (default {})")
	subscriberFlag := f.String("subscriber", "", "the subscriber as Novu sends it, a `JSON` object such as {\"subscriberId\":\"u1\",\"firstName\":\"Ada\"}")
	subscriberID := f.String("subscriber-id", "", "the subscriber's `id`, added to --subscriber")
	contextFlag := f.String("context", "", "context sent to every step, a `JSON` object")
	digestFlag := f.String("digest-events", "", "what digest steps collected: a `JSON` array of {id, time, payload} (an element without payload is the payload itself)")
	var controls controlsFlag
	f.Var(&controls, "controls", "a step's controls as edited in the dashboard: `STEP=JSON` (repeat for more steps), or a JSON object of controls by step id")
	outDir := f.String("out", "", "save outputs to `DIR`: <step>.json for every step, <step>.subject.txt and <step>.html for email steps")
	asJSON := f.Bool("json", false, "print the run as one JSON document")
	local := f.Bool("local", false, "run this program's own workflows in-process instead of calling a bridge")
	timeout := f.Duration("timeout", 30*time.Second, "time limit of each request to the bridge")
	rest, code, ok := f.parse(args)
	if !ok {
		return code
	}
	switch {
	case len(rest) == 0:
		return a.usageError("run", "which workflow? Give its id, such as: %s run welcome-onboarding", a.Name)
	case len(rest) > 1:
		return a.usageError("run", "one workflow at a time (got %s)", strings.Join(rest, " "))
	case *timeout <= 0:
		return a.usageError("run", "--timeout must be positive")
	}
	workflowID := rest[0]

	in := &inputs{app: a}
	trigger := cloudsim.Trigger{
		Payload:    in.object("--payload", *payloadFlag),
		Subscriber: in.object("--subscriber", *subscriberFlag),
		Context:    in.object("--context", *contextFlag),
	}
	if *subscriberID != "" {
		trigger.Subscriber = in.withField("--subscriber", trigger.Subscriber, "subscriberId", *subscriberID)
	}
	trigger.Controls = in.controls(controls)
	if *digestFlag != "" {
		trigger.DigestEvents = in.digestEvents(*digestFlag, a.now())
	}
	if in.err != nil {
		return a.usageError("run", "%v", in.err)
	}

	secret := a.setting(*secretFlag, EnvSecretKey, "")
	bridgeURL := a.setting(*bridgeFlag, EnvBridgeURL, DefaultBridgeURL)
	var client *cloudsim.Client
	if *local {
		c, err := cloudsim.Local(a.Workflows...)
		if err != nil {
			return a.failure("run", "%v", err)
		}
		client, bridgeURL = c, "this program's workflows (in-process)"
	} else {
		if err := checkURL("--bridge-url", bridgeURL); err != nil {
			return a.usageError("run", "%v", err)
		}
		client = &cloudsim.Client{Transport: cloudsim.HTTP(bridgeURL, secret, noRedirects(*timeout))}
	}

	r, err := client.Run(ctx, workflowID, trigger)
	if err != nil {
		return a.failure("run", "%s", redact(a.explainRunError(ctx, client, bridgeURL, workflowID, err), secret))
	}
	var saved []string
	if *outDir != "" {
		if saved, err = saveOutputs(*outDir, r); err != nil {
			return a.failure("run", "--out: %v", err)
		}
	}
	if *asJSON {
		writeRunJSON(a.Stdout, bridgeURL, r)
	} else {
		writeRun(a.Stdout, bridgeURL, r)
		for _, p := range saved {
			fmt.Fprintf(a.Stdout, "Saved %s\n", p)
		}
	}
	if s := r.Failed(); s != nil {
		return a.failure("run", "%s", redact(fmt.Sprintf("step %q failed: %s", s.StepID, errorLine(s.Err)), secret))
	}
	return ExitOK
}

// explainRunError says why a run could not start, with what to do.
func (a *App) explainRunError(ctx context.Context, c *cloudsim.Client, bridgeURL, workflowID string, err error) string {
	var be *cloudsim.BridgeError
	var redirect *redirectError
	switch {
	case errors.Is(err, cloudsim.ErrWorkflowNotFound):
		msg := fmt.Sprintf("the bridge at %s does not serve %q", bridgeURL, workflowID)
		if d, derr := c.Discover(ctx); derr == nil {
			var ids []string
			for _, w := range d.Workflows {
				ids = append(ids, w.WorkflowID)
			}
			msg += "; it serves: " + strings.Join(ids, ", ")
		}
		return msg
	case errors.As(err, &redirect):
		return fmt.Sprintf("the bridge URL redirects to %s; use that URL", redirect.to)
	case errors.As(err, &be) && be.Status == http.StatusUnauthorized:
		return fmt.Sprintf("the bridge refused the signature (%s). Set %s to the bridge's secret key ('%s dev' checks none)", errorLine(be), EnvSecretKey, a.Name)
	case errors.As(err, &be):
		return fmt.Sprintf("discover failed: %s", errorLine(be))
	case errors.Is(err, cloudsim.ErrUnexpectedBody):
		return fmt.Sprintf("%s does not answer like a bridge: %v", bridgeURL, err)
	case ctx.Err() != nil:
		return "interrupted"
	}
	return fmt.Sprintf("cannot reach the bridge at %s: %v (is '%s dev' running?)", bridgeURL, unwrapURLError(err), a.Name)
}

// errorLine is a bridge error as "400 Code: message".
func errorLine(err error) string {
	var be *cloudsim.BridgeError
	if errors.As(err, &be) {
		return strings.TrimSpace(fmt.Sprintf("%d %s: %s", be.Status, be.Code, be.Message))
	}
	return unwrapURLError(err).Error()
}

// writeRun prints a run for people.
func writeRun(w io.Writer, bridge string, r *cloudsim.Run) {
	fmt.Fprintf(w, "Workflow %s on %s\n", r.WorkflowID, bridge)
	skipped := 0
	for i, s := range r.Steps {
		fmt.Fprintf(w, "\n%d. %s (%s)", i+1, s.StepID, s.Type)
		switch {
		case s.Err != nil:
			fmt.Fprintf(w, ": FAILED\n")
			fmt.Fprintf(w, "   %s\n", errorLine(s.Err))
			var be *cloudsim.BridgeError
			if errors.As(s.Err, &be) && len(be.Data) > 0 {
				fmt.Fprintf(w, "   data: %s\n", be.Data)
			}
			continue
		case s.Skipped:
			skipped++
			fmt.Fprintf(w, ": skipped by its skip rule\n")
			continue
		}
		fmt.Fprintf(w, "  %.1f ms\n", s.Result.Metadata.Duration)
		if s.Note != "" {
			fmt.Fprintf(w, "   %s\n", s.Note)
		}
		writeFields(w, "   ", s.Result.Outputs)
		for _, id := range sortedKeys(s.Result.Providers) {
			fmt.Fprintf(w, "   provider %s: %s\n", id, s.Result.Providers[id])
		}
	}
	status := "Done"
	if r.Failed() != nil {
		status = "Failed"
	}
	fmt.Fprintf(w, "\n%s: %s run, %d skipped, in %s.\n", status, plural(len(r.Steps), "step"), skipped, r.Duration.Round(time.Millisecond))
}

// writeFields prints the members of a JSON object in their order: texts as
// they are (HTML as text too), anything else as JSON.
func writeFields(w io.Writer, indent string, raw json.RawMessage) {
	fields, err := members(raw)
	if err != nil {
		fmt.Fprintf(w, "%soutputs: %s\n", indent, raw)
		return
	}
	for _, f := range fields {
		var text string
		if json.Unmarshal(f.value, &text) != nil {
			fmt.Fprintf(w, "%s%s: %s\n", indent, f.key, f.value)
			continue
		}
		if looksLikeHTML(text) {
			fmt.Fprintf(w, "%s%s: HTML, %d bytes; as text:\n", indent, f.key, len(text))
			for _, line := range strings.Split(htmlText(text), "\n") {
				fmt.Fprintf(w, "%s  | %s\n", indent, line)
			}
			continue
		}
		lines := strings.Split(text, "\n")
		fmt.Fprintf(w, "%s%s: %s\n", indent, f.key, lines[0])
		for _, line := range lines[1:] {
			fmt.Fprintf(w, "%s  %s\n", indent, line)
		}
	}
}

type member struct {
	key   string
	value json.RawMessage
}

// members returns the members of a JSON object in the order they appear.
func members(raw json.RawMessage) ([]member, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("not an object")
	}
	var out []member
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		out = append(out, member{t.(string), v})
	}
	return out, nil
}

// writeRunJSON prints a run as one JSON document.
func writeRunJSON(w io.Writer, bridge string, r *cloudsim.Run) {
	type stepError struct {
		Status  int             `json:"status,omitempty"`
		Code    string          `json:"code,omitempty"`
		Message string          `json:"message"`
		Data    json.RawMessage `json:"data,omitempty"`
	}
	type step struct {
		StepID    string                     `json:"stepId"`
		Type      string                     `json:"type"`
		Skipped   bool                       `json:"skipped"`
		Note      string                     `json:"note,omitempty"`
		Outputs   json.RawMessage            `json:"outputs,omitempty"`
		Providers map[string]json.RawMessage `json:"providers,omitempty"`
		Error     *stepError                 `json:"error,omitempty"`
	}
	doc := struct {
		WorkflowID string  `json:"workflowId"`
		Bridge     string  `json:"bridge"`
		Failed     bool    `json:"failed"`
		DurationMS float64 `json:"durationMs"`
		Steps      []step  `json:"steps"`
	}{r.WorkflowID, bridge, r.Failed() != nil, float64(r.Duration.Microseconds()) / 1000, []step{}}
	for _, s := range r.Steps {
		js := step{StepID: s.StepID, Type: s.Type, Skipped: s.Skipped, Note: s.Note}
		if s.Result != nil && !s.Skipped {
			js.Outputs, js.Providers = s.Result.Outputs, s.Result.Providers
		}
		if s.Err != nil {
			var be *cloudsim.BridgeError
			if errors.As(s.Err, &be) {
				js.Error = &stepError{be.Status, be.Code, be.Message, be.Data}
			} else {
				js.Error = &stepError{Message: unwrapURLError(s.Err).Error()}
			}
		}
		doc.Steps = append(doc.Steps, js)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(doc)
}

// saveOutputs writes each executed step's outputs under dir and returns
// the paths written.
func saveOutputs(dir string, r *cloudsim.Run) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var saved []string
	write := func(name string, data []byte) error {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
		saved = append(saved, p)
		return nil
	}
	for _, s := range r.Steps {
		if s.Result == nil || s.Skipped {
			continue
		}
		name := fileName(s.StepID)
		var pretty bytes.Buffer
		if json.Indent(&pretty, s.Result.Outputs, "", "  ") != nil {
			pretty.Reset()
			pretty.Write(s.Result.Outputs)
		}
		pretty.WriteByte('\n')
		if err := write(name+".json", pretty.Bytes()); err != nil {
			return saved, err
		}
		if s.Type != "email" {
			continue
		}
		var email struct {
			Subject string `json:"subject"`
			Body    string `json:"body"`
		}
		if json.Unmarshal(s.Result.Outputs, &email) != nil {
			continue
		}
		if err := write(name+".subject.txt", []byte(email.Subject+"\n")); err != nil {
			return saved, err
		}
		if err := write(name+".html", []byte(email.Body)); err != nil {
			return saved, err
		}
	}
	return saved, nil
}

// fileName makes a step id safe as a file name: the id comes from the
// bridge, which may be anyone's.
func fileName(stepID string) string {
	b := []byte(stepID)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			b[i] = '_'
		}
	}
	if len(b) == 0 {
		return "_"
	}
	return string(b)
}

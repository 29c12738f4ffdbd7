package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/echofn/echofn/samples"
)

const runSecret = "sk_test_run_abcdef"

func TestRun(t *testing.T) {
	srv := bridgeServer(t, runSecret)
	bridgeURL := srv.URL + "/api/novu"
	dir := t.TempDir()
	events := filepath.Join(dir, "events.json")
	if err := os.WriteFile(events, []byte(`[
		{"comment":{"author":"Ada","text":"First!"}},
		{"id":"e2","time":"2025-01-01T10:00:00.000Z","payload":{"comment":{"author":"Grace","text":"Nice"}}}
	]`), 0o600); err != nil {
		t.Fatal(err)
	}
	const post = `{"postId":"p1","postTitle":"Go on Lambda","postUrl":"https://blog.example.com/p1","comment":{"author":"Ada","text":"First!"}}`

	tests := []struct {
		name      string
		args      []string
		stdin     string
		code      int
		stdoutHas []string
		stderrHas []string
	}{
		{
			name: "welcome, email as text",
			args: []string{"welcome-onboarding", "--subscriber", `{"firstName":"Ada"}`, "--subscriber-id", "u1",
				"--payload", `{"appName":"Orbit","dashboardUrl":"https://app.example.com","trialDays":7}`},
			code: ExitOK,
			stdoutHas: []string{
				"Workflow welcome-onboarding on " + bridgeURL,
				"1. welcome-email (email)",
				"   subject: Welcome to Orbit, Ada!",
				"   body: HTML, ",
				"     | Hi Ada, welcome aboard",
				"     | - Invite your team",
				"     | Open your dashboard <https://app.example.com>",
				"2. welcome-inbox (in_app)",
				`   primaryAction: {"label":"Get started","redirect":{"url":"https://app.example.com","target":"_blank"}}`,
				"Done: 2 steps run, 0 skipped",
			},
		},
		{
			name:      "skips, and controls by step",
			args:      []string{"password-reset", "--payload", `{"code":"482913","resetUrl":"https://app.example.com/r"}`, "--subscriber", `{"phone":"+4915112345678"}`, "--controls", `sms={"webOtpDomain":"app.example.com"}`},
			code:      ExitOK,
			stdoutHas: []string{"1. sms (sms)", "   body: 482913 is your password reset code. It expires in 15 minutes.", "     ", "     @app.example.com #482913", "2. email (email): skipped by its skip rule", "Done: 2 steps run, 1 skipped"},
		},
		{
			name:      "controls as one object from standard input",
			args:      []string{"password-reset", "--payload", `{"code":"482913","resetUrl":"https://app.example.com/r"}`, "--controls", "@-"},
			stdin:     `{"email":{"send":"always","subject":"Code {{payload.code}}"}}`,
			code:      ExitOK,
			stdoutHas: []string{"1. sms (sms): skipped", "   subject: Code 482913"},
		},
		{
			name:      "digest events from a file",
			args:      []string{"comment-digest", "--payload", post, "--digest-events", "@" + events},
			code:      ExitOK,
			stdoutHas: []string{"1. digest (digest)", "would collect events", "reporting 2", "   subject: 2 new comments on Go on Lambda", "   body: Ada and Grace commented on your post."},
		},
		{
			name:      "empty digest",
			args:      []string{"comment-digest", "--payload", post, "--digest-events", "[]"},
			code:      ExitOK,
			stdoutHas: []string{"2. inbox (in_app): skipped", "3. email (email): skipped", "Done: 3 steps run, 2 skipped"},
		},
		{
			name:      "delays are reported, providers shown",
			args:      []string{"order-update", "--payload", `{"orderId":"1042","status":"delivered","orderUrl":"https://shop.example.com/o/1042"}`},
			code:      ExitOK,
			stdoutHas: []string{`   would wait: {"amount":3,"unit":"days"}`, `   provider apns: {"threadId":"order-1042"`, `   provider fcm: {"collapseKey":"order-1042"`, `   provider slack: {"text":"Order 1042 is delivered","blocks":[`},
		},
		{
			name:      "a failing step",
			args:      []string{"password-reset", "--payload", `{"code":"12ab","resetUrl":"https://app.example.com/r"}`},
			code:      ExitFailure,
			stdoutHas: []string{"1. sms (sms): FAILED", "   400 ExecutionEventPayloadInvalidError: Workflow with id: `password-reset` has invalid `payload`.", `   data: [{"path":"/code","message":"must match pattern`, "Failed: 1 step run"},
			stderrHas: []string{`echofn run: step "sms" failed: 400 ExecutionEventPayloadInvalidError`},
		},
		{
			name:      "unknown workflow",
			args:      []string{"goodbye"},
			code:      ExitFailure,
			stderrHas: []string{`does not serve "goodbye"; it serves: welcome-onboarding, password-reset, comment-digest, order-update`},
		},
		{
			name:      "wrong secret key",
			args:      []string{"welcome-onboarding", "--secret-key", "sk_wrong"},
			code:      ExitFailure,
			stderrHas: []string{"the bridge refused the signature (401 SignatureMismatchError", "Set NOVU_SECRET_KEY to the bridge's secret key"},
		},
		{
			name:      "bridge not running",
			args:      []string{"welcome-onboarding", "--bridge-url", "http://127.0.0.1:1/api/novu"},
			code:      ExitFailure,
			stderrHas: []string{"cannot reach the bridge at http://127.0.0.1:1/api/novu", "is 'echofn dev' running?"},
		},
		{"no workflow", nil, "", ExitUsage, nil, []string{"which workflow?"}},
		{"two workflows", []string{"a", "b"}, "", ExitUsage, nil, []string{"one workflow at a time"}},
		{"payload that is not JSON", []string{"x", "--payload", "{name: Ada}"}, "", ExitUsage, nil, []string{"--payload is not a JSON object: invalid character 'n'"}},
		{"payload that is an array", []string{"x", "--payload", "[1]"}, "", ExitUsage, nil, []string{"--payload is not a JSON object"}},
		{"missing payload file", []string{"x", "--payload", "@/nonexistent.json"}, "", ExitUsage, nil, []string{"--payload: open /nonexistent.json"}},
		{"controls without a step", []string{"x", "--controls", `"subject"`}, "", ExitUsage, nil, []string{"want STEP=JSON"}},
		{"controls that are not an object", []string{"x", "--controls", "email=[]"}, "", ExitUsage, nil, []string{"--controls email is not a JSON object"}},
		{"digest events that are no list", []string{"x", "--digest-events", `{"a":1}`}, "", ExitUsage, nil, []string{"--digest-events is not a JSON array"}},
		{"standard input twice", []string{"x", "--payload", "@-", "--subscriber", "@-"}, "{}", ExitUsage, nil, []string{"already read by --payload"}},
		{"bad bridge URL", []string{"x", "--bridge-url", "localhost:4000"}, "", ExitUsage, nil, []string{"is not an http(s) URL"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := newApp(map[string]string{EnvSecretKey: runSecret, EnvBridgeURL: bridgeURL})
			a.Stdin = strings.NewReader(tc.stdin)
			code := a.run(append([]string{"run"}, tc.args...)...)
			stdout, stderr := a.stdout.String(), a.stderr.String()
			if code != tc.code {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, stdout, stderr)
			}
			for _, s := range tc.stdoutHas {
				if !strings.Contains(stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout)
				}
			}
			for _, s := range tc.stderrHas {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
			if strings.Contains(stdout+stderr, runSecret) {
				t.Error("the secret key was printed")
			}
		})
	}
}

func TestRunOut(t *testing.T) {
	srv := bridgeServer(t, runSecret)
	dir := filepath.Join(t.TempDir(), "out")
	a := newApp(map[string]string{EnvSecretKey: runSecret})
	code := a.run("run", "welcome-onboarding", "-b", srv.URL+"/api/novu", "--out", dir,
		"--payload", `{"dashboardUrl":"https://app.example.com"}`, "--subscriber", `{"firstName":"Grace"}`)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, a.stderr)
	}
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if got := read("welcome-email.subject.txt"); got != "Welcome to Acme, Grace!\n" {
		t.Errorf("subject file: %q", got)
	}
	if html := read("welcome-email.html"); !strings.HasPrefix(html, "<!DOCTYPE html>") || !strings.Contains(html, "<h1>Hi Grace, welcome aboard</h1>") {
		t.Errorf("html file:\n%s", html)
	}
	var inbox map[string]any
	if err := json.Unmarshal([]byte(read("welcome-inbox.json")), &inbox); err != nil || inbox["subject"] != "Welcome aboard, Grace" {
		t.Errorf("inbox outputs %v (%v)", inbox, err)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"welcome-email.html", "welcome-email.json", "welcome-email.subject.txt", "welcome-inbox.json"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	for _, p := range want {
		if !strings.Contains(a.stdout.String(), "Saved "+filepath.Join(dir, p)) {
			t.Errorf("stdout does not mention %s", p)
		}
	}
}

func TestRunJSONAndLocal(t *testing.T) {
	a := newApp(nil, samples.All()...)
	code := a.run("run", "--local", "--json", "password-reset", "--payload", `{"code":"482913","resetUrl":"https://app.example.com/r"}`)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, a.stderr)
	}
	var doc struct {
		WorkflowID string
		Bridge     string
		Failed     bool
		Steps      []struct {
			StepID  string
			Type    string
			Skipped bool
			Outputs map[string]any
			Error   *struct{ Code string }
		}
	}
	if err := json.Unmarshal([]byte(a.stdout.String()), &doc); err != nil {
		t.Fatalf("%v:\n%s", err, a.stdout)
	}
	if doc.WorkflowID != "password-reset" || doc.Failed || len(doc.Steps) != 2 || !doc.Steps[0].Skipped || doc.Steps[0].Outputs != nil ||
		doc.Steps[1].Outputs["subject"] != "Your password reset code: 482913" || !strings.Contains(doc.Bridge, "in-process") {
		t.Errorf("unexpected run: %+v", doc)
	}

	a = newApp(nil, samples.All()...)
	if code := a.run("run", "--local", "--json", "password-reset"); code != ExitFailure {
		t.Fatalf("exit %d, want %d", code, ExitFailure)
	}
	if err := json.Unmarshal([]byte(a.stdout.String()), &doc); err != nil {
		t.Fatal(err)
	}
	if !doc.Failed || doc.Steps[0].Error == nil || doc.Steps[0].Error.Code != "ExecutionEventPayloadInvalidError" {
		t.Errorf("unexpected failed run: %s", a.stdout)
	}
}

func TestFileName(t *testing.T) {
	for in, want := range map[string]string{"email": "email", "../../etc/passwd": "______etc_passwd", "a b/c": "a_b_c", "": "_", "Ü": "__"} {
		if got := fileName(in); got != want {
			t.Errorf("fileName(%q) = %q, want %q", in, got, want)
		}
	}
}

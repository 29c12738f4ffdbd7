package studio_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/echofn/echofn/internal/testtools"
)

// screenshotDir is where the browser test leaves its screenshots (CI keeps
// them as artefacts).
const screenshotDir = "testdata/screenshots"

// secretGuard fails the test when any answer of the Studio contains the
// bridge's secret key.
type secretGuard struct {
	next http.Handler
	mu   sync.Mutex
	errs []string
	n    int
}

type teeWriter struct {
	http.ResponseWriter
	buf bytes.Buffer
}

func (w *teeWriter) Write(b []byte) (int, error) {
	w.buf.Write(b)
	return w.ResponseWriter.Write(b)
}

func (g *secretGuard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	tw := &teeWriter{ResponseWriter: w}
	g.next.ServeHTTP(tw, r)
	g.mu.Lock()
	defer g.mu.Unlock()
	g.n++
	if strings.Contains(tw.buf.String(), testSecret) {
		g.errs = append(g.errs, r.URL.Path)
	}
}

// browser drives one headless Chromium tab.
type browser struct {
	t   *testing.T
	ctx context.Context
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	exe := testtools.Require(t, "chromium")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	alloc, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		// Previews show remote images (avatars); keep the browser on this
		// machine: every name but the loopback address fails at once.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	t.Cleanup(cancelAlloc)
	tab, cancelTab := chromedp.NewContext(alloc)
	t.Cleanup(cancelTab)
	return &browser{t: t, ctx: tab}
}

func (b *browser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// waitFor polls a JavaScript condition until it holds.
func (b *browser) waitFor(what, expr string) {
	b.t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(10*time.Second), chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		state, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector('main') ? document.querySelector('main').innerText.slice(0, 3000) : ''`))
		b.t.Fatalf("waiting for %s (%s): %v\npage text:\n%s", what, expr, err, state)
	}
}

func (b *browser) eval(expr string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](expr))
	if err != nil {
		b.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// setField replaces the text of an input and fires its input event, as
// typing does.
func (b *browser) setField(sel, text string) {
	b.t.Helper()
	b.do("set "+sel,
		chromedp.WaitVisible(chromedp.CSS(sel)),
		chromedp.Focus(chromedp.CSS(sel)),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const el = document.querySelector(%q); el.select && el.select(); })()`, sel)),
		chromedp.KeyEvent("\b"),
		chromedp.SendKeys(chromedp.CSS(sel), text),
	)
}

func (b *browser) screenshot(name string) {
	b.t.Helper()
	b.waitFor("email previews to load", `[...document.querySelectorAll('iframe.email-frame')].every(f => f.dataset.loaded === 'true')`)
	// Chromium does not paint sandboxed (cross-origin) frames outside the
	// viewport, so make the viewport as tall as the page for the picture.
	height, err := chromedp.Run(b.ctx, chromedp.Evaluate[int64](`Math.ceil(document.documentElement.scrollHeight)`))
	if err != nil {
		b.t.Fatalf("page height: %v", err)
	}
	b.do("grow the viewport", chromedp.EmulateViewport(1280, height), chromedp.Sleep(300*time.Millisecond))
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	b.do("restore the viewport", chromedp.EmulateViewport(1280, 900))
	if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(screenshotDir, name), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// previewsAfter returns a condition that holds once a preview newer than
// the current one has been shown and cond holds.
func (b *browser) previewsAfter(cond string) string {
	n := b.eval(`document.body.dataset.previews || "0"`)
	return fmt.Sprintf(`Number(document.body.dataset.previews || 0) > %s && (%s)`, n, cond)
}

const (
	sendEmail   = `article[data-step="send-email"]`
	payloadForm = `section[aria-labelledby="payload-title"]`
	subject     = sendEmail + ` .email-subject`
)

func textOf(sel string) string {
	return fmt.Sprintf(`(document.querySelector(%q) || {}).textContent`, sel)
}

// TestStudioInBrowser loads the Studio in headless Chromium, picks a
// workflow, edits payload and controls and watches the preview follow,
// checks inline validation errors, runs workflows and reads their results.
func TestStudioInBrowser(t *testing.T) {
	guard := &secretGuard{next: studioHandler(t)}
	srv := newStudioServer(t, guard)
	b := newBrowser(t)

	console := chromedp.Console(b.ctx)
	var consoleMu sync.Mutex
	var problems []string
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			if m.Source == "network" && !strings.HasPrefix(m.URL, srv.URL) {
				continue // a remote image in a preview; the test runs offline
			}
			if m.IsException() || m.Type == "error" || m.Source == "security" || strings.Contains(m.Text, "Content Security Policy") {
				consoleMu.Lock()
				problems = append(problems, m.String())
				consoleMu.Unlock()
			}
		}
	}()

	start := time.Now()
	t.Run("lists workflows", func(t *testing.T) {
		b.t = t
		b.do("open the Studio", chromedp.Navigate(srv.URL+"/studio"), chromedp.WaitVisible(chromedp.CSS(`button[data-workflow="studio-channels"]`)))
		b.waitFor("the bridge summary", `document.getElementById('bridge-status').textContent === 'Bridge: 3 workflow(s), 10 step(s)'`)
		if got := b.eval(`location.pathname`); got != "/studio/" {
			t.Errorf("page at %s, want /studio/", got)
		}
		if got := b.eval(`[...document.querySelectorAll('.wf-button .wf-id')].map(e => e.textContent).join(',')`); got != "welcome-email,digest-inapp-custom,studio-channels" {
			t.Errorf("workflows listed: %s", got)
		}
		b.screenshot("01-workflows.png")
	})

	t.Run("keyboard opens a workflow", func(t *testing.T) {
		b.t = t
		b.do("focus and press Enter", chromedp.Focus(chromedp.CSS(`button[data-workflow="welcome-email"]`)), chromedp.KeyEvent("\r"))
		b.waitFor("the workflow heading to take the focus", `document.activeElement && document.activeElement.id === 'wf-title' && document.activeElement.textContent === 'Welcome Email'`)
		b.waitFor("the first preview", `document.querySelector(`+"`"+subject+"`"+`) !== null`)
		if got := b.eval(textOf(subject)); got != "Welcome, [placeholder]!" {
			t.Errorf("subject %q before any payload", got)
		}
		if got := b.eval(`document.querySelector('button[data-workflow="welcome-email"]').getAttribute('aria-current')`); got != "page" {
			t.Errorf("aria-current %q", got)
		}
		// Every form control has a label.
		if got := b.eval(`[...document.querySelectorAll('main input, main select, main textarea')].filter(el => !el.labels || el.labels.length === 0).map(el => el.outerHTML).join('\n')`); got != "" {
			t.Errorf("controls without a label:\n%s", got)
		}
	})

	t.Run("a required payload field is reported on its field", func(t *testing.T) {
		b.t = t
		b.do("run", chromedp.Click(chromedp.CSS(`#run-button`)))
		b.waitFor("the failed run", `document.querySelector('.run-step[data-step="send-email"][data-status="failed"]') !== null`)
		field := payloadForm + ` [data-pointer="/name"]`
		b.waitFor("the error on the name field", fmt.Sprintf(`document.querySelector(%q).getAttribute('aria-invalid') === 'true'`, field))
		errID := b.eval(fmt.Sprintf(`document.querySelector(%q).getAttribute('aria-describedby')`, field))
		if got := b.eval(fmt.Sprintf(`document.getElementById(%q).textContent`, strings.Fields(errID)[len(strings.Fields(errID))-1])); got != "must have required property 'name'" {
			t.Errorf("error next to the name field: %q", got)
		}
		b.screenshot("02-required-field.png")
	})

	t.Run("editing payload and controls updates the preview", func(t *testing.T) {
		b.t = t
		wait := b.previewsAfter(textOf(subject) + ` === 'Welcome, Ada!'`)
		b.setField(payloadForm+` [data-pointer="/name"]`, "Ada")
		b.waitFor("the subject with the name", wait)
		if got := b.eval(fmt.Sprintf(`String(document.querySelector(%q).getAttribute('aria-invalid'))`, payloadForm+` [data-pointer="/name"]`)); got != "null" {
			t.Errorf("the name field is still marked invalid: %s", got)
		}
		wait = b.previewsAfter(textOf(subject) + ` === 'Hello Ada on pro'`)
		b.do("choose the pro plan", chromedp.SetValue(chromedp.CSS(payloadForm+` select[data-pointer="/plan"]`), "1"),
			chromedp.Evaluate[chromedp.Void](`document.querySelector('`+payloadForm+` select[data-pointer="/plan"]').dispatchEvent(new Event('change'))`))
		b.setField(sendEmail+` [data-pointer="/subject"]`, "Hello {{payload.name}} on {{payload.plan}}")
		b.waitFor("the subject from the edited control", wait)
		frame := sendEmail + ` iframe.email-frame`
		if got := b.eval(fmt.Sprintf(`document.querySelector(%q).getAttribute('sandbox')`, frame)); got != "" {
			t.Errorf("iframe sandbox=%q, want empty", got)
		}
		srcdoc := b.eval(fmt.Sprintf(`document.querySelector(%q).srcdoc`, frame))
		if !strings.Contains(srcdoc, "<p>Plan: pro</p>") || !strings.Contains(srcdoc, "Hi Ada, thanks for joining pro.") || strings.Contains(srcdoc, "<script") {
			t.Errorf("email body %q", srcdoc)
		}
		if got := b.eval(textOf(sendEmail + ` .providers summary`)); got != "Provider overrides: resend" {
			t.Errorf("providers %q", got)
		}
		b.screenshot("03-preview.png")
	})

	t.Run("raw JSON editing", func(t *testing.T) {
		b.t = t
		toggle := sendEmail + ` .toggle-json`
		b.do("switch to JSON", chromedp.Click(chromedp.CSS(toggle)))
		if got := b.eval(fmt.Sprintf(`document.querySelector(%q).getAttribute('aria-pressed')`, toggle)); got != "true" {
			t.Errorf("aria-pressed %q", got)
		}
		area := sendEmail + ` .json-view textarea`
		if got := b.eval(fmt.Sprintf(`JSON.parse(document.querySelector(%q).value).subject`, area)); got != "Hello {{payload.name}} on {{payload.plan}}" {
			t.Errorf("JSON view subject %q", got)
		}
		wait := b.previewsAfter(textOf(sendEmail+` .form-errors`) + `.includes('/skipEmail: must be boolean')`)
		b.setField(area, `{"subject": "JSON {{payload.name}}", "skipEmail": "yes"}`)
		b.waitFor("the bridge's error under the JSON", wait)
		wait = b.previewsAfter(textOf(subject) + ` === 'JSON Ada'`)
		b.setField(area, `{"subject": "JSON {{payload.name}}", "skipEmail": false}`)
		b.waitFor("the preview from JSON", wait)
		b.do("back to the form", chromedp.Click(chromedp.CSS(toggle)))
		if got := b.eval(fmt.Sprintf(`document.querySelector(%q).value`, sendEmail+` [data-pointer="/subject"]`)); got != "JSON {{payload.name}}" {
			t.Errorf("form subject after JSON editing: %q", got)
		}
	})

	t.Run("run honours skip and shows outputs", func(t *testing.T) {
		b.t = t
		runs := b.eval(`document.body.dataset.runs || "0"`)
		b.do("tick skipEmail and run", chromedp.Click(chromedp.CSS(sendEmail+` input[data-pointer="/skipEmail"]`)), chromedp.Click(chromedp.CSS(`#run-button`)))
		b.waitFor("the skipped step", `Number(document.body.dataset.runs) > `+runs+` && document.querySelector('.run-step[data-step="send-email"]').dataset.status === 'skipped'`)
		runs = b.eval(`document.body.dataset.runs`)
		b.do("untick skipEmail and run", chromedp.Click(chromedp.CSS(sendEmail+` input[data-pointer="/skipEmail"]`)), chromedp.Click(chromedp.CSS(`#run-button`)))
		b.waitFor("the executed step", `Number(document.body.dataset.runs) > `+runs+` && document.querySelector('.run-step[data-step="send-email"]').dataset.status === 'done'`)
		if got := b.eval(textOf(`#run-results .email-subject`)); got != "JSON Ada" {
			t.Errorf("run subject %q", got)
		}
		if got := b.eval(textOf(`#run-results .summary`)); !strings.HasPrefix(got, "Ran 1 step(s) in ") {
			t.Errorf("summary %q", got)
		}
		b.do("scroll to the run", chromedp.ScrollIntoView(chromedp.CSS(`#run-results`)))
		b.screenshot("04-run.png")
	})

	t.Run("digest events", func(t *testing.T) {
		b.t = t
		b.do("open digest-inapp-custom", chromedp.Click(chromedp.CSS(`button[data-workflow="digest-inapp-custom"]`)))
		b.waitFor("the in-app preview", textOf(`article[data-step="inapp-step"] .out-inapp .message-body`)+` === 'You have 1 new event(s) for novu'`)
		wait := b.previewsAfter(textOf(`article[data-step="inapp-step"] .out-inapp .message-body`) + ` === 'You have 2 new event(s) for novu'`)
		b.do("fill in example events", chromedp.Click(chromedp.CSS(`section[aria-labelledby="digest-title"] button`)))
		b.waitFor("the preview with two events", wait)
		if got := b.eval(textOf(`article[data-step="digest-step"] .action-text`)); got != "Collects events for 5 minutes, then goes on with all of them." {
			t.Errorf("digest description %q", got)
		}
		if got := b.eval(textOf(`article[data-step="inapp-step"] .inapp-actions`)); !strings.Contains(got, "Open") || !strings.Contains(got, "/projects (_self)") {
			t.Errorf("in-app actions %q", got)
		}
		runs := b.eval(`document.body.dataset.runs || "0"`)
		b.do("run", chromedp.Click(chromedp.CSS(`#run-button`)))
		b.waitFor("the run", `Number(document.body.dataset.runs) > `+runs)
		if got := b.eval(`[...document.querySelectorAll('.run-step')].map(e => e.dataset.step + ':' + e.dataset.status).join(',')`); got != "digest-step:scheduled,inapp-step:done,custom-step:done" {
			t.Errorf("run steps %s", got)
		}
		custom := b.eval(textOf(`.run-step[data-step="custom-step"] .json-out`))
		if !strings.Contains(custom, `"eventCount": 2`) || !strings.Contains(custom, `"label": "processed-novu"`) {
			t.Errorf("custom step outputs %s", custom)
		}
		b.screenshot("05-digest-run.png")
	})

	t.Run("nested controls and every step type", func(t *testing.T) {
		b.t = t
		b.do("open studio-channels", chromedp.Click(chromedp.CSS(`button[data-workflow="studio-channels"]`)))
		b.waitFor("the sms preview", textOf(`article[data-step="text-me"] .message-body`)+` === 'Your report is ready, Grace.'`)
		checks := map[string]string{
			`article[data-step="push-me"] .push-title`:   "Hello Grace",
			`article[data-step="wait"] .action-text`:     "Waits 2 hours.",
			`article[data-step="chat-me"] .message-body`: "Your report is ready, Grace.",
			`article[data-step="limit"] .action-text`:    "Allows 3 run(s) per 1 hour; later runs stop here.",
			`article[data-step="sync"] legend`:           "options",
		}
		for sel, want := range checks {
			if got := b.eval(textOf(sel)); got != want {
				t.Errorf("%s: %q, want %q", sel, got, want)
			}
		}
		// An array is edited as JSON; text that is not JSON is reported on
		// the field without asking the bridge.
		labels := payloadForm + ` textarea[data-pointer="/meta/labels"]`
		previews := b.eval(`document.body.dataset.previews`)
		b.setField(labels, `["a", `)
		b.waitFor("the JSON error on the array field", fmt.Sprintf(`document.querySelector(%q).getAttribute('aria-invalid') === 'true'`, labels))
		if got := b.eval(textOf(payloadForm + ` fieldset .has-error .field-error`)); !strings.HasPrefix(got, "Not valid JSON") {
			t.Errorf("array field error %q", got)
		}
		time.Sleep(400 * time.Millisecond) // past the preview's debounce
		if got := b.eval(`document.body.dataset.previews`); got != previews {
			t.Errorf("a preview was requested with invalid JSON (%s → %s)", previews, got)
		}
		wait := b.previewsAfter(textOf(`article[data-step="text-me"] .message-body`) + ` === 'Your report is ready, Grace.'`)
		b.setField(labels, `["a", "b"]`)
		b.setField(payloadForm+` input[data-pointer="/meta/source"]`, "web")
		b.waitFor("a preview with the nested object", wait)

		retries := `article[data-step="sync"] input[data-pointer="/options/retries"]`
		if got := b.eval(fmt.Sprintf(`document.querySelector(%q).type + ':' + document.querySelector(%q).value`, retries, retries)); got != "number:1" {
			t.Errorf("retries field %s", got)
		}
		wait = b.previewsAfter(fmt.Sprintf(`document.querySelector(%q).getAttribute('aria-invalid') === 'true'`, retries))
		b.setField(retries, "9")
		b.waitFor("the error on the nested field", wait)
		if got := b.eval(textOf(`article[data-step="sync"] fieldset .has-error .field-error`)); got != "must be <= 5" {
			t.Errorf("nested field error %q", got)
		}
		wait = b.previewsAfter(textOf(`article[data-step="chat-me"] .message-body`) + ` === 'URGENT: Your report is ready, Grace.'`)
		b.do("tick urgent", chromedp.Click(chromedp.CSS(payloadForm+` input[data-pointer="/urgent"]`)))
		b.waitFor("the urgent chat message", wait)
		b.do("scroll to the nested field", chromedp.ScrollIntoView(chromedp.CSS(`article[data-step="sync"]`)))
		b.screenshot("06-channels-validation.png")
		wait = b.previewsAfter(fmt.Sprintf(`document.querySelector(%q).getAttribute('aria-invalid') === null`, retries))
		b.setField(retries, "4")
		b.waitFor("the error to clear", wait)
		runs := b.eval(`document.body.dataset.runs || "0"`)
		b.do("run", chromedp.Click(chromedp.CSS(`#run-button`)))
		b.waitFor("the run", `Number(document.body.dataset.runs) > `+runs)
		if got := b.eval(`[...document.querySelectorAll('.run-step')].map(e => e.dataset.step + ':' + e.dataset.status).join(',')`); got != "text-me:done,push-me:done,wait:scheduled,chat-me:done,limit:scheduled,sync:done" {
			t.Errorf("run steps %s", got)
		}
		if got := b.eval(textOf(`.run-step[data-step="sync"] .json-out`)); !strings.Contains(got, `"synced": "crm/safe"`) || !strings.Contains(got, `"tries": 5`) {
			t.Errorf("sync outputs %s", got)
		}
	})

	t.Run("edits survive switching workflows", func(t *testing.T) {
		b.t = t
		b.do("open welcome-email again", chromedp.Click(chromedp.CSS(`button[data-workflow="welcome-email"]`)))
		b.waitFor("the preview with the earlier edits", textOf(subject)+` === 'JSON Ada'`)
		if got := b.eval(fmt.Sprintf(`document.querySelector(%q).value`, payloadForm+` [data-pointer="/name"]`)); got != "Ada" {
			t.Errorf("payload name %q", got)
		}
		if got := b.eval(`location.hash`); got != "#welcome-email" {
			t.Errorf("location.hash %q", got)
		}
	})

	t.Logf("browser session took %v; %d Studio responses", time.Since(start).Round(time.Millisecond), guard.n)
	guard.mu.Lock()
	if len(guard.errs) > 0 {
		t.Errorf("responses containing the secret key: %v", guard.errs)
	}
	guard.mu.Unlock()
	time.Sleep(100 * time.Millisecond) // let the last console events arrive
	consoleMu.Lock()
	defer consoleMu.Unlock()
	if len(problems) > 0 {
		t.Errorf("console errors (CSP violations included):\n%s", strings.Join(problems, "\n"))
	}
}

package studio_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/echofn/echofn/internal/testtools"
)

// marionette is a small client of Firefox's Marionette protocol: messages
// are "<length>:<JSON>", commands [0, id, name, params] and answers
// [1, id, error, result].
type marionette struct {
	conn net.Conn
	r    *bufio.Reader
	mu   sync.Mutex
	id   int
}

// firefoxPrefs keep Firefox quiet and on this machine: no updates,
// telemetry or remote settings, and every non-loopback request goes to a
// closed local port.
const firefoxPrefs = `user_pref("marionette.port", 0);
user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("browser.startup.page", 0);
user_pref("browser.startup.homepage_override.mstone", "ignore");
user_pref("startup.homepage_welcome_url", "about:blank");
user_pref("browser.newtabpage.enabled", false);
user_pref("app.update.disabledForTesting", true);
user_pref("app.normandy.enabled", false);
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("datareporting.healthreport.uploadEnabled", false);
user_pref("toolkit.telemetry.enabled", false);
user_pref("toolkit.telemetry.unified", false);
user_pref("extensions.update.enabled", false);
user_pref("extensions.getAddons.cache.enabled", false);
user_pref("browser.safebrowsing.malware.enabled", false);
user_pref("browser.safebrowsing.phishing.enabled", false);
user_pref("browser.safebrowsing.downloads.enabled", false);
user_pref("browser.safebrowsing.update.enabled", false);
user_pref("network.captive-portal-service.enabled", false);
user_pref("network.connectivity-service.enabled", false);
user_pref("network.dns.disablePrefetch", true);
user_pref("network.prefetch-next", false);
user_pref("services.settings.server", "http://127.0.0.1:9/");
user_pref("remote.prefs.recommended", true);
user_pref("network.proxy.type", 1);
user_pref("network.proxy.http", "127.0.0.1");
user_pref("network.proxy.http_port", 9);
user_pref("network.proxy.ssl", "127.0.0.1");
user_pref("network.proxy.ssl_port", 9);
user_pref("network.proxy.no_proxies_on", "127.0.0.1");
`

// startFirefox runs headless Firefox with Marionette on a free port and
// connects to it.
func startFirefox(t *testing.T, exe string) *marionette {
	t.Helper()
	profile := t.TempDir()
	if err := os.WriteFile(filepath.Join(profile, "user.js"), []byte(firefoxPrefs), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, exe, "--headless", "--marionette", "--no-remote", "--profile", profile, "-width", "1280", "-height", "900", "about:blank")
	cmd.Env = append(os.Environ(), "MOZ_CRASHREPORTER_DISABLE=1", "MOZ_HEADLESS=1")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
		}
	})
	portFile := filepath.Join(profile, "MarionetteActivePort")
	deadline := time.Now().Add(45 * time.Second)
	for {
		b, err := os.ReadFile(portFile)
		if err == nil {
			if port, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && port > 0 {
				conn, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), 5*time.Second)
				if err == nil {
					m := &marionette{conn: conn, r: bufio.NewReader(conn)}
					t.Cleanup(func() { conn.Close() })
					if _, err := m.read(); err != nil { // the greeting
						t.Fatalf("marionette greeting: %v", err)
					}
					return m
				}
			}
		}
		select {
		case <-done:
			t.Fatalf("firefox exited:\n%s", out.String())
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("firefox did not start Marionette:\n%s", out.String())
		}
	}
}

func (m *marionette) read() (json.RawMessage, error) {
	_ = m.conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	n, err := m.r.ReadString(':')
	if err != nil {
		return nil, err
	}
	size, err := strconv.Atoi(strings.TrimSuffix(n, ":"))
	if err != nil {
		return nil, fmt.Errorf("bad message length %q", n)
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(m.r, b); err != nil {
		return nil, err
	}
	return b, nil
}

// call sends one command and returns its result.
func (m *marionette) call(name string, params any) (json.RawMessage, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.id++
	msg, err := json.Marshal([]any{0, m.id, name, params})
	if err != nil {
		return nil, err
	}
	if _, err := fmt.Fprintf(m.conn, "%d:%s", len(msg), msg); err != nil {
		return nil, err
	}
	for {
		b, err := m.read()
		if err != nil {
			return nil, err
		}
		var resp []json.RawMessage
		if err := json.Unmarshal(b, &resp); err != nil || len(resp) != 4 {
			return nil, fmt.Errorf("bad answer %s", b)
		}
		var id int
		_ = json.Unmarshal(resp[1], &id)
		if id != m.id {
			continue
		}
		if string(resp[2]) != "null" {
			return nil, errors.New(string(resp[2]))
		}
		return resp[3], nil
	}
}

// script runs JavaScript in the page and decodes its "value".
func (m *marionette) script(t *testing.T, js string, out any) {
	t.Helper()
	res, err := m.call("WebDriver:ExecuteScript", map[string]any{"script": js, "args": []any{}})
	if err != nil {
		t.Fatalf("script %s: %v", js, err)
	}
	var v struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(res, &v); err != nil {
		t.Fatal(err)
	}
	if out != nil {
		if err := json.Unmarshal(v.Value, out); err != nil {
			t.Fatalf("script %s answered %s: %v", js, v.Value, err)
		}
	}
}

// waitJS waits until a JavaScript condition holds.
func (m *marionette) waitJS(t *testing.T, what, cond string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var ok bool
		m.script(t, "return Boolean("+cond+");", &ok)
		if ok {
			return
		}
		if time.Now().After(deadline) {
			var text string
			m.script(t, "return document.body ? document.body.innerText.slice(0, 2000) : '';", &text)
			t.Fatalf("waiting for %s (%s); page text:\n%s", what, cond, text)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestStudioInFirefox checks that the Studio works in Firefox too: it lists
// workflows, previews as the payload changes and runs a workflow.
func TestStudioInFirefox(t *testing.T) {
	exe := requireFirefox(t)
	srv := newStudioServer(t, studioHandler(t))
	ff := startFirefox(t, exe)
	if _, err := ff.call("WebDriver:NewSession", map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{"acceptInsecureCerts": false}}}); err != nil {
		t.Fatalf("new session: %v", err)
	}
	// Record script errors from here on.
	if _, err := ff.call("WebDriver:Navigate", map[string]any{"url": srv.URL + "/studio/"}); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	ff.waitJS(t, "the workflow list", `document.querySelector('button[data-workflow="welcome-email"]')`)
	ff.script(t, `window.__errors = []; window.addEventListener('error', e => window.__errors.push(String(e.message))); window.addEventListener('unhandledrejection', e => window.__errors.push(String(e.reason)));`, nil)
	ff.script(t, `document.querySelector('button[data-workflow="welcome-email"]').click();`, nil)
	ff.waitJS(t, "the first preview", `(document.querySelector('article[data-step="send-email"] .email-subject') || {}).textContent === 'Welcome, [placeholder]!'`)
	ff.script(t, `const el = document.querySelector('section[aria-labelledby="payload-title"] [data-pointer="/name"]');
		el.focus(); el.value = 'Ada'; el.dispatchEvent(new Event('input', {bubbles: true}));`, nil)
	ff.waitJS(t, "the preview with the name", `(document.querySelector('article[data-step="send-email"] .email-subject') || {}).textContent === 'Welcome, Ada!'`)
	var sandbox string
	ff.script(t, `return document.querySelector('article[data-step="send-email"] iframe').getAttribute('sandbox');`, &sandbox)
	if sandbox != "" {
		t.Errorf("iframe sandbox %q", sandbox)
	}
	ff.script(t, `document.querySelector('button[data-workflow="studio-channels"]').click();`, nil)
	ff.waitJS(t, "the sms preview", `(document.querySelector('article[data-step="text-me"] .message-body') || {}).textContent === 'Your report is ready, Grace.'`)
	ff.script(t, `const el = document.querySelector('article[data-step="sync"] input[data-pointer="/options/retries"]');
		el.value = '9'; el.dispatchEvent(new Event('input', {bubbles: true}));`, nil)
	ff.waitJS(t, "the nested field error", `(document.querySelector('article[data-step="sync"] .has-error .field-error') || {}).textContent === 'must be <= 5'`)
	ff.script(t, `document.getElementById('run-button').click();`, nil)
	ff.waitJS(t, "the run", `document.querySelectorAll('.run-step').length === 6`)
	var statuses string
	ff.script(t, `return [...document.querySelectorAll('.run-step')].map(e => e.dataset.step + ':' + e.dataset.status).join(',');`, &statuses)
	if statuses != "text-me:done,push-me:done,wait:scheduled,chat-me:done,limit:scheduled,sync:failed" {
		t.Errorf("run steps %s", statuses)
	}
	shot, err := ff.call("WebDriver:TakeScreenshot", map[string]any{"full": true, "hash": false})
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	var s struct {
		Value []byte `json:"value"`
	}
	if err := json.Unmarshal(shot, &s); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(screenshotDir, "firefox-01-channels-run.png"), s.Value, 0o644); err != nil {
		t.Fatal(err)
	}
	var errs []string
	ff.script(t, `return window.__errors;`, &errs)
	if len(errs) > 0 {
		t.Errorf("script errors: %v", errs)
	}
	_, _ = ff.call("WebDriver:DeleteSession", map[string]any{})
}

// requireFirefox finds Debian's firefox-esr (or a firefox) on PATH; see
// testtools.Require for when its absence skips or fails the test.
func requireFirefox(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("firefox"); err == nil {
		if _, err := exec.LookPath("firefox-esr"); err != nil {
			return p
		}
	}
	return testtools.Require(t, "firefox-esr")
}

package cli

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/echofn/echofn/core"
)

const syncSecret = "sk_test_sync_0123456789"

// reply is one answer of the stand-in Novu API.
type reply struct {
	status     int
	retryAfter string
	location   string
	body       string
}

// novuAPI stands in for the Novu API: it answers replies in turn (the last
// one again when they run out) and records every mistake in the requests
// it receives.
type novuAPI struct {
	*httptest.Server
	bridgeURL string
	replies   []reply
	mu        sync.Mutex
	calls     int
	problems  []string
}

func newNovuAPI(t *testing.T, bridgeURL string, replies ...reply) *novuAPI {
	api := &novuAPI{bridgeURL: bridgeURL, replies: replies}
	api.Server = httptest.NewServer(http.HandlerFunc(api.serve))
	t.Cleanup(api.Close)
	return api
}

func (api *novuAPI) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	api.mu.Lock()
	defer api.mu.Unlock()
	api.calls++
	check := func(what, got, want string) {
		if got != want {
			api.problems = append(api.problems, fmt.Sprintf("%s = %q, want %q", what, got, want))
		}
	}
	check("method", r.Method, http.MethodPost)
	check("path", r.URL.Path, "/v1/bridge/sync")
	check("query", r.URL.RawQuery, "source=cli")
	check("Authorization", r.Header.Get("Authorization"), "ApiKey "+syncSecret)
	check("Content-Type", r.Header.Get("Content-Type"), "application/json")
	check("Accept", r.Header.Get("Accept"), "application/json")
	check("Content-Length", r.Header.Get("Content-Length"), strconv.Itoa(len(body)))
	check("body", string(body), `{"bridgeUrl":"`+api.bridgeURL+`"}`)
	if !strings.HasPrefix(r.Header.Get("User-Agent"), "echofn/") {
		api.problems = append(api.problems, "User-Agent = "+r.Header.Get("User-Agent"))
	}
	var names []string
	for k := range r.Header {
		names = append(names, k)
	}
	sort.Strings(names)
	check("headers", strings.Join(names, " "), "Accept Accept-Encoding Authorization Content-Length Content-Type User-Agent")

	rep := api.replies[min(api.calls, len(api.replies))-1]
	if rep.retryAfter != "" {
		w.Header().Set("Retry-After", rep.retryAfter)
	}
	if rep.location != "" {
		w.Header().Set("Location", rep.location)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(rep.status)
	_, _ = io.WriteString(w, rep.body)
}

func (api *novuAPI) count() int {
	api.mu.Lock()
	defer api.mu.Unlock()
	return api.calls
}

var (
	synced       = reply{status: 201, body: `{"data":[{"_id":"1"},{"_id":"2"},{"_id":"3"},{"_id":"4"}]}`}
	unavailable  = reply{status: 503, body: `{"statusCode":503,"message":"Service Unavailable"}`}
	tooMany      = reply{status: 429, retryAfter: "7", body: `{"statusCode":429,"message":"ThrottlerException: Too Many Requests"}`}
	unauthorized = reply{status: 401, body: `{"statusCode":401,"message":"API Key not found","error":"Unauthorized"}`}
)

// flaky answers 503 to the first n requests, then passes them to next.
func flaky(n int32, next http.Handler) http.Handler {
	var seen atomic.Int32
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if seen.Add(1) <= n {
			http.Error(w, `{"message":"starting","code":"Unavailable"}`, http.StatusServiceUnavailable)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func TestSync(t *testing.T) {
	good := bridgeServer(t, syncSecret)
	otherKey := bridgeServer(t, "sk_another_environment")
	empty := bridgeServer(t, syncSecret, []*core.Workflow{}...)
	coldStart := httptest.NewServer(flaky(2, good.Config.Handler))
	t.Cleanup(coldStart.Close)
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close() // nothing listens there any more
	notABridge := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "<html>a blog</html>")
	}))
	t.Cleanup(notABridge.Close)
	moved := httptest.NewServer(http.RedirectHandler(good.URL+"/api/novu", http.StatusMovedPermanently))
	t.Cleanup(moved.Close)

	tests := []struct {
		name       string
		bridge     string
		replies    []reply
		extra      []string
		code       int
		apiCalls   int
		sleeps     []time.Duration
		stdoutHas  []string
		stderrHas  []string
		noStdoutOf string
	}{
		{
			name: "synced", bridge: good.URL, replies: []reply{synced},
			code: ExitOK, apiCalls: 1,
			stdoutHas: []string{"Preflight ok: the bridge serves 4 workflows with 11 steps",
				"comment-digest: digest (digest), inbox (in_app), email (email)",
				"POST " + "API/v1/bridge/sync?source=cli",
				"Synced: the environment now has 4 workflows from " + good.URL},
		},
		{
			name: "dry run stops after the preflight", bridge: good.URL, replies: []reply{synced}, extra: []string{"--dry-run"},
			code: ExitOK, apiCalls: 0,
			stdoutHas:  []string{"Preflight ok", "Dry run: would POST API/v1/bridge/sync?source=cli", `{"bridgeUrl":"` + good.URL + `/api/novu"}`, "Authorization: ApiKey [secret key]", "Nothing was synced."},
			noStdoutOf: "Synced",
		},
		{
			name: "the bridge has another secret key", bridge: otherKey.URL, replies: []reply{synced},
			code: ExitFailure, apiCalls: 0,
			stderrHas: []string{"preflight failed, nothing was synced", "401 SignatureMismatchError", "The bridge's NOVU_SECRET_KEY is not this secret key"},
		},
		{
			name: "the bridge serves nothing", bridge: empty.URL, replies: []reply{synced},
			code: ExitFailure, apiCalls: 0,
			stderrHas: []string{"serves no workflows; syncing it would delete every code-first workflow"},
		},
		{
			name: "the bridge is unreachable", bridge: gone.URL, replies: []reply{synced},
			code: ExitFailure, apiCalls: 0, sleeps: []time.Duration{time.Second, 2 * time.Second, 4 * time.Second},
			stderrHas: []string{"is unreachable", "connection refused", "(after 4 attempts)", "retry 3 of 3 in 4s"},
		},
		{
			name: "the bridge is starting", bridge: coldStart.URL, replies: []reply{synced},
			code: ExitOK, apiCalls: 1, sleeps: []time.Duration{time.Second, 2 * time.Second},
			stderrHas: []string{"the bridge answered 503"},
			stdoutHas: []string{"Synced"},
		},
		{
			name: "the URL is not a bridge", bridge: notABridge.URL, replies: []reply{synced},
			code: ExitFailure, apiCalls: 0,
			stderrHas: []string{"does not answer like a bridge"},
		},
		{
			name: "the bridge URL redirects", bridge: moved.URL, replies: []reply{synced},
			code: ExitFailure, apiCalls: 0,
			stderrHas: []string{"redirects to " + good.URL + "/api/novu; sync that URL instead"},
		},
		{
			name: "429 honours Retry-After", bridge: good.URL, replies: []reply{tooMany, synced},
			code: ExitOK, apiCalls: 2, sleeps: []time.Duration{7 * time.Second},
			stderrHas: []string{"429 Too Many Requests", "retry 1 of 3 in 7s"},
		},
		{
			name: "5xx backs off, then gives up", bridge: good.URL, replies: []reply{unavailable},
			code: ExitFailure, apiCalls: 4, sleeps: []time.Duration{time.Second, 2 * time.Second, 4 * time.Second},
			stderrHas: []string{"sync failed: the Novu API answered 503 Service Unavailable: Service Unavailable (after 4 attempts)"},
		},
		{
			name: "--retries bounds the attempts", bridge: good.URL, replies: []reply{unavailable}, extra: []string{"--retries", "1"},
			code: ExitFailure, apiCalls: 2, sleeps: []time.Duration{time.Second},
		},
		{
			name: "a Retry-After too long ends the attempts", bridge: good.URL, replies: []reply{{status: 429, retryAfter: "3600", body: `{}`}},
			code: ExitFailure, apiCalls: 1,
			stderrHas: []string{"asks to retry after 1h0m0s"},
		},
		{
			name: "401 is not retried and says what to check", bridge: good.URL, replies: []reply{unauthorized},
			code: ExitFailure, apiCalls: 1,
			stderrHas: []string{"401 Unauthorized: Unauthorized: API Key not found", "secret key is the environment's"},
		},
		{
			name: "400 passes the API's messages on", bridge: good.URL,
			replies: []reply{{status: 400, body: `{"statusCode":400,"message":["bridgeUrl must be a URL address"],"error":"Bad Request"}`}},
			code:    ExitFailure, apiCalls: 1,
			stderrHas: []string{"400 Bad Request: Bad Request: bridgeUrl must be a URL address", "must reach the URL over the internet"},
		},
		{
			name: "a redirecting API is reported, not followed", bridge: good.URL,
			replies: []reply{{status: 308, location: "https://eu.api.novu.co/v1/bridge/sync?source=cli"}},
			code:    ExitFailure, apiCalls: 1,
			stderrHas: []string{"the Novu API redirects to https://eu.api.novu.co/v1/bridge/sync?source=cli"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bridgeURL := tc.bridge + "/api/novu"
			api := newNovuAPI(t, bridgeURL, tc.replies...)
			a := newApp(map[string]string{EnvSecretKey: syncSecret})
			args := append([]string{"sync", "--bridge-url", bridgeURL, "--api-url", api.URL}, tc.extra...)
			code := a.run(args...)
			stdout, stderr := a.stdout.String(), a.stderr.String()
			if code != tc.code {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, stdout, stderr)
			}
			if got := api.count(); got != tc.apiCalls {
				t.Errorf("the API was called %d times, want %d", got, tc.apiCalls)
			}
			if diff := cmp.Diff(tc.sleeps, a.sleeps()); diff != "" {
				t.Errorf("waits between attempts (-want +got):\n%s", diff)
			}
			for _, p := range api.problems {
				t.Errorf("the API received: %s", p)
			}
			for _, s := range tc.stdoutHas {
				if s = strings.ReplaceAll(s, "API", api.URL); !strings.Contains(stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout)
				}
			}
			for _, s := range tc.stderrHas {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
			if tc.noStdoutOf != "" && strings.Contains(stdout, tc.noStdoutOf) {
				t.Errorf("stdout has %q:\n%s", tc.noStdoutOf, stdout)
			}
			if strings.Contains(stdout+stderr, syncSecret) {
				t.Errorf("the secret key was printed:\n%s\n%s", stdout, stderr)
			}
		})
	}
}

func TestSyncSettings(t *testing.T) {
	good := bridgeServer(t, syncSecret)
	bridgeURL := good.URL + "/api/novu"
	t.Run("environment variables", func(t *testing.T) {
		api := newNovuAPI(t, bridgeURL, synced)
		a := newApp(map[string]string{EnvSecretKey: syncSecret, EnvBridgeURL: bridgeURL, EnvAPIURL: api.URL + "/"})
		if code := a.run("sync"); code != ExitOK || api.count() != 1 || len(api.problems) > 0 {
			t.Errorf("exit %d, %d calls, problems %q\n%s", code, api.count(), api.problems, a.stderr)
		}
	})
	t.Run("Novu CLI short flags", func(t *testing.T) {
		api := newNovuAPI(t, bridgeURL, synced)
		a := newApp(nil)
		if code := a.run("sync", "-b", bridgeURL, "-s", syncSecret, "-a", api.URL); code != ExitOK || api.count() != 1 {
			t.Errorf("exit %d, %d calls\n%s", code, api.count(), a.stderr)
		}
		if strings.Contains(a.stdout.String()+a.stderr.String(), syncSecret) {
			t.Error("the secret key was printed")
		}
	})
	t.Run("the default API is Novu's", func(t *testing.T) {
		a := newApp(map[string]string{EnvSecretKey: syncSecret})
		if code := a.run("sync", "--dry-run", "-b", bridgeURL); code != ExitOK {
			t.Fatalf("exit %d: %s", code, a.stderr)
		}
		if !strings.Contains(a.stdout.String(), "would POST https://api.novu.co/v1/bridge/sync?source=cli") {
			t.Errorf("stdout:\n%s", a.stdout)
		}
		if !strings.Contains(a.stderr.String(), "the Novu API cannot reach it") {
			t.Errorf("no warning about a local bridge URL:\n%s", a.stderr)
		}
	})
	usage := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"no bridge URL", map[string]string{EnvSecretKey: "k"}, nil, "--bridge-url (or NOVU_BRIDGE_URL) is required"},
		{"no secret key", nil, []string{"-b", bridgeURL}, "--secret-key (or NOVU_SECRET_KEY) is required"},
		{"bridge URL without scheme", map[string]string{EnvSecretKey: "k"}, []string{"-b", "bridge.example.com/api/novu"}, "is not an http(s) URL"},
		{"bridge URL with a password", map[string]string{EnvSecretKey: "k"}, []string{"-b", "https://u:p@bridge.example.com/api/novu"}, "must not contain a user name or password"},
		{"API URL of another scheme", map[string]string{EnvSecretKey: "k"}, []string{"-b", bridgeURL, "-a", "ftp://api.novu.co"}, "--api-url"},
		{"too many retries", map[string]string{EnvSecretKey: "k"}, []string{"-b", bridgeURL, "--retries", "50"}, "want 0 to 10"},
		{"an argument", map[string]string{EnvSecretKey: "k"}, []string{"-b", bridgeURL, "production"}, `unexpected argument "production"`},
	}
	for _, tc := range usage {
		t.Run(tc.name, func(t *testing.T) {
			a := newApp(tc.env)
			if code := a.run(append([]string{"sync"}, tc.args...)...); code != ExitUsage {
				t.Errorf("exit %d, want %d", code, ExitUsage)
			}
			if !strings.Contains(a.stderr.String(), tc.want) {
				t.Errorf("stderr lacks %q:\n%s", tc.want, a.stderr)
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	tests := map[string]time.Duration{
		"":                              0,
		"5":                             5 * time.Second,
		" 120 ":                         2 * time.Minute,
		"-1":                            0,
		"soon":                          0,
		"Wed, 01 Jan 2025 12:00:30 GMT": 30 * time.Second,
		"Wed, 01 Jan 2025 11:00:00 GMT": 0,
	}
	for in, want := range tests {
		if got := retryAfter(in, now); got != want {
			t.Errorf("retryAfter(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestSyncBodyIsWrittenAsNovuWritesIt(t *testing.T) {
	got := string(syncBody("https://b.example.com/api/novu?a=1&b=<2>"))
	if want := `{"bridgeUrl":"https://b.example.com/api/novu?a=1&b=<2>"}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if slices.Contains([]byte(got), '\n') {
		t.Error("trailing newline")
	}
}

package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/echofn/echofn/cloudsim"
)

// Retry policy of sync (and of its preflight): the first retry waits
// baseDelay, each next one twice as long up to maxDelay; a Retry-After
// longer than maxRetryAfter ends the attempts.
const (
	baseDelay     = 1 * time.Second
	maxDelay      = 30 * time.Second
	maxRetryAfter = 2 * time.Minute
	// maxErrorText bounds what is printed of an error body.
	maxErrorText = 500
)

const syncUsage = `
Usage: %[1]s sync --bridge-url URL [flags]

Tells a Novu environment where its bridge is: Novu then discovers the
bridge's workflows, creates or updates them, and deletes the code-first
workflows the bridge no longer serves. The secret key chooses the
environment (Development, Production, ...).

Before it syncs, it checks the bridge (the preflight): it signs a discover
request with the same secret key and refuses to sync when the bridge is
unreachable, answers 401 (its secret key is another one) or serves no
workflows. --dry-run stops after the preflight.

It retries on 429, 5xx and unreachable hosts, with backoff, honouring
Retry-After; it never prints the secret key.

Example (CI, after deploying):
  NOVU_SECRET_KEY=... %[1]s sync --bridge-url https://bridge.example.com/api/novu
`

func (a *App) sync(ctx context.Context, args []string) int {
	f := a.newFlags("sync", fmt.Sprintf(syncUsage, a.Name))
	bridgeFlag := f.String("bridge-url", "", "public `URL` of the deployed bridge, such as https://bridge.example.com/api/novu")
	f.alias("b", "bridge-url")
	f.fromEnv("bridge-url", EnvBridgeURL)
	secretFlag := f.String("secret-key", "", "the Novu environment's secret `key`; prefer the environment variable, as flags show in process lists")
	f.alias("s", "secret-key")
	f.fromEnv("secret-key", EnvSecretKey)
	apiFlag := f.String("api-url", "", "Novu API `URL` (default "+DefaultAPIURL+"; https://eu.api.novu.co for the EU; yours when self-hosted)")
	f.alias("a", "api-url")
	f.fromEnv("api-url", EnvAPIURL)
	dryRun := f.Bool("dry-run", false, "check the bridge and print what would be synced, without syncing")
	timeout := f.Duration("timeout", 30*time.Second, "time limit of each request")
	retries := f.Int("retries", 3, "how many times to retry a request on 429, 5xx or an unreachable host")
	rest, code, ok := f.parse(args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		return a.usageError("sync", "unexpected argument %q", rest[0])
	}
	bridgeURL := a.setting(*bridgeFlag, EnvBridgeURL, "")
	secret := a.setting(*secretFlag, EnvSecretKey, "")
	apiURL := a.setting(*apiFlag, EnvAPIURL, DefaultAPIURL)
	switch {
	case bridgeURL == "":
		return a.usageError("sync", "--bridge-url (or %s) is required: the public URL of your deployed bridge", EnvBridgeURL)
	case secret == "":
		return a.usageError("sync", "--secret-key (or %s) is required: the secret key of the Novu environment to sync", EnvSecretKey)
	case *retries < 0 || *retries > 10:
		return a.usageError("sync", "--retries %d: want 0 to 10", *retries)
	case *timeout <= 0:
		return a.usageError("sync", "--timeout must be positive")
	}
	if err := checkURL("--bridge-url", bridgeURL); err != nil {
		return a.usageError("sync", "%v", err)
	}
	if err := checkURL("--api-url", apiURL); err != nil {
		return a.usageError("sync", "%v", err)
	}
	if isLoopbackURL(bridgeURL) && !isLoopbackURL(apiURL) {
		fmt.Fprintf(a.Stderr, "%s sync: warning: %s is on this machine; the Novu API cannot reach it. Sync a public URL (a deployment or a tunnel).\n", a.Name, bridgeURL)
	}
	client := noRedirects(*timeout)

	out := a.Stdout
	fmt.Fprintf(out, "Preflight: signed discover request to %s\n", bridgeURL)
	var found *cloudsim.Discovery
	err := a.retry(ctx, "preflight", *retries, func() attempt {
		d, at := preflight(ctx, client, bridgeURL, secret)
		found = d
		return at
	})
	if err != nil {
		return a.failure("sync", "%s", redact("preflight failed, nothing was synced: "+err.Error(), secret))
	}
	steps := 0
	for _, w := range found.Workflows {
		steps += len(w.Steps)
	}
	fmt.Fprintf(out, "Preflight ok: the bridge serves %s with %s, signed with this secret key.\n",
		plural(len(found.Workflows), "workflow"), plural(steps, "step"))
	for _, w := range found.Workflows {
		var types []string
		for _, s := range w.Steps {
			types = append(types, s.StepID+" ("+s.Type+")")
		}
		fmt.Fprintf(out, "  %s: %s\n", w.WorkflowID, strings.Join(types, ", "))
	}

	endpoint := strings.TrimRight(apiURL, "/") + "/v1/bridge/sync?source=cli"
	body := syncBody(bridgeURL)
	if *dryRun {
		fmt.Fprintf(out, "Dry run: would POST %s\n  Authorization: ApiKey [secret key]\n  Content-Type: application/json\n  %s\nNothing was synced.\n", endpoint, body)
		return ExitOK
	}
	fmt.Fprintf(out, "Syncing: POST %s\n", endpoint)
	var result []byte
	err = a.retry(ctx, "sync", *retries, func() attempt {
		var at attempt
		result, at = postSync(ctx, client, endpoint, secret, body)
		return at
	})
	if err != nil {
		return a.failure("sync", "%s", redact("sync failed: "+err.Error(), secret))
	}
	var synced struct {
		Data []json.RawMessage `json:"data"`
	}
	if json.Unmarshal(result, &synced) == nil && synced.Data != nil {
		fmt.Fprintf(out, "Synced: the environment now has %s from %s.\n", plural(len(synced.Data), "workflow"), bridgeURL)
	} else {
		fmt.Fprintf(out, "Synced %s.\n", bridgeURL)
	}
	return ExitOK
}

// syncBody is {"bridgeUrl": url}, written as JSON.stringify writes it.
func syncBody(bridgeURL string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(map[string]string{"bridgeUrl": bridgeURL})
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// attempt is the outcome of one try at a request.
type attempt struct {
	err        error         // nil: done
	retry      bool          // another try may succeed
	retryAfter time.Duration // the server's Retry-After, if any
}

// retry runs try until it succeeds, fails for good, or retries more times
// than allowed, waiting longer each time.
func (a *App) retry(ctx context.Context, what string, retries int, try func() attempt) error {
	delay := baseDelay
	for n := 0; ; n++ {
		at := try()
		if at.err == nil || !at.retry || n >= retries {
			if at.err != nil && at.retry && retries > 0 {
				return fmt.Errorf("%w (after %s)", at.err, plural(n+1, "attempt"))
			}
			return at.err
		}
		wait := delay
		if at.retryAfter > 0 {
			if at.retryAfter > maxRetryAfter {
				return fmt.Errorf("%w; it asks to retry after %s, more than %s, so %s gives up", at.err, at.retryAfter, maxRetryAfter, a.Name)
			}
			wait = at.retryAfter
		}
		fmt.Fprintf(a.Stderr, "%s sync: %s: %v; retry %d of %d in %s\n", a.Name, what, at.err, n+1, retries, wait)
		if err := a.sleep(ctx, wait); err != nil {
			return fmt.Errorf("%w (interrupted)", at.err)
		}
		delay = min(2*delay, maxDelay)
	}
}

// preflight asks the bridge for its workflows as Novu will, signed.
func preflight(ctx context.Context, client *http.Client, bridgeURL, secret string) (*cloudsim.Discovery, attempt) {
	c := &cloudsim.Client{Transport: cloudsim.HTTP(bridgeURL, secret, client)}
	d, err := c.Discover(ctx)
	if err == nil {
		if len(d.Workflows) == 0 {
			return nil, attempt{err: errors.New("the bridge serves no workflows; syncing it would delete every code-first workflow of the environment")}
		}
		return d, attempt{}
	}
	var be *cloudsim.BridgeError
	var redirect *redirectError
	switch {
	case errors.As(err, &redirect):
		return nil, attempt{err: fmt.Errorf("the bridge URL redirects to %s; sync that URL instead", redirect.to)}
	case errors.As(err, &be):
		switch {
		case be.Status == http.StatusUnauthorized:
			return nil, attempt{err: fmt.Errorf("the bridge refused the signature (401 %s: %s). The bridge's %s is not this secret key: both must be the secret key of the environment you sync", be.Code, be.Message, EnvSecretKey)}
		case be.Status == http.StatusNotFound:
			return nil, attempt{err: fmt.Errorf("the bridge URL answered 404 (%s); check its path (echofn serves %s)", be.Message, DefaultRoute)}
		case be.Status == http.StatusTooManyRequests || be.Status >= 500:
			return nil, attempt{err: fmt.Errorf("the bridge answered %d %s: %s", be.Status, be.Code, be.Message), retry: true}
		}
		return nil, attempt{err: fmt.Errorf("the bridge answered %d %s: %s", be.Status, be.Code, be.Message)}
	case errors.Is(err, cloudsim.ErrUnexpectedBody):
		return nil, attempt{err: fmt.Errorf("the URL does not answer like a bridge: %v", err)}
	}
	return nil, attempt{err: fmt.Errorf("the bridge at %s is unreachable: %v", bridgeURL, unwrapURLError(err)), retry: true}
}

// postSync sends the sync request once.
func postSync(ctx context.Context, client *http.Client, endpoint, secret string, body []byte) ([]byte, attempt) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, attempt{err: err}
	}
	req.Header.Set("Authorization", "ApiKey "+secret)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "echofn/"+moduleVersion())
	resp, err := client.Do(req)
	if err != nil {
		var redirect *redirectError
		if errors.As(err, &redirect) {
			return nil, attempt{err: fmt.Errorf("the Novu API redirects to %s; pass its base URL as --api-url", redirect.to)}
		}
		return nil, attempt{err: fmt.Errorf("the Novu API is unreachable: %v", unwrapURLError(err)), retry: true}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return nil, attempt{err: fmt.Errorf("reading the Novu API's answer: %v", err), retry: true}
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return data, attempt{}
	}
	err = fmt.Errorf("the Novu API answered %s: %s%s", resp.Status, apiMessage(data), syncHint(resp.StatusCode))
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
		return nil, attempt{err: err, retry: true, retryAfter: retryAfter(resp.Header.Get("Retry-After"), time.Now())}
	}
	return nil, attempt{err: err}
}

func syncHint(status int) string {
	switch status {
	case http.StatusUnauthorized, http.StatusForbidden:
		return ". Check that the secret key is the environment's (Novu dashboard, API Keys)"
	case http.StatusNotFound:
		return ". Check --api-url (EU accounts: https://eu.api.novu.co)"
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		return ". Novu could not use the bridge: it must reach the URL over the internet"
	}
	return ""
}

// apiMessage extracts the message of a Novu API error body.
func apiMessage(data []byte) string {
	var e struct {
		Message any    `json:"message"`
		Error   string `json:"error"`
	}
	text := strings.TrimSpace(string(data))
	if json.Unmarshal(data, &e) == nil {
		switch m := e.Message.(type) {
		case string:
			text = m
		case []any:
			var parts []string
			for _, p := range m {
				parts = append(parts, fmt.Sprint(p))
			}
			text = strings.Join(parts, "; ")
		}
		if e.Error != "" && text != e.Error {
			text = e.Error + ": " + text
		}
	}
	if text == "" {
		return "(no message)"
	}
	if len(text) > maxErrorText {
		text = text[:maxErrorText] + "…"
	}
	return text
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now).Round(time.Second)
	}
	return 0
}

type redirectError struct{ to string }

func (e *redirectError) Error() string { return "redirected to " + e.to }

// noRedirects returns a client that reports redirects instead of following
// them: a POST turned into a GET, or a signature sent to another host, is
// never what was meant.
func noRedirects(timeout time.Duration) *http.Client {
	return &http.Client{
		Timeout: timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			return &redirectError{to: req.URL.Redacted()}
		},
	}
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func checkURL(name, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%s %q is not an http(s) URL", name, raw)
	}
	if u.User != nil {
		return fmt.Errorf("%s must not contain a user name or password", name)
	}
	return nil
}

func isLoopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); ip != nil {
		return ip.IsLoopback()
	}
	return host == "localhost" || strings.HasSuffix(host, ".localhost")
}

package conformance

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/core/nethttp"
	"github.com/echofn/echofn/core/novuapi"
)

// newServer serves the conformance workflows with core behind net/http,
// forwarding triggers to api.
func newServer(t testing.TB, api *MockAPI) *httptest.Server {
	t.Helper()
	b, err := core.New(core.Config{
		SecretKey: Secret, Server: "nethttp", Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Trigger: &novuapi.Client{SecretKey: Secret, APIURL: api.URL},
	}, Workflows()...)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(nethttp.Handler(b))
	t.Cleanup(srv.Close)
	return srv
}

// Do sends c to the bridge at url and returns the status and body.
func do(t testing.TB, url string, c Case) (int, []byte) {
	t.Helper()
	status, _, body := doFull(t, url, c)
	return status, body
}

// doFull is do that also returns the response headers.
func doFull(t testing.TB, url string, c Case) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), c.Method, url+"?"+c.Query, strings.NewReader(c.Body))
	if err != nil {
		t.Fatal(err)
	}
	if c.Body != "" {
		req.Header.Set("content-type", "application/json")
	}
	for k, v := range c.Headers(time.Now()) {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, body
}

// readCapture reads a reference capture: its status and its body.
func readCapture(t *testing.T, name string) (int, []byte, bool) {
	raw, err := os.ReadFile(filepath.Join("testdata", "reference", name+".http"))
	if err != nil {
		return 0, nil, false
	}
	r := bufio.NewReader(bytes.NewReader(raw))
	line, _ := r.ReadString('\n')
	fields := strings.Fields(line)
	status, _ := strconv.Atoi(fields[1])
	for {
		l, err := r.ReadString('\n')
		if err != nil || strings.TrimSpace(l) == "" {
			break
		}
	}
	body, _ := io.ReadAll(r)
	return status, bytes.TrimSpace(body), true
}

func TestAgainstReferenceCaptures(t *testing.T) {
	api := NewMockAPI()
	defer api.Close()
	srv := newServer(t, api)
	if n := len(Cases()); n < 60 {
		t.Fatalf("only %d conformance cases", n)
	}
	captured := 0
	for _, c := range Cases() {
		t.Run(c.Name, func(t *testing.T) {
			status, body := do(t, srv.URL, c)
			if c.Differs != "" {
				checkWant(t, c, status, body)
				return
			}
			refStatus, refBody, ok := readCapture(t, c.Name)
			if !ok {
				t.Skip("no capture; compared in the live differential test")
			}
			captured++
			for _, d := range Compare(c.Name, refStatus, refBody, status, body) {
				t.Error(d)
			}
			if c.Name == "trigger" {
				checkForwarded(t, api)
			}
		})
	}
	if captured < 40 {
		t.Errorf("only %d cases compared with captures", captured)
	}
}

func checkWant(t *testing.T, c Case, status int, body []byte) {
	t.Helper()
	if status != c.Want.Status {
		t.Errorf("status %d, want %d (%s): %s", status, c.Want.Status, c.Differs, body)
	}
	if c.Want.Code != "" && !bytes.Contains(body, []byte(`"code":"`+c.Want.Code+`"`)) {
		t.Errorf("body %s lacks code %s", body, c.Want.Code)
	}
}

// checkForwarded compares the trigger our bridge forwarded with the one the
// reference forwarded in the capture.
func checkForwarded(t *testing.T, api *MockAPI) {
	t.Helper()
	got, ok := api.Last()
	if !ok {
		t.Fatal("no trigger reached the API")
	}
	raw, err := os.ReadFile(filepath.Join("testdata", "reference", "trigger-forwarded-request.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Method, URL string
		Headers     map[string]string
		Body        json.RawMessage
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	var compact bytes.Buffer
	_ = json.Compact(&compact, ref.Body)
	if got.Method != ref.Method || got.Path != ref.URL || got.Authorization != ref.Headers["authorization"] ||
		got.ContentType != ref.Headers["content-type"] || got.Body != compact.String() {
		t.Errorf("forwarded %+v\nreference %s %s %s", got, ref.Method, ref.URL, compact.String())
	}
}

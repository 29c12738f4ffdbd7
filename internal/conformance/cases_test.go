package conformance

import (
	"bufio"
	"bytes"
	"context"
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
)

// newServer serves the conformance workflows with core behind net/http.
func newServer(t testing.TB) *httptest.Server {
	t.Helper()
	b, err := core.New(core.Config{SecretKey: Secret, Server: "nethttp", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, Workflows()...)
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
	return resp.StatusCode, body
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
	srv := newServer(t)
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

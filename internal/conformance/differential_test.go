package conformance

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/echofn/echofn/internal/testtools"
)

// startReference runs the official SDK's bridge (installed by
// scripts/setup.d/10-reference.sh) with HMAC checks on, and returns its URL.
func startReference(t *testing.T, api *MockAPI) string {
	t.Helper()
	dir := filepath.Join(testtools.Dir(), "reference")
	testtools.Require(t, "reference/node_modules/@novu/framework/package.json")
	node := testtools.Require(t, "node")
	port := freePort(t)
	cmd := exec.Command(node, filepath.Join(dir, "server.mjs"))
	cmd.Dir = dir
	cmd.Env = append(cmd.Environ(),
		"PORT="+strconv.Itoa(port),
		"NOVU_SECRET_KEY="+Secret,
		"NOVU_STRICT_AUTHENTICATION_ENABLED=true",
		"NOVU_API_URL="+api.URL,
	)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			select {
			case <-ready:
			default:
				close(ready)
			}
		}
	}()
	url := "http://127.0.0.1:" + strconv.Itoa(port) + "/api/novu"
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		req, _ := http.NewRequestWithContext(ctx, "GET", url+"?action=health-check", nil)
		resp, err := http.DefaultClient.Do(req)
		cancel()
		if err == nil {
			resp.Body.Close()
			return url
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("the reference bridge did not start")
	return ""
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestDifferential sends every conformance case to the official SDK's
// bridge and to ours, and compares the answers.
func TestDifferential(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the reference bridge")
	}
	refAPI, ourAPI := NewMockAPI(), NewMockAPI()
	defer refAPI.Close()
	defer ourAPI.Close()
	ref := startReference(t, refAPI)
	ours := newServer(t, ourAPI)
	for _, c := range Cases() {
		t.Run(c.Name, func(t *testing.T) {
			refStatus, refHeader, refBody := doFull(t, ref, c)
			status, header, body := doFull(t, ours.URL, c)
			for _, d := range compareHeaders(refHeader, header) {
				t.Error(d)
			}
			if strings.Contains(c.Query, "action=trigger") {
				r, _ := refAPI.Last()
				o, _ := ourAPI.Last()
				if r.Body != o.Body || r.Path != o.Path || r.Authorization != o.Authorization {
					t.Errorf("forwarded trigger differs:\n  reference %+v\n  ours      %+v", r, o)
				}
			}
			if c.Differs != "" {
				checkWant(t, c, status, body)
				if refStatus == status {
					t.Logf("note: the reference now answers %d too", refStatus)
				}
				return
			}
			for _, d := range Compare(c.Name, refStatus, refBody, status, body) {
				t.Error(d)
			}
		})
	}
}

// headersThatMatter are the response headers Novu Cloud and browsers read.
var headersThatMatter = []string{
	"Access-Control-Allow-Origin", "Access-Control-Allow-Private-Network", "Access-Control-Allow-Methods",
	"Access-Control-Allow-Headers", "Access-Control-Max-Age", "Novu-Framework-Version", "Novu-Framework-Sdk", "User-Agent",
}

// compareHeaders compares the headers that matter; the content type by its
// media type (Express adds "; charset=utf-8").
func compareHeaders(ref, ours http.Header) []string {
	var diffs []string
	for _, h := range headersThatMatter {
		if r, o := ref.Get(h), ours.Get(h); r != o {
			diffs = append(diffs, fmt.Sprintf("header %s: reference %q, ours %q", h, r, o))
		}
	}
	media := func(v string) string { m, _, _ := strings.Cut(v, ";"); return strings.TrimSpace(m) }
	if r, o := media(ref.Get("Content-Type")), media(ours.Get("Content-Type")); r != o {
		diffs = append(diffs, fmt.Sprintf("header Content-Type: reference %q, ours %q", r, o))
	}
	return diffs
}

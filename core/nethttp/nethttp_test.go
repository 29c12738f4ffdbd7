package nethttp_test

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/core/nethttp"
	"github.com/echofn/echofn/core/signature"
)

type payload struct {
	Name string `json:"name"`
}

func newBridge(t *testing.T, limit int64) *core.Bridge {
	t.Helper()
	wf := core.NewWorkflow("hello", core.WorkflowOptions{},
		core.SMS("text", func(ctx context.Context, in core.Input[payload, struct{}]) (core.SMSOutput, error) {
			return core.SMSOutput{Body: "Hello " + in.Payload.Name}, nil
		}))
	b, err := core.New(core.Config{SecretKey: "sk", MaxBodyBytes: limit, Server: "nethttp", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, wf)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// endless is a body that never ends; reading it all would hang the test.
type endless struct{ read int64 }

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	e.read += int64(len(p))
	return len(p), nil
}

func TestHandler(t *testing.T) {
	srv := httptest.NewServer(nethttp.Handler(newBridge(t, 1024)))
	defer srv.Close()

	body := `{"payload":{"name":"Ada"},"controls":{},"state":[],"subscriber":{}}`
	req, _ := http.NewRequest("POST", srv.URL+"?action=execute&workflowId=hello&stepId=text", strings.NewReader(body))
	req.Header.Set("Novu-Signature", signature.Sign("sk", time.Now(), []byte(body)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(got), `"body":"Hello Ada"`) {
		t.Fatalf("%d %s", resp.StatusCode, got)
	}
	for name, want := range map[string]string{
		"Content-Type":                "application/json",
		"Access-Control-Allow-Origin": "*",
		"Novu-Framework-Version":      core.FrameworkVersion,
		"Novu-Framework-Server":       "nethttp",
	} {
		if v := resp.Header.Get(name); v != want {
			t.Errorf("%s = %q, want %q", name, v, want)
		}
	}
}

func TestOversizedBodyIsNotReadInFull(t *testing.T) {
	h := nethttp.Handler(newBridge(t, 1024))
	src := &endless{}
	req := httptest.NewRequest("POST", "/?action=execute&workflowId=hello&stepId=text", src)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), `"code":"BridgeError"`) {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	if src.read > 64<<10 {
		t.Fatalf("read %d bytes of an oversized body", src.read)
	}
}

func TestBodyLengthsAndHeaders(t *testing.T) {
	h := nethttp.Handler(newBridge(t, 1024))
	body := `{"payload":{"name":"Ada"},"controls":{},"state":[],"subscriber":{}}`
	sign := func(req *http.Request) {
		req.Header.Set("Novu-Signature", signature.Sign("sk", time.Now(), []byte(body)))
	}
	for _, tc := range []struct {
		name   string
		length int64 // the request's Content-Length; -1 for unknown (chunked)
		want   int
	}{
		{"known length", int64(len(body)), 200},
		{"unknown length", -1, 200},
		{"declared longer than the limit", 2048, 413},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", "/?action=execute&workflowId=hello&stepId=text", strings.NewReader(body))
			req.ContentLength = tc.length
			sign(req)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tc.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.want, rec.Body)
			}
			if got := rec.Result().Header["Content-Type"]; len(got) != 1 || got[0] != "application/json" {
				t.Fatalf("Content-Type %q", got)
			}
		})
	}
	// A body shorter than its declared length is a bad request.
	req := httptest.NewRequest("POST", "/?action=execute&workflowId=hello&stepId=text", strings.NewReader(body))
	req.ContentLength = int64(len(body)) + 10
	sign(req)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 400 {
		t.Fatalf("truncated body: status %d, want 400: %s", rec.Code, rec.Body)
	}
}

// TestChunkedRequestClosesItsConnection sends a request with both
// Content-Length and a chunked body, whose Content-Length covers a second
// request: net/http reads the chunked body, so a server that kept the
// connection would answer the hidden request too. The handler has it
// closed after the first answer; a request with a Content-Length alone
// keeps its connection.
func TestChunkedRequestClosesItsConnection(t *testing.T) {
	srv := httptest.NewServer(nethttp.Handler(newBridge(t, 0)))
	defer srv.Close()
	health := "GET /?action=health-check HTTP/1.1\r\nHost: x\r\n\r\n"
	hidden := "0\r\n\r\n" + health
	for _, c := range []struct {
		name, first string
		answers     int
	}{
		{"chunked, with a Content-Length", "POST /?action=health-check HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n" +
			"Content-Length: " + strconv.Itoa(len(hidden)) + "\r\n\r\n" + hidden, 1},
		{"chunked", "POST /?action=health-check HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 1},
		{"Content-Length alone", "POST /?action=health-check HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", 2},
	} {
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(conn, c.first+health); err != nil {
			t.Fatal(err)
		}
		br := bufio.NewReader(conn)
		answers := 0
		for {
			// A kept connection sends nothing more: the read times out.
			_ = conn.SetReadDeadline(time.Now().Add(time.Second))
			resp, err := http.ReadResponse(br, nil)
			if err != nil {
				break
			}
			resp.Body.Close()
			answers++
			if answers == 1 && (c.answers == 1) != resp.Close {
				t.Errorf("%s: Connection: close is %v on the first answer", c.name, resp.Close)
			}
		}
		conn.Close()
		if answers != c.answers {
			t.Errorf("%s: %d answers, want %d", c.name, answers, c.answers)
		}
	}
}

package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/echofn/echofn/core/signature"
)

// build compiles this command once for the tests.
func build(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "echofn")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// command runs the binary to its end with an environment of its own.
func command(t *testing.T, bin string, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return exit.ExitCode(), o.String(), e.String()
	case err != nil:
		t.Fatal(err)
	}
	return 0, o.String(), e.String()
}

var bridgeLine = regexp.MustCompile(`bridge at (http://\S+) serving`)

func TestBinary(t *testing.T) {
	bin := build(t)
	const secret = "sk_test_binary"
	env := []string{"NOVU_SECRET_KEY=" + secret}

	serve := exec.Command(bin, "serve", "--addr", "127.0.0.1:0")
	serve.Env = env
	stderr, err := serve.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	defer func() {
		_ = serve.Process.Kill()
		<-exited
	}()
	lines := bufio.NewScanner(stderr)
	var url string
	var logged bytes.Buffer
	for url == "" && lines.Scan() {
		logged.WriteString(lines.Text() + "\n")
		if m := bridgeLine.FindStringSubmatch(lines.Text()); m != nil {
			url = m[1]
		}
	}
	var rest bytes.Buffer
	go func() {
		_, _ = io.Copy(&rest, stderr)
		exited <- serve.Wait()
	}()
	if url == "" {
		t.Fatalf("serve did not say where it listens:\n%s", logged.String())
	}

	t.Run("exit codes of run", func(t *testing.T) {
		code, out, errOut := command(t, bin, append(env, "NOVU_BRIDGE_URL="+url), "run", "welcome-onboarding",
			"--payload", `{"dashboardUrl":"https://app.example.com"}`, "--subscriber", `{"firstName":"Ada"}`)
		if code != 0 || !strings.Contains(out, "subject: Welcome to Acme, Ada!") {
			t.Errorf("run: exit %d\n%s\n%s", code, out, errOut)
		}
		code, _, errOut = command(t, bin, append(env, "NOVU_BRIDGE_URL="+url), "run", "welcome-onboarding")
		if code != 1 || !strings.Contains(errOut, "ExecutionEventPayloadInvalidError") {
			t.Errorf("run with a bad payload: exit %d, want 1\n%s", code, errOut)
		}
		code, _, errOut = command(t, bin, env, "sync")
		if code != 2 || !strings.Contains(errOut, "--bridge-url (or NOVU_BRIDGE_URL) is required") {
			t.Errorf("sync without a URL: exit %d, want 2\n%s", code, errOut)
		}
		code, out, _ = command(t, bin, env, "sync", "--dry-run", "--bridge-url", url)
		if code != 0 || !strings.Contains(out, "Dry run") {
			t.Errorf("sync --dry-run: exit %d\n%s", code, out)
		}
	})

	t.Run("SIGTERM drains the request in flight", func(t *testing.T) {
		body := []byte(`{"payload":{"dashboardUrl":"https://app.example.com"},"controls":{},"state":[],"subscriber":{}}`)
		addr := strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/api/novu")
		conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		_ = conn.SetDeadline(time.Now().Add(20 * time.Second))
		// Send the headers and half the body: the request is in flight.
		head := fmt.Sprintf("POST /api/novu?action=execute&workflowId=welcome-onboarding&stepId=welcome-email HTTP/1.1\r\n"+
			"Host: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nnovu-signature: %s\r\n\r\n",
			addr, len(body), signature.Sign(secret, time.Now(), body))
		half := len(body) / 2
		if _, err := conn.Write(append([]byte(head), body[:half]...)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond)
		if err := serve.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-exited:
			t.Fatalf("serve exited (%v) with a request in flight:\n%s%s", err, logged.String(), rest.String())
		case <-time.After(500 * time.Millisecond):
		}
		if _, err := conn.Write(body[half:]); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		answer, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || !bytes.Contains(answer, []byte(`"subject":"Welcome to Acme, there!"`)) {
			t.Errorf("in-flight request: %d %s", resp.StatusCode, answer)
		}
		select {
		case err := <-exited:
			exited <- err
			if err != nil {
				t.Errorf("serve exited with %v after SIGTERM, want 0\n%s", err, rest.String())
			}
			if !strings.Contains(rest.String(), "shutting down") {
				t.Errorf("no shutdown log:\n%s", rest.String())
			}
		case <-time.After(10 * time.Second):
			t.Fatal("serve did not exit after draining")
		}
	})
}

func TestMain(m *testing.M) {
	// The binary is built with the go command that runs the tests.
	if _, err := exec.LookPath("go"); err != nil {
		if goroot := os.Getenv("GOROOT"); goroot != "" {
			os.Setenv("PATH", filepath.Join(goroot, "bin")+string(os.PathListSeparator)+os.Getenv("PATH"))
		}
	}
	os.Exit(m.Run())
}

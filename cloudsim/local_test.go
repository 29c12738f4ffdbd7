package cloudsim_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/echofn/echofn/cloudsim"
	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/internal/conformance"
)

func TestLocal(t *testing.T) {
	c, err := cloudsim.Local(conformance.Workflows()...)
	if err != nil {
		t.Fatal(err)
	}
	h, err := c.HealthCheck(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if h.Status != "ok" || h.Discovered.Workflows != 2 || h.Discovered.Steps != 4 {
		t.Fatalf("health = %+v", h)
	}
	// Discover is signed: it only passes if the client signs with the
	// bridge's own key.
	d, err := c.Discover(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Workflows) != 2 {
		t.Fatalf("discovered %d workflows", len(d.Workflows))
	}
}

func TestLocalRefusesBrokenWorkflows(t *testing.T) {
	w := conformance.Workflows()[0]
	if _, err := cloudsim.Local(w, w); err == nil {
		t.Fatal("two workflows with one id were accepted")
	}
	broken := core.NewWorkflow[map[string]any]("", core.WorkflowOptions{})
	if _, err := cloudsim.Local(broken); err == nil {
		t.Fatal("a workflow without an id was accepted")
	}
}

func ExampleLocal() {
	c, err := cloudsim.Local(conformance.Workflows()...)
	if err != nil {
		panic(err)
	}
	run, err := c.Run(context.Background(), "welcome-email", cloudsim.Trigger{
		Payload:    json.RawMessage(`{"name":"Ada"}`),
		Subscriber: json.RawMessage(`{"firstName":"Ada"}`),
	})
	if err != nil {
		panic(err)
	}
	var email core.EmailOutput
	_ = json.Unmarshal(run.Steps[0].Result.Outputs, &email)
	fmt.Println(email.Subject)
	// Output: Welcome, Ada!
}

func TestUnexpectedBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html>a blog, not a bridge</html>"))
	}))
	defer srv.Close()
	c := &cloudsim.Client{Transport: cloudsim.HTTP(srv.URL, "sk_test", srv.Client())}
	_, err := c.Discover(context.Background())
	if !errors.Is(err, cloudsim.ErrUnexpectedBody) {
		t.Fatalf("err = %v, want ErrUnexpectedBody", err)
	}
	if want := "bridge answered 200 with a body that is not the expected JSON: "; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("message %q does not start with %q", err, want)
	}
}

package novuapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/echofn/echofn/core/novuapi"
)

// recorder stands in for the Novu API: it records what arrives and answers
// with a canned status and body.
type recorder struct {
	method, path, auth, contentType string
	body                            map[string]any
	status                          int
	answer                          string
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.method, r.path = req.Method, req.URL.Path
	r.auth, r.contentType = req.Header.Get("Authorization"), req.Header.Get("Content-Type")
	b, _ := io.ReadAll(req.Body)
	r.body = nil
	_ = json.Unmarshal(b, &r.body)
	w.WriteHeader(r.status)
	_, _ = io.WriteString(w, r.answer)
}

func TestTrigger(t *testing.T) {
	rec := &recorder{status: 201, answer: `{"data":{"acknowledged":true,"status":"processed","transactionId":"txn-9"}}`}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	c := &novuapi.Client{SecretKey: "sk_test", APIURL: srv.URL + "/"}
	res, err := c.Trigger(context.Background(), novuapi.TriggerRequest{
		WorkflowID:    "welcome",
		To:            map[string]any{"subscriberId": "sub-1", "email": "ada@example.com"},
		Payload:       map[string]any{"name": "Ada"},
		TransactionID: "txn-9",
	})
	if err != nil {
		t.Fatal(err)
	}
	if *res != (novuapi.TriggerResult{Acknowledged: true, Status: "processed", TransactionID: "txn-9"}) {
		t.Fatalf("result %+v", res)
	}
	want := map[string]any{"name": "welcome", "to": map[string]any{"subscriberId": "sub-1", "email": "ada@example.com"}, "payload": map[string]any{"name": "Ada"}, "transactionId": "txn-9"}
	if diff := cmp.Diff(want, rec.body); diff != "" {
		t.Fatalf("body (-want +got):\n%s", diff)
	}
	if rec.method != "POST" || rec.path != "/v1/events/trigger" || rec.auth != "ApiKey sk_test" || rec.contentType != "application/json" {
		t.Fatalf("request %+v", rec)
	}

	// A topic and an empty payload.
	if _, err := c.Trigger(context.Background(), novuapi.TriggerRequest{WorkflowID: "w", To: novuapi.ToTopic("news")}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]any{"name": "w", "to": map[string]any{"topicKey": "news", "type": "Topic"}, "payload": map[string]any{}}, rec.body); diff != "" {
		t.Fatalf("topic body (-want +got):\n%s", diff)
	}
}

func TestErrors(t *testing.T) {
	rec := &recorder{status: 422, answer: `{"statusCode":422,"error":"Unprocessable Entity","message":"workflow_not_found"}`}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	c := &novuapi.Client{SecretKey: "sk_test", APIURL: srv.URL}
	_, err := c.Trigger(context.Background(), novuapi.TriggerRequest{WorkflowID: "nope", To: "sub-1"})
	var apiErr *novuapi.APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 422 || apiErr.Code != "Unprocessable Entity" || apiErr.Message != "workflow_not_found" {
		t.Fatalf("err = %v", err)
	}
	if err := c.Cancel(context.Background(), "txn-1"); !errors.As(err, &apiErr) || rec.method != "DELETE" || rec.path != "/v1/events/trigger/txn-1" {
		t.Fatalf("cancel: %v %s %s", err, rec.method, rec.path)
	}
	if _, err := (&novuapi.Client{}).Trigger(context.Background(), novuapi.TriggerRequest{WorkflowID: "w", To: "s"}); !errors.Is(err, novuapi.ErrNoSecretKey) {
		t.Fatalf("no key: %v", err)
	}
	if _, err := c.Trigger(context.Background(), novuapi.TriggerRequest{To: "s"}); err == nil {
		t.Fatal("a trigger without a workflow id was sent")
	}
}

package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/echofn/echofn/cloudsim"
	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/core/nethttp"
)

func TestHello(t *testing.T) {
	bridge, err := core.New(core.Config{SecretKey: "sk_test"}, welcome)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(nethttp.Handler(bridge))
	defer srv.Close()
	c := &cloudsim.Client{Transport: cloudsim.HTTP(srv.URL+"/api/novu", "sk_test", nil)}
	run, err := c.Run(context.Background(), "welcome", cloudsim.Trigger{Payload: json.RawMessage(`{"name":"Ada"}`)})
	if err != nil {
		t.Fatal(err)
	}
	if f := run.Failed(); f != nil {
		t.Fatal(f.Err)
	}
	var out core.EmailOutput
	if err := json.Unmarshal(run.Steps[0].Result.Outputs, &out); err != nil {
		t.Fatal(err)
	}
	if out.Subject != "Welcome, Ada!" || out.Body != "<p>Hello Ada</p>" {
		t.Fatalf("outputs %+v", out)
	}
}

package rawquery_test

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/echofn/echofn/internal/rawquery"
)

var keys = []string{"action", "workflowId", "stepId", "a b", ""}

func check(t *testing.T, raw string) {
	want, _ := url.ParseQuery(raw)
	for _, k := range keys {
		if got := rawquery.Get(raw, k); got != want.Get(k) {
			t.Errorf("Get(%q, %q) = %q, url.ParseQuery gives %q", raw, k, got, want.Get(k))
		}
	}
	values := make([]string, len(keys)+1)
	rawquery.GetEach(raw, append(keys, keys[0]), values) // one key twice
	for i, k := range append(keys, keys[0]) {
		if values[i] != want.Get(k) {
			t.Errorf("GetEach(%q): %q = %q, url.ParseQuery gives %q", raw, k, values[i], want.Get(k))
		}
	}
}

func TestGetLikeParseQuery(t *testing.T) {
	for _, raw := range []string{
		"", "action=execute&workflowId=w&stepId=s", "stepId=a&stepId=b", "action=%65xecute",
		"action=a+b", "action", "action=&action=x", "a;b=1&action=ok", "action=1;2&action=3",
		"act%69on=x", "action=%zz&action=y", "%zz=1&action=z", "&&action=q&", "a+b=1", "=x",
	} {
		check(t, raw)
	}
}

func FuzzGet(f *testing.F) {
	for _, raw := range []string{"action=execute&workflowId=w&stepId=s", "action=%zz&action=y", "a;b=1&action=ok", "a+b=%20"} {
		f.Add(raw)
	}
	f.Fuzz(check)
}

func ExampleGet() {
	fmt.Println(rawquery.Get("action=execute&workflowId=welcome%2Demail&stepId=a+b", "workflowId"))
	// Output: welcome-email
}

// BenchmarkGetEach reads the three keys of an execute call's query.
func BenchmarkGetEach(b *testing.B) {
	const raw = "action=execute&workflowId=conformance-email&stepId=send-email"
	keys := []string{"action", "workflowId", "stepId"}
	values := make([]string, len(keys))
	b.ReportAllocs()
	for b.Loop() {
		rawquery.GetEach(raw, keys, values)
	}
	if values[2] != "send-email" {
		b.Fatalf("got %q", values)
	}
}

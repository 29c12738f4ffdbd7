package jsonx

import (
	"encoding/json"
	"testing"
)

// BenchmarkToGo decodes a payload-sized document and an email step's
// outputs into their structs: directly (ToGo), and through JSON text with
// encoding/json as ToGo did before.
func BenchmarkToGo(b *testing.B) {
	for _, tc := range []struct {
		name, doc string
		dst       func() any
	}{
		{"payload", payloadJSON, func() any { return new(payload) }},
		{"email", emailJSON, func() any { return new(email) }},
	} {
		v, err := Decode([]byte(tc.doc))
		if err != nil {
			b.Fatal(err)
		}
		for _, way := range []struct {
			name string
			toGo func(any, any) error
		}{{"direct", ToGo}, {"text", toGoText}} {
			b.Run(tc.name+"/"+way.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := way.toGo(v, tc.dst()); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkFromGo converts the same two structs to ordered values:
// directly (FromGo), and through JSON text as FromGo did before.
func BenchmarkFromGo(b *testing.B) {
	var p payload
	var e email
	if json.Unmarshal([]byte(payloadJSON), &p) != nil || json.Unmarshal([]byte(emailJSON), &e) != nil {
		b.Fatal("bad test documents")
	}
	for _, tc := range []struct {
		name string
		v    any
	}{{"payload", p}, {"email", e}} {
		for _, way := range []struct {
			name   string
			fromGo func(any) (any, error)
		}{{"direct", FromGo}, {"text", fromGoText}} {
			b.Run(tc.name+"/"+way.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := way.fromGo(tc.v); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// replayJSON is the body of an execute call that replays two earlier
// steps (internal/conformance's execute-custom case).
const replayJSON = `{"payload":{"project":"apollo"},"controls":{},"state":[{"stepId":"digest-step","outputs":{"events":[{"id":"e1","time":"2024-01-01T00:00:00.000Z","payload":{}}]},"state":{"status":"completed"}},{"stepId":"inapp-step","outputs":{"seen":true,"read":false,"lastSeenDate":"2024-01-01T00:02:00.000Z","lastReadDate":null},"state":{"status":"completed"}}],"subscriber":{"subscriberId":"sub-1"}}`

// BenchmarkDecode decodes an execute call's body.
func BenchmarkDecode(b *testing.B) {
	data := []byte(replayJSON)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}

package conformance

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
)

// MockAPI stands in for the Novu API when a bridge forwards a `trigger`: it
// records each request and answers as the API does, 201 with
// {"data":{"acknowledged":true,...}}.
type MockAPI struct {
	*httptest.Server
	mu       sync.Mutex
	requests []Recorded
}

// Recorded is one request that reached a MockAPI.
type Recorded struct {
	Method, Path, Authorization, ContentType string
	Body                                     string
}

// NewMockAPI starts a MockAPI on loopback; Close stops it.
func NewMockAPI() *MockAPI {
	m := &MockAPI{}
	m.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		m.mu.Lock()
		m.requests = append(m.requests, Recorded{r.Method, r.URL.Path, r.Header.Get("Authorization"), r.Header.Get("Content-Type"), string(b)})
		m.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"data":{"acknowledged":true,"status":"processed","transactionId":"txn-mock-1"}}`)
	}))
	return m
}

// Last returns the latest request, and false when none came.
func (m *MockAPI) Last() (Recorded, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.requests) == 0 {
		return Recorded{}, false
	}
	return m.requests[len(m.requests)-1], true
}

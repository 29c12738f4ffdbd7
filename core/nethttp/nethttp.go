// Package nethttp serves a core.Bridge with net/http.
//
//	bridge, err := core.New(core.ConfigFromEnv(), workflows...)
//	...
//	http.Handle("/api/novu", nethttp.Handler(bridge))
//	http.ListenAndServe(":4000", nil)
package nethttp

import (
	"net/http"

	"github.com/echofn/echofn/core"
)

// Handler returns an http.Handler that passes every request to b. Its body
// is read with b.ReadRequestBody: one longer than b.MaxBodyBytes() is
// refused with 413 without being read in full, and one larger than
// core.SmallBodyBytes is read only when the bridge has room for it, and
// refused with 503 otherwise.
func Handler(b *core.Bridge) http.Handler {
	common := b.Headers()
	names := canonicalNames(common)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req := &core.Request{Method: r.Method, RawQuery: r.URL.RawQuery, Header: r.Header.Get}
		resp := func() *core.Response {
			release, refused := b.ReadRequestBody(req, r.Body, r.ContentLength)
			if refused != nil {
				return refused
			}
			defer release()
			return b.Handle(r.Context(), req)
		}()
		if len(r.TransferEncoding) > 0 {
			// net/http reads a request that carries Content-Length as well
			// by its chunked body, and would keep the connection: what a
			// proxy going by Content-Length forwarded after that body would
			// then be answered as a request of its own (request smuggling).
			// RFC 9112 §6.1 has the server close it. net/http has dropped
			// the Content-Length by now, so every chunked request closes
			// its connection; Novu's calls carry a Content-Length.
			w.Header().Set("Connection", "close")
		}
		if sameFields(resp.Header, common) {
			write(w, resp, names)
		} else {
			Write(w, resp)
		}
	})
}

// Write copies a core.Response to w.
func Write(w http.ResponseWriter, resp *core.Response) {
	write(w, resp, canonicalNames(resp.Header))
}

// write copies resp to w, names being its header names in canonical form.
func write(w http.ResponseWriter, resp *core.Response, names []string) {
	h := w.Header()
	values := make([]string, len(resp.Header)) // one allocation for every header's value
	for i, f := range resp.Header {
		values[i] = f.Value
		h[names[i]] = values[i : i+1 : i+1]
	}
	w.WriteHeader(resp.Status)
	_, _ = w.Write(resp.Body)
}

func canonicalNames(fields []core.Field) []string {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = http.CanonicalHeaderKey(f.Name)
	}
	return names
}

// sameFields reports whether a and b are the same slice.
func sameFields(a, b []core.Field) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

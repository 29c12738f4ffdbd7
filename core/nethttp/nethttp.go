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

// Handler returns an http.Handler that passes every request to b. A body
// longer than b.MaxBodyBytes() is refused with 413 without being read in
// full.
func Handler(b *core.Bridge) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req := &core.Request{Method: r.Method, Query: r.URL.Query(), Header: r.Header.Get}
		var resp *core.Response
		body, ok, err := core.ReadBody(r.Body, b.MaxBodyBytes())
		switch {
		case err != nil:
			resp = b.HandleBadRequest(req, "Could not read the request body.")
		case !ok:
			resp = b.HandleOversized(req)
		default:
			req.Body = body
			resp = b.Handle(r.Context(), req)
		}
		Write(w, resp)
	})
}

// Write copies a core.Response to w.
func Write(w http.ResponseWriter, resp *core.Response) {
	h := w.Header()
	for _, f := range resp.Header {
		h[http.CanonicalHeaderKey(f.Name)] = []string{f.Value}
	}
	w.WriteHeader(resp.Status)
	_, _ = w.Write(resp.Body)
}

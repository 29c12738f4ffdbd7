// Package studio serves a local, browser-based Studio for a bridge: it
// lists workflows, previews steps and runs workflows, talking to the bridge
// with signed requests as Novu Cloud does.
package studio

import (
	"net/http"

	"github.com/echofn/echofn/cloudsim"
)

// Handler returns the Studio, to be mounted under a path prefix with
// http.StripPrefix. Requests to the bridge go through t, which signs them;
// no secret ever reaches the page.
func Handler(t cloudsim.Transport) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "Studio is not built yet", http.StatusNotImplemented)
	})
}

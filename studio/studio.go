// Package studio serves a local, browser-based Studio for a bridge: it
// lists workflows, previews steps and runs workflows, talking to the bridge
// with signed requests as Novu Cloud does.
//
// The page and its scripts are embedded in the binary and call a few JSON
// endpoints of the same handler (api/discover, api/preview, api/run), which
// call the bridge server-side through a cloudsim.Transport. The secret key
// stays inside that transport: it is never sent to the page.
//
// The endpoints accept only same-origin JSON POSTs from a loopback or
// explicitly allowed host name, so that another web site open in the same
// browser cannot drive them, and every response carries a strict
// Content-Security-Policy.
package studio

import (
	"embed"
	"io/fs"
	"net"
	"net/http"
	"strings"

	"github.com/echofn/echofn/cloudsim"
)

//go:embed static
var staticFiles embed.FS

// ContentSecurityPolicy is sent with every response of the Studio. Scripts
// and connections are limited to the Studio itself; styles may be inline and
// images may come from anywhere over HTTP(S) because email previews (shown
// in a sandboxed iframe that inherits this policy) need them.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: https: http:; font-src 'self' data:; connect-src 'self'; frame-src 'self'; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// Options configure a Studio handler.
type Options struct {
	// AllowedHosts are host names (without port) the Studio answers to
	// besides localhost, *.localhost and IP addresses, for a dev server
	// reached by another name. Requests naming any other host are refused,
	// which defeats DNS rebinding.
	AllowedHosts []string
}

// Handler returns the Studio, to be mounted under a path prefix with
// http.StripPrefix. Requests to the bridge go through t, which signs them;
// no secret ever reaches the page.
func Handler(t cloudsim.Transport) http.Handler {
	return New(t, Options{})
}

// New is Handler with options.
func New(t cloudsim.Transport, opts Options) http.Handler {
	sub, err := fs.Sub(staticFiles, "static")
	if err != nil {
		panic(err) // the embedded tree always has static/
	}
	s := &server{
		client: &cloudsim.Client{Transport: t},
		files:  sub,
		hosts:  map[string]bool{},
	}
	for _, h := range opts.AllowedHosts {
		s.hosts[strings.ToLower(h)] = true
	}
	return s
}

type server struct {
	client *cloudsim.Client
	files  fs.FS
	hosts  map[string]bool
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	if !s.hostAllowed(r.Host) {
		writeError(w, http.StatusForbidden, "host_not_allowed",
			"The Studio only answers to localhost, IP addresses and the host names it is configured with.")
		return
	}
	p := r.URL.Path
	switch {
	case p == "":
		// Mounted at /studio and asked for /studio: go to /studio/ so that
		// the page's relative URLs resolve under the prefix.
		h.Set("Location", "studio/")
		w.WriteHeader(http.StatusMovedPermanently)
	case strings.HasPrefix(p, "/api/"):
		s.serveAPI(w, r, strings.TrimPrefix(p, "/api/"))
	default:
		s.serveStatic(w, r, p)
	}
}

// hostAllowed reports whether the Host header names this machine or an
// allowed name.
func (s *server) hostAllowed(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	switch {
	case host == "":
		return false
	case host == "localhost", strings.HasSuffix(host, ".localhost"):
		return true
	case net.ParseIP(host) != nil:
		return true
	}
	return s.hosts[host]
}

var staticTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".svg":  "image/svg+xml",
}

func (s *server) serveStatic(w http.ResponseWriter, r *http.Request, p string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "Use GET.")
		return
	}
	name := strings.TrimPrefix(p, "/")
	if name == "" {
		name = "index.html"
	}
	ext := name[strings.LastIndexByte(name, '.')+1:]
	ctype, known := staticTypes["."+ext]
	if !known || !fs.ValidPath(name) || strings.Contains(name, "/") {
		http.NotFound(w, r)
		return
	}
	b, err := fs.ReadFile(s.files, name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "no-cache")
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(b)
}

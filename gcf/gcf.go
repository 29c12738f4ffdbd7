package gcf

import (
	"net/http"
	"strings"

	"github.com/GoogleCloudPlatform/functions-framework-go/functions"

	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/core/nethttp"
)

// EntryPoint is the name Register gives the function: deploy with
// --entry-point NovuBridge, and run the Functions Framework locally with
// FUNCTION_TARGET=NovuBridge.
const EntryPoint = "NovuBridge"

// ConfigFromEnv returns core.ConfigFromEnv() with Server set to "gcf" and
// surrounding white space removed from the keys: a secret stored in Secret
// Manager from a file or `echo` often ends with a newline, which would
// make every signature check fail.
func ConfigFromEnv() core.Config {
	cfg := core.ConfigFromEnv()
	cfg.Server = "gcf"
	cfg.SecretKey = strings.TrimSpace(cfg.SecretKey)
	cfg.FallbackSecretKey = strings.TrimSpace(cfg.FallbackSecretKey)
	return cfg
}

// Handler returns the HTTP function that serves b. It reads the body as
// sent (the bytes the signature covers) and refuses one longer than
// b.MaxBodyBytes() with 413.
func Handler(b *core.Bridge) http.HandlerFunc {
	return nethttp.Handler(b).ServeHTTP
}

// Register registers Handler(b) with the Functions Framework as
// EntryPoint. Call it once, from an init function. The package at the
// root of the deployed source must import the framework's functions
// package itself (see README.md), so a function's own package usually
// calls functions.HTTP(EntryPoint, Handler(b)) directly.
func Register(b *core.Bridge) {
	functions.HTTP(EntryPoint, Handler(b))
}

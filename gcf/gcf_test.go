package gcf_test

import (
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/gcf"
)

// TestHandler serves the conformance table with gcf.Handler in process.
func TestHandler(t *testing.T) {
	srv := httptest.NewServer(gcf.Handler(newBridge(t, "gcf")))
	defer srv.Close()
	t.Run("signed", func(t *testing.T) { checkSigned(t, srv.URL) })
	t.Run("conformance", func(t *testing.T) { compareWithNetHTTP(t, srv.URL) })
}

func TestConfigFromEnv(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want core.Config
	}{
		{"keys from Secret Manager with a newline", map[string]string{"NOVU_SECRET_KEY": "sk_live\n", "NOVU_SECRET_KEY_FALLBACK": " sk_old\r\n"},
			core.Config{SecretKey: "sk_live", FallbackSecretKey: "sk_old", Server: "gcf"}},
		{"legacy variable", map[string]string{"NOVU_API_KEY": "sk_legacy"},
			core.Config{SecretKey: "sk_legacy", Server: "gcf"}},
		{"dev mode", map[string]string{"ECHOFN_DEV_MODE": "true"},
			core.Config{DevMode: true, Server: "gcf"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, k := range []string{"NOVU_SECRET_KEY", "NOVU_API_KEY", "NOVU_SECRET_KEY_FALLBACK", "ECHOFN_DEV_MODE"} {
				t.Setenv(k, tt.env[k])
			}
			got := gcf.ConfigFromEnv()
			if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b core.Config) bool {
				return a.SecretKey == b.SecretKey && a.FallbackSecretKey == b.FallbackSecretKey && a.DevMode == b.DevMode && a.Server == b.Server
			})); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
		})
	}
}

package terraform_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/core/nethttp"
	"github.com/echofn/echofn/internal/conformance"
)

// syncRoot writes a root module that calls modules/novu-sync with the
// given settings, and initialises it.
func syncRoot(t *testing.T, settings map[string]any) string {
	t.Helper()
	dir := t.TempDir()
	main := fmt.Sprintf(`
variable "settings" {
  type = any
}

module "sync" {
  source = %q

  stage               = var.settings.stage
  bridge_url          = var.settings.bridge_url
  code_version        = try(var.settings.code_version, null)
  novu_secret_key     = var.settings.novu_secret_key
  novu_api_url        = var.settings.novu_api_url
  enabled             = var.settings.enabled
  confirm_environment = var.settings.confirm_environment
  command             = var.settings.command
}

output "synced_url" {
  value = module.sync.synced_url
}

output "key_environment" {
  value = module.sync.key_environment
}
`, filepath.Join(tfDir, "modules", "novu-sync"))
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	writeSettings(t, dir, settings)
	if _, stderr, err := terraform(t, dir, nil, "init", "-no-color"); err != nil {
		t.Fatalf("terraform init: %v\n%s", err, stderr)
	}
	return dir
}

func writeSettings(t *testing.T, dir string, settings map[string]any) {
	t.Helper()
	data, err := json.Marshal(map[string]any{"settings": settings})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "terraform.tfvars.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// recorder is a stand-in for `echofn`: a shell command that appends its
// arguments and the two environment variables to a file.
func recorder(t *testing.T) (command []string, calls func() []string) {
	t.Helper()
	log := filepath.Join(t.TempDir(), "calls")
	command = []string{"sh", "-c", `printf '%s|%s|%s\n' "$*" "$NOVU_SECRET_KEY" "$NOVU_API_URL" >> "$0"`, log}
	return command, func() []string {
		data, err := os.ReadFile(log)
		if os.IsNotExist(err) {
			return nil
		}
		if err != nil {
			t.Fatal(err)
		}
		return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	}
}

// TestNovuSyncGuards applies modules/novu-sync with real Terraform: a key
// that shows the other environment is refused, a key that shows none needs
// the stage's name as confirmation, and the sync command gets the URL as
// its argument and the key and API URL in its environment.
func TestNovuSyncGuards(t *testing.T) {
	const (
		bridge = "https://bridge.example.com/api/novu"
		api    = "https://api.example.com"
	)
	tests := []struct {
		name      string
		stage     string
		key       string
		enabled   bool
		confirm   any
		wantErr   string // in terraform's error output; "" for success
		wantCalls []string
	}{
		{
			name:  "a production key is refused in development, even with sync off",
			stage: "development", key: "sk_live_0123", enabled: false,
			wantErr: "This is a production secret key, but the development stage",
		},
		{
			name:  "a development key is refused in production, even when confirmed",
			stage: "production", key: "sk_test_0123", enabled: true, confirm: "production",
			wantErr: "This is a development secret key, but the production stage",
		},
		{
			name:  "a key that shows no environment needs confirmation",
			stage: "development", key: "a1b2c3d4e5f6", enabled: true,
			wantErr: `set confirm_environment = "development"`,
		},
		{
			name:  "the confirmation must name the stage",
			stage: "production", key: "a1b2c3d4e5f6", enabled: true, confirm: "development",
			wantErr: `set confirm_environment = "production"`,
		},
		{
			name:  "a confirmed key syncs",
			stage: "production", key: "a1b2c3d4e5f6", enabled: true, confirm: "production",
			wantCalls: []string{"sync --bridge-url " + bridge + "|a1b2c3d4e5f6|" + api},
		},
		{
			name:  "a key that shows the stage's environment syncs without confirmation",
			stage: "development", key: "sk_dev_0123", enabled: true,
			wantCalls: []string{"sync --bridge-url " + bridge + "|sk_dev_0123|" + api},
		},
		{
			name:  "with sync off nothing runs and nothing needs confirming",
			stage: "production", key: "a1b2c3d4e5f6", enabled: false,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			command, calls := recorder(t)
			dir := syncRoot(t, map[string]any{
				"stage": tt.stage, "bridge_url": bridge, "novu_secret_key": tt.key, "novu_api_url": api,
				"enabled": tt.enabled, "confirm_environment": tt.confirm, "command": command,
			})
			stdout, stderr, err := terraform(t, dir, nil, "apply", "-auto-approve", "-no-color")
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("apply succeeded, want an error containing %q\n%s", tt.wantErr, stdout)
				}
				if !strings.Contains(strings.Join(strings.Fields(stderr), " "), tt.wantErr) {
					t.Errorf("apply error does not contain %q:\n%s", tt.wantErr, stderr)
				}
			} else if err != nil {
				t.Fatalf("apply: %v\n%s%s", err, stdout, stderr)
			}
			if diff := cmp.Diff(tt.wantCalls, calls()); diff != "" {
				t.Errorf("sync command calls (-want +got):\n%s", diff)
			}
			if strings.Contains(stdout+stderr, tt.key) {
				t.Errorf("terraform's output shows the secret key:\n%s%s", stdout, stderr)
			}
		})
	}
}

// TestNovuSyncRunsAgainWhenTheBridgeChanges applies the same settings
// twice (one sync), then a new bridge URL (a second sync), then new code
// at that URL (a third: Novu learns the workflows when it syncs).
func TestNovuSyncRunsAgainWhenTheBridgeChanges(t *testing.T) {
	command, calls := recorder(t)
	settings := map[string]any{
		"stage": "development", "bridge_url": "https://one.example.com/api/novu", "novu_secret_key": "sk_test_1",
		"novu_api_url": "https://api.example.com", "enabled": true, "confirm_environment": nil, "command": command,
		"code_version": "v1",
	}
	dir := syncRoot(t, settings)
	apply := func() {
		t.Helper()
		if stdout, stderr, err := terraform(t, dir, nil, "apply", "-auto-approve", "-no-color"); err != nil {
			t.Fatalf("apply: %v\n%s%s", err, stdout, stderr)
		}
	}
	apply()
	apply()
	settings["bridge_url"] = "https://two.example.com/api/novu"
	writeSettings(t, dir, settings)
	apply()
	settings["code_version"] = "v2"
	writeSettings(t, dir, settings)
	apply()
	apply()
	want := []string{
		"sync --bridge-url https://one.example.com/api/novu|sk_test_1|https://api.example.com",
		"sync --bridge-url https://two.example.com/api/novu|sk_test_1|https://api.example.com",
		"sync --bridge-url https://two.example.com/api/novu|sk_test_1|https://api.example.com",
	}
	if diff := cmp.Diff(want, calls()); diff != "" {
		t.Errorf("sync command calls (-want +got):\n%s", diff)
	}
	stdout, stderr, err := terraform(t, dir, nil, "output", "-json", "synced_url")
	if err != nil {
		t.Fatalf("output: %v\n%s", err, stderr)
	}
	if got := strings.TrimSpace(stdout); got != `"https://two.example.com/api/novu"` {
		t.Errorf("synced_url = %s, want the second URL", got)
	}
}

// TestNovuSyncWithEchofn runs the module's default kind of command, the
// project's own CLI (`echofn sync`), from terraform apply: it checks a real
// bridge signed with the key, then tells a stand-in Novu API the URL.
func TestNovuSyncWithEchofn(t *testing.T) {
	if _, err := os.Stat(filepath.Join(repoRoot, "cmd", "echofn", "main.go")); err != nil {
		t.Skip("cmd/echofn is not there: nothing to sync with")
	}
	echofn := filepath.Join(t.TempDir(), "echofn")
	build := exec.Command("go", "build", "-o", echofn, "./cmd/echofn")
	build.Dir = repoRoot
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/echofn: %v\n%s", err, out)
	}

	const key = "sk_test_terraform_sync"
	b, err := core.New(core.Config{SecretKey: key}, conformance.Workflows()...)
	if err != nil {
		t.Fatal(err)
	}
	bridge := httptest.NewServer(nethttp.Handler(b))
	defer bridge.Close()

	var (
		mu       sync.Mutex
		received []string
	)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		received = append(received, r.Method+" "+r.URL.RequestURI()+" "+r.Header.Get("Authorization")+" "+string(body))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"data":[]}`)
	}))
	defer api.Close()

	bridgeURL := bridge.URL + "/api/novu"
	dir := syncRoot(t, map[string]any{
		"stage": "development", "bridge_url": bridgeURL, "novu_secret_key": key, "novu_api_url": api.URL,
		"enabled": true, "confirm_environment": nil, "command": []string{echofn},
	})
	stdout, stderr, err := terraform(t, dir, nil, "apply", "-auto-approve", "-no-color")
	if err != nil {
		t.Fatalf("apply: %v\n%s%s", err, stdout, stderr)
	}
	want := []string{"POST /v1/bridge/sync?source=cli ApiKey " + key + ` {"bridgeUrl":"` + bridgeURL + `"}`}
	mu.Lock()
	defer mu.Unlock()
	if diff := cmp.Diff(want, received); diff != "" {
		t.Errorf("requests to the Novu API (-want +got):\n%s", diff)
	}
	if strings.Contains(stdout+stderr, key) {
		t.Errorf("terraform's output shows the secret key:\n%s%s", stdout, stderr)
	}
}

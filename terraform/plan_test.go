package terraform_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// plan is what `terraform show -json` tells of a saved plan.
type plan struct {
	resources map[string]map[string]any // planned values by address
	outputs   map[string]any            // known planned output values
}

func readPlan(t *testing.T, data []byte) plan {
	t.Helper()
	type module struct {
		Resources []struct {
			Address string         `json:"address"`
			Values  map[string]any `json:"values"`
		} `json:"resources"`
		ChildModules []json.RawMessage `json:"child_modules"`
	}
	var doc struct {
		PlannedValues struct {
			Outputs map[string]struct {
				Value any `json:"value"`
			} `json:"outputs"`
			RootModule json.RawMessage `json:"root_module"`
		} `json:"planned_values"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	p := plan{resources: map[string]map[string]any{}, outputs: map[string]any{}}
	var walk func(raw json.RawMessage)
	walk = func(raw json.RawMessage) {
		var m module
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		for _, r := range m.Resources {
			p.resources[r.Address] = r.Values
		}
		for _, c := range m.ChildModules {
			walk(c)
		}
	}
	walk(doc.PlannedValues.RootModule)
	for k, v := range doc.PlannedValues.Outputs {
		p.outputs[k] = v.Value
	}
	return p
}

// addresses lists the managed resources planned (not data sources).
func (p plan) addresses() []string {
	var out []string
	for a := range p.resources {
		if !strings.HasPrefix(a, "data.") && !strings.Contains(a, ".data.") {
			out = append(out, a)
		}
	}
	sort.Strings(out)
	return out
}

// at follows a path of keys and indexes ("environment", 0, "variables")
// into a resource's planned values.
func (p plan) at(t *testing.T, address string, path ...any) any {
	t.Helper()
	v, ok := p.resources[address]
	if !ok {
		t.Fatalf("no resource %s in the plan", address)
	}
	var cur any = v
	for _, step := range path {
		switch s := step.(type) {
		case string:
			m, ok := cur.(map[string]any)
			if !ok {
				t.Fatalf("%s: %v is not an object at %q", address, cur, s)
			}
			cur = m[s]
		case int:
			l, ok := cur.([]any)
			if !ok || s >= len(l) {
				t.Fatalf("%s: %v has no element %d", address, cur, s)
			}
			cur = l[s]
		}
	}
	return cur
}

var (
	awsResources = []string{
		"module.aws_lambda[0].aws_apigatewayv2_api.this",
		"module.aws_lambda[0].aws_apigatewayv2_integration.this",
		"module.aws_lambda[0].aws_apigatewayv2_route.this",
		"module.aws_lambda[0].aws_apigatewayv2_stage.this",
		"module.aws_lambda[0].aws_cloudwatch_log_group.this",
		"module.aws_lambda[0].aws_iam_role.this",
		"module.aws_lambda[0].aws_iam_role_policy.this",
		"module.aws_lambda[0].aws_lambda_function.this",
		"module.aws_lambda[0].aws_lambda_permission.http_api",
		"module.aws_lambda[0].aws_ssm_parameter.secret_key",
	}
	gcpResources = []string{
		"module.gcp_cloud_function[0].google_cloud_run_v2_service_iam_member.public",
		"module.gcp_cloud_function[0].google_cloudfunctions2_function.this",
		`module.gcp_cloud_function[0].google_project_service.this["artifactregistry.googleapis.com"]`,
		`module.gcp_cloud_function[0].google_project_service.this["cloudbuild.googleapis.com"]`,
		`module.gcp_cloud_function[0].google_project_service.this["cloudfunctions.googleapis.com"]`,
		`module.gcp_cloud_function[0].google_project_service.this["run.googleapis.com"]`,
		`module.gcp_cloud_function[0].google_project_service.this["secretmanager.googleapis.com"]`,
		`module.gcp_cloud_function[0].google_project_service.this["storage.googleapis.com"]`,
		"module.gcp_cloud_function[0].google_secret_manager_secret.secret_key",
		`module.gcp_cloud_function[0].google_secret_manager_secret_iam_member.access["NOVU_SECRET_KEY"]`,
		"module.gcp_cloud_function[0].google_secret_manager_secret_version.secret_key",
		"module.gcp_cloud_function[0].google_service_account.this",
		"module.gcp_cloud_function[0].google_storage_bucket.source",
		"module.gcp_cloud_function[0].google_storage_bucket_object.source",
	}
	cloudflareResources = []string{
		"module.cloudflare_worker[0].cloudflare_worker.this",
		"module.cloudflare_worker[0].cloudflare_worker_version.this",
		"module.cloudflare_worker[0].cloudflare_workers_deployment.this",
	}
	guard = "module.novu_sync.terraform_data.environment_guard"
)

func with(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	sort.Strings(out)
	return out
}

// TestTerraformPlan plans both stages on each platform with real Terraform
// and the schema-only providers (terraform/stubprovider): the whole
// configuration is evaluated (platform choice, artefact paths and hashes,
// names, secrets wiring, guards and preconditions) as it would be before a
// deployment. Nothing is deployed; values the clouds compute are unknown.
func TestTerraformPlan(t *testing.T) {
	env := schemaOnlyProviders(t)
	tree := copyTree(t)
	dist := t.TempDir()
	for _, f := range []string{"lambda/bootstrap-arm64.zip", "lambda/bootstrap-amd64.zip", "gcf/source.zip",
		"cloudflare/worker.mjs", "cloudflare/gate.mjs", "cloudflare/wasm_exec.js", "cloudflare/bridge.wasm", "cloudflare/wrangler.toml"} {
		p := filepath.Join(dist, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, stage := range stages {
		if _, stderr, err := terraform(t, filepath.Join(tree, "environments", stage), env, "get", "-no-color"); err != nil {
			t.Fatalf("terraform get: %v\n%s", err, stderr)
		}
	}
	const devKey, prodKey, oldKey = "sk_test_dev0123", "0f1e2d3c4b5a69788796a5b4c3d2e1f0", "a0b1c2d3e4f5061728394a5b6c7d8e9f"
	base := map[string]any{
		"dist_dir": dist, "gcp_project": "echofn-test", "cloudflare_account_id": "0123456789abcdef0123456789abcdef",
		"cloudflare_workers_dev_subdomain": "acme",
	}
	tests := []struct {
		name, stage string
		vars        map[string]any
		wantErr     string
		want        []string
		check       func(t *testing.T, p plan)
	}{
		{
			name: "development on AWS", stage: "development",
			vars: map[string]any{"platform": "aws", "novu_secret_key": devKey},
			want: with(awsResources, []string{guard}),
			check: func(t *testing.T, p plan) {
				fn := "module.aws_lambda[0].aws_lambda_function.this"
				checkEnv(t, p.at(t, fn, "environment", 0, "variables"), map[string]string{
					"NOVU_API_URL": "https://api.novu.co", "NOVU_SECRET_KEY_SSM_PARAMETER": "/echofn-development/NOVU_SECRET_KEY",
				}, devKey)
				checkValues(t, map[string]any{
					"function":     p.at(t, fn, "function_name"),
					"runtime":      p.at(t, fn, "runtime"),
					"handler":      p.at(t, fn, "handler"),
					"architecture": p.at(t, fn, "architectures", 0),
					"memory":       p.at(t, fn, "memory_size"),
					"timeout":      p.at(t, fn, "timeout"),
					"parameter":    p.at(t, "module.aws_lambda[0].aws_ssm_parameter.secret_key", "name"),
					"type":         p.at(t, "module.aws_lambda[0].aws_ssm_parameter.secret_key", "type"),
					"route":        p.at(t, "module.aws_lambda[0].aws_apigatewayv2_route.this", "route_key"),
					"retention":    p.at(t, "module.aws_lambda[0].aws_cloudwatch_log_group.this", "retention_in_days"),
				}, map[string]any{
					"function": "echofn-development", "runtime": "provided.al2023", "handler": "bootstrap", "architecture": "arm64",
					"memory": 256.0, "timeout": 5.0, "parameter": "/echofn-development/NOVU_SECRET_KEY", "type": "SecureString",
					"route": "ANY /api/novu", "retention": 14.0,
				})
			},
		},
		{
			name: "production on AWS, x86_64, rotating keys", stage: "production",
			vars: map[string]any{"platform": "aws", "novu_secret_key": prodKey, "novu_secret_key_fallback": oldKey, "aws_lambda_architecture": "x86_64"},
			want: with(awsResources, []string{guard, "module.aws_lambda[0].aws_ssm_parameter.secret_key_fallback[0]"}),
			check: func(t *testing.T, p plan) {
				fn := "module.aws_lambda[0].aws_lambda_function.this"
				checkEnv(t, p.at(t, fn, "environment", 0, "variables"), map[string]string{
					"NOVU_API_URL":                           "https://api.novu.co",
					"NOVU_SECRET_KEY_SSM_PARAMETER":          "/echofn-production/NOVU_SECRET_KEY",
					"NOVU_SECRET_KEY_FALLBACK_SSM_PARAMETER": "/echofn-production/NOVU_SECRET_KEY_FALLBACK",
				}, prodKey, oldKey)
				checkValues(t, map[string]any{
					"memory":       p.at(t, fn, "memory_size"),
					"architecture": p.at(t, fn, "architectures", 0),
					"retention":    p.at(t, "module.aws_lambda[0].aws_cloudwatch_log_group.this", "retention_in_days"),
				}, map[string]any{"memory": 512.0, "architecture": "x86_64", "retention": 90.0})
			},
		},
		{
			name: "development on Google Cloud", stage: "development",
			vars: map[string]any{"platform": "gcp", "novu_secret_key": devKey},
			want: with(gcpResources, []string{guard}),
			check: func(t *testing.T, p plan) {
				fn := "module.gcp_cloud_function[0].google_cloudfunctions2_function.this"
				checkEnv(t, p.at(t, fn, "service_config", 0, "environment_variables"), map[string]string{"NOVU_API_URL": "https://api.novu.co"}, devKey)
				checkValues(t, map[string]any{
					"name":        p.at(t, fn, "name"),
					"runtime":     p.at(t, fn, "build_config", 0, "runtime"),
					"entry point": p.at(t, fn, "build_config", 0, "entry_point"),
					"secret env":  p.at(t, fn, "service_config", 0, "secret_environment_variables", 0, "key"),
					"secret":      p.at(t, fn, "service_config", 0, "secret_environment_variables", 0, "secret"),
					"service":     p.at(t, "module.gcp_cloud_function[0].google_cloud_run_v2_service_iam_member.public", "name"),
					"min":         p.at(t, fn, "service_config", 0, "min_instance_count"),
					"ingress":     p.at(t, fn, "service_config", 0, "ingress_settings"),
					"invoker":     p.at(t, "module.gcp_cloud_function[0].google_cloud_run_v2_service_iam_member.public", "member"),
					"secret id":   p.at(t, "module.gcp_cloud_function[0].google_secret_manager_secret.secret_key", "secret_id"),
				}, map[string]any{
					"name": "echofn-development", "runtime": "go126", "entry point": "NovuBridge", "secret env": "NOVU_SECRET_KEY",
					"secret": "echofn-development-novu-secret-key", "service": "echofn-development",
					"min": 0.0, "ingress": "ALLOW_ALL", "invoker": "allUsers", "secret id": "echofn-development-novu-secret-key",
				})
			},
		},
		{
			name: "production on Google Cloud, rotating keys", stage: "production",
			vars: map[string]any{"platform": "gcp", "novu_secret_key": prodKey, "novu_secret_key_fallback": oldKey},
			want: with(gcpResources, []string{guard,
				"module.gcp_cloud_function[0].google_secret_manager_secret.secret_key_fallback[0]",
				`module.gcp_cloud_function[0].google_secret_manager_secret_iam_member.access["NOVU_SECRET_KEY_FALLBACK"]`,
				"module.gcp_cloud_function[0].google_secret_manager_secret_version.secret_key_fallback[0]",
			}),
			check: func(t *testing.T, p plan) {
				fn := "module.gcp_cloud_function[0].google_cloudfunctions2_function.this"
				checkValues(t, map[string]any{
					"min":      p.at(t, fn, "service_config", 0, "min_instance_count"),
					"max":      p.at(t, fn, "service_config", 0, "max_instance_count"),
					"fallback": p.at(t, fn, "service_config", 0, "secret_environment_variables", 1, "key"),
				}, map[string]any{"min": 1.0, "max": 20.0, "fallback": "NOVU_SECRET_KEY_FALLBACK"})
			},
		},
		{
			name: "development on Cloudflare, synced", stage: "development",
			vars: map[string]any{"platform": "cloudflare", "novu_secret_key": devKey, "sync_enabled": true},
			want: with(cloudflareResources, []string{guard, "module.novu_sync.terraform_data.sync[0]"}),
			check: func(t *testing.T, p plan) {
				version := "module.cloudflare_worker[0].cloudflare_worker_version.this"
				var modules, bindings []string
				for _, m := range p.at(t, version, "modules").([]any) {
					m := m.(map[string]any)
					modules = append(modules, m["name"].(string)+" "+m["content_type"].(string))
				}
				for _, b := range p.at(t, version, "bindings").([]any) {
					b := b.(map[string]any)
					bindings = append(bindings, b["name"].(string)+" "+b["type"].(string))
				}
				sort.Strings(modules)
				checkValues(t, map[string]any{
					"modules": modules, "bindings": bindings, "main": p.at(t, version, "main_module"),
					"url": p.outputs["bridge_url"], "sync": p.at(t, "module.novu_sync.terraform_data.sync[0]", "triggers_replace", 0),
				}, map[string]any{
					"modules": []string{"bridge.wasm application/wasm", "gate.mjs application/javascript+module",
						"wasm_exec.js application/javascript+module", "worker.mjs application/javascript+module"},
					"bindings": []string{"NOVU_API_URL plain_text", "NOVU_SECRET_KEY secret_text"},
					"main":     "worker.mjs",
					"url":      "https://echofn-development.acme.workers.dev/api/novu",
					"sync":     "https://echofn-development.acme.workers.dev/api/novu",
				})
			},
		},
		{
			name: "production on Cloudflare", stage: "production",
			vars: map[string]any{"platform": "cloudflare", "novu_secret_key": prodKey},
			want: with(cloudflareResources, []string{guard}),
			check: func(t *testing.T, p plan) {
				if got, want := p.outputs["bridge_url"], "https://echofn-production.acme.workers.dev/api/novu"; got != want {
					t.Errorf("bridge_url = %v, want %s", got, want)
				}
			},
		},
		{
			name: "a production key in development", stage: "development",
			vars:    map[string]any{"platform": "aws", "novu_secret_key": "sk_live_0123"},
			wantErr: "This is a production secret key, but the development stage",
		},
		{
			name: "sync of a key that shows no environment, unconfirmed", stage: "production",
			vars:    map[string]any{"platform": "aws", "novu_secret_key": prodKey, "sync_enabled": true},
			wantErr: `set confirm_environment = "production"`,
		},
		{
			name: "Google Cloud without a project", stage: "development",
			vars:    map[string]any{"platform": "gcp", "novu_secret_key": devKey, "gcp_project": nil},
			wantErr: "The Google Cloud project ID must be set (gcp_project in a stage).",
		},
		{
			name: "Cloudflare without a URL", stage: "production",
			vars:    map[string]any{"platform": "cloudflare", "novu_secret_key": prodKey, "cloudflare_workers_dev_subdomain": nil},
			wantErr: "Set workers_dev_subdomain",
		},
		{
			name: "Cloudflare without an account", stage: "development",
			vars:    map[string]any{"platform": "cloudflare", "novu_secret_key": devKey, "cloudflare_account_id": nil},
			wantErr: "The Cloudflare account ID must be set (cloudflare_account_id in a stage).",
		},
		{
			name: "an unknown platform", stage: "development",
			vars:    map[string]any{"platform": "azure", "novu_secret_key": devKey},
			wantErr: "The platform must be aws, gcp or cloudflare.",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(tree, "environments", tt.stage)
			vars := map[string]any{}
			for k, v := range base {
				vars[k] = v
			}
			for k, v := range tt.vars {
				vars[k] = v
			}
			work := t.TempDir()
			data, err := json.Marshal(vars)
			if err != nil {
				t.Fatal(err)
			}
			varFile := filepath.Join(work, "vars.tfvars.json")
			if err := os.WriteFile(varFile, data, 0o644); err != nil {
				t.Fatal(err)
			}
			planFile := filepath.Join(work, "plan")
			stdout, stderr, err := terraform(t, dir, env, "plan", "-no-color", "-lock=false", "-var-file="+varFile, "-out="+planFile)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("plan succeeded, want an error containing %q", tt.wantErr)
				}
				if !strings.Contains(strings.Join(strings.Fields(stderr), " "), tt.wantErr) {
					t.Errorf("plan error does not contain %q:\n%s", tt.wantErr, stderr)
				}
				return
			}
			if err != nil {
				t.Fatalf("plan: %v\n%s%s", err, stdout, stderr)
			}
			for _, key := range []string{devKey, prodKey, oldKey} {
				if strings.Contains(stdout+stderr, key) {
					t.Errorf("the plan shows a secret key:\n%s", stdout)
				}
			}
			shown, stderr, err := terraform(t, dir, env, "show", "-json", planFile)
			if err != nil {
				t.Fatalf("show: %v\n%s", err, stderr)
			}
			p := readPlan(t, []byte(shown))
			if diff := cmp.Diff(tt.want, p.addresses()); diff != "" {
				t.Errorf("planned resources (-want +got):\n%s", diff)
			}
			if tt.check != nil {
				tt.check(t, p)
			}
		})
	}
}

// checkEnv compares a function's environment with want, and checks that
// no value is a secret key.
func checkEnv(t *testing.T, got any, want map[string]string, secrets ...string) {
	t.Helper()
	env := map[string]string{}
	m, _ := got.(map[string]any)
	for k, v := range m {
		s, _ := v.(string)
		env[k] = s
		for _, secret := range secrets {
			if strings.Contains(s, secret) {
				t.Errorf("environment variable %s holds a secret key", k)
			}
		}
	}
	if diff := cmp.Diff(want, env); diff != "" {
		t.Errorf("environment (-want +got):\n%s", diff)
	}
}

func checkValues(t *testing.T, got, want map[string]any) {
	t.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("planned values (-want +got):\n%s", diff)
	}
}

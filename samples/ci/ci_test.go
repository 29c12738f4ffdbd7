package ci

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"
)

// root is the repository root, seen from this package's directory.
const root = "../.."

var files = []string{"github/bridge.yml", "github/deploy.yml", "gitlab/.gitlab-ci.yml"}

// doc is a parsed YAML document (mappings are map[string]any).
type doc = map[string]any

func load(t *testing.T, name string) doc {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var d doc
	if err := yaml.Unmarshal(b, &d); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return d
}

// at follows keys (and list indexes as ints) from v; nil when absent.
func at(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(doc)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func str(v any, path ...any) string {
	s, _ := at(v, path...).(string)
	return s
}

func list(v any, path ...any) []string {
	var out []string
	l, _ := at(v, path...).([]any)
	for _, e := range l {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// runs returns the shell scripts of a GitHub job's steps, in order.
func runs(job any) []string {
	var out []string
	steps, _ := at(job, "steps").([]any)
	for _, s := range steps {
		out = append(out, str(s, "run"))
	}
	return out
}

func indexOf(scripts []string, substr string) int {
	return slices.IndexFunc(scripts, func(s string) bool { return strings.Contains(s, substr) })
}

func TestGitHubPipeline(t *testing.T) {
	bridge := load(t, "github/bridge.yml")
	deploy := load(t, "github/deploy.yml")

	// Every branch and pull request is tested: no branch filter.
	on, _ := at(bridge, "on").(doc)
	if _, ok := on["push"]; !ok || at(on, "push", "branches") != nil {
		t.Errorf("push must run for every branch: %v", on["push"])
	}
	if _, ok := on["pull_request"]; !ok {
		t.Error("pull requests are not tested")
	}
	test := at(bridge, "jobs", "test")
	if at(test, "if") != nil || indexOf(runs(test), "./scripts/test") < 0 {
		t.Errorf("the test job must run ./scripts/test on every push: %v", test)
	}

	for _, stage := range []struct{ job, branch string }{{"development", "dev"}, {"production", "main"}} {
		job := at(bridge, "jobs", stage.job)
		cond := str(job, "if")
		if !strings.Contains(cond, "github.ref == 'refs/heads/"+stage.branch+"'") || !strings.Contains(cond, "github.event_name == 'push'") {
			t.Errorf("%s runs on %q, want pushes to %s only", stage.job, cond, stage.branch)
		}
		if got := list(job, "needs"); got == nil && str(job, "needs") != "test" {
			t.Errorf("%s does not wait for the tests", stage.job)
		}
		if str(job, "uses") != "./.github/workflows/deploy.yml" || str(job, "with", "stage") != stage.job {
			t.Errorf("%s: uses %q with stage %q", stage.job, str(job, "uses"), str(job, "with", "stage"))
		}
		if str(job, "permissions", "id-token") != "write" {
			t.Errorf("%s cannot sign in to the cloud with OIDC", stage.job)
		}
	}

	if at(deploy, "on", "workflow_call", "inputs", "stage", "required") != true {
		t.Error("deploy.yml must require the stage")
	}
	job := at(deploy, "jobs", "deploy")
	if str(job, "environment") != "${{ inputs.stage }}" {
		t.Errorf("the deploy job must run in the stage's GitHub environment (for its secrets and protection), not %q", str(job, "environment"))
	}
	if str(job, "env", "STAGE") != "${{ inputs.stage }}" {
		t.Error("STAGE is not the stage")
	}
	scripts := runs(job)
	build, apply, sync := indexOf(scripts, "go run ./lambda/cmd/package"), indexOf(scripts, " apply -input=false"), indexOf(scripts, "go run ./cmd/echofn sync")
	if build < 0 || indexOf(scripts, "go run ./gcf/cmd/package") != build || indexOf(scripts, "./cloudflare-wasm/build.sh") != build || apply < 0 || sync < 0 || !(build < apply && apply < sync) {
		t.Errorf("want build, terraform apply, then sync; got %q", scripts)
	}
	for _, want := range []string{`dir="terraform/environments/$STAGE"`, `> "$dir/terraform.tfvars"`, "output -raw bridge_url"} {
		if !strings.Contains(scripts[apply], want) {
			t.Errorf("the terraform step lacks %q:\n%s", want, scripts[apply])
		}
	}
	steps, _ := at(job, "steps").([]any)
	if got := str(steps[sync], "env", "NOVU_SECRET_KEY"); got != "${{ secrets.NOVU_SECRET_KEY }}" {
		t.Errorf("sync's NOVU_SECRET_KEY = %q", got)
	}
	if got := str(steps[sync], "env", "BRIDGE_URL"); got != "${{ steps.terraform.outputs.bridge_url }}" || !strings.Contains(scripts[sync], `--bridge-url "$BRIDGE_URL"`) {
		t.Errorf("sync must take the URL terraform output: %q, %q", got, scripts[sync])
	}
}

func TestGitLabPipeline(t *testing.T) {
	ci := load(t, "gitlab/.gitlab-ci.yml")
	if diff := cmp.Diff([]string{"test", "build", "deploy", "sync"}, list(ci, "stages")); diff != "" {
		t.Errorf("stages (-want +got):\n%s", diff)
	}
	var testRules []string
	for i := range 2 {
		testRules = append(testRules, str(ci, "test", "rules", i, "if"))
	}
	if diff := cmp.Diff([]string{`$CI_PIPELINE_SOURCE == "merge_request_event"`, "$CI_COMMIT_BRANCH"}, testRules); diff != "" {
		t.Errorf("tests must run for merge requests and every branch (-want +got):\n%s", diff)
	}
	if !slices.Contains(list(ci, "test", "script"), "./scripts/test") {
		t.Error("the test job does not run ./scripts/test")
	}
	if got := str(ci, "build", "rules", 0, "if"); got != `$CI_COMMIT_BRANCH == "dev" || $CI_COMMIT_BRANCH == "main"` {
		t.Errorf("build runs on %q", got)
	}
	if diff := cmp.Diff([]string{"go run ./lambda/cmd/package", "go run ./gcf/cmd/package", "./cloudflare-wasm/build.sh"}, list(ci, "build", "script")); diff != "" {
		t.Errorf("build script (-want +got):\n%s", diff)
	}
	deployScript := strings.Join(list(ci, ".deploy", "script"), "\n")
	for _, want := range []string{`dir="terraform/environments/$CI_ENVIRONMENT_NAME"`, `cp "$TERRAFORM_TFVARS" "$dir/terraform.tfvars"`, `terraform -chdir="$dir" apply -input=false -auto-approve`, "output -raw bridge_url"} {
		if !strings.Contains(deployScript, want) {
			t.Errorf(".deploy script lacks %q:\n%s", want, deployScript)
		}
	}
	if got := str(ci, ".deploy", "variables", "TF_VAR_novu_secret_key"); got != "$NOVU_SECRET_KEY" {
		t.Errorf("Terraform's secret key = %q, want the variable by name", got)
	}
	if diff := cmp.Diff([]string{`go run ./cmd/echofn sync --bridge-url "$BRIDGE_URL"`}, list(ci, ".sync", "script")); diff != "" {
		t.Errorf(".sync script (-want +got):\n%s", diff)
	}
	for _, stage := range []struct{ name, branch, when string }{{"development", "dev", ""}, {"production", "main", "manual"}} {
		deploy, sync := "deploy-"+stage.name, "sync-"+stage.name
		rule := `$CI_COMMIT_BRANCH == "` + stage.branch + `"`
		if str(ci, deploy, "extends") != ".deploy" || str(ci, deploy, "rules", 0, "if") != rule || str(ci, deploy, "rules", 0, "when") != stage.when {
			t.Errorf("%s: extends %q, rule %q when %q", deploy, str(ci, deploy, "extends"), str(ci, deploy, "rules", 0, "if"), str(ci, deploy, "rules", 0, "when"))
		}
		if str(ci, deploy, "environment", "name") != stage.name || str(ci, sync, "environment", "name") != stage.name {
			t.Errorf("%s and %s must run in the %s environment (its scoped variables)", deploy, sync, stage.name)
		}
		if str(ci, sync, "extends") != ".sync" || str(ci, sync, "rules", 0, "if") != rule || !slices.Equal(list(ci, sync, "needs"), []string{deploy}) {
			t.Errorf("%s must follow %s on %s", sync, deploy, stage.branch)
		}
	}
}

// Secrets are named, never written: no key-like text anywhere, and a
// secret only ever reaches a script through a variable.
func TestSecretsByNameOnly(t *testing.T) {
	keyLike := []*regexp.Regexp{
		regexp.MustCompile(`\bsk_[A-Za-z0-9_]{8,}`),              // Novu secret keys
		regexp.MustCompile(`\b[0-9a-f]{32}\b`),                   // Novu API keys are hex
		regexp.MustCompile(`\bAKIA[0-9A-Z]{16}\b`),               // AWS access keys
		regexp.MustCompile(`\bgh[pousr]_[A-Za-z0-9]{20,}`),       // GitHub tokens
		regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----`), // keys
		regexp.MustCompile(`(?i)(secret|token|password)[A-Z_]*:\s*['"]?[A-Za-z0-9+/=_-]{12,}`),
	}
	ghSecret := regexp.MustCompile(`^\$\{\{ secrets\.[A-Z][A-Z0-9_]* \}\}$`)
	for _, name := range files {
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			for _, re := range keyLike {
				if m := re.Find(raw); m != nil {
					t.Errorf("looks like a secret written out: %q", m)
				}
			}
			// Walk the document: a secrets reference is a whole value of an
			// env/with/variables entry; scripts never hold one.
			var walk func(path string, v any)
			walk = func(path string, v any) {
				switch x := v.(type) {
				case map[string]any:
					for k, e := range x {
						if k == "NOVU_SECRET_KEY" && strings.Contains(path, "variables") {
							t.Errorf("%s assigns NOVU_SECRET_KEY: define it in the CI settings", path)
						}
						walk(path+"."+k, e)
					}
				case []any:
					for _, e := range x {
						walk(path+"[]", e)
					}
				case string:
					if strings.Contains(x, "secrets.") && !ghSecret.MatchString(x) {
						t.Errorf("%s: a secret inside a larger value: %q", path, x)
					}
					if strings.HasSuffix(path, ".run") || strings.Contains(path, ".script") {
						if strings.Contains(x, "secrets.") {
							t.Errorf("%s: a script reads a secret directly; pass it through env", path)
						}
					}
				}
			}
			walk(name, load(t, name))
		})
	}
}

// The pipelines call this repository's commands and folders; each must
// exist.
func TestPipelinesCallRealCommands(t *testing.T) {
	ref := regexp.MustCompile(`(?:^|[\s"=])\./([A-Za-z0-9_./-]+)`)
	seen := map[string]bool{}
	for _, name := range files {
		raw, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(raw), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "#") || strings.Contains(line, ".github/workflows/") {
				continue
			}
			for _, m := range ref.FindAllStringSubmatch(line, -1) {
				seen[m[1]] = true
			}
		}
	}
	want := []string{"cloudflare-wasm/build.sh", "cmd/echofn", "gcf/cmd/package", "lambda/cmd/package", "scripts/test"}
	var got []string
	for p := range seen {
		got = append(got, p)
	}
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("commands called (-want +got):\n%s", diff)
	}
	for _, p := range got {
		info, err := os.Stat(filepath.Join(root, p))
		if err != nil {
			t.Errorf("the pipelines call ./%s: %v", p, err)
			continue
		}
		if strings.HasSuffix(p, ".sh") || p == "scripts/test" {
			if info.Mode()&0o111 == 0 {
				t.Errorf("./%s is not executable", p)
			}
		}
	}
	for _, stage := range []string{"development", "production"} {
		dir := filepath.Join(root, "terraform", "environments", stage)
		if _, err := os.Stat(dir); err != nil {
			t.Errorf("the pipelines apply %s: %v", dir, err)
		}
	}
}

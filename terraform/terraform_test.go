package terraform_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/echofn/echofn/internal/testtools"
	"github.com/echofn/echofn/terraform/tfcheck"
)

var (
	repoRoot = testtools.Root()
	tfDir    = filepath.Join(repoRoot, "terraform")
	stages   = []string{"development", "production"}
)

func stageDir(stage string) string { return filepath.Join(tfDir, "environments", stage) }

// TestConfigurationsMatchProviderSchemas checks both stages, and through
// them every module, against the schemas of the pinned provider versions.
func TestConfigurationsMatchProviderSchemas(t *testing.T) {
	schema, err := tfcheck.LoadSchema(filepath.Join(tfDir, "testdata", "schema", "providers.json"))
	if err != nil {
		t.Fatal(err)
	}
	c := &tfcheck.Checker{Schema: schema, Base: tfDir}
	for _, stage := range stages {
		t.Run(stage, func(t *testing.T) {
			problems, err := c.Check(stageDir(stage))
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range problems {
				t.Error(p)
			}
			// Every module is called by the stage, so none goes unchecked.
			m, err := c.Module(stageDir(stage))
			if err != nil {
				t.Fatal(err)
			}
			called := map[string]bool{}
			for _, call := range m.Calls {
				dir, err := m.ModuleSource(call)
				if err != nil {
					t.Fatal(err)
				}
				called[filepath.Base(dir)] = true
			}
			entries, err := os.ReadDir(filepath.Join(tfDir, "modules"))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if e.IsDir() && !called[e.Name()] {
					t.Errorf("the %s stage does not call modules/%s, so it is never checked", stage, e.Name())
				}
			}
		})
	}
}

// TestSchemaComesFromThePinnedPackages checks that providers.json was
// generated from the packages generate.sh pins, at the provider versions
// the configurations pin.
func TestSchemaComesFromThePinnedPackages(t *testing.T) {
	schema, err := tfcheck.LoadSchema(filepath.Join(tfDir, "testdata", "schema", "providers.json"))
	if err != nil {
		t.Fatal(err)
	}
	script, err := os.ReadFile(filepath.Join(tfDir, "testdata", "schema", "generate.sh"))
	if err != nil {
		t.Fatal(err)
	}
	var pinned []string
	for _, m := range regexp.MustCompile(`(?m)^\s+(@cdktf/provider-[a-z]+@[0-9.]+)\s*$`).FindAllStringSubmatch(string(script), -1) {
		pinned = append(pinned, m[1])
	}
	var got []string
	for _, p := range schema.Providers {
		got = append(got, p.Package)
	}
	sort.Strings(pinned)
	sort.Strings(got)
	if len(pinned) == 0 {
		t.Fatal("generate.sh pins no package")
	}
	if diff := cmp.Diff(pinned, got); diff != "" {
		t.Errorf("packages of providers.json differ from generate.sh's pins (-pinned +schema):\n%s", diff)
	}
	want := map[string]string{"aws": "hashicorp/aws 6.25.0", "google": "hashicorp/google 6.50.0", "cloudflare": "cloudflare/cloudflare 5.14.0"}
	gotVersions := map[string]string{}
	for name, p := range schema.Providers {
		gotVersions[name] = p.Source + " " + p.Version
		if len(p.ResourceTypes) < 100 || len(p.Resources) == 0 {
			t.Errorf("%s: %d resource types, %d extracted: the schema looks truncated", name, len(p.ResourceTypes), len(p.Resources))
		}
	}
	if diff := cmp.Diff(want, gotVersions); diff != "" {
		t.Errorf("provider versions (-want +got):\n%s", diff)
	}

	// providers.json holds exactly the types the configurations use.
	used := map[string]bool{}
	for _, pattern := range []string{"modules/*", "environments/*"} {
		dirs, err := filepath.Glob(filepath.Join(tfDir, pattern))
		if err != nil {
			t.Fatal(err)
		}
		for _, dir := range dirs {
			m, err := tfcheck.LoadModule(dir)
			if err != nil {
				t.Fatal(err)
			}
			for key := range m.Resources {
				if typ, _, _ := strings.Cut(key, "."); typ != "terraform_data" {
					used["resource "+typ] = true
				}
			}
			for key := range m.DataSources {
				typ, _, _ := strings.Cut(key, ".")
				used["data "+typ] = true
			}
		}
	}
	extracted := map[string]bool{}
	for _, p := range schema.Providers {
		for typ := range p.Resources {
			extracted["resource "+typ] = true
		}
		for typ := range p.DataSources {
			extracted["data "+typ] = true
		}
	}
	if diff := cmp.Diff(used, extracted); diff != "" {
		t.Errorf("types used (-) and extracted (+) differ: run terraform/testdata/schema/generate.sh\n%s", diff)
	}
}

// TestStagesDifferOnlyInNamesAndSizes compares the two stage folders file
// by file and argument by argument, with the stage's name written as
// <stage> in both: what is left must be the intended sizing differences.
func TestStagesDifferOnlyInNamesAndSizes(t *testing.T) {
	dev := flattenStage(t, stageDir("development"))
	prod := flattenStage(t, stageDir("production"))
	got := map[string][2]string{}
	for k, v := range dev {
		if prod[k] != v {
			got[k] = [2]string{v, prod[k]}
		}
	}
	for k, v := range prod {
		if _, ok := dev[k]; !ok {
			got[k] = [2]string{"", v}
		}
	}
	want := map[string][2]string{
		"variables.tf variable.aws_lambda_memory_size.default": {"256", "512"},
		"variables.tf variable.log_retention_days.default":     {"14", "90"},
		"variables.tf variable.gcp_min_instance_count.default": {"0", "1"},
		"variables.tf variable.gcp_max_instance_count.default": {"5", "20"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("differences between the stages (-want +got) as [development, production]:\n%s", diff)
	}

	for _, stage := range stages {
		raw := flattenFiles(t, stageDir(stage), false)
		if got, want := raw["stage.tf locals.stage"], `"`+stage+`"`; got != want {
			t.Errorf("%s/stage.tf: local.stage = %s, want %s", stage, got, want)
		}
		for _, file := range []string{"backend.tf.example", "terraform.tfvars.example"} {
			if !strings.Contains(raw[file], stage) {
				t.Errorf("%s/%s does not name its stage", stage, file)
			}
		}
	}
}

func flattenStage(t *testing.T, dir string) map[string]string { return flattenFiles(t, dir, true) }

var stageWords = strings.NewReplacer("Development", "<Stage>", "development", "<stage>", "Production", "<Stage>", "production", "<stage>")

// flattenFiles maps every argument of every .tf file of dir (by file and
// block path) to its source text, and every other file to its text.
func flattenFiles(t *testing.T, dir string, normalize bool) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	norm := func(s string) string {
		if normalize {
			return stageWords.Replace(s)
		}
		return s
	}
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		src, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(e.Name(), ".tf") {
			out[e.Name()] = norm(string(src))
			continue
		}
		f, diags := hclsyntax.ParseConfig(src, e.Name(), hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		var walk func(prefix string, body *hclsyntax.Body)
		walk = func(prefix string, body *hclsyntax.Body) {
			for name, a := range body.Attributes {
				r := a.Expr.Range()
				out[prefix+name] = norm(string(src[r.Start.Byte:r.End.Byte]))
			}
			count := map[string]int{}
			for _, b := range body.Blocks {
				key := strings.Join(append([]string{b.Type}, b.Labels...), ".")
				count[key]++
				if count[key] > 1 {
					key += "#" + string(rune('0'+count[key]))
				}
				out[prefix+key] = ""
				walk(prefix+key+".", b.Body)
			}
		}
		walk(e.Name()+" ", f.Body.(*hclsyntax.Body))
	}
	return out
}

// terraform runs the terraform that scripts/setup builds, offline, in dir.
func terraform(t *testing.T, dir string, env []string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	tf := testtools.Require(t, "bin/terraform")
	cmd := exec.Command(tf, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+filepath.Join(tfDir, "cli.tfrc"),
		"CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0")
	cmd.Env = append(cmd.Env, env...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.String(), e.String(), err
}

// copyDir copies the files (not subdirectories) of src into a new
// temporary directory.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// TestTerraformValidate runs the real `terraform init` and `terraform
// validate` on every module and stage that needs no provider (only
// terraform_data and built-in functions): the others need providers that
// cannot be built here, and are covered by TestConfigurationsMatchProviderSchemas.
func TestTerraformValidate(t *testing.T) {
	testtools.Require(t, "bin/terraform")
	var dirs []string
	for _, pattern := range []string{"modules/*", "environments/*"} {
		matches, err := filepath.Glob(filepath.Join(tfDir, pattern))
		if err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, matches...)
	}
	validated := 0
	for _, dir := range dirs {
		m, err := tfcheck.LoadModule(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(m.RequiredProviders) > 0 || len(m.Calls) > 0 {
			continue
		}
		validated++
		rel, _ := filepath.Rel(tfDir, dir)
		t.Run(rel, func(t *testing.T) {
			t.Parallel()
			work := copyDir(t, dir)
			if _, stderr, err := terraform(t, work, nil, "init", "-backend=false", "-no-color"); err != nil {
				t.Fatalf("terraform init: %v\n%s", err, stderr)
			}
			stdout, stderr, err := terraform(t, work, nil, "validate", "-json", "-no-color")
			var result struct {
				Valid       bool `json:"valid"`
				Diagnostics []struct {
					Severity, Summary, Detail string
				} `json:"diagnostics"`
			}
			if jerr := json.Unmarshal([]byte(stdout), &result); jerr != nil {
				t.Fatalf("terraform validate: %v %v\n%s%s", err, jerr, stdout, stderr)
			}
			if !result.Valid || len(result.Diagnostics) > 0 {
				t.Errorf("terraform validate: valid=%v, diagnostics %+v", result.Valid, result.Diagnostics)
			}
		})
	}
	if validated == 0 {
		t.Error("no module needs no provider: nothing was validated by terraform itself")
	}
}

// copyTree copies the directories of terraform/ that the stages use
// (modules/ and environments/, without local state or caches) into a new
// temporary directory, keeping their relative paths.
func copyTree(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	for _, top := range []string{"modules", "environments"} {
		err := filepath.WalkDir(filepath.Join(tfDir, top), func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(tfDir, path)
			if d.IsDir() {
				if d.Name() == ".terraform" {
					return filepath.SkipDir
				}
				return os.MkdirAll(filepath.Join(dst, rel), 0o755)
			}
			if !strings.HasSuffix(path, ".tf") {
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// schemaOnlyProviders returns the environment that makes terraform use
// terraform/stubprovider (built by scripts/setup) for aws, google and
// cloudflare, through development overrides in a CLI configuration of
// its own.
func schemaOnlyProviders(t *testing.T) []string {
	t.Helper()
	testtools.Require(t, "bin/terraform")
	stubs := filepath.Dir(testtools.Require(t, "stubprovider/terraform-provider-aws"))
	config := filepath.Join(t.TempDir(), "cli.tfrc")
	var overrides strings.Builder
	for _, source := range []string{"hashicorp/aws", "hashicorp/google", "cloudflare/cloudflare"} {
		fmt.Fprintf(&overrides, "    %q = %q\n", source, stubs)
	}
	cli := "disable_checkpoint = true\nprovider_installation {\n  dev_overrides {\n" + overrides.String() +
		"  }\n  direct {\n    exclude = [\"*/*\"]\n  }\n}\n"
	if err := os.WriteFile(config, []byte(cli), 0o644); err != nil {
		t.Fatal(err)
	}
	return []string{
		"TF_CLI_CONFIG_FILE=" + config,
		"ECHOFN_PROVIDER_SCHEMAS=" + filepath.Join(tfDir, "testdata", "schema", "providers.json"),
	}
}

// TestTerraformValidateWithProviderSchemas runs the real `terraform
// validate` on both stages and every module, with terraform/stubprovider
// standing in for the aws, google and cloudflare providers: Terraform checks
// names, value types, required arguments, blocks and nested attributes
// against the pinned providers' schemas (their own validators do not run).
func TestTerraformValidateWithProviderSchemas(t *testing.T) {
	env := schemaOnlyProviders(t)
	tree := copyTree(t)
	var roots []string
	for _, pattern := range []string{"environments/*", "modules/*"} {
		matches, err := filepath.Glob(filepath.Join(tree, pattern))
		if err != nil {
			t.Fatal(err)
		}
		roots = append(roots, matches...)
	}
	for _, dir := range roots {
		rel, _ := filepath.Rel(tree, dir)
		t.Run(rel, func(t *testing.T) {
			t.Parallel()
			// get installs the local modules; the providers come from the overrides.
			if _, stderr, err := terraform(t, dir, env, "get", "-no-color"); err != nil {
				t.Fatalf("terraform get: %v\n%s", err, stderr)
			}
			stdout, stderr, err := terraform(t, dir, env, "validate", "-json", "-no-color")
			var result struct {
				Valid       bool `json:"valid"`
				Diagnostics []struct {
					Severity, Summary, Detail string
					Range                     *struct {
						Filename string
						Start    struct{ Line int }
					}
				} `json:"diagnostics"`
			}
			if jerr := json.Unmarshal([]byte(stdout), &result); jerr != nil {
				t.Fatalf("terraform validate: %v %v\n%s%s", err, jerr, stdout, stderr)
			}
			for _, d := range result.Diagnostics {
				if d.Summary == "Provider development overrides are in effect" {
					continue
				}
				pos := ""
				if d.Range != nil {
					pos = fmt.Sprintf("%s:%d: ", d.Range.Filename, d.Range.Start.Line)
				}
				t.Errorf("%s%s: %s: %s", pos, d.Severity, d.Summary, d.Detail)
			}
			if !result.Valid {
				t.Errorf("terraform validate: not valid")
			}
		})
	}
}

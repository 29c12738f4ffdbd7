package terraform_test

import (
	"archive/zip"
	"bytes"
	"debug/elf"
	"encoding/json"
	"fmt"
	"io"
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

	"github.com/echofn/echofn/gcf"
	"github.com/echofn/echofn/terraform/tfcheck"
)

// evalLocals evaluates local values of a module with the real Terraform:
// it copies them, the locals they use and the variables they read (as
// written, path.module replaced by the module's directory) into a root
// module of their own, applies it with vars, and returns their values.
func evalLocals(t *testing.T, moduleDir string, names []string, vars map[string]any) map[string]any {
	t.Helper()
	m, err := tfcheck.LoadModule(moduleDir)
	if err != nil {
		t.Fatal(err)
	}
	sources := map[string][]byte{}
	source := func(rng hcl.Range) string {
		src, ok := sources[rng.Filename]
		if !ok {
			src, err = os.ReadFile(rng.Filename)
			if err != nil {
				t.Fatal(err)
			}
			sources[rng.Filename] = src
		}
		return string(src[rng.Start.Byte:rng.End.Byte])
	}
	locals, variables := map[string]bool{}, map[string]bool{}
	var visit func(name string)
	visit = func(name string) {
		if locals[name] {
			return
		}
		a := m.Locals[name]
		if a == nil {
			t.Fatalf("%s has no local %q", moduleDir, name)
		}
		locals[name] = true
		for _, tr := range hclsyntax.Variables(a.Expr) {
			if len(tr) < 2 {
				continue
			}
			step, ok := tr[1].(hcl.TraverseAttr)
			if !ok {
				continue
			}
			switch tr.RootName() {
			case "local":
				visit(step.Name)
			case "var":
				variables[step.Name] = true
			}
		}
	}
	for _, n := range names {
		visit(n)
	}
	var b strings.Builder
	for _, v := range sortedNames(variables) {
		b.WriteString(source(m.Variables[v].Block.Range()) + "\n\n")
	}
	b.WriteString("locals {\n")
	for _, n := range sortedNames(locals) {
		expr := source(m.Locals[n].Expr.Range())
		expr = strings.ReplaceAll(expr, "path.module", fmt.Sprintf("%q", moduleDir))
		fmt.Fprintf(&b, "  %s = %s\n", n, expr)
	}
	b.WriteString("}\n")
	for _, n := range names {
		fmt.Fprintf(&b, "\noutput %q {\n  value = local.%s\n}\n", n, n)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if vars == nil {
		vars = map[string]any{}
	}
	data, err := json.Marshal(vars)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "terraform.tfvars.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, err := terraform(t, dir, nil, "init", "-no-color"); err != nil {
		t.Fatalf("terraform init: %v\n%s", err, stderr)
	}
	if stdout, stderr, err := terraform(t, dir, nil, "apply", "-auto-approve", "-no-color"); err != nil {
		t.Fatalf("terraform apply: %v\n%s%s\n%s", err, stdout, stderr, b.String())
	}
	stdout, stderr, err := terraform(t, dir, nil, "output", "-json")
	if err != nil {
		t.Fatalf("terraform output: %v\n%s", err, stderr)
	}
	var outputs map[string]struct {
		Value any `json:"value"`
	}
	if err := json.Unmarshal([]byte(stdout), &outputs); err != nil {
		t.Fatal(err)
	}
	values := map[string]any{}
	for k, v := range outputs {
		values[k] = v.Value
	}
	return values
}

func sortedNames(set map[string]bool) []string {
	var out []string
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// variableDefault returns the literal default of a module's variable.
func variableDefault(t *testing.T, moduleDir, name string) string {
	t.Helper()
	m, err := tfcheck.LoadModule(moduleDir)
	if err != nil {
		t.Fatal(err)
	}
	v := m.Variables[name]
	if v == nil || v.Block.Body.Attributes["default"] == nil {
		t.Fatalf("%s: variable %q has no default", moduleDir, name)
	}
	val, diags := v.Block.Body.Attributes["default"].Expr.Value(nil)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return val.AsString()
}

// build runs a build command from the repository root.
func build(t *testing.T, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = repoRoot
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// defaultOut returns the default of a Go command's -out flag, from its -h.
func defaultOut(t *testing.T, pkg string) string {
	t.Helper()
	cmd := exec.Command("go", "run", pkg, "-h")
	cmd.Dir = repoRoot
	out, _ := cmd.CombinedOutput()
	m := regexp.MustCompile(`(?m)^\s+-out \S+\n.*\(default "([^"]+)"\)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("go run %s -h shows no default for -out:\n%s", pkg, out)
	}
	return string(m[1])
}

func requireBuild(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(repoRoot, path)); err != nil {
		t.Skipf("%s is not there yet: no build to compare Terraform's paths with", path)
	}
}

// TestArtefactsAreTheBuildOutputs runs the documented build commands and
// checks that the files the stages point Terraform at (evaluated by
// Terraform from the stages' own expressions) are the files they write,
// and fit what the modules declare about them.
func TestArtefactsAreTheBuildOutputs(t *testing.T) {
	names := []string{"lambda_zip", "gcf_zip", "worker_dir", "dist_dir"}
	dev := stageDir("development")
	defaults := evalLocals(t, dev, names, nil)
	dist := filepath.Join(repoRoot, "dist")
	wantDefaults := map[string]any{
		"dist_dir":   dist,
		"lambda_zip": filepath.Join(dist, "lambda", "bootstrap-arm64.zip"),
		"gcf_zip":    filepath.Join(dist, "gcf", "source.zip"),
		"worker_dir": filepath.Join(dist, "cloudflare"),
	}
	if diff := cmp.Diff(wantDefaults, defaults); diff != "" {
		t.Errorf("default artefact paths (-want +got):\n%s", diff)
	}

	t.Run("lambda", func(t *testing.T) {
		requireBuild(t, "lambda/cmd/package/main.go")
		t.Parallel()
		if got := defaultOut(t, "./lambda/cmd/package"); got != filepath.Join("dist", "lambda") {
			t.Errorf("the Lambda package command writes to %s by default, Terraform reads dist/lambda", got)
		}
		out := t.TempDir()
		build(t, "go", "run", "./lambda/cmd/package", "-arch", "amd64,arm64", "-out", filepath.Join(out, "lambda"))
		for _, tc := range []struct{ arch, machine string }{{"arm64", elf.EM_AARCH64.String()}, {"x86_64", elf.EM_X86_64.String()}} {
			got := evalLocals(t, dev, []string{"lambda_zip"}, map[string]any{"dist_dir": out, "aws_lambda_architecture": tc.arch})
			checkBootstrapZip(t, got["lambda_zip"].(string), tc.machine)
		}
	})

	t.Run("gcf", func(t *testing.T) {
		requireBuild(t, "gcf/cmd/package/main.go")
		t.Parallel()
		if got := defaultOut(t, "./gcf/cmd/package"); got != filepath.Join("dist", "gcf") {
			t.Errorf("the Cloud Functions package command writes to %s by default, Terraform reads dist/gcf", got)
		}
		out := t.TempDir()
		build(t, "go", "run", "./gcf/cmd/package", "-out", filepath.Join(out, "gcf"))
		got := evalLocals(t, dev, []string{"gcf_zip"}, map[string]any{"dist_dir": out})
		module := filepath.Join(tfDir, "modules", "gcp-cloud-function")
		checkFunctionSource(t, got["gcf_zip"].(string), variableDefault(t, module, "runtime"))
		if got := variableDefault(t, module, "entry_point"); got != gcf.EntryPoint {
			t.Errorf("the module's entry_point is %q, the function registers %q", got, gcf.EntryPoint)
		}
	})

	t.Run("cloudflare", func(t *testing.T) {
		requireBuild(t, "cloudflare-wasm/build.sh")
		t.Parallel()
		script, err := os.ReadFile(filepath.Join(repoRoot, "cloudflare-wasm", "build.sh"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(script), "/../dist/cloudflare}") {
			t.Error("cloudflare-wasm/build.sh no longer writes to dist/cloudflare by default")
		}
		out := t.TempDir()
		build(t, "bash", "cloudflare-wasm/build.sh", "./cloudflare-wasm/example", filepath.Join(out, "cloudflare"))
		worker := evalLocals(t, dev, []string{"worker_dir"}, map[string]any{"dist_dir": out})["worker_dir"].(string)
		module := filepath.Join(tfDir, "modules", "cloudflare-worker")
		got := evalLocals(t, module, []string{"modules"}, map[string]any{"worker_dir": worker})["modules"].(map[string]any)
		checkWorkerModules(t, worker, variableDefault(t, module, "main_module"), got)

		wrangler, err := os.ReadFile(filepath.Join(worker, "wrangler.toml"))
		if err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile(`(?m)^compatibility_date\s*=\s*"([^"]+)"`).FindSubmatch(wrangler)
		if m == nil {
			t.Fatal("wrangler.toml has no compatibility_date")
		}
		if got := variableDefault(t, module, "compatibility_date"); got != string(m[1]) {
			t.Errorf("the module's compatibility_date is %s, the worker is built and tested for %s", got, m[1])
		}
	})
}

// checkBootstrapZip checks a Lambda zip: one executable "bootstrap" for
// Linux on the given machine.
func checkBootstrapZip(t *testing.T, path, machine string) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("Terraform's zip: %v", err)
	}
	defer zr.Close()
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	if diff := cmp.Diff([]string{"bootstrap"}, names); diff != "" {
		t.Fatalf("%s (-want +got):\n%s", path, diff)
	}
	f := zr.File[0]
	if f.Mode()&0o111 == 0 {
		t.Errorf("%s: bootstrap is not executable (%v)", path, f.Mode())
	}
	rc, err := f.Open()
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		t.Fatal(err)
	}
	exe, err := elf.NewFile(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: bootstrap is not an ELF executable: %v", path, err)
	}
	if exe.Machine.String() != machine || exe.OSABI != elf.ELFOSABI_NONE && exe.OSABI != elf.ELFOSABI_LINUX {
		t.Errorf("%s: bootstrap is for %v (%v), want %s on Linux", path, exe.Machine, exe.OSABI, machine)
	}
}

// checkFunctionSource checks a Cloud Functions source zip: a Go module
// at the root whose go directive the runtime satisfies, with the function
// package at the root.
func checkFunctionSource(t *testing.T, path, runtime string) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("Terraform's source archive: %v", err)
	}
	defer zr.Close()
	var goMod string
	rootGo := false
	for _, f := range zr.File {
		if f.Name == "go.mod" {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			data, _ := io.ReadAll(rc)
			rc.Close()
			goMod = string(data)
		}
		if !strings.Contains(f.Name, "/") && strings.HasSuffix(f.Name, ".go") {
			rootGo = true
		}
	}
	if goMod == "" || !rootGo {
		t.Fatalf("%s: want go.mod and the function's .go files at the root (go.mod found: %v, root .go files: %v)", path, goMod != "", rootGo)
	}
	m := regexp.MustCompile(`(?m)^go (\d+)\.(\d+)`).FindStringSubmatch(goMod)
	if m == nil {
		t.Fatalf("%s: go.mod has no go directive", path)
	}
	if want := "go" + m[1] + m[2]; runtime != want {
		t.Errorf("the module's runtime is %s, the source's go.mod needs Go %s.%s (%s)", runtime, m[1], m[2], want)
	}
}

var relImport = regexp.MustCompile(`(?m)^\s*import\s+(?:[^"';]*?\s+from\s+)?["']\./([^"']+)["']`)

// checkWorkerModules checks the modules Terraform uploads: the main
// module, everything it imports (transitively), the .wasm as WebAssembly,
// and nothing that is not in the build output.
func checkWorkerModules(t *testing.T, dir, main string, modules map[string]any) {
	t.Helper()
	if _, ok := modules[main]; !ok {
		t.Fatalf("the main module %s is not uploaded; modules: %v", main, modules)
	}
	seen := map[string]bool{}
	queue := []string{main}
	for len(queue) > 0 {
		name := queue[0]
		queue = queue[1:]
		if seen[name] {
			continue
		}
		seen[name] = true
		if _, ok := modules[name]; !ok {
			t.Errorf("%s is imported but not uploaded", name)
			continue
		}
		if strings.HasSuffix(name, ".wasm") {
			if modules[name] != "application/wasm" {
				t.Errorf("%s is uploaded as %v, want application/wasm", name, modules[name])
			}
			continue
		}
		src, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range relImport.FindAllStringSubmatch(string(src), -1) {
			queue = append(queue, m[1])
		}
	}
	if !seen["bridge.wasm"] {
		t.Errorf("the worker imports no bridge.wasm; it imports %v", sortedNames(seen))
	}
	for name := range modules {
		if !seen[name] {
			t.Logf("%s is uploaded but not imported", name)
		}
	}
}

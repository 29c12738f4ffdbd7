package stage

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/echofn/echofn/internal/testtools"
)

// TestSource stages gcf/function twice: the tree has the layout Cloud
// Build wants, and the two zips are byte for byte the same.
func TestSource(t *testing.T) {
	root := testtools.Root()
	var zips [2][]byte
	for i := range zips {
		dir := filepath.Join(t.TempDir(), "source")
		goVersion := ""
		if i == 1 {
			goVersion = "1.26.0"
		}
		if err := Source(context.Background(), root, "./gcf/function", dir, goVersion); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := Zip(&buf, dir); err != nil {
			t.Fatal(err)
		}
		zips[i] = buf.Bytes()
		if i > 0 {
			// Only the go line differs; put the module's back to compare.
			mod, _ := os.ReadFile(filepath.Join(root, "go.mod"))
			staged, _ := os.ReadFile(filepath.Join(dir, "go.mod"))
			if !bytes.Contains(staged, []byte("\ngo 1.26.0\n")) {
				t.Fatalf("staged go.mod has no go 1.26.0 line:\n%s", staged)
			}
			if err := os.WriteFile(filepath.Join(dir, "go.mod"), mod, 0o644); err != nil {
				t.Fatal(err)
			}
			buf.Reset()
			if err := Zip(&buf, dir); err != nil {
				t.Fatal(err)
			}
			zips[i] = buf.Bytes()
			continue
		}
		for _, f := range []string{
			"go.mod", "go.sum", "function.go",
			"gcf/gcf.go", "core/bridge.go", "core/internal/stepschema/tables.go", "internal/conformance/workflows.go",
			"vendor/modules.txt", "vendor/" + FrameworkPackage + "/framework.go",
			"vendor/github.com/GoogleCloudPlatform/functions-framework-go/functions/functions.go",
		} {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				t.Errorf("missing %s", f)
			}
		}
		src, _ := os.ReadFile(filepath.Join(dir, "function.go"))
		for _, want := range []string{"package function", `"github.com/GoogleCloudPlatform/functions-framework-go/functions"`, `"` + FrameworkPackage + `"`} {
			if !bytes.Contains(src, []byte(want)) {
				t.Errorf("function.go lacks %s", want)
			}
		}
		var unwanted []string
		_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			rel, _ := filepath.Rel(dir, path)
			if err == nil && !d.IsDir() && !strings.HasPrefix(rel, "vendor") &&
				(strings.HasSuffix(rel, "_test.go") || strings.HasPrefix(rel, "lambda") || strings.Contains(rel, "testdata")) {
				unwanted = append(unwanted, rel)
			}
			return nil
		})
		if len(unwanted) > 0 {
			t.Errorf("staged files that do not belong: %v", unwanted)
		}
	}
	if !bytes.Equal(zips[0], zips[1]) {
		t.Error("two stagings of the same source gave different zips")
	}
}

func TestSourceErrors(t *testing.T) {
	root := testtools.Root()
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, pkg, dir, errHas string
	}{
		{"not empty", "./gcf/function", full, "not empty"},
		{"no such package", "./gcf/nope", filepath.Join(t.TempDir(), "s"), "go list"},
		{"framework not imported", "./gcf", filepath.Join(t.TempDir(), "s"), "vendored"},
		{"outside the module", "github.com/google/go-cmp/cmp", filepath.Join(t.TempDir(), "s"), "not a package of the module"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Source(context.Background(), root, tt.pkg, tt.dir, "")
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Errorf("error %v, want one containing %q", err, tt.errHas)
			}
		})
	}
}

func TestZip(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{"b/z.go": "package b", "a.go": "package a", "b/a.json": "{}"}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := Zip(&buf, dir); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range zr.File {
		if !f.Modified.UTC().Equal(Epoch) || f.Mode() != 0o644 {
			t.Errorf("%s: time %v, mode %v", f.Name, f.Modified, f.Mode())
		}
		got = append(got, f.Name)
	}
	if diff := cmp.Diff([]string{"a.go", "b/a.json", "b/z.go"}, got); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
}

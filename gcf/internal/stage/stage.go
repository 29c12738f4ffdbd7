package stage

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Epoch is the modification time of every entry Zip writes.
var Epoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// FrameworkPackage must be vendored for Cloud Build to accept a vendored
// function; the function's package imports it.
const FrameworkPackage = "github.com/GoogleCloudPlatform/functions-framework-go/funcframework"

type listedPackage struct {
	ImportPath     string
	Dir            string
	GoFiles        []string
	IgnoredGoFiles []string
	EmbedFiles     []string
	CgoFiles       []string
	SFiles         []string
	CFiles         []string
	Module         *struct {
		Path string
		Main bool
		Dir  string
	}
}

// Source writes into dir, which must not exist or be empty, a source tree
// for the function package pkg (such as ./gcf/function) of the module at
// root: the module's go.mod and go.sum; pkg's files at the top, so that it
// is the package Cloud Build wraps; each package of the module that pkg
// imports, at its own path; and vendor/, made by `go mod vendor`. A
// goVersion other than "" replaces the go line of go.mod (such as "1.26.0",
// for a runtime whose Go is older than the module's patch release).
func Source(ctx context.Context, root, pkg, dir, goVersion string) error {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("stage: %s is not empty", dir)
	}
	pkgs, err := list(ctx, root, pkg)
	if err != nil {
		return err
	}
	target := pkgs[len(pkgs)-1] // go list -deps lists the named package last
	if target.Module == nil || !target.Module.Main {
		return fmt.Errorf("stage: %s is not a package of the module at %s", pkg, root)
	}
	modRoot := target.Module.Dir
	for _, p := range pkgs {
		if p.Module == nil || !p.Module.Main {
			continue
		}
		if len(p.CgoFiles)+len(p.SFiles)+len(p.CFiles) > 0 {
			return fmt.Errorf("stage: %s has cgo or assembly files", p.ImportPath)
		}
		rel, err := filepath.Rel(modRoot, p.Dir)
		if err != nil {
			return err
		}
		if p.ImportPath == target.ImportPath {
			rel = "."
		}
		var files []string
		for _, f := range append(append([]string{}, p.GoFiles...), p.IgnoredGoFiles...) {
			if !strings.HasSuffix(f, "_test.go") {
				files = append(files, f)
			}
		}
		files = append(files, p.EmbedFiles...)
		for _, f := range files {
			if err := copyFile(filepath.Join(p.Dir, f), filepath.Join(dir, rel, f)); err != nil {
				return err
			}
		}
	}
	for _, f := range []string{"go.mod", "go.sum"} {
		if err := copyFile(filepath.Join(modRoot, f), filepath.Join(dir, f)); err != nil {
			return err
		}
	}
	if goVersion != "" {
		if err := run(ctx, dir, "go", "mod", "edit", "-go="+goVersion); err != nil {
			return err
		}
	}
	if err := run(ctx, dir, "go", "mod", "vendor"); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(dir, "vendor", filepath.FromSlash(FrameworkPackage))); err != nil {
		return fmt.Errorf("stage: %s does not import %s, which Cloud Build needs vendored", pkg, FrameworkPackage)
	}
	return nil
}

func list(ctx context.Context, root, pkg string) ([]listedPackage, error) {
	cmd := exec.CommandContext(ctx, "go", "list", "-deps", "-json", pkg)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("stage: go list %s: %v\n%s", pkg, err, strings.TrimSpace(stderr.String()))
	}
	var pkgs []listedPackage
	d := json.NewDecoder(bytes.NewReader(out))
	for {
		var p listedPackage
		if err := d.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, err
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) == 0 {
		return nil, fmt.Errorf("stage: go list %s found nothing", pkg)
	}
	return pkgs, nil
}

func run(ctx context.Context, dir string, args ...string) error {
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("stage: %s: %v\n%s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

func copyFile(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o644)
}

// Zip writes the files under dir to w as a zip archive whose bytes depend
// only on the files' paths and contents: entries in lexical order, each
// with the time Epoch and mode 0644.
func Zip(w io.Writer, dir string) error {
	zw := zip.NewWriter(w)
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("stage: %s is not a regular file", path)
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		h := &zip.FileHeader{Name: filepath.ToSlash(rel), Method: zip.Deflate, Modified: Epoch}
		h.SetMode(0o644)
		fw, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		_, err = fw.Write(data)
		return err
	})
	if err != nil {
		return err
	}
	return zw.Close()
}

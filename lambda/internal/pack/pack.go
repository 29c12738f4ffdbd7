package pack

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Epoch is the modification time written for every zip entry: the
// earliest time the zip format can hold.
var Epoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// Arches are the architectures Lambda runs: x86_64 and arm64.
var Arches = []string{"amd64", "arm64"}

// Build compiles the main package pkg (an import path or a ./dir relative
// to dir) for linux/goarch as a static executable at out, with the flags
// the provided.al2023 runtime wants: CGO_ENABLED=0, -tags lambda.norpc,
// and -trimpath and an empty build ID so that the same source gives the
// same bytes.
func Build(ctx context.Context, dir, pkg, goarch, out string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-tags", "lambda.norpc", "-trimpath",
		"-ldflags", "-s -w -buildid=", "-o", out, pkg)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+goarch, "GOFLAGS=-buildvcs=false")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go build %s for %s: %v\n%s", pkg, goarch, err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// File is one entry of a zip written by Zip.
type File struct {
	Name string
	Mode os.FileMode
	Data []byte
}

// Zip writes files, in the order given, as a zip archive whose bytes
// depend only on the names, modes and contents: every entry has the time
// Epoch and Unix permissions, whatever the files on disk say.
func Zip(w io.Writer, files ...File) error {
	zw := zip.NewWriter(w)
	for _, f := range files {
		h := &zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: Epoch}
		h.SetMode(f.Mode)
		fw, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		if _, err := fw.Write(f.Data); err != nil {
			return err
		}
	}
	return zw.Close()
}

// Bootstrap builds pkg for goarch and writes it, zipped as the single
// executable entry "bootstrap", to zipPath. It returns the executable's
// size.
func Bootstrap(ctx context.Context, dir, pkg, goarch, zipPath string) (int64, error) {
	tmp, err := os.MkdirTemp("", "bootstrap-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)
	exe := filepath.Join(tmp, "bootstrap")
	if err := Build(ctx, dir, pkg, goarch, exe); err != nil {
		return 0, err
	}
	data, err := os.ReadFile(exe)
	if err != nil {
		return 0, err
	}
	var buf bytes.Buffer
	if err := Zip(&buf, File{Name: "bootstrap", Mode: 0o755, Data: data}); err != nil {
		return 0, err
	}
	if err := os.MkdirAll(filepath.Dir(zipPath), 0o755); err != nil {
		return 0, err
	}
	return int64(len(data)), os.WriteFile(zipPath, buf.Bytes(), 0o644)
}

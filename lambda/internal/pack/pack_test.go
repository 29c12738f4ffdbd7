package pack

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestZip(t *testing.T) {
	files := []File{
		{Name: "bootstrap", Mode: 0o755, Data: bytes.Repeat([]byte("\x7fELF binary"), 1000)},
		{Name: "config/settings.json", Mode: 0o644, Data: []byte(`{"a":1}`)},
	}
	var first, second bytes.Buffer
	if err := Zip(&first, files...); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond) // a later clock second changes nothing
	if err := Zip(&second, files...); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Fatal("the same files gave different zips")
	}
	zr, err := zip.NewReader(bytes.NewReader(first.Bytes()), int64(first.Len()))
	if err != nil {
		t.Fatal(err)
	}
	type entry struct {
		Name string
		Mode os.FileMode
		Time time.Time
		Data string
	}
	var got []entry
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, entry{f.Name, f.Mode(), f.Modified.UTC(), string(data)})
	}
	want := []entry{
		{"bootstrap", 0o755, Epoch, string(files[0].Data)},
		{"config/settings.json", 0o644, Epoch, string(files[1].Data)},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
}

// TestBootstrapReproducible packages the same program twice, from source
// files with different modification times: the zips are byte for byte
// the same, and hold one executable "bootstrap" that runs.
func TestBootstrapReproducible(t *testing.T) {
	src, err := filepath.Abs(filepath.Join("testdata", "hello"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var sums [2][32]byte
	for i := range sums {
		if err := os.Chtimes(filepath.Join(src, "main.go"), time.Now(), time.Now().Add(time.Duration(i)*time.Hour)); err != nil {
			t.Fatal(err)
		}
		zipPath := filepath.Join(dir, "run", string(rune('a'+i)), "bootstrap.zip")
		size, err := Bootstrap(context.Background(), src, ".", runtime.GOARCH, zipPath)
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(zipPath)
		if err != nil {
			t.Fatal(err)
		}
		if size < 100_000 {
			t.Errorf("executable of %d bytes", size)
		}
		sums[i] = sha256.Sum256(data)
		if i == 0 {
			zr, err := zip.OpenReader(zipPath)
			if err != nil {
				t.Fatal(err)
			}
			f := zr.File[0]
			if len(zr.File) != 1 || f.Name != "bootstrap" || f.Mode() != 0o755 {
				t.Fatalf("zip holds %d files, first %q mode %v", len(zr.File), f.Name, f.Mode())
			}
			rc, _ := f.Open()
			exe, _ := io.ReadAll(rc)
			rc.Close()
			zr.Close()
			p := filepath.Join(dir, "bootstrap")
			if err := os.WriteFile(p, exe, f.Mode()); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(p).Output()
			if err != nil || string(out) != "hello from bootstrap\n" {
				t.Fatalf("bootstrap ran with %q, %v", out, err)
			}
		}
	}
	if sums[0] != sums[1] {
		t.Errorf("two builds of the same source gave different zips: %x and %x", sums[0], sums[1])
	}
}

func TestBuildError(t *testing.T) {
	err := Build(context.Background(), t.TempDir(), "./nope", runtime.GOARCH, filepath.Join(t.TempDir(), "bootstrap"))
	if err == nil {
		t.Fatal("building a missing package succeeded")
	}
}

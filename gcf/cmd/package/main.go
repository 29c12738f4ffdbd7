package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/echofn/echofn/gcf/internal/stage"
)

func main() {
	pkg := flag.String("pkg", "./gcf/function", "the function's package")
	out := flag.String("out", filepath.Join("dist", "gcf"), "output directory")
	goVersion := flag.String("go", "", "`version` for the go line of the staged go.mod, such as 1.26.0 (default: this module's)")
	flag.Parse()
	src := filepath.Join(*out, "source")
	if err := os.RemoveAll(src); err != nil {
		fail(err)
	}
	if err := stage.Source(context.Background(), ".", *pkg, src, *goVersion); err != nil {
		fail(err)
	}
	var buf bytes.Buffer
	if err := stage.Zip(&buf, src); err != nil {
		fail(err)
	}
	zipPath := filepath.Join(*out, "source.zip")
	if err := os.WriteFile(zipPath, buf.Bytes(), 0o644); err != nil {
		fail(err)
	}
	fmt.Printf("%s\n%s  %d bytes, sha256 %x\n", src, zipPath, buf.Len(), sha256.Sum256(buf.Bytes()))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "package:", err)
	os.Exit(1)
}

package main

import (
	"context"
	"crypto/sha256"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/echofn/echofn/lambda/internal/pack"
)

func main() {
	pkg := flag.String("pkg", "./lambda/cmd/bootstrap", "main package to build")
	arches := flag.String("arch", strings.Join(pack.Arches, ","), "comma-separated GOARCH values")
	out := flag.String("out", filepath.Join("dist", "lambda"), "output directory")
	flag.Parse()
	for _, arch := range strings.Split(*arches, ",") {
		arch = strings.TrimSpace(arch)
		if arch != "amd64" && arch != "arm64" {
			fmt.Fprintf(os.Stderr, "package: Lambda runs amd64 and arm64, not %q\n", arch)
			os.Exit(2)
		}
		zipPath := filepath.Join(*out, "bootstrap-"+arch+".zip")
		size, err := pack.Bootstrap(context.Background(), ".", *pkg, arch, zipPath)
		if err != nil {
			fmt.Fprintln(os.Stderr, "package:", err)
			os.Exit(1)
		}
		zipped, err := os.ReadFile(zipPath)
		if err != nil {
			fmt.Fprintln(os.Stderr, "package:", err)
			os.Exit(1)
		}
		fmt.Printf("%s  bootstrap %d bytes, zip %d bytes, sha256 %x\n", zipPath, size, len(zipped), sha256.Sum256(zipped))
	}
}

// Command package writes the source of a Google Cloud Function as Cloud
// Build builds it (run from the repository root):
//
//	go run ./gcf/cmd/package [-pkg ./gcf/function] [-out dist/gcf] [-go 1.26.0]
//
// dist/gcf/source is a Go module whose root package is the function (-pkg),
// with the packages of this module it uses and its dependencies vendored;
// dist/gcf/source.zip is the same tree zipped reproducibly, for uploading
// to a Cloud Storage bucket.
package main

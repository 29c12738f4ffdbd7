// Command package builds a Lambda bridge as the "bootstrap" executable of
// the provided.al2023 runtime, for amd64 and arm64, and zips each
// reproducibly: dist/lambda/bootstrap-amd64.zip and
// dist/lambda/bootstrap-arm64.zip (run from the repository root).
//
//	go run ./lambda/cmd/package [-pkg ./lambda/cmd/bootstrap] [-arch amd64,arm64] [-out dist/lambda]
package main

// Package function is a Google Cloud Function serving the sample
// (conformance) workflows as a Novu bridge, under the entry point
// NovuBridge. Copy it and put your own workflows in their place.
//
// `go run ./gcf/cmd/package` places this package at the root of a
// deployable source directory (dist/gcf/source), the layout Cloud Build
// expects; gcf/cmd/local serves it on this machine.
package function

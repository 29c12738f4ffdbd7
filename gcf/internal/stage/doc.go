// Package stage lays out a Google Cloud Function's source the way Cloud
// Build builds it: a Go module whose root package is the function, with
// its dependencies vendored, so that the build needs neither this
// repository nor a module download.
package stage

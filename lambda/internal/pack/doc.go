// Package pack builds a Go main package as an AWS Lambda "bootstrap"
// executable and zips it reproducibly: the same executable always gives
// the same zip bytes.
package pack

// Command bootstrap is a Novu bridge for AWS Lambda's provided.al2023
// runtime. It serves the sample workflows of internal/conformance; copy it
// and put your own workflows in their place.
//
// Build it with `go run ./lambda/cmd/package`, which writes
// dist/lambda/bootstrap-amd64.zip and dist/lambda/bootstrap-arm64.zip.
// Environment: NOVU_SECRET_KEY (or NOVU_SECRET_KEY_SSM_PARAMETER or
// NOVU_SECRET_KEY_SECRET_ARN), optionally NOVU_SECRET_KEY_FALLBACK and
// ECHOFN_LAMBDA_EVENT_FORMAT; see lambda/README.md.
package main

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

import (
	"context"
	"log"
	"time"

	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/internal/conformance"
	"github.com/echofn/echofn/lambda"
)

func main() {
	// Lambda gives a function's start-up 10 seconds; reading the secret
	// key from AWS gets most of them.
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Second)
	cfg, err := lambda.ConfigFromEnv(ctx)
	cancel()
	if err != nil {
		log.Fatal(err)
	}
	bridge, err := core.New(cfg, conformance.Workflows()...)
	if err != nil {
		log.Fatal(err)
	}
	lambda.Start(bridge)
}

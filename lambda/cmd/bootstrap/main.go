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

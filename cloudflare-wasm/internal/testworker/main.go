//go:build js && wasm

package main

import (
	cloudflare "github.com/echofn/echofn/cloudflare-wasm"
	"github.com/echofn/echofn/cloudflare-wasm/internal/testflows"
	"github.com/echofn/echofn/core"
)

func main() {
	b, err := core.New(testflows.Config(cloudflare.Config()), testflows.Workflows()...)
	if err != nil {
		cloudflare.ServeError(err)
	}
	cloudflare.Serve(b)
}

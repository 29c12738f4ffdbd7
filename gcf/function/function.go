package function

import (
	"log"

	// Cloud Build makes a main package for the function's package. It
	// uses the declarative template, which serves functions registered
	// with functions.HTTP, only when this package imports functions
	// itself; with a vendor directory it also requires funcframework to
	// be vendored, hence the blank import.
	_ "github.com/GoogleCloudPlatform/functions-framework-go/funcframework"
	"github.com/GoogleCloudPlatform/functions-framework-go/functions"

	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/gcf"
	"github.com/echofn/echofn/internal/conformance"
)

func init() {
	bridge, err := core.New(gcf.ConfigFromEnv(), conformance.Workflows()...)
	if err != nil {
		log.Fatalf("echofn: %v", err)
	}
	functions.HTTP(gcf.EntryPoint, gcf.Handler(bridge))
}

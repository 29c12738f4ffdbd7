// Package gcf serves a core.Bridge as a Google Cloud Function (2nd gen,
// Cloud Run functions) through the Go Functions Framework.
//
// A bridge served with core/nethttp moves to Cloud Functions by registering
// gcf.Handler in place of nethttp.Handler, when the function's package is
// loaded:
//
//	package function
//
//	import (
//		"log"
//
//		"github.com/GoogleCloudPlatform/functions-framework-go/functions"
//		"github.com/echofn/echofn/core"
//		"github.com/echofn/echofn/gcf"
//	)
//
//	func init() {
//		bridge, err := core.New(gcf.ConfigFromEnv(), workflows...)
//		if err != nil {
//			log.Fatal(err)
//		}
//		functions.HTTP(gcf.EntryPoint, gcf.Handler(bridge))
//	}
//
// and is deployed with --entry-point NovuBridge (EntryPoint). Register does
// the same registration in one call. The secret key comes from the
// environment, where the platform mounts it from Secret Manager
// (--set-secrets NOVU_SECRET_KEY=<secret>:latest).
//
// Package gcf/function is such a function, serving the sample workflows,
// and `go run ./gcf/cmd/package` turns it into a source directory that
// Cloud Build builds as it is (see README.md).
package gcf

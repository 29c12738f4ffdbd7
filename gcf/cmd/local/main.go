// Command local serves gcf/function with the Functions Framework's own
// server, as Cloud Functions runs it: FUNCTION_TARGET (default NovuBridge)
// picks the function, PORT (default 8080) the port and HOST (default
// 127.0.0.1) the address.
//
//	NOVU_SECRET_KEY=sk_test go run ./gcf/cmd/local
package main

import (
	"log"
	"os"

	"github.com/GoogleCloudPlatform/functions-framework-go/funcframework"

	"github.com/echofn/echofn/gcf"
	_ "github.com/echofn/echofn/gcf/function"
)

func main() {
	if os.Getenv("FUNCTION_TARGET") == "" {
		os.Setenv("FUNCTION_TARGET", gcf.EntryPoint)
	}
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	host := os.Getenv("HOST")
	if host == "" {
		host = "127.0.0.1"
	}
	if err := funcframework.StartHostPort(host, port); err != nil {
		log.Fatalf("functions framework: %v", err)
	}
}

package fasthttpadapter_test

import (
	"context"
	"fmt"
	"log"
	"net"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/core/fasthttpadapter"
	"github.com/echofn/echofn/core/signature"
)

type greeting struct {
	Name string `json:"name"`
}

// A bridge with one workflow on a fasthttp server, called the way Novu
// calls it: a signed health check.
func Example() {
	wf := core.NewWorkflow("hello", core.WorkflowOptions{},
		core.SMS("text", func(ctx context.Context, in core.Input[greeting, struct{}]) (core.SMSOutput, error) {
			return core.SMSOutput{Body: "Hello " + in.Payload.Name}, nil
		}))
	bridge, err := core.New(core.Config{SecretKey: "sk_example"}, wf)
	if err != nil {
		log.Fatal(err)
	}
	srv := &fasthttp.Server{
		Handler:      fasthttpadapter.Handler(bridge),
		ErrorHandler: fasthttpadapter.ErrorHandler(bridge),
		// Small bodies are read with their header, larger ones by Handler
		// while the bridge has room for them.
		StreamRequestBody:  true,
		MaxRequestBodySize: core.SmallBodyBytes,
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go srv.Serve(fasthttpadapter.Listener(ln)) //nolint:errcheck
	defer srv.Shutdown()                       //nolint:errcheck

	var req fasthttp.Request
	var resp fasthttp.Response
	req.SetRequestURI("http://" + ln.Addr().String() + "/api/novu?action=health-check")
	req.Header.Set(signature.Header, signature.Sign("sk_example", time.Now(), nil))
	if err := fasthttp.Do(&req, &resp); err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.StatusCode(), string(resp.Body()))
	// Output: 200 {"status":"ok","sdkVersion":"2.13.2","frameworkVersion":"2024-06-26","discovered":{"workflows":1,"steps":1}}
}

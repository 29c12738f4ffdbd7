//go:build js && wasm

package cloudflare

import (
	"context"
	"fmt"
	"os"
	"syscall/js"

	"github.com/echofn/echofn/core"
)

// registerName is the global function that worker.mjs defines for the Go
// program to hand over its request handler.
const registerName = "__echofnRegister"

// Main serves workflows with a bridge configured by Config (the worker's
// bindings). When the configuration is unusable, such as a missing
// NOVU_SECRET_KEY, it logs the problem and answers every request with it.
// It never returns.
func Main(workflows ...*core.Workflow) {
	b, err := core.New(Config(), workflows...)
	if err != nil {
		ServeError(err)
	}
	Serve(b)
}

// Serve hands b to worker.mjs, which passes it every request of this
// isolate, one at a time. It never returns.
func Serve(b *core.Bridge) {
	register(&handler{bridge: b})
}

// ServeError logs err (a configuration problem found at start) and answers
// every request with it: status and code from a *core.Error, else 500. It
// never returns.
func ServeError(err error) {
	fmt.Fprintln(os.Stderr, "echofn: the bridge could not start:", err)
	register(&handler{startErr: err})
}

func register(h *handler) {
	reg := js.Global().Get(registerName)
	if reg.Type() != js.TypeFunction {
		fmt.Fprintln(os.Stderr, "echofn: "+registerName+" is not defined; run this program from the worker module worker.mjs")
		os.Exit(2)
	}
	uint8Array := js.Global().Get("Uint8Array")
	// handle(head string, body Uint8Array|null, done function(head, body))
	// answers in a new goroutine, so a resolver may block (sleep, wait
	// for its timeout) without blocking the JavaScript event loop.
	handle := js.FuncOf(func(_ js.Value, args []js.Value) any {
		if len(args) != 3 || args[0].Type() != js.TypeString || args[2].Type() != js.TypeFunction {
			return "echofn: handle(head, body, done) called with bad arguments"
		}
		head := []byte(args[0].String())
		var body []byte
		if b := args[1]; b.Truthy() {
			body = make([]byte, b.Get("byteLength").Int())
			js.CopyBytesToGo(body, b)
		}
		done := args[2]
		go func() {
			respHead, respBody := h.serve(context.Background(), head, body)
			out := uint8Array.New(len(respBody))
			js.CopyBytesToJS(out, respBody)
			done.Invoke(string(respHead), out)
		}()
		return nil
	})
	reg.Invoke(handle, string(h.registration()))
	select {} // serve until the isolate goes away
}

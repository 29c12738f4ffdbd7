package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/echofn/echofn/core/signature"
)

const signUsage = `
Usage: %[1]s sign [flags] [BODY | @file | -]

Prints the value of a novu-signature header that signs a request body with
a secret key, as Novu signs its calls: "t=<milliseconds>,v1=<hex HMAC>".
The body is the argument, the contents of @file, or standard input (- or
no argument). The exact bytes are signed: send them as they are (curl
--data-binary). GET requests are signed over {}: use --method GET without a
body. A signature is valid for 5 minutes.

Examples:
  curl -H "novu-signature: $(%[1]s sign --method GET)" \
    'http://localhost:8080/api/novu?action=discover'
  %[1]s sign @event.json
`

func (a *App) sign(ctx context.Context, args []string) int {
	f := a.newFlags("sign", fmt.Sprintf(signUsage, a.Name))
	secretFlag := f.String("secret-key", "", "secret `key` to sign with; prefer the environment variable")
	f.alias("s", "secret-key")
	f.fromEnv("secret-key", EnvSecretKey)
	method := f.String("method", "POST", "HTTP `method` of the request: POST signs the body, GET signs {}")
	stamp := f.Int64("timestamp", 0, "timestamp in Unix `milliseconds` (default now)")
	rest, code, ok := f.parse(args)
	if !ok {
		return code
	}
	secret := a.setting(*secretFlag, EnvSecretKey, "")
	if secret == "" {
		return a.usageError("sign", "--secret-key (or %s) is required", EnvSecretKey)
	}
	if len(rest) > 1 {
		return a.usageError("sign", "one body at a time (got %d arguments)", len(rest))
	}
	var body []byte
	switch m := strings.ToUpper(*method); m {
	case "GET":
		if len(rest) > 0 {
			return a.usageError("sign", "--method GET signs {} and takes no body")
		}
	case "POST":
		var err error
		body, err = a.signBody(rest)
		if err != nil {
			return a.usageError("sign", "%v", err)
		}
		if len(bytes.TrimSpace(body)) == 0 {
			return a.usageError("sign", "the body is empty; a POST body is a JSON object")
		}
		if body[len(body)-1] == '\n' {
			fmt.Fprintf(a.Stderr, "%s sign: note: the body ends with a newline, which is signed too; send the body byte for byte (curl --data-binary @file)\n", a.Name)
		}
	default:
		return a.usageError("sign", "--method %q: want GET or POST", *method)
	}
	t := a.now()
	if *stamp != 0 {
		if *stamp < 0 {
			return a.usageError("sign", "--timestamp must be positive milliseconds")
		}
		t = time.UnixMilli(*stamp)
	}
	fmt.Fprintln(a.Stdout, signature.Sign(secret, t, body))
	return ExitOK
}

func (a *App) signBody(rest []string) ([]byte, error) {
	if len(rest) == 0 || rest[0] == "-" {
		b, err := io.ReadAll(a.Stdin)
		if err != nil {
			return nil, fmt.Errorf("reading standard input: %v", err)
		}
		return b, nil
	}
	if strings.HasPrefix(rest[0], "@") {
		b, err := os.ReadFile(rest[0][1:])
		if err != nil {
			return nil, err
		}
		return b, nil
	}
	return []byte(rest[0]), nil
}

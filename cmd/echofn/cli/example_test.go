package cli_test

import (
	"context"
	"os"

	"github.com/echofn/echofn/cmd/echofn/cli"
	"github.com/echofn/echofn/samples"
)

// A program's own command line: its workflows, every echofn command.
// main would call cli.Main(samples.All()...), which exits.
func ExampleApp_Run() {
	app := &cli.App{
		Workflows: samples.All(),
		Stdout:    os.Stdout,
		Getenv:    func(name string) string { return map[string]string{"NOVU_SECRET_KEY": "sk_test_conformance"}[name] },
	}
	code := app.Run(context.Background(), []string{"sign", "--method", "GET", "--timestamp", "1700000000000"})
	if code != cli.ExitOK {
		os.Exit(code)
	}
	// Output: t=1700000000000,v1=0b0da56fc193d33432e191cc6dc4506bd6701d0426208cd03e9950eab3fc2602
}

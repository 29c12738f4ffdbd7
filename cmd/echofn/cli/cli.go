package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/echofn/echofn/core"
)

// Exit codes of every command.
const (
	// ExitOK means the command did what it was asked.
	ExitOK = 0
	// ExitFailure means it could not: a step failed, the bridge or the
	// Novu API refused, a server stopped with an error.
	ExitFailure = 1
	// ExitUsage means the command line or the configuration is wrong: an
	// unknown command or flag, a missing argument or secret key, a value
	// that does not parse.
	ExitUsage = 2
)

// Environment variables, by Novu's names where Novu has one.
const (
	EnvSecretKey = core.EnvSecretKey // NOVU_SECRET_KEY
	EnvAPIURL    = "NOVU_API_URL"
	EnvBridgeURL = "NOVU_BRIDGE_URL"
	EnvPort      = "PORT"
)

// Defaults.
const (
	DefaultAPIURL    = "https://api.novu.co"
	DefaultRoute     = "/api/novu"
	DefaultDevPort   = 4000
	DefaultServePort = "8080"
	DefaultBridgeURL = "http://localhost:4000/api/novu"
)

// App is the command line with its inputs and outputs. The zero value
// reads the process's standard streams and environment.
type App struct {
	// Workflows are what serve, dev and run --local serve.
	Workflows []*core.Workflow
	// Stdin, Stdout and Stderr default to the process's.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Getenv looks up an environment variable; nil means os.Getenv.
	Getenv func(string) string
	// Name is the program's name in messages; "" means "echofn".
	Name string

	// Test hooks.
	ready func(url string)                                 // serve and dev: listening
	sleep func(ctx context.Context, d time.Duration) error // sync: between attempts
	now   func() time.Time                                 // sign: the timestamp
}

// Main runs the command line in os.Args with workflows and exits with its
// exit code. SIGINT and SIGTERM stop serve and dev gracefully; a second
// signal stops them at once.
func Main(workflows ...*core.Workflow) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // the next signal ends the process
	}()
	code := (&App{Workflows: workflows}).Run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}

type command struct {
	name, summary string
	run           func(a *App, ctx context.Context, args []string) int
}

var commands = []command{
	{"serve", "serve the workflows in production: every request's signature is checked", (*App).serve},
	{"dev", "serve the workflows locally with the Studio; signatures are NOT checked", (*App).dev},
	{"sync", "tell a Novu environment your bridge's URL, after checking the bridge", (*App).sync},
	{"run", "run a workflow end to end against a bridge, as Novu Cloud would", (*App).run},
	{"sign", "print a novu-signature header value for a request body", (*App).sign},
	{"version", "print the version", (*App).version},
}

// Run runs one command line (without the program name) and returns its
// exit code. It stops serve and dev when ctx is done.
func (a *App) Run(ctx context.Context, args []string) int {
	a.defaults()
	if len(args) == 0 {
		a.usage(a.Stderr)
		return ExitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help":
		a.usage(a.Stdout)
		return ExitOK
	case "help":
		if len(args) == 1 {
			a.usage(a.Stdout)
			return ExitOK
		}
		return a.Run(ctx, []string{args[1], "--help"})
	case "-version", "--version":
		return a.version(ctx, nil)
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(a, ctx, args[1:])
		}
	}
	fmt.Fprintf(a.Stderr, "%s: unknown command %q\nRun '%s help' for the list of commands.\n", a.Name, args[0], a.Name)
	return ExitUsage
}

func (a *App) defaults() {
	if a.Stdin == nil {
		a.Stdin = os.Stdin
	}
	if a.Stdout == nil {
		a.Stdout = os.Stdout
	}
	if a.Stderr == nil {
		a.Stderr = os.Stderr
	}
	if a.Getenv == nil {
		a.Getenv = os.Getenv
	}
	if a.Name == "" {
		a.Name = "echofn"
	}
	if a.sleep == nil {
		a.sleep = sleep
	}
	if a.now == nil {
		a.now = time.Now
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (a *App) usage(w io.Writer) {
	fmt.Fprintf(w, `%[1]s serves Novu code-first notification workflows written in Go.

Usage: %[1]s <command> [flags] [arguments]

Commands:
`, a.Name)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, `
Run '%[1]s <command> --help' for a command's flags.

Exit codes: 0 ok, 1 failure, 2 wrong command line or configuration.
`, a.Name)
}

func (a *App) version(ctx context.Context, args []string) int {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
		fmt.Fprintf(a.Stdout, "Usage: %s version\n\nPrints the version of %[1]s and of the bridge protocol it speaks.\n", a.Name)
		return ExitOK
	}
	if len(args) > 0 {
		return a.usageError("version", "version takes no arguments")
	}
	fmt.Fprintf(a.Stdout, "%s %s (bridge protocol %s, wire format of @novu/framework %s)\n",
		a.Name, moduleVersion(), core.FrameworkVersion, core.SDKVersion)
	return ExitOK
}

// moduleVersion is the version of the echofn module in this binary.
func moduleVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	if info.Main.Path == "github.com/echofn/echofn" {
		return info.Main.Version
	}
	for _, d := range info.Deps {
		if d.Path == "github.com/echofn/echofn" {
			return d.Version
		}
	}
	return "(unknown)"
}

// usageError prints a command line mistake and returns ExitUsage.
func (a *App) usageError(cmd, format string, args ...any) int {
	fmt.Fprintf(a.Stderr, "%s %s: %s\nRun '%[1]s %[2]s --help' for usage.\n", a.Name, cmd, fmt.Sprintf(format, args...))
	return ExitUsage
}

// failure prints why a command failed and returns ExitFailure.
func (a *App) failure(cmd, format string, args ...any) int {
	fmt.Fprintf(a.Stderr, "%s %s: %s\n", a.Name, cmd, fmt.Sprintf(format, args...))
	return ExitFailure
}

// flags is a command's flag set, with the help text of the command.
type flags struct {
	*flag.FlagSet
	app     *App
	usage   string            // "Usage: ..." line and description
	aliases map[string]string // short name -> long name
	env     map[string]string // long name -> environment variable
}

func (a *App) newFlags(cmd, usage string) *flags {
	fs := flag.NewFlagSet(a.Name+" "+cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return &flags{FlagSet: fs, app: a, usage: usage, aliases: map[string]string{}, env: map[string]string{}}
}

// alias makes -short another name of --long.
func (f *flags) alias(short, long string) {
	fl := f.Lookup(long)
	f.Var(fl.Value, short, fl.Usage)
	f.aliases[short] = long
}

// fromEnv notes that --long defaults to the environment variable name.
func (f *flags) fromEnv(long, name string) { f.env[long] = name }

// parse parses args, flags and arguments in any order ("--" ends the
// flags). It returns the arguments, or an exit code when the caller must
// stop: ExitOK after --help, ExitUsage after a mistake.
func (f *flags) parse(args []string) ([]string, int, bool) {
	var positional []string
	for {
		err := f.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			f.printUsage(f.app.Stdout)
			return nil, ExitOK, false
		}
		if err != nil {
			return nil, f.app.usageError(strings.TrimPrefix(f.Name(), f.app.Name+" "), "%v", err), false
		}
		rest := f.Args()
		if len(rest) == 0 {
			return positional, 0, true
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), 0, true
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

func (f *flags) printUsage(w io.Writer) {
	fmt.Fprintf(w, "%s\n\nFlags:\n", strings.TrimSpace(f.usage))
	short := map[string]string{}
	for s, l := range f.aliases {
		short[l] = s
	}
	var names []string
	f.VisitAll(func(fl *flag.Flag) {
		if _, isAlias := f.aliases[fl.Name]; !isAlias {
			names = append(names, fl.Name)
		}
	})
	sort.Strings(names)
	for _, n := range names {
		fl := f.Lookup(n)
		kind, usage := flag.UnquoteUsage(fl)
		head := "  --" + n
		if s, ok := short[n]; ok {
			head = "  -" + s + ", --" + n
		}
		if kind != "" {
			head += " " + kind
		}
		fmt.Fprintln(w, head)
		if d := fl.DefValue; d != "" && d != "0" && d != "false" && d != "0s" {
			usage += " (default " + d + ")"
		}
		if e, ok := f.env[n]; ok {
			usage += " (env " + e + ")"
		}
		fmt.Fprintf(w, "      %s\n", usage)
	}
	fmt.Fprintf(w, "\nExit codes: 0 ok, 1 failure, 2 wrong command line or configuration.\n")
}

// setting is a flag's value, else the environment variable's, else def.
func (a *App) setting(flagValue, env, def string) string {
	if flagValue != "" {
		return flagValue
	}
	if v := a.Getenv(env); v != "" {
		return v
	}
	return def
}

// redact hides secret in text meant for a terminal or a CI log.
func redact(text, secret string) string {
	if secret == "" {
		return text
	}
	return strings.ReplaceAll(text, secret, "[secret key]")
}

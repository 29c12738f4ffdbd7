package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/echofn/echofn/cloudsim"
	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/core/nethttp"
	"github.com/echofn/echofn/core/novuapi"
	"github.com/echofn/echofn/internal/fastserve"
	"github.com/echofn/echofn/studio"
)

// Server timeouts. Novu gives a bridge 5 seconds per call and sends small
// bodies, so nothing legitimate comes near them.
const (
	readHeaderTimeout = 5 * time.Second // dev (net/http); serve reads a whole request in fastserve.ReadTimeout
	readTimeout       = 30 * time.Second
	writeTimeout      = fastserve.WriteTimeout
	idleTimeout       = fastserve.IdleTimeout
	maxHeaderBytes    = fastserve.MaxHeaderBytes
	// devWriteTimeout leaves the Studio time to run a whole workflow.
	devWriteTimeout = 5 * time.Minute
	// DefaultShutdownTimeout bounds the drain of in-flight requests after
	// SIGTERM; Cloud Run allows 10 seconds, Kubernetes 30 by default.
	DefaultShutdownTimeout = 10 * time.Second
)

const serveUsage = `
Usage: %[1]s serve [flags]

Serves the workflows over HTTP/1.1 at --route, checking every request's
signature against NOVU_SECRET_KEY (and NOVU_SECRET_KEY_FALLBACK while a key
is being rotated). This is the production server: use it in containers
(Cloud Run, Kubernetes, a VM). GET <route> without a query answers a
health check without a signature, for load balancer probes.

SIGTERM or SIGINT stops accepting connections and waits up to
--shutdown-timeout for in-flight requests; the exit code is 0 when they all
finished, 1 otherwise.

Environment: NOVU_SECRET_KEY (required), NOVU_SECRET_KEY_FALLBACK, PORT.
`

const devUsage = `
Usage: %[1]s dev [flags]

Serves the workflows for local development, with the Studio at /studio/.
Request signatures are NOT checked (the bridge's dev mode), so it listens on
127.0.0.1 only unless --host says otherwise. Never deploy it: use
'%[1]s serve'.

NOVU_SECRET_KEY is optional here. To test end to end with Novu Cloud, run
'%[1]s serve' with your Development environment's secret key behind a
tunnel, and '%[1]s sync' its public URL.
`

func (a *App) serve(ctx context.Context, args []string) int {
	f := a.newFlags("serve", fmt.Sprintf(serveUsage, a.Name))
	addr := f.String("addr", "", "`address` to listen on (default \":$PORT\", else \":"+DefaultServePort+"\")")
	route := f.String("route", DefaultRoute, "`path` of the bridge")
	drain := f.Duration("shutdown-timeout", DefaultShutdownTimeout, "how long to wait for in-flight requests after SIGTERM")
	logFormat := f.String("log-format", "text", "log `format`: text or json (one JSON object a line, for Cloud Logging and the like)")
	logEach := f.Bool("access-log", true, "log one line per request (refused and failed requests are always logged)")
	stepTimeout := f.Duration("step-timeout", core.DefaultStepTimeout, "how long a step's code may run before its call is answered 502; keep it under Novu's 5 s")
	maxBody := f.Int64("max-body", core.DefaultMaxBodyBytes, "the largest request body in `bytes`; larger ones are answered 413")
	bodyRoom := f.Int64("max-body-in-flight", core.DefaultMaxBodyBytesInFlight, "`bytes` that request bodies over 64 KiB may take at once; a body that finds no room is answered 503 unread (negative: no bound)")
	overrun := f.Int("max-overrunning-steps", core.DefaultMaxOverrunningSteps, "`steps` that may still run past their deadline before execute and preview are answered 503 (negative: no bound)")
	maxConns := f.Int("max-conns", fastserve.MaxConns, "`connections` served at once; one more is answered 503 and closed")
	f.fromEnv("step-timeout", core.EnvStepTimeout)
	f.fromEnv("max-body", core.EnvMaxBodyBytes)
	f.fromEnv("max-body-in-flight", core.EnvMaxBodyBytesInFlight)
	f.fromEnv("max-overrunning-steps", core.EnvMaxOverrunningSteps)
	releaseIdle := f.Bool("release-idle-buffers", false, "free a keep-alive connection's write buffer while it waits for its next request: about 16 KiB of memory per idle connection instead of 20, for about 3% more CPU per request")
	rest, code, ok := f.parse(args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		return a.usageError("serve", "unexpected argument %q", rest[0])
	}
	if *stepTimeout <= 0 || *maxBody <= 0 || *maxConns <= 0 {
		return a.usageError("serve", "--step-timeout, --max-body and --max-conns must be positive")
	}
	*addr = a.serveAddr(*addr)
	logs := newLogBuffer(a.Stderr)
	defer logs.Flush()
	logger, err := newLogger(logs, *logFormat)
	if err != nil {
		return a.usageError("serve", "%v", err)
	}
	logger = slog.New(flushOnWarn{logger.Handler(), logs})
	if err := checkRoute(*route); err != nil {
		return a.usageError("serve", "%v", err)
	}
	cfg, err := a.bridgeConfig()
	if err != nil {
		return a.usageError("serve", "%v", err)
	}
	if cfg.SecretKey == "" {
		return a.usageError("serve", "%s is not set. serve checks every request's signature with your Novu environment's secret key; for local development without one, use '%s dev'", EnvSecretKey, a.Name)
	}
	if a.Getenv(core.EnvDevMode) == "true" {
		logger.Warn(core.EnvDevMode + " is ignored by serve: signatures are always checked (use dev for local development)")
	}
	cfg.Logger = logger
	// A flag given on the command line wins over the environment.
	f.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "step-timeout":
			cfg.StepTimeout = *stepTimeout
		case "max-body":
			cfg.MaxBodyBytes = *maxBody
		case "max-body-in-flight":
			cfg.MaxBodyBytesInFlight = *bodyRoom
		case "max-overrunning-steps":
			cfg.MaxOverrunningSteps = *overrun
		}
	})
	bridge, err := a.newBridge(cfg)
	if err != nil {
		return a.failure("serve", "%v", err)
	}
	tuneGC(a.Getenv)
	var access *accessLog
	if *logEach {
		access = newAccessLog(logs, *logFormat)
	}
	srv := newFastServer(bridge, *route, access, logger)
	srv.ReduceMemoryUsage = *releaseIdle
	srv.Concurrency = *maxConns
	return a.listenAndServe(ctx, "serve", *addr, srv, *route, *drain, logger, func(base string) {
		fmt.Fprintf(a.Stderr, "%s serve: bridge at %s%s serving %s; every request's signature is checked\n",
			a.Name, base, *route, plural(len(a.Workflows), "workflow"))
	})
}

func (a *App) dev(ctx context.Context, args []string) int {
	f := a.newFlags("dev", fmt.Sprintf(devUsage, a.Name))
	port := f.Int("port", DefaultDevPort, "`port` to listen on")
	f.alias("p", "port")
	host := f.String("host", "127.0.0.1", "`host` or address to listen on; anything but loopback exposes an unauthenticated bridge")
	route := f.String("route", DefaultRoute, "`path` of the bridge")
	f.alias("r", "route")
	rest, code, ok := f.parse(args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		return a.usageError("dev", "unexpected argument %q", rest[0])
	}
	if *port < 0 || *port > 65535 {
		return a.usageError("dev", "--port %d is not a port number", *port)
	}
	if err := checkRoute(*route); err != nil {
		return a.usageError("dev", "%v", err)
	}
	if *route == "/studio" || strings.HasPrefix(*route, "/studio/") {
		return a.usageError("dev", "--route %s is where the Studio lives; choose another path", *route)
	}
	if !isLoopback(*host) {
		fmt.Fprintf(a.Stderr, "%s dev: WARNING: --host %s: anyone who reaches this machine can call the bridge, unauthenticated.\n", a.Name, *host)
	}
	logger, _ := a.logger("text")
	cfg, err := a.bridgeConfig()
	if err != nil {
		return a.usageError("dev", "%v", err)
	}
	cfg.DevMode = true
	cfg.Logger = logger
	bridge, err := a.newBridge(cfg)
	if err != nil {
		return a.failure("dev", "%v", err)
	}
	mux := http.NewServeMux()
	mux.Handle(*route, nethttp.Handler(bridge))
	mux.Handle("/studio/", http.StripPrefix("/studio", studio.Handler(cloudsim.InProcess(bridge, cfg.SecretKey))))
	mux.Handle("GET /{$}", http.RedirectHandler("/studio/", http.StatusFound))
	addr := net.JoinHostPort(*host, strconv.Itoa(*port))
	srv := &stdServer{a.server(addr, logRequests(newAccessLog(a.Stderr, "text"), mux), logger)}
	srv.WriteTimeout = devWriteTimeout
	return a.listenAndServe(ctx, "dev", addr, srv, *route, DefaultShutdownTimeout, logger, func(base string) {
		w := a.Stderr
		fmt.Fprintf(w, "\n  DEV MODE: request signatures are NOT checked. Never deploy this; use '%s serve'.\n", a.Name)
		fmt.Fprintf(w, "\n  Bridge:  %s%s\n  Studio:  %s/studio/\n", base, *route, base)
		var ids []string
		for _, wf := range a.Workflows {
			ids = append(ids, wf.ID())
		}
		fmt.Fprintf(w, "  Serving: %s\n", strings.Join(ids, ", "))
		if len(ids) > 0 {
			fmt.Fprintf(w, "\n  Try:     %s run %s --bridge-url %s%s --payload '{...}'\n", a.Name, ids[0], base, *route)
		}
		fmt.Fprintln(w)
	})
}

// serveAddr is the address serve listens on: the flag's, else all
// interfaces on $PORT (as Cloud Run and most platforms set it), else on
// DefaultServePort.
func (a *App) serveAddr(flag string) string {
	if flag != "" {
		return flag
	}
	return ":" + a.setting("", EnvPort, DefaultServePort)
}

// bridgeConfig reads the secret keys and the bridge's limits from the
// environment (core.ConfigFrom); dev mode is the command's to set.
func (a *App) bridgeConfig() (core.Config, error) {
	cfg, err := core.ConfigFrom(a.Getenv)
	cfg.DevMode = false
	cfg.Server = "nethttp"
	cfg.Trigger = a.triggerForwarder()
	return cfg, err
}

// triggerForwarder lets the bridge's `trigger` action reach the Novu API of
// the same environment.
func (a *App) triggerForwarder() core.TriggerForwarder {
	key := a.setting("", core.EnvSecretKey, a.Getenv(core.EnvLegacySecretKey))
	if key == "" {
		return nil
	}
	return &novuapi.Client{SecretKey: key, APIURL: a.Getenv("NOVU_API_URL")}
}

// gcPercent is the collector's target for serve unless GOGC says otherwise:
// a bridge's live heap is a few MB, so collecting at twice that halves the
// collector's work and keeps the process well under 30 MB.
const gcPercent = 200

func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
}

func (a *App) newBridge(cfg core.Config) (*core.Bridge, error) {
	if len(a.Workflows) == 0 {
		return nil, errors.New("there are no workflows to serve")
	}
	return core.New(cfg, a.Workflows...)
}

func (a *App) logger(format string) (*slog.Logger, error) { return newLogger(a.Stderr, format) }

func newLogger(w io.Writer, format string) (*slog.Logger, error) {
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text or json", format)
}

func (a *App) server(addr string, h http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// httpServer is an HTTP server listenAndServe can run and stop.
type httpServer interface {
	Serve(net.Listener) error
	// Shutdown stops accepting connections and waits for requests in
	// flight to finish, at most until ctx is done.
	Shutdown(ctx context.Context) error
	// Close closes every connection at once.
	Close() error
}

// stdServer is a net/http server.
type stdServer struct{ *http.Server }

// listenAndServe serves until ctx is done, then drains in-flight requests
// for at most drain.
func (a *App) listenAndServe(ctx context.Context, cmd, addr string, srv httpServer, route string, drain time.Duration, logger *slog.Logger, banner func(base string)) int {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return a.failure(cmd, "cannot listen on %s: %v", addr, err)
	}
	base := baseURL(ln.Addr())
	banner(base)
	if a.ready != nil {
		a.ready(base + route)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return a.failure(cmd, "server stopped: %v", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down: finishing in-flight requests", "timeout", drain.String())
	sctx, cancel := context.WithTimeout(context.Background(), drain)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
		return a.failure(cmd, "in-flight requests did not finish within %s; they were cut off", drain)
	}
	logger.Info("stopped")
	return ExitOK
}

// baseURL is the http URL of a listening address, "localhost" standing for
// every interface.
func baseURL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func checkRoute(route string) error {
	if !strings.HasPrefix(route, "/") || strings.ContainsAny(route, " ?#{}") {
		return fmt.Errorf("--route %q must be a path such as %s", route, DefaultRoute)
	}
	return nil
}

// logRequests writes one line per request to log, as serve's server does.
func logRequests(log *accessLog, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		now := time.Now()
		log.write(now, &request{method: r.Method, path: r.URL.Path, status: rec.status,
			took: now.Sub(start), fields: queryFields(r.URL.RawQuery)})
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

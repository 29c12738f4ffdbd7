package core

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"
)

// Environment variables for the bridge's limits, read by ConfigFromEnv and
// ConfigFrom; unset or empty means the default. They suit platforms
// configured by their environment (Lambda, Cloud Functions, Workers,
// containers), where changing a limit should not need a new build.
const (
	// EnvStepTimeout sets Config.StepTimeout: a positive Go duration,
	// such as "3s" or "2500ms".
	EnvStepTimeout = "ECHOFN_STEP_TIMEOUT"
	// EnvMaxBodyBytes sets Config.MaxBodyBytes: a positive number of bytes.
	EnvMaxBodyBytes = "ECHOFN_MAX_BODY_BYTES"
	// EnvMaxBodyBytesInFlight sets Config.MaxBodyBytesInFlight: a number
	// of bytes, negative for no bound.
	EnvMaxBodyBytesInFlight = "ECHOFN_MAX_BODY_BYTES_IN_FLIGHT"
	// EnvMaxOverrunningSteps sets Config.MaxOverrunningSteps: a number of
	// steps, negative for no bound.
	EnvMaxOverrunningSteps = "ECHOFN_MAX_OVERRUNNING_STEPS"
)

// ConfigFromEnv reads a Config from the environment: NOVU_SECRET_KEY (or
// the older NOVU_API_KEY), NOVU_SECRET_KEY_FALLBACK, ECHOFN_DEV_MODE and
// the limits (EnvStepTimeout and the others). A limit that does not parse
// is not dropped: New reports it. Use ConfigFrom to get the error at once.
func ConfigFromEnv() Config {
	c, err := ConfigFrom(os.Getenv)
	c.envErr = err
	return c
}

// ConfigFrom reads a Config as ConfigFromEnv does, through getenv: for a
// caller that keeps its own environment, such as a command under test. It
// returns what it could read and an error naming each variable whose value
// does not parse; the error never holds a secret key.
func ConfigFrom(getenv func(string) string) (Config, error) {
	c := Config{
		SecretKey:         getenv(EnvSecretKey),
		FallbackSecretKey: getenv(EnvFallbackSecretKey),
		DevMode:           getenv(EnvDevMode) == "true",
	}
	if c.SecretKey == "" {
		c.SecretKey = getenv(EnvLegacySecretKey)
	}
	var errs []error
	bad := func(name, v, want string) { errs = append(errs, fmt.Errorf("%s=%q: want %s", name, v, want)) }
	if v := getenv(EnvStepTimeout); v != "" {
		if d, err := time.ParseDuration(v); err == nil && d > 0 {
			c.StepTimeout = d
		} else {
			bad(EnvStepTimeout, v, "a positive duration, such as 3s")
		}
	}
	if v := getenv(EnvMaxBodyBytes); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
			c.MaxBodyBytes = n
		} else {
			bad(EnvMaxBodyBytes, v, "a positive number of bytes")
		}
	}
	if v := getenv(EnvMaxBodyBytesInFlight); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			c.MaxBodyBytesInFlight = n
		} else {
			bad(EnvMaxBodyBytesInFlight, v, "a whole number of bytes")
		}
	}
	if v := getenv(EnvMaxOverrunningSteps); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			c.MaxOverrunningSteps = n
		} else {
			bad(EnvMaxOverrunningSteps, v, "a whole number of steps")
		}
	}
	if len(errs) > 0 {
		return c, fmt.Errorf("core: %w", errors.Join(errs...))
	}
	return c, nil
}

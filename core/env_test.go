package core_test

import (
	"strings"
	"testing"
	"time"

	"github.com/echofn/echofn/core"
)

func TestConfigFrom(t *testing.T) {
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	t.Run("limits", func(t *testing.T) {
		cfg, err := core.ConfigFrom(env(map[string]string{
			core.EnvSecretKey:            "sk_a",
			core.EnvStepTimeout:          "2500ms",
			core.EnvMaxBodyBytes:         "1048576",
			core.EnvMaxBodyBytesInFlight: "-1",
			core.EnvMaxOverrunningSteps:  "50",
		}))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.SecretKey != "sk_a" || cfg.StepTimeout != 2500*time.Millisecond || cfg.MaxBodyBytes != 1<<20 ||
			cfg.MaxBodyBytesInFlight != -1 || cfg.MaxOverrunningSteps != 50 {
			t.Errorf("read %+v", cfg)
		}
	})
	t.Run("unset", func(t *testing.T) {
		cfg, err := core.ConfigFrom(env(map[string]string{core.EnvLegacySecretKey: "sk_old"}))
		if err != nil || cfg.SecretKey != "sk_old" || cfg.StepTimeout != 0 || cfg.MaxBodyBytes != 0 ||
			cfg.MaxBodyBytesInFlight != 0 || cfg.MaxOverrunningSteps != 0 || cfg.DevMode {
			t.Errorf("read %+v, %v; want the older key and every limit at its default", cfg, err)
		}
	})
	for _, c := range []struct{ name, value string }{
		{core.EnvStepTimeout, "4"},
		{core.EnvStepTimeout, "0s"},
		{core.EnvStepTimeout, "-1s"},
		{core.EnvMaxBodyBytes, "5MB"},
		{core.EnvMaxBodyBytes, "0"},
		{core.EnvMaxBodyBytes, "-1"},
		{core.EnvMaxBodyBytesInFlight, "1.5"},
		{core.EnvMaxOverrunningSteps, "many"},
	} {
		t.Run(c.name+"="+c.value, func(t *testing.T) {
			const secret = "sk_never_in_errors"
			cfg, err := core.ConfigFrom(env(map[string]string{core.EnvSecretKey: secret, c.name: c.value}))
			if err == nil || !strings.Contains(err.Error(), c.name+`="`+c.value+`"`) {
				t.Fatalf("ConfigFrom: %v, want an error naming %s and its value", err, c.name)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("the error holds the secret key: %v", err)
			}
			if cfg.StepTimeout != 0 || cfg.MaxBodyBytes != 0 || cfg.MaxBodyBytesInFlight != 0 || cfg.MaxOverrunningSteps != 0 {
				t.Errorf("a value that does not parse was kept: %+v", cfg)
			}
			// ConfigFromEnv keeps the error for New.
			t.Setenv(core.EnvSecretKey, secret)
			t.Setenv(c.name, c.value)
			if _, err := core.New(core.ConfigFromEnv()); err == nil || !strings.Contains(err.Error(), c.name) {
				t.Errorf("New(ConfigFromEnv()): %v, want the error naming %s", err, c.name)
			}
		})
	}
	t.Run("every bad value is named", func(t *testing.T) {
		_, err := core.ConfigFrom(env(map[string]string{core.EnvStepTimeout: "x", core.EnvMaxBodyBytes: "y"}))
		if err == nil || !strings.Contains(err.Error(), core.EnvStepTimeout) || !strings.Contains(err.Error(), core.EnvMaxBodyBytes) {
			t.Errorf("%v, want both variables named", err)
		}
	})
}

// The limits a bridge reads from its environment take effect: a body over
// ECHOFN_MAX_BODY_BYTES is refused with 413.
func TestConfigFromEnvLimitsApply(t *testing.T) {
	t.Setenv(core.EnvSecretKey, key)
	t.Setenv(core.EnvMaxBodyBytes, "100")
	h := newHarness(t, core.ConfigFromEnv())
	body := `{"payload":{"orderId":"` + strings.Repeat("x", 100) + `"}}`
	if status, resp := h.signed("POST", "action=execute&workflowId=order&stepId=batch", body, key); status != 413 {
		t.Errorf("a %d-byte body with %s=100: %d %v, want 413", len(body), core.EnvMaxBodyBytes, status, resp)
	}
	if status, resp := h.signed("POST", "action=execute&workflowId=order&stepId=batch", `{"payload":{"orderId":"1"},"controls":{}}`, key); status != 200 {
		t.Errorf("a small body: %d %v, want 200", status, resp)
	}
}

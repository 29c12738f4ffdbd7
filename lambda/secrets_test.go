package lambda_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/google/go-cmp/cmp"

	"github.com/echofn/echofn/core"
	"github.com/echofn/echofn/lambda"
)

// awsCall is one request the stand-in AWS API received.
type awsCall struct {
	Target  string // X-Amz-Target: the operation
	Service string // the service in the SigV4 credential scope
	Region  string
	Body    map[string]any
}

// fakeAWS stands in for the Parameter Store and Secrets Manager APIs on
// 127.0.0.1: it answers GetParameter and GetSecretValue from its maps, and
// records every call.
type fakeAWS struct {
	params, secrets map[string]string
	mu              sync.Mutex
	calls           []awsCall
	bad             []string
}

func newFakeAWS(t testing.TB, params, secrets map[string]string) (*fakeAWS, *httptest.Server) {
	f := &fakeAWS{params: params, secrets: secrets}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeAWS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	call := awsCall{Target: r.Header.Get("X-Amz-Target")}
	_ = json.Unmarshal(raw, &call.Body)
	// Authorization: AWS4-HMAC-SHA256 Credential=AKID/20250203/eu-west-1/ssm/aws4_request, ...
	if _, cred, ok := strings.Cut(r.Header.Get("Authorization"), "Credential="); ok {
		if parts := strings.Split(strings.SplitN(cred, ",", 2)[0], "/"); len(parts) == 5 {
			call.Region, call.Service = parts[2], parts[3]
		}
	}
	f.mu.Lock()
	f.calls = append(f.calls, call)
	if r.Method != "POST" || r.URL.Path != "/" || r.Header.Get("Content-Type") != "application/x-amz-json-1.1" ||
		!strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential=AKIDTEST/") {
		f.bad = append(f.bad, r.Method+" "+r.URL.Path+" "+r.Header.Get("Content-Type"))
	}
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	notFound := func(typ string) {
		w.WriteHeader(400)
		_, _ = io.WriteString(w, `{"__type":"`+typ+`","message":"not found"}`)
	}
	switch call.Target {
	case "AmazonSSM.GetParameter":
		name, _ := call.Body["Name"].(string)
		v, ok := f.params[name]
		if !ok {
			notFound("ParameterNotFound")
			return
		}
		out, _ := json.Marshal(map[string]any{"Parameter": map[string]any{"Name": name, "Type": "SecureString", "Value": v, "Version": 3}})
		_, _ = w.Write(out)
	case "secretsmanager.GetSecretValue":
		id, _ := call.Body["SecretId"].(string)
		v, ok := f.secrets[id]
		if !ok {
			notFound("ResourceNotFoundException")
			return
		}
		out, _ := json.Marshal(map[string]any{"ARN": id, "Name": "novu", "SecretString": v, "VersionId": "v1"})
		_, _ = w.Write(out)
	default:
		notFound("UnknownOperationException")
	}
}

func (f *fakeAWS) received() ([]awsCall, []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]awsCall(nil), f.calls...), append([]string(nil), f.bad...)
}

const secretARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:novu-AbCdEf"

func TestConfigFromEnv(t *testing.T) {
	params := map[string]string{
		"/novu/secret-key":  "sk_from_ssm\n",
		"/novu/fallback":    "sk_old",
		"/novu/empty":       "  ",
		"/novu/other-value": "sk_other",
	}
	secrets := map[string]string{
		secretARN:   `{"NOVU_SECRET_KEY":"sk_from_json","NOVU_SECRET_KEY_FALLBACK":"sk_json_old"}`,
		"plain":     "sk_plain",
		"no-field":  `{"OTHER":"x"}`,
		"bad-json":  `{"NOVU_SECRET_KEY":`,
		"empty":     "",
		"not-a-str": `{"NOVU_SECRET_KEY":5}`,
	}
	ssmGet := func(name string) awsCall {
		return awsCall{Target: "AmazonSSM.GetParameter", Service: "ssm", Region: "eu-west-1",
			Body: map[string]any{"Name": name, "WithDecryption": true}}
	}
	smGet := func(id string) awsCall {
		return awsCall{Target: "secretsmanager.GetSecretValue", Service: "secretsmanager", Region: "eu-west-1",
			Body: map[string]any{"SecretId": id}}
	}
	tests := []struct {
		name         string
		env          map[string]string
		key, fallbck string
		calls        []awsCall
		errHas       string
	}{
		{name: "direct only", env: map[string]string{"NOVU_SECRET_KEY": "sk_env"}, key: "sk_env"},
		{name: "ssm", env: map[string]string{"NOVU_SECRET_KEY_SSM_PARAMETER": "/novu/secret-key"},
			key: "sk_from_ssm", calls: []awsCall{ssmGet("/novu/secret-key")}},
		{name: "ssm and fallback", env: map[string]string{"NOVU_SECRET_KEY_SSM_PARAMETER": "/novu/secret-key",
			"NOVU_SECRET_KEY_FALLBACK_SSM_PARAMETER": "/novu/fallback"},
			key: "sk_from_ssm", fallbck: "sk_old", calls: []awsCall{ssmGet("/novu/secret-key"), ssmGet("/novu/fallback")}},
		{name: "secret plain", env: map[string]string{"NOVU_SECRET_KEY_SECRET_ARN": "plain", "NOVU_SECRET_KEY_FALLBACK": "sk_env_old"},
			key: "sk_plain", fallbck: "sk_env_old", calls: []awsCall{smGet("plain")}},
		{name: "one JSON secret for both keys is read once", env: map[string]string{
			"NOVU_SECRET_KEY_SECRET_ARN": secretARN, "NOVU_SECRET_KEY_FALLBACK_SECRET_ARN": secretARN},
			key: "sk_from_json", fallbck: "sk_json_old", calls: []awsCall{smGet(secretARN)}},
		{name: "both services for one key", env: map[string]string{
			"NOVU_SECRET_KEY_SSM_PARAMETER": "/novu/secret-key", "NOVU_SECRET_KEY_SECRET_ARN": "plain"},
			errHas: "not both"},
		{name: "direct and ssm", env: map[string]string{"NOVU_SECRET_KEY": "sk_env", "NOVU_SECRET_KEY_SSM_PARAMETER": "/novu/secret-key"},
			errHas: "keep one"},
		{name: "legacy key and secret", env: map[string]string{"NOVU_API_KEY": "sk_env", "NOVU_SECRET_KEY_SECRET_ARN": "plain"},
			errHas: "keep one"},
		{name: "missing parameter", env: map[string]string{"NOVU_SECRET_KEY_SSM_PARAMETER": "/novu/nope"},
			calls: []awsCall{ssmGet("/novu/nope")}, errHas: "ParameterNotFound"},
		{name: "empty parameter", env: map[string]string{"NOVU_SECRET_KEY_SSM_PARAMETER": "/novu/empty"},
			calls: []awsCall{ssmGet("/novu/empty")}, errHas: "is empty"},
		{name: "missing secret", env: map[string]string{"NOVU_SECRET_KEY_SECRET_ARN": "nope"},
			calls: []awsCall{smGet("nope")}, errHas: "ResourceNotFoundException"},
		{name: "JSON secret without the field", env: map[string]string{"NOVU_SECRET_KEY_SECRET_ARN": "no-field"},
			calls: []awsCall{smGet("no-field")}, errHas: `field "NOVU_SECRET_KEY"`},
		{name: "JSON secret with a number", env: map[string]string{"NOVU_SECRET_KEY_SECRET_ARN": "not-a-str"},
			calls: []awsCall{smGet("not-a-str")}, errHas: `field "NOVU_SECRET_KEY"`},
		{name: "broken JSON secret", env: map[string]string{"NOVU_SECRET_KEY_SECRET_ARN": "bad-json"},
			calls: []awsCall{smGet("bad-json")}, errHas: "does not parse"},
		{name: "empty secret", env: map[string]string{"NOVU_SECRET_KEY_SECRET_ARN": "empty"},
			calls: []awsCall{smGet("empty")}, errHas: "no secret string"},
		{name: "a limit that does not parse, before any AWS call", env: map[string]string{
			"NOVU_SECRET_KEY_SSM_PARAMETER": "/novu/secret-key", core.EnvStepTimeout: "soon"},
			errHas: core.EnvStepTimeout + `="soon"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, k := range []string{"NOVU_SECRET_KEY", "NOVU_API_KEY", "NOVU_SECRET_KEY_FALLBACK", "ECHOFN_DEV_MODE", core.EnvStepTimeout,
				lambda.EnvSecretKeySSMParameter, lambda.EnvSecretKeySecretARN,
				lambda.EnvFallbackSecretKeySSMParameter, lambda.EnvFallbackSecretKeySecretARN} {
				t.Setenv(k, tt.env[k])
			}
			fake, srv := newFakeAWS(t, params, secrets)
			cfg, err := lambda.ConfigFromEnv(context.Background(),
				config.WithBaseEndpoint(srv.URL),
				config.WithRegion("eu-west-1"),
				config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("AKIDTEST", "test-secret-access-key", "")),
				config.WithRetryMaxAttempts(1))
			calls, bad := fake.received()
			if diff := cmp.Diff(tt.calls, calls); diff != "" {
				t.Errorf("AWS calls (-want +got):\n%s", diff)
			}
			if len(bad) > 0 {
				t.Errorf("malformed AWS requests: %v", bad)
			}
			if tt.errHas != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errHas) {
					t.Fatalf("error %v, want one containing %q", err, tt.errHas)
				}
				for _, v := range []string{"sk_from_ssm", "sk_from_json", "sk_plain", "sk_env"} {
					if strings.Contains(err.Error(), v) {
						t.Errorf("error %q shows a key", err)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := struct{ Key, Fallback, Server string }{cfg.SecretKey, cfg.FallbackSecretKey, cfg.Server}
			want := struct{ Key, Fallback, Server string }{tt.key, tt.fallbck, "lambda"}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
		})
	}
}

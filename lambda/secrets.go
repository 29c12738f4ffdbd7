package lambda

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/echofn/echofn/core"
)

// Environment variables that name where ConfigFromEnv reads the secret keys.
const (
	// EnvSecretKeySSMParameter names a Parameter Store parameter (its name
	// or ARN, usually a SecureString) holding the secret key.
	EnvSecretKeySSMParameter = "NOVU_SECRET_KEY_SSM_PARAMETER"
	// EnvSecretKeySecretARN names a Secrets Manager secret (its ARN or
	// name) holding the secret key: the whole secret string, or the
	// "NOVU_SECRET_KEY" field of a JSON key/value secret.
	EnvSecretKeySecretARN = "NOVU_SECRET_KEY_SECRET_ARN"
	// EnvFallbackSecretKeySSMParameter is EnvSecretKeySSMParameter for
	// the fallback key.
	EnvFallbackSecretKeySSMParameter = "NOVU_SECRET_KEY_FALLBACK_SSM_PARAMETER"
	// EnvFallbackSecretKeySecretARN is EnvSecretKeySecretARN for the
	// fallback key; its JSON field is "NOVU_SECRET_KEY_FALLBACK".
	EnvFallbackSecretKeySecretARN = "NOVU_SECRET_KEY_FALLBACK_SECRET_ARN"
)

// ConfigFromEnv returns core.ConfigFromEnv() with Server set to "lambda",
// or the error of a limit in the environment that does not parse.
// When NOVU_SECRET_KEY_SSM_PARAMETER or NOVU_SECRET_KEY_SECRET_ARN is set
// (or their _FALLBACK_ forms), the key is read from AWS Systems Manager
// Parameter Store (with decryption) or AWS Secrets Manager, with the
// function's own credentials; optFns adjust the AWS configuration, as for
// config.LoadDefaultConfig. Call it once, at start-up, not per request.
//
// Naming a key both directly (NOVU_SECRET_KEY) and in AWS, or in both AWS
// services, is an error, as is an empty stored value. Errors never hold a
// key's value.
func ConfigFromEnv(ctx context.Context, optFns ...func(*config.LoadOptions) error) (core.Config, error) {
	cfg, err := core.ConfigFrom(os.Getenv)
	if err != nil {
		return core.Config{}, err
	}
	cfg.Server = "lambda"
	l := &loader{optFns: optFns, secrets: map[string]string{}}
	slots := []struct {
		dst                *string
		direct, param, arn string
	}{
		{&cfg.SecretKey, core.EnvSecretKey, EnvSecretKeySSMParameter, EnvSecretKeySecretARN},
		{&cfg.FallbackSecretKey, core.EnvFallbackSecretKey, EnvFallbackSecretKeySSMParameter, EnvFallbackSecretKeySecretARN},
	}
	for _, s := range slots {
		param, arn := os.Getenv(s.param), os.Getenv(s.arn)
		if param == "" && arn == "" {
			continue
		}
		if param != "" && arn != "" {
			return core.Config{}, fmt.Errorf("lambda: set %s or %s, not both", s.param, s.arn)
		}
		if *s.dst != "" {
			from := s.param
			if arn != "" {
				from = s.arn
			}
			return core.Config{}, fmt.Errorf("lambda: %s is set and so is %s (or %s); keep one", from, s.direct, core.EnvLegacySecretKey)
		}
		var (
			v   string
			err error
		)
		if param != "" {
			v, err = l.parameter(ctx, param)
		} else {
			v, err = l.secret(ctx, arn, s.direct)
		}
		if err != nil {
			return core.Config{}, err
		}
		*s.dst = v
	}
	return cfg, nil
}

// loader reads values from AWS, loading the AWS configuration once and
// each secret once.
type loader struct {
	optFns  []func(*config.LoadOptions) error
	aws     *aws.Config
	secrets map[string]string
}

func (l *loader) config(ctx context.Context) (aws.Config, error) {
	if l.aws == nil {
		c, err := config.LoadDefaultConfig(ctx, l.optFns...)
		if err != nil {
			return aws.Config{}, fmt.Errorf("lambda: loading the AWS configuration: %w", err)
		}
		l.aws = &c
	}
	return *l.aws, nil
}

func (l *loader) parameter(ctx context.Context, name string) (string, error) {
	c, err := l.config(ctx)
	if err != nil {
		return "", err
	}
	out, err := ssm.NewFromConfig(c).GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(name), WithDecryption: aws.Bool(true)})
	if err != nil {
		return "", fmt.Errorf("lambda: reading SSM parameter %q: %w", name, err)
	}
	v := ""
	if out.Parameter != nil {
		v = strings.TrimSpace(aws.ToString(out.Parameter.Value))
	}
	if v == "" {
		return "", fmt.Errorf("lambda: SSM parameter %q is empty", name)
	}
	return v, nil
}

func (l *loader) secret(ctx context.Context, id, field string) (string, error) {
	s, ok := l.secrets[id]
	if !ok {
		c, err := l.config(ctx)
		if err != nil {
			return "", err
		}
		out, err := secretsmanager.NewFromConfig(c).GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(id)})
		if err != nil {
			return "", fmt.Errorf("lambda: reading secret %q: %w", id, err)
		}
		s = strings.TrimSpace(aws.ToString(out.SecretString))
		l.secrets[id] = s
	}
	if strings.HasPrefix(s, "{") {
		var fields map[string]any
		if err := json.Unmarshal([]byte(s), &fields); err != nil {
			return "", fmt.Errorf("lambda: secret %q looks like JSON but does not parse as an object", id)
		}
		v, _ := fields[field].(string)
		if v = strings.TrimSpace(v); v == "" {
			return "", fmt.Errorf("lambda: secret %q is a JSON object without a non-empty string field %q", id, field)
		}
		return v, nil
	}
	if s == "" {
		return "", fmt.Errorf("lambda: secret %q has no secret string", id)
	}
	return s, nil
}

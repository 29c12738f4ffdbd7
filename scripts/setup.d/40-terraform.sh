#!/usr/bin/env bash
# Terraform and tflint for the checks of terraform/ (terraform/*_test.go and
# scripts/test.d/40-terraform.sh), built from source with the Go toolchain
# into $GOBIN. Terraform 1.5.7 is the newest release that builds from the Go
# module proxy. Each is built once (about 2 minutes each on a cold cache)
# and skipped while the installed version is the pinned one.
set -euo pipefail
: "${GOBIN:?run through scripts/setup}" "${TOOLS:?run through scripts/setup}"
terraform_version=1.5.7
tflint_version=0.64.0

if [ -x "$GOBIN/terraform" ] && [ "$("$GOBIN/terraform" version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p')" = "$terraform_version" ]; then
  echo "terraform $terraform_version already installed"
else
  start=$SECONDS
  GOBIN="$GOBIN" go install "github.com/hashicorp/terraform@v$terraform_version"
  echo "terraform $terraform_version built in $((SECONDS - start))s"
fi

if [ -x "$GOBIN/tflint" ] && [ "$("$GOBIN/tflint" --version 2>/dev/null | head -n 1)" = "TFLint version $tflint_version" ]; then
  echo "tflint $tflint_version already installed"
else
  start=$SECONDS
  GOBIN="$GOBIN" go install "github.com/terraform-linters/tflint@v$tflint_version"
  echo "tflint $tflint_version built in $((SECONDS - start))s"
fi

# Schema-only stand-ins for the aws, google and cloudflare providers
# (terraform/stubprovider, a Go module of its own), under the names
# Terraform's development overrides look for: with them `terraform validate`
# checks the stages against the pinned providers' schemas.
stub_dir="$TOOLS/stubprovider"
root=$(cd "$(dirname "$0")/../.." && pwd)
stamp=$(cat "$root/terraform/stubprovider/go.mod" "$root/terraform/stubprovider/go.sum" "$root/terraform/stubprovider/"*.go | sha256sum | cut -d' ' -f1)
if [ -x "$stub_dir/terraform-provider-aws" ] && [ "$(cat "$stub_dir/.stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "schema-only providers already built"
else
  mkdir -p "$stub_dir"
  go build -C "$root/terraform/stubprovider" -o "$stub_dir/terraform-provider-aws" .
  for name in google cloudflare; do
    cp "$stub_dir/terraform-provider-aws" "$stub_dir/terraform-provider-$name"
  done
  echo "$stamp" > "$stub_dir/.stamp"
  echo "schema-only providers built in $stub_dir"
fi

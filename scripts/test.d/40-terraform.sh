#!/usr/bin/env bash
# Checks of terraform/ that are not Go tests: formatting (terraform fmt), go vet
# of terraform/stubprovider (outside the main module's ./...) and
# tflint with its bundled Terraform ruleset, offline. The schema checks,
# terraform validate, the sync module's apply tests and the artefact checks
# are Go tests (terraform/*_test.go).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
tools=${TOOLS:-$root/.tools}
export TF_CLI_CONFIG_FILE="$root/terraform/cli.tfrc" CHECKPOINT_DISABLE=1
for tool in terraform tflint; do
  if [ ! -x "$tools/bin/$tool" ]; then
    echo "FAIL: $tools/bin/$tool is missing; scripts/setup builds it" >&2
    exit 1
  fi
done

start=$SECONDS
echo "terraform fmt -check -recursive terraform"
if ! "$tools/bin/terraform" fmt -check -recursive -diff terraform; then
  echo "FAIL: terraform fmt would change the files above (run: terraform fmt -recursive terraform)" >&2
  exit 1
fi

echo "go vet (terraform/stubprovider, a Go module of its own)"
(cd terraform/stubprovider && go vet .)

echo "tflint --recursive (terraform/.tflint.hcl)"
"$tools/bin/tflint" --chdir=terraform --recursive --config="$root/terraform/.tflint.hcl" --format=compact
echo "terraform: fmt, vet and tflint clean in $((SECONDS - start))s"

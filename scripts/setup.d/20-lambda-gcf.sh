#!/usr/bin/env bash
# The AWS Lambda Runtime Interface Emulator, for the Lambda emulator tests
# (lambda/emulator_test.go). The Google Cloud Functions tests need nothing
# beyond Go: they run the Functions Framework's own server.
set -euo pipefail
: "${GOBIN:?run through scripts/setup}"
version=v0.0.0-20261030222936-bef5c4ba774d
stamp="$GOBIN/.aws-lambda-rie.version"
if [ -x "$GOBIN/aws-lambda-rie" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then
  exit 0
fi
GOBIN="$GOBIN" go install "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@$version"
echo "$version" > "$stamp"

#!/usr/bin/env bash
# The documented packaging commands, end to end: the Lambda zips for both
# architectures and the Cloud Functions source, each made twice and
# compared byte for byte.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for run in a b; do
  go run ./lambda/cmd/package -out "$tmp/$run/lambda"
  go run ./gcf/cmd/package -out "$tmp/$run/gcf"
done
for f in lambda/bootstrap-amd64.zip lambda/bootstrap-arm64.zip gcf/source.zip; do
  a=$(sha256sum < "$tmp/a/$f")
  b=$(sha256sum < "$tmp/b/$f")
  if [ "$a" != "$b" ]; then
    echo "$f differs between two runs of the same source"
    exit 1
  fi
  size=$(wc -c < "$tmp/a/$f")
  if [ "$size" -lt 100000 ]; then
    echo "$f is only $size bytes"
    exit 1
  fi
done
test -f "$tmp/a/gcf/source/go.mod" && test -f "$tmp/a/gcf/source/function.go" && test -f "$tmp/a/gcf/source/vendor/modules.txt"
echo "lambda and gcf packages: reproducible"

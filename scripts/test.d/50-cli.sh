#!/usr/bin/env bash
# Lints the sample GitHub Actions pipelines where a project keeps them
# (.github/workflows/ of a git repository), so that the calls between the
# two workflows are checked too. The GitLab pipeline and the structure of
# both are checked by the Go tests of samples/ci.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/.github/workflows"
cp "$root"/samples/ci/github/*.yml "$tmp/.github/workflows/"
git -C "$tmp" init -q
(cd "$tmp" && actionlint)
echo "actionlint: samples/ci/github/*.yml ok"

#!/usr/bin/env bash
# actionlint, which checks the GitHub Actions pipelines of samples/ci
# (scripts/test.d/50-cli.sh), and shellcheck, which actionlint runs on their
# shell steps (from Debian's packages, when running as root).
set -euo pipefail
: "${GOBIN:?run through scripts/setup}"
version=v1.7.12
if [ ! -x "$GOBIN/actionlint" ] || [ "$("$GOBIN/actionlint" -version | head -n 1)" != "$version" ]; then
  GOBIN="$GOBIN" go install "github.com/rhysd/actionlint/cmd/actionlint@$version"
fi
"$GOBIN/actionlint" -version | head -n 1
if ! command -v shellcheck >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "shellcheck is missing (apt-get install shellcheck); actionlint will not check the pipelines' shell steps" >&2
    exit 0
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends shellcheck >/dev/null 2>&1 || {
    apt-get update >/dev/null
    apt-get install -y --no-install-recommends shellcheck >/dev/null
  }
fi
shellcheck --version | sed -n 2p

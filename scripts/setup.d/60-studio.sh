#!/usr/bin/env bash
# Installs the browsers of the Studio's browser tests from Debian's packages:
# chromium (studio/browser_test.go, driven with chromedp from go.mod) and
# firefox-esr (studio/marionette_test.go).
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v firefox-esr >/dev/null 2>&1 || command -v firefox >/dev/null 2>&1 || missing+=(firefox-esr)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing ${missing[*]}; installing needs root (apt-get install -y ${missing[*]}); the browser tests will be skipped" >&2
    exit 0
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}" fonts-dejavu-core
fi
chromium --version 2>/dev/null || true
firefox-esr --version 2>/dev/null || firefox --version 2>/dev/null || true

#!/usr/bin/env bash
# Installs workerd (Cloudflare's Workers runtime, the npm package) into
# $TOOLS/cloudflare for the Cloudflare worker tests (cloudflare-wasm/).
set -euo pipefail
: "${TOOLS:?TOOLS is set by scripts/setup}"
version=1.20261117.1
dir="$TOOLS/cloudflare"
bin="$dir/node_modules/.bin/workerd"
if [ -x "$bin" ] && [ "$(node -p "require('$dir/node_modules/workerd/package.json').version" 2>/dev/null)" = "$version" ]; then
  echo "workerd $version already installed"
  exit 0
fi
mkdir -p "$dir"
npm install --prefix "$dir" --no-audit --no-fund --no-save "workerd@$version"
"$bin" --version

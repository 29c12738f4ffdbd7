#!/usr/bin/env bash
# Installs, into $TOOLS/cloudflare, what the Cloudflare worker's tests use
# (cloudflare-wasm/): workerd, Cloudflare's Workers runtime, which runs the
# worker in the Go tests; and Wrangler with the Node 22 it needs, which
# checks and bundles the worker's wrangler.toml (scripts/test.d).
set -euo pipefail
: "${TOOLS:?TOOLS is set by scripts/setup}"
dir="$TOOLS/cloudflare"
packages=(workerd@1.20261117.1 wrangler@4.164.0 node@22.23.3)

installed() { # name@version is in $dir
  local name=${1%@*} version=${1##*@}
  [ "$(node -p "require('$dir/node_modules/$name/package.json').version" 2>/dev/null)" = "$version" ]
}
missing=()
for p in "${packages[@]}"; do
  installed "$p" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ] && [ -x "$dir/node_modules/.bin/workerd" ]; then
  echo "already installed: ${packages[*]}"
  exit 0
fi
mkdir -p "$dir"
npm install --prefix "$dir" --no-audit --no-fund --no-save "${packages[@]}"
"$dir/node_modules/.bin/workerd" --version
"$dir/node_modules/.bin/node" --version

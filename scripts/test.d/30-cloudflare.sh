#!/usr/bin/env bash
# Checks of the Cloudflare worker (cloudflare-wasm/) that are not Go tests:
# the gate's Node tests, and the example worker's build: no net/http linked,
# bridge.wasm within its size budget, and wrangler.toml accepted and
# bundled by Wrangler (deploy --dry-run: nothing leaves the machine).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

# Gzipped size of the example's bridge.wasm (gzip -9), measured at
# 2,992,690 bytes (12,041,096 raw) with Go 1.26.8; the budget is 10% above.
# Cloudflare limits a worker to 3 MB compressed on the free plan and 10 MB
# on paid plans.
budget=3290000

echo "node --test --test-force-exit --test-timeout=30000 cloudflare-wasm/worker/gate.test.mjs"
node --test --test-force-exit --test-timeout=30000 cloudflare-wasm/worker/gate.test.mjs

if GOOS=js GOARCH=wasm go list -deps ./cloudflare-wasm/example | grep -qx 'net/http'; then
  echo "FAIL: the example worker links net/http" >&2
  exit 1
fi
# bluemonday is the HTML sanitiser's test oracle only; its CSS parsers
# compile large regular expressions at start-up.
if GOOS=js GOARCH=wasm go list -deps ./cloudflare-wasm/example | grep -E '^github.com/(microcosm-cc/bluemonday|gorilla/css|aymerick/douceur)(/|$)'; then
  echo "FAIL: the example worker links bluemonday or its CSS parsers" >&2
  exit 1
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
bash cloudflare-wasm/build.sh ./cloudflare-wasm/example "$out" >/dev/null
raw=$(wc -c <"$out/bridge.wasm")
gz=$(gzip -9 -c "$out/bridge.wasm" | wc -c)
bundle=$(cat "$out/worker.mjs" "$out/gate.mjs" "$out/wasm_exec.js" | gzip -9 | wc -c)
echo "bridge.wasm: $raw bytes, $gz gzipped (budget $budget); JavaScript modules: $bundle gzipped"
if [ "$gz" -gt "$budget" ]; then
  echo "FAIL: bridge.wasm grew past its size budget: $gz > $budget bytes gzipped" >&2
  exit 1
fi

bin="${TOOLS:-$root/.tools}/cloudflare/node_modules/.bin"
if [ ! -x "$bin/wrangler" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "FAIL: wrangler is missing; scripts/setup installs it" >&2
    exit 1
  fi
  echo "skip: wrangler is missing; run scripts/setup to install it"
  exit 0
fi
# Wrangler runs on the Node 22 installed next to it.
report=$(cd "$out" && PATH="$bin:$PATH" WRANGLER_SEND_METRICS=false CI=true \
  wrangler deploy --dry-run --outdir "$out/bundle" 2>&1) || {
  echo "$report" >&2
  echo "FAIL: wrangler deploy --dry-run refused the worker" >&2
  exit 1
}
echo "$report" | grep -E "Total Upload" || true
if ! ls "$out/bundle"/*.wasm >/dev/null 2>&1 || [ ! -s "$out/bundle/worker.js" ]; then
  ls -la "$out/bundle" >&2
  echo "FAIL: wrangler did not bundle worker.mjs with bridge.wasm as a module" >&2
  exit 1
fi

#!/usr/bin/env bash
# Builds the Cloudflare worker of a bridge into one folder ready for
# wrangler, workerd or Terraform:
#
#   cloudflare-wasm/build.sh [MAIN_PACKAGE] [OUT_DIR]
#
# MAIN_PACKAGE is the Go main package to compile to WebAssembly (default:
# cloudflare-wasm/example); OUT_DIR defaults to dist/cloudflare at the
# repository root. OUT_DIR then holds:
#   worker.mjs     the worker module (main module, ES module)
#   gate.mjs       its request queue (ES module imported by worker.mjs)
#   wasm_exec.js   Go's JavaScript support, from this Go toolchain
#   bridge.wasm    the Go program (imported as a compiled WebAssembly module)
#   wrangler.toml  and workerd.capnp, to deploy or run it locally
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pkg=${1:-$here/example}
out=${2:-$here/../dist/cloudflare}

goroot=$(go env GOROOT)
wasm_exec="$goroot/lib/wasm/wasm_exec.js"
[ -f "$wasm_exec" ] || wasm_exec="$goroot/misc/wasm/wasm_exec.js" # Go before 1.24
if [ ! -f "$wasm_exec" ]; then
  echo "build.sh: wasm_exec.js not found under $goroot" >&2
  exit 1
fi

mkdir -p "$out"
out=$(cd "$out" && pwd)
GOOS=js GOARCH=wasm CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "$out/bridge.wasm.tmp" "$pkg"
mv "$out/bridge.wasm.tmp" "$out/bridge.wasm"
cp "$wasm_exec" "$out/wasm_exec.js"
cp "$here/worker/worker.mjs" "$here/worker/gate.mjs" "$here/worker/wrangler.toml" "$here/worker/workerd.capnp" "$out/"

raw=$(wc -c <"$out/bridge.wasm")
gz=$(gzip -9 -c "$out/bridge.wasm" | wc -c)
echo "built $out: bridge.wasm $raw bytes, $gz gzipped"

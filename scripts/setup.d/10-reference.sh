#!/usr/bin/env bash
# The official Novu SDK bridge (@novu/framework, pinned by package-lock.json),
# for the differential conformance test and the side-by-side benchmark.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
src="$root/internal/conformance/reference"
dst="$TOOLS/reference"
if [ -f "$dst/.installed" ] && cmp -s "$src/package-lock.json" "$dst/package-lock.json"; then
  cp "$src/server.mjs" "$dst/server.mjs"
  exit 0
fi
mkdir -p "$dst"
cp "$src/package.json" "$src/package-lock.json" "$src/server.mjs" "$dst/"
(cd "$dst" && npm ci --no-audit --no-fund --loglevel=error)
touch "$dst/.installed"

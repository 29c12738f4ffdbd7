#!/usr/bin/env bash
# Unit tests of the Studio page's JavaScript helpers (node's test runner; no
# packages needed). The page itself is tested in real browsers by
# `go test ./studio` (studio/browser_test.go, studio/marionette_test.go).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
node --test "$root"/studio/jstest/*.test.mjs

#!/usr/bin/env bash
# A short side-by-side run of the reference bridge and ours (bench/run
# -short: one round of 1 s per scenario and server, 3 cold starts each). It
# fails when an answer had an unexpected status or a server died; timings
# are printed, never checked.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
exec "$root/bench/run" -short

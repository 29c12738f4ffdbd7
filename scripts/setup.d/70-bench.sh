#!/usr/bin/env bash
# The benchmark tools: the load generator, the side-by-side comparison and
# our benchmark server, built into $GOBIN. The reference bridge they compare
# against is installed by 10-reference.sh; pinning uses taskset (util-linux).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
for tool in load compare gobridge; do
  go build -trimpath -o "$GOBIN/echofn-bench-$tool" "./bench/cmd/$tool"
done
if ! command -v taskset >/dev/null 2>&1; then
  echo "note: taskset (util-linux) is missing; bench/run will not pin the servers to a CPU" >&2
fi

#!/usr/bin/env bash
# Regenerates providers.json: the schema, at the pinned provider versions,
# of every resource and data source type used under terraform/, taken from
# the prebuilt CDKTF provider packages (each generated from one stated
# provider version). Run it after adding a resource type or changing a
# provider version (then change the PACKAGES pins and required_providers
# together):
#
#   terraform/testdata/schema/generate.sh
#
# The packages (about 250 MB unpacked) go to $TOOLS/cdktf-providers.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
tools=${TOOLS:-$root/.tools}
dir="$tools/cdktf-providers"

# aws 6.25.0, google 6.50.0, cloudflare 5.14.0
PACKAGES=(
  @cdktf/provider-aws@21.22.1
  @cdktf/provider-google@16.12.1
  @cdktf/provider-cloudflare@13.9.1
)

stamp="$dir/.packages"
if [ "$(cat "$stamp" 2>/dev/null)" != "${PACKAGES[*]}" ]; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-audit --no-fund --ignore-scripts --legacy-peer-deps "${PACKAGES[@]}"
  echo "${PACKAGES[*]}" > "$stamp"
fi
node "$here/extract.mjs" "$dir/node_modules" "$root/terraform" > "$here/providers.json.tmp"
mv "$here/providers.json.tmp" "$here/providers.json"
echo "wrote $here/providers.json"

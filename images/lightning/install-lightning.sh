#!/bin/sh
# install-lightning.sh APP_DIR: installs Lightning's dependencies exactly as npm-shrinkwrap.json locks them (every
# package from the registry NPM_REGISTRY, checked against its integrity hash), then builds its one native module
# (sqlite3) from source against this image's Node, so nothing is downloaded from anywhere but the registry.
set -eu
app="${1:?usage: install-lightning.sh APP_DIR}"
lib="$(dirname "$0")"
fail() {
  printf 'stars lightning image: %s\n' "$*" >&2
  exit 1
}
[ -n "${NPM_REGISTRY:-}" ] || fail "build argument NPM_REGISTRY is not set"
node "$lib/registry-only.js" "$app"
# The lock names the public registry; a site's registry serves the same tarballs, which the hashes still check.
node -e '
  var fs = require("fs"), file = process.argv[1], registry = process.argv[2].replace(/\/*$/, "/");
  var text = fs.readFileSync(file, "utf8").split("https://registry.npmjs.org/").join(registry);
  fs.writeFileSync(process.argv[3], text);
' "$lib/npm-shrinkwrap.json" "$NPM_REGISTRY" "$app/npm-shrinkwrap.json"
cd "$app"
npm ci --production --ignore-scripts --no-audit --registry "$NPM_REGISTRY"
npm rebuild sqlite3 --build-from-source --unsafe-perm --nodedir=/usr/local --registry "$NPM_REGISTRY"
node -e 'require("sqlite3")' || fail "sqlite3 does not load after its build"
chmod -R go-w "$app"
printf 'stars lightning image: %s packages from %s\n' "$(find node_modules -name package.json -path '*/node_modules/*/package.json' | wc -l)" "$NPM_REGISTRY"

#!/usr/bin/env bash
# Stands up the dev stack (one host, master + agent) on this machine's Docker engine, with Pulumi's local
# file backend: no cloud account, no Pulumi Cloud login. Extra arguments go to `pulumi up`.
# The checks that need nothing installed come first, so a missing engine is reported before `npm ci` runs.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() {
  echo "error: $*" >&2
  exit 1
}

command -v node >/dev/null 2>&1 || fail "Node.js 20+ is not installed; install it from https://nodejs.org"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] || fail "Node.js $(node -v) is too old; the program needs Node.js 20 or newer"
docker info >/dev/null 2>&1 ||
  fail "no Docker engine answers on this machine (DOCKER_HOST=${DOCKER_HOST:-unset}); start Docker: the dev stack runs its containers there"

[ -d node_modules ] || npm ci

# A Pulumi CLI on PATH wins; otherwise the project's own `pulumi` npm package (a devDependency) runs it, and
# downloads the CLI into ~/.pulumi/versions/<version> the first time.
if command -v pulumi >/dev/null 2>&1; then
  pulumi_cli=(pulumi)
elif [ -x node_modules/.bin/pulumi ]; then
  pulumi_cli=(node_modules/.bin/pulumi)
  echo "using the Pulumi CLI from the pulumi npm package (its first run downloads the CLI from get.pulumi.com)" >&2
else
  fail "no Pulumi CLI: none on PATH, and node_modules/.bin/pulumi is missing; run npm ci, or install the CLI: https://www.pulumi.com/docs/iac/download-install/"
fi
"${pulumi_cli[@]}" version >/dev/null ||
  fail "the Pulumi CLI did not run (${pulumi_cli[*]} version failed); offline, install it by hand: https://www.pulumi.com/docs/iac/download-install/"

export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$HOME/.pulumi-stars}"
# The local backend encrypts secrets with a passphrase; an empty one is fine for a throwaway trial.
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-}"
case "$PULUMI_BACKEND_URL" in
  file://*) mkdir -p "${PULUMI_BACKEND_URL#file://}" ;;
esac

# Pulumi runs the compiled program (Pulumi.yaml main: bin/pulumi-main.js).
npm run build
"${pulumi_cli[@]}" stack select dev --create --non-interactive
"${pulumi_cli[@]}" up --stack dev --yes --non-interactive "$@"

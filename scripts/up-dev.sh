#!/usr/bin/env bash
# Stands up the dev stack (one host, master + agent) on this machine's Docker engine, with Pulumi's local
# file backend: no cloud account, no Pulumi Cloud login. Extra arguments go to `pulumi up`.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v pulumi >/dev/null 2>&1; then
  echo "error: the Pulumi CLI is not installed; see https://www.pulumi.com/docs/iac/download-install/" >&2
  exit 1
fi
if ! docker info >/dev/null 2>&1; then
  echo "error: no Docker engine answers on this machine; start Docker (the dev stack runs its containers there)" >&2
  exit 1
fi

export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$HOME/.pulumi-stars}"
# The local backend encrypts secrets with a passphrase; an empty one is fine for a throwaway trial.
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-}"
case "$PULUMI_BACKEND_URL" in
  file://*) mkdir -p "${PULUMI_BACKEND_URL#file://}" ;;
esac

[ -d node_modules ] || npm ci
# Pulumi runs the compiled program (Pulumi.yaml main: bin/pulumi-main.js).
npm run build
pulumi stack select dev --create --non-interactive
pulumi up --stack dev --yes --non-interactive "$@"

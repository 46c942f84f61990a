#!/bin/sh
# fetch-jar.sh OUT: downloads the jar BLAZEGRAPH_URL names to OUT, refusing it unless its sha256 is the one the
# catalog pins (BLAZEGRAPH_SHA256).
set -eu
out="${1:?usage: fetch-jar.sh OUT}"
fail() {
  printf 'stars blazegraph image: %s\n' "$*" >&2
  exit 1
}
[ -n "${BLAZEGRAPH_URL:-}" ] || fail "build argument BLAZEGRAPH_URL is not set"
printf '%s' "${BLAZEGRAPH_SHA256:-}" | grep -Eq '^[0-9a-f]{64}$' || fail "build argument BLAZEGRAPH_SHA256 is not a sha256"
mkdir -p "$(dirname "$out")"
trap 'rm -f "$out.part"' EXIT
curl -fsSL -o "$out.part" "$BLAZEGRAPH_URL"
printf '%s  %s\n' "$BLAZEGRAPH_SHA256" "$out.part" | sha256sum -c - >/dev/null ||
  fail "$BLAZEGRAPH_URL does not have the sha256 the catalog pins ($BLAZEGRAPH_SHA256)"
mv "$out.part" "$out"
chmod 0644 "$out"
printf 'stars blazegraph image: %s (sha256 %s)\n' "$out" "$BLAZEGRAPH_SHA256"

#!/bin/sh
# fetch-source.sh OUT: downloads the source archive LIGHTNING_URL names, refuses it unless git computes the
# tree id LIGHTNING_TREE over what it unpacked (the release commit's tree, so every file and mode is upstream's),
# and leaves the source in OUT.
set -eu
out="${1:?usage: fetch-source.sh OUT}"
fail() {
  printf 'stars lightning image: %s\n' "$*" >&2
  exit 1
}
[ -n "${LIGHTNING_URL:-}" ] || fail "build argument LIGHTNING_URL is not set"
printf '%s' "${LIGHTNING_TREE:-}" | grep -Eq '^[0-9a-f]{40}$' || fail "build argument LIGHTNING_TREE is not a git tree id"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
curl -fsSL -o "$work/source.tar.gz" "$LIGHTNING_URL"
mkdir -p "$out"
tar -xzf "$work/source.tar.gz" -C "$out" --strip-components 1 --no-same-owner
# -f: the release commit tracks its built bundles under public/, which its own .gitignore names.
found="$(cd "$out" && GIT_DIR="$work/verify.git" git init -q && GIT_DIR="$work/verify.git" GIT_WORK_TREE=. git add -A -f &&
  GIT_DIR="$work/verify.git" git write-tree)"
[ "$found" = "$LIGHTNING_TREE" ] || fail "the source at $LIGHTNING_URL has git tree $found, the catalog pins $LIGHTNING_TREE"
printf 'stars lightning image: source tree %s\n' "$found"

#!/bin/sh
# fetch-livy.sh OUT: downloads the Livy release LIVY_URL names, refuses it unless its SHA-512 is LIVY_SHA512 or,
# when the catalog records none, the one in the .sha512 file the release publishes beside it (written by
# dev/release-build.sh with `gpg --print-md SHA512` up to 0.8.0, `shasum -a 512` from 0.9.0), and unpacks it into
# OUT. Busybox (the download image) has unzip.
set -eu
out="${1:?usage: fetch-livy.sh OUT}"
fail() {
  printf 'stars livy image: %s\n' "$*" >&2
  exit 1
}
[ -n "${LIVY_URL:-}" ] || fail "build argument LIVY_URL is not set"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
curl -fsSL -o "$work/livy.zip" "$LIVY_URL"
want="${LIVY_SHA512:-}"
from='the catalog'
if [ -z "$want" ]; then
  curl -fsSL -o "$work/livy.zip.sha512" "$LIVY_URL.sha512"
  published="$(cat "$work/livy.zip.sha512")"
  case "$published" in
  # `gpg --print-md SHA512` (0.8.0): "<file>: <hex in groups of 8, upper case, over several lines>"
  *:*) want="$(printf '%s' "${published#*:}" | tr -d ' \t\r\n' | tr 'A-F' 'a-f')" ;;
  # `shasum -a 512` (0.9.0): "<hex>  <file>"
  *) want="$(printf '%s\n' "$published" | sed -n '1s/^\([0-9a-fA-F]*\).*$/\1/p' | tr 'A-F' 'a-f')" ;;
  esac
  from="$LIVY_URL.sha512"
fi
printf '%s' "$want" | grep -Eq '^[0-9a-f]{128}$' || fail "no SHA-512 in $from"
printf '%s  %s\n' "$want" "$work/livy.zip" | sha512sum -c - >/dev/null 2>&1 ||
  fail "$LIVY_URL does not have the SHA-512 in $from ($want)"
unzip -q "$work/livy.zip" -d "$work/unpacked"
set -- "$work"/unpacked/*
if [ "$#" -ne 1 ] || [ ! -x "$1/bin/livy-server" ]; then
  fail "the release does not unpack to one directory with bin/livy-server"
fi
mkdir -p "$(dirname "$out")"
mv "$1" "$out"
chmod -R a+rX,go-w "$out"
printf 'stars livy image: %s (SHA-512 from %s)\n' "$(basename "$LIVY_URL")" "$from"

#!/bin/sh
# build-mesos-dns.sh OUT: downloads Go and the Mesos-DNS source from the URLs the build arguments name (upstream's
# or the site's download mirror), refuses either when its checksum differs, and builds a static mesos-dns into
# OUT the way upstream's CI did (GOPATH mode, the vendored dependencies, -X main.Version).
set -eu
out="${1:?usage: build-mesos-dns.sh OUT}"
fail() {
  printf 'stars mesos-dns image: %s\n' "$*" >&2
  exit 1
}
for arg in GO_URL GO_VERSION GO_SHA256 MESOS_DNS_COMMIT MESOS_DNS_SOURCE_URL MESOS_DNS_TREE_SHA256 MESOS_DNS_VERSION; do
  eval "value=\${$arg:-}"
  [ -n "$value" ] || fail "build argument $arg is not set"
done
here="$(dirname "$0")"
work="$(mktemp -d)"
curl -fsSL -o "$work/go.tar.gz" "$GO_URL"
printf '%s  %s\n' "$GO_SHA256" "$work/go.tar.gz" | sha256sum -c - >/dev/null ||
  fail "go${GO_VERSION}.linux-amd64.tar.gz does not have the sha256 the catalog pins"
tar -xzf "$work/go.tar.gz" -C "$work"
src="$work/gopath/src/github.com/mesosphere/mesos-dns"
mkdir -p "$src"
curl -fsSL -o "$work/mesos-dns.tar.gz" "$MESOS_DNS_SOURCE_URL"
tar -xzf "$work/mesos-dns.tar.gz" -C "$src" --strip-components 1
found="$(sh "$here/tree-sha256.sh" "$src")"
[ "$found" = "$MESOS_DNS_TREE_SHA256" ] ||
  fail "the source of ${MESOS_DNS_COMMIT} has tree sha256 $found, the catalog pins $MESOS_DNS_TREE_SHA256"
mkdir -p "$out"
cd "$src"
GOROOT="$work/go" GOPATH="$work/gopath" GO111MODULE=off CGO_ENABLED=0 GOCACHE="$work/cache" \
  "$work/go/bin/go" build -ldflags "-X main.Version=${MESOS_DNS_VERSION}" -o "$out/mesos-dns" .
version="$("$out/mesos-dns" -version)"
[ "$version" = "$MESOS_DNS_VERSION" ] || fail "the binary says it is $version, not $MESOS_DNS_VERSION"
rm -rf "$work"
printf 'stars mesos-dns image: Mesos-DNS %s from %s\n' "$version" "$MESOS_DNS_COMMIT"

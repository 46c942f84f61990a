#!/usr/bin/env bash
# The lab's host image where no registry is reachable: debootstrap a Debian 12 root from the Debian mirror, run
# images/lab-host/host-setup.sh in it (as the Dockerfile there does on debian:12), then `docker import` it.
# scripts/lib/lab/base-image.ts picks the tag from a hash of these files, so an unchanged host is built once.
set -euo pipefail

tag="${1:?usage: build-base-image.sh <image tag> [debian mirror]}"
mirror="${2:-http://deb.debian.org/debian}"
here="$(cd "$(dirname "$0")" && pwd)"
setup="$here/../../images/lab-host/host-setup.sh"
command -v debootstrap >/dev/null || { echo "debootstrap is not installed (apt-get install debootstrap)" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "debootstrap needs root" >&2; exit 1; }

root="$(mktemp -d /var/tmp/stars-lab-rootfs.XXXXXX)"
trap 'rm -rf "$root" "$root.log"' EXIT
# The same packages host-setup.sh installs, fetched by debootstrap so the chroot needs no network of its own.
packages="$(sed -n '/^PACKAGES=(/,/^)/p' "$setup" | grep -v '[()]' | xargs | tr ' ' ,)"
if ! debootstrap --variant=minbase --include="$packages" bookworm "$root" "$mirror" >"$root.log" 2>&1; then
  tail -n 20 "$root.log" >&2
  exit 1
fi
printf 'deb %s bookworm main\n' "$mirror" >"$root/etc/apt/sources.list"
install -D -m 0755 "$setup" "$root/usr/local/lib/stars-lab/host-setup.sh"
chroot "$root" bash /usr/local/lib/stars-lab/host-setup.sh

tar -C "$root" -c . | docker import \
  -c 'ENTRYPOINT ["/sbin/init"]' -c 'ENV container=docker' \
  -m "Stars lab host: Debian 12 from debootstrap" - "$tag" >/dev/null
echo "$tag"

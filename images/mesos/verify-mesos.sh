#!/bin/sh
# Build-time check of the Stars Mesos image: fails the build, naming what is missing, instead of shipping an
# image whose master, agent or executor cannot start.
set -eu
fail() {
  printf 'stars mesos image: %s\n' "$*" >&2
  exit 1
}
[ -n "${MESOS_VERSION:-}" ] || fail "build argument MESOS_VERSION is not set"
for binary in mesos-master mesos-agent; do
  command -v "$binary" >/dev/null 2>&1 || fail "$binary is not on PATH in the base image"
done
found="$(mesos-master --version 2>&1 | awk '{ print $2; exit }')"
[ "$found" = "$MESOS_VERSION" ] || fail "the base image has Mesos $found, the catalog pins $MESOS_VERSION"
executor=""
for dir in /usr/libexec/mesos /usr/local/libexec/mesos; do
  [ -x "$dir/mesos-docker-executor" ] && executor="$dir/mesos-docker-executor"
done
[ -n "$executor" ] || fail "mesos-docker-executor is missing"
libmesos=""
for candidate in /usr/lib/libmesos-*.so /usr/local/lib/libmesos-*.so; do
  [ -f "$candidate" ] && libmesos="$candidate" && break
done
[ -n "$libmesos" ] || fail "libmesos-<version>.so is missing"
if ! report="$(ldd "$libmesos" 2>&1)" || printf '%s\n' "$report" | grep -q 'not found'; then
  fail "libmesos needs libraries the image lacks: $(printf '%s\n' "$report" | grep 'not found' | tr '\n' ' ')"
fi
# Framework and agent authentication is SASL CRAM-MD5, a Cyrus SASL plugin (libsasl2-modules).
ls /usr/lib/*/sasl2/libcrammd5.so* /usr/lib/sasl2/libcrammd5.so* >/dev/null 2>&1 ||
  fail "the Cyrus SASL CRAM-MD5 plugin (libsasl2-modules) is missing"
docker --version >/dev/null 2>&1 || fail "the Docker CLI does not run in this image"
# MESOS_HTTP checks run exactly this from the executor's PATH; a closed port must answer 000, not a loader error.
code="$(curl -s -S -L -k -w '%{http_code}' -o /dev/null -g http://127.0.0.1:9/ 2>/dev/null)" || true
[ "$code" = 000 ] || fail "curl for MESOS_HTTP health checks does not run from PATH (got: $code)"
printf 'stars mesos image: Mesos %s, %s, %s\n' "$found" "$executor" "$(docker --version)"

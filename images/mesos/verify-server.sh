#!/bin/bash
# verify-server.sh NAME PORT PATH STATUS SECONDS COMMAND...: build-time check of an app image (Stars livy,
# blazegraph, jupyter and lightning images) that its server starts from what the image holds. Runs COMMAND in
# the background, asks http://127.0.0.1:PORT/PATH once a second until the answer's status is STATUS, then stops
# the server. Fails the build, with the server's last output, when it exits or does not answer in SECONDS.
# bash for /dev/tcp: the app images have no common HTTP client (every one of their bases has bash).
set -euo pipefail
name="${1:?usage: verify-server.sh NAME PORT PATH STATUS SECONDS COMMAND...}"
port="${2:?port}" path="${3:?path}" want="${4:?status}" seconds="${5:?seconds}"
shift 5
fail() {
  printf 'stars %s image: %s\n' "$name" "$*" >&2
  exit 1
}
[[ "$port" =~ ^[0-9]{1,5}$ && "$port" -ge 1 && "$port" -le 65535 ]] || fail "port $port is not 1-65535"
[[ "$path" =~ ^/[A-Za-z0-9._/-]*$ ]] || fail "path $path is not an absolute URL path"
[[ "$want" =~ ^[1-5][0-9][0-9]$ ]] || fail "status $want is not an HTTP status"
[[ "$seconds" =~ ^[0-9]{1,4}$ && "$seconds" -ge 1 ]] || fail "seconds $seconds is not 1-9999"
[ "$#" -gt 0 ] || fail "no command to start"

log="$(mktemp)"
# Its own process group, so stopping it stops what it started (Lightning's forever, Livy's JVM).
setsid "$@" >"$log" 2>&1 &
server=$!
trap 'kill -TERM -- "-$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -f "$log"' EXIT

# The status code of one GET, or nothing when the port does not answer.
status_of() {
  local line=''
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 0
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$path" >&3
  IFS= read -r -t 5 line <&3 || true
  exec 3>&-
  [[ "$line" =~ ^HTTP/[0-9.]+\ ([0-9]{3}) ]] && printf '%s' "${BASH_REMATCH[1]}"
}

got=''
for _ in $(seq 1 "$seconds"); do
  if ! kill -0 "$server" 2>/dev/null; then
    fail "the server exited before it answered on port $port: $(tail -n 20 "$log")"
  fi
  got="$(status_of 2>/dev/null || true)"
  if [ "$got" = "$want" ]; then
    printf 'stars %s image: the server answers %s on %s\n' "$name" "$got" "$path"
    exit 0
  fi
  sleep 1
done
fail "no $want on port $port$path within ${seconds}s (last answer: ${got:-none}): $(tail -n 20 "$log")"

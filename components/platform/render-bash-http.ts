/**
 * A minimal HTTP client in bash for the gate and drain scripts: they run on cluster hosts, which are only
 * known to have bash (/dev/tcp) and coreutils. Requests are HTTP/1.0, so no server answers with chunked
 * transfer encoding (a 1.1 server may, and a body read as is would then carry the chunk sizes) and each closes
 * the connection after its answer, which is read to EOF. Bodies are ASCII JSON, so their length in characters
 * is their length in bytes. `AUTH_HEADER` is an `Authorization:` line or empty.
 */
export const BASH_HTTP_CLIENT = `AUTH_HEADER=""
if [ -n "$CREDENTIAL" ]; then AUTH_HEADER="Authorization: Basic $(printf '%s' "$CREDENTIAL" | base64 -w0)"$'\\r\\n'; fi
# http_request HOST:PORT METHOD PATH [BODY]: sets STATUS and BODY (STATUS is empty when nothing answered).
http_request() {
  local response
  STATUS=""
  BODY=""
  # shellcheck disable=SC2016 # the inner bash expands its own arguments ($0 $1 …)
  response="$(timeout 5 bash -c 'exec 3<>"/dev/tcp/\${0%:*}/\${0##*:}" || exit 1
printf "%s %s HTTP/1.0\\r\\nHost: %s\\r\\n%sAccept: text/plain, application/json\\r\\nContent-Type: application/json\\r\\nContent-Length: %s\\r\\n\\r\\n%s" "$1" "$2" "$0" "$4" "\${#3}" "$3" >&3
cat <&3' "$1" "$2" "$3" "\${4:-}" "$AUTH_HEADER" 2>/dev/null)" || return 1
  STATUS="$(printf '%s\\n' "$response" | head -n 1 | tr -d '\\r' | awk '{ print $2 }')"
  BODY="$(printf '%s\\n' "$response" | sed '1,/^\\r\\{0,1\\}$/d')"
  [ -n "$STATUS" ]
}
# The first 120 characters of the last body, on one line: what a failure message quotes.
body_excerpt() { printf '%s' "$BODY" | head -c 120 | tr '\\n' ' '; }`;

/**
 * A ZooKeeper four-letter word in bash for the gate and the leader probe: \`four_letter_word ADDRESS PORT WORD\`
 * prints the whole answer, within 5 s, and fails when nothing answers.
 */
export const BASH_FOUR_LETTER_WORD = `four_letter_word() {
  # shellcheck disable=SC2016 # the inner bash expands its own arguments ($0 $1 …)
  timeout 5 bash -c 'exec 3<>"/dev/tcp/$0/$1" && printf "%s" "$2" >&3 && cat <&3' "$1" "$2" "$3" 2>/dev/null
}`;

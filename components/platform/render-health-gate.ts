import { shellQuote } from '../hosts/render-bootstrap';
import type { GatePlan, HttpCheck } from './plan-gates';
import { BASH_FOUR_LETTER_WORD, BASH_HTTP_CLIENT } from './render-bash-http';
import { HTTP_USER, secretPlaceholder } from './render-secrets';

/**
 * The health gate of one member as a bash script, run on the member's own host (over SSH, or locally for the
 * local host) so the host firewall never stands between the gate and the member. It needs nothing but bash
 * (/dev/tcp) and coreutils. `$1` is `create` (first creation: the process answers) or `update` (a replacement
 * in a running cluster: the member has rejoined). It probes until healthy or the timeout, then fails naming the
 * member and the last thing it saw. Credentials, when the service has them, are secret placeholders filled by
 * the component, and the script travels as the command's standard input, never on a command line.
 */

const credentialFor = (g: GatePlan): string =>
  g.auth
    ? `${HTTP_USER}:${secretPlaceholder(g.service === 'chronos' ? 'chronos-http' : 'marathon-http')}`
    : '';

function httpChecks(name: string, checks: readonly HttpCheck[]): string {
  const lines = checks.map((c) => `  check_http ${shellQuote(c.path)} ${c.expect} || return 1`);
  return `${name}() {\n${lines.join('\n')}\n}`;
}

const ZOOKEEPER_PROBE = `${BASH_FOUR_LETTER_WORD}
probe_create() {
  local answer
  answer="$(four_letter_word "$ADDRESS" "$PORT" ruok)" || {
    SAW="no answer on $ADDRESS:$PORT"
    return 1
  }
  [ "$answer" = imok ] && { SAW="ruok: imok"; return 0; }
  SAW="ruok: \${answer:-nothing}"
  return 1
}
# srvr: Mode leader or follower once the member serves in a quorum (standalone for a one-member ensemble).
probe_update() {
  local answer mode
  answer="$(four_letter_word "$ADDRESS" "$PORT" srvr)" || { SAW="no answer on $ADDRESS:$PORT"; return 1; }
  mode="$(printf '%s\\n' "$answer" | sed -n 's/^Mode: //p')"
  case "$mode" in
    leader | follower | standalone) SAW="Mode: $mode"; return 0 ;;
    '') SAW="srvr: $(printf '%s' "$answer" | head -n 1)" ;;
    *) SAW="Mode: $mode" ;;
  esac
  return 1
}`;

const HTTP_PROBE = (credential: string): string => `CREDENTIAL=${shellQuote(credential)}
${BASH_HTTP_CLIENT}
http_get() { http_request "$ADDRESS:$PORT" GET "$1"; }
check_http() {
  local path="$1" expect="$2"
  if ! http_get "$path"; then SAW="GET $path: no answer on $ADDRESS:$PORT"; return 1; fi
  case "$expect" in
    status-200) [ "$STATUS" = 200 ] ;;
    status-307) [ "$STATUS" = 307 ] ;;
    pong) [ "$STATUS" = 200 ] && printf '%s' "$BODY" | grep -q pong ;;
    ip) [ "$STATUS" = 200 ] && printf '%s' "$BODY" | grep -Eq '"ip": *"[0-9]' ;;
    leader) [ "$STATUS" = 200 ] && printf '%s' "$BODY" | grep -Eq '"leader": *"[^"]' ;;
  esac || { SAW="GET $path: HTTP \${STATUS:-?} $(body_excerpt)"; return 1; }
  SAW="GET $path: HTTP $STATUS"
}`;

export function renderGateScript(g: GatePlan): string {
  const probes =
    g.protocol === 'zookeeper'
      ? ZOOKEEPER_PROBE
      : `${HTTP_PROBE(credentialFor(g))}\n${httpChecks('probe_create', g.onCreate)}\n${httpChecks('probe_update', g.onUpdate)}`;
  return `#!/usr/bin/env bash
# Stars health gate: ${g.service} on ${g.member}. Rendered by components/platform/render-health-gate.ts.
set -uo pipefail
GATE=${shellQuote(`${g.service}/${g.member}`)}
ADDRESS=${shellQuote(g.address)}
PORT=${g.port}
TIMEOUT=${g.timeoutSeconds}
INTERVAL=\${STARS_GATE_INTERVAL:-2}
PHASE="\${1:-update}"
SAW="nothing yet"
${probes}
case "$PHASE" in
  create | update) ;;
  *) printf 'stars gate [%s] ERROR: phase must be create or update, not %s\\n' "$GATE" "$PHASE" >&2; exit 2 ;;
esac
deadline=$((SECONDS + TIMEOUT))
while :; do
  if "probe_$PHASE"; then
    printf 'stars gate [%s] healthy (%s): %s\\n' "$GATE" "$PHASE" "$SAW"
    exit 0
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    printf 'stars gate [%s] ERROR: not healthy within %s s (%s); last saw: %s\\n' "$GATE" "$TIMEOUT" "$PHASE" "$SAW" >&2
    exit 1
  fi
  sleep "$INTERVAL"
done
`;
}

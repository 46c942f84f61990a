import { shellQuote } from '../hosts/render-bootstrap';
import type { DrainPlan } from './plan-drain';
import { BASH_HTTP_CLIENT } from './render-bash-http';
import { HTTP_USER, secretPlaceholder } from './render-secrets';

/**
 * The drain of one Mesos agent as a bash script, run on the agent's own host. `$1` is the action, `$2` the
 * phase (`create`: the agent's first creation; `update`: a replacement in a running cluster):
 * - `drain update`: wait while `maxAgentsDown` other machines are down or draining (the graph orders drains so
 *   this never waits; it holds the bound when that order came from stale knowledge), add the machine to the
 *   maintenance schedule (GET, insert one window, POST: the master keeps one schedule and a POST replaces it),
 *   then POST machine/down. A machine that is already down (a resumed roll) counts as drained. `drain create`
 *   has nothing to drain.
 * - `up create|update`: POST machine/up (a machine that was never drained answers 400, which is fine), and on
 *   update wait until the agent has registered again (GET /master/slaves lists its hostname).
 * Each request goes to every master in turn until the leader answers (followers answer 307, a master without a
 * leader 503). The schedule the master prints is compact JSON with sorted keys (hostname before ip), which is
 * the form the machine id is written in here, so a plain string match finds it.
 */

function machineJson(d: DrainPlan): string {
  return JSON.stringify({ hostname: d.machine.hostname, ip: d.machine.ip });
}

/** The machine id as an extended regular expression, for taking it out of a schedule with sed. */
function machineRegex(d: DrainPlan): string {
  return machineJson(d).replace(/[{}.[\]()*+?^$|\\/]/g, '\\$&');
}

export function renderDrainScript(d: DrainPlan): string {
  const credential = d.auth ? `${HTTP_USER}:${secretPlaceholder('mesos-http')}` : '';
  const masters = d.masters.map((m) => shellQuote(`${m.address}:${m.port}`)).join(' ');
  return `#!/usr/bin/env bash
# Stars agent drain: mesos-agent on ${d.agent}. Rendered by components/platform/render-agent-drain.ts.
set -uo pipefail
AGENT=${shellQuote(d.agent)}
MACHINE=${shellQuote(machineJson(d))}
MACHINE_RE=${shellQuote(machineRegex(d))}
AGENT_HOSTNAME=${shellQuote(d.machine.hostname)}
MASTERS=(${masters})
TIMEOUT=${d.timeoutSeconds}
MAX_DOWN=${d.maxDown}
WINDOW_NS=${d.windowSeconds}000000000
INTERVAL=\${STARS_GATE_INTERVAL:-2}
ACTION="\${1:-}"
PHASE="\${2:-update}"
CREDENTIAL=${shellQuote(credential)}
SAW="nothing yet"
${BASH_HTTP_CLIENT}
# leader_request METHOD PATH [BODY]: asks each master until one answers as the leader.
leader_request() {
  local m
  for m in "\${MASTERS[@]}"; do
    if ! http_request "$m" "$1" "$2" "\${3:-}"; then SAW="$1 $2: no answer on $m"; continue; fi
    case "$STATUS" in
      307 | 503) SAW="$1 $2 on $m: HTTP $STATUS (not the leader)" ;;
      *) return 0 ;;
    esac
  done
  return 1
}
is_down() {
  leader_request GET /master/maintenance/status && [ "$STATUS" = 200 ] || return 1
  printf '%s' "$BODY" | sed -n 's/.*"down_machines":\\[\\([^]]*\\)\\].*/\\1/p' | grep -Fq "$MACHINE"
}
# others_out: how many other machines the master reports down or draining (each machine id names a hostname once).
others_out() {
  leader_request GET /master/maintenance/status || return 1
  [ "$STATUS" = 200 ] || { SAW="GET /master/maintenance/status: HTTP $STATUS $(body_excerpt)"; return 1; }
  OUT=$(printf '%s' "$BODY" | grep -o '"hostname":' | wc -l)
  if printf '%s' "$BODY" | grep -Fq "$MACHINE"; then OUT=$((OUT - 1)); fi
}
drain_update() {
  local schedule window
  others_out || return 1
  if [ "$OUT" -ge "$MAX_DOWN" ]; then
    SAW="$OUT other machine(s) down or draining, at most $MAX_DOWN may be out"
    return 1
  fi
  leader_request GET /master/maintenance/schedule || return 1
  [ "$STATUS" = 200 ] || { SAW="GET /master/maintenance/schedule: HTTP $STATUS $(body_excerpt)"; return 1; }
  schedule="$BODY"
  if ! printf '%s' "$schedule" | grep -Fq "$MACHINE"; then
    window="{\\"machine_ids\\":[$MACHINE],\\"unavailability\\":{\\"duration\\":{\\"nanoseconds\\":$WINDOW_NS},\\"start\\":{\\"nanoseconds\\":$(date +%s%N)}}}"
    case "$schedule" in
      *'"windows":['*) schedule="\${schedule/\\"windows\\":\\[/\\"windows\\":[$window,}" ;;
      *) schedule="{\\"windows\\":[$window]}" ;;
    esac
    leader_request POST /master/maintenance/schedule "$schedule" || return 1
    [ "$STATUS" = 200 ] || { SAW="POST /master/maintenance/schedule: HTTP $STATUS $(body_excerpt)"; return 1; }
  fi
  leader_request POST /master/machine/down "[$MACHINE]" || return 1
  [ "$STATUS" = 200 ] && { SAW="machine down"; return 0; }
  local refused
  refused="POST /master/machine/down: HTTP $STATUS $(body_excerpt)"
  is_down && { SAW="machine already down"; return 0; }
  SAW="$refused"
  return 1
}
drain_create() { SAW="first creation, nothing to drain"; }
up_any() {
  leader_request POST /master/machine/up "[$MACHINE]" || return 1
  case "$STATUS" in
    200) UPPED="machine up" ;;
    400)
      printf '%s' "$BODY" | grep -Eq 'is not part of a maintenance schedule|is not in DOWN mode and cannot be brought up' ||
        { SAW="POST /master/machine/up: HTTP 400 $(body_excerpt)"; return 1; }
      UPPED="machine was not down"
      ;;
    *) SAW="POST /master/machine/up: HTTP $STATUS $(body_excerpt)"; return 1 ;;
  esac
}
up_create() { up_any && SAW="$UPPED"; }
# The schedule without this machine: its own window goes (the master prints a window compact, keys sorted), or
# just its id from a window it shares.
without_machine() {
  local window='\\{"machine_ids":\\['"$MACHINE_RE"'\\],"unavailability":\\{("duration":\\{"nanoseconds":-?[0-9]+\\},)?"start":\\{"nanoseconds":-?[0-9]+\\}\\}\\}'
  printf '%s' "$1" | sed -E "s/$window,?//; s/,$MACHINE_RE//; s/$MACHINE_RE,//; s/,\\]/]/g"
}
# A drain that read the schedule before this machine left it may have written it back (a POST replaces the one
# schedule, with no compare-and-set): take the machine out again, and look once more.
leave_schedule() {
  leader_request GET /master/maintenance/schedule || return 1
  [ "$STATUS" = 200 ] || { SAW="GET /master/maintenance/schedule: HTTP $STATUS $(body_excerpt)"; return 1; }
  printf '%s' "$BODY" | grep -Fq "$MACHINE" || return 0
  leader_request POST /master/maintenance/schedule "$(without_machine "$BODY")" || return 1
  [ "$STATUS" = 200 ] || { SAW="POST /master/maintenance/schedule (leaving it): HTTP $STATUS $(body_excerpt)"; return 1; }
  SAW="$UPPED; taken out of the schedule again"
  return 1
}
up_update() {
  [ -n "\${UPPED:-}" ] || up_any || return 1
  leader_request GET /master/slaves || return 1
  if ! { [ "$STATUS" = 200 ] && printf '%s' "$BODY" | grep -Fq "\\"hostname\\":\\"$AGENT_HOSTNAME\\""; }; then
    SAW="$UPPED; GET /master/slaves: HTTP $STATUS, agent $AGENT_HOSTNAME not registered yet"
    return 1
  fi
  leave_schedule || return 1
  SAW="$UPPED, agent registered"
}
case "$ACTION $PHASE" in
  "drain create" | "drain update" | "up create" | "up update") ;;
  *) printf 'stars drain [%s] ERROR: give drain|up and create|update, not: %s\\n' "$AGENT" "$ACTION $PHASE" >&2; exit 2 ;;
esac
deadline=$((SECONDS + TIMEOUT))
while :; do
  if "\${ACTION}_$PHASE"; then
    printf 'stars drain [%s] %s (%s): %s\\n' "$AGENT" "$ACTION" "$PHASE" "$SAW"
    exit 0
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    printf 'stars drain [%s] ERROR: %s (%s) did not finish within %s s; last saw: %s\\n' "$AGENT" "$ACTION" "$PHASE" "$TIMEOUT" "$SAW" >&2
    exit 1
  fi
  sleep "$INTERVAL"
done
`;
}

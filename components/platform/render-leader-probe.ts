import { shellQuote } from '../hosts/render-bootstrap';
import { FRAMEWORK_NAMES, PORTS } from '../plan/topology';
import { rollOrder } from './plan-gates';
import { NO_ANSWER, NO_LEADER, REPORT_END, REPORT_HEADER, REPORT_UNREACHABLE } from './plan-leaders';
import type { PlatformPlan } from './plan-platform';
import { BASH_FOUR_LETTER_WORD, BASH_HTTP_CLIENT } from './render-bash-http';

/**
 * The leader look-up as two bash scripts (plan-leaders.ts reads their report):
 * - the probe runs on one master host, where every member's ports are reachable through the host firewall. It
 *   asks each ZooKeeper member `srvr` (the leader says `Mode: leader`) and one Mesos-DNS for the records of the
 *   leading master (`leader.<domain>`) and of each framework (`<name>.<domain>`: only the leading Marathon and
 *   Chronos are registered with Mesos, at the address they advertise). Neither needs a login.
 * - the driver runs on the operator's machine: it sends the probe to each master in turn (ssh, with the options
 *   the Docker provider dials with) and prints the first report, or why no master answered. It always exits 0:
 *   a cluster that cannot be asked (not built yet, unreachable) still gets a plan, in host-name order.
 */

export interface ProbeTarget {
  /** The master's host name, quoted in the reasons when it does not answer. */
  readonly name: string;
  /** What runs the probe from standard input there: `ssh … bash -s`, or `bash -s` for the local host. */
  readonly argv: readonly string[];
}

const bashArray = (values: readonly string[]): string => `(${values.map(shellQuote).join(' ')})`;

export function renderLeaderProbe(plan: PlatformPlan): string {
  const zookeeper = rollOrder(plan.containers, 'zookeeper').map((c) => c.address);
  const dns = rollOrder(plan.containers, 'mesos-dns').map((c) => `${c.address}:${PORTS.mesosDnsHttp}`);
  return `#!/usr/bin/env bash
# Stars leader probe. Rendered by components/platform/render-leader-probe.ts; runs on a master host.
set -uo pipefail
CREDENTIAL=''
ZOOKEEPER=${bashArray(zookeeper)}
ZOOKEEPER_PORT=${PORTS.zookeeperClient}
MESOS_DNS=${bashArray(dns)}
DOMAIN=${shellQuote(plan.domain)}
${BASH_HTTP_CLIENT}
${BASH_FOUR_LETTER_WORD}
zookeeper_leader() {
  local address mode
  for address in "\${ZOOKEEPER[@]}"; do
    mode="$(four_letter_word "$address" "$ZOOKEEPER_PORT" srvr | sed -n 's/^Mode: //p')"
    if [ "$mode" = leader ]; then printf '%s\\n' "$address"; return; fi
  done
  printf '%s\\n' ${shellQuote(NO_LEADER)}
}
# The address in the first Mesos-DNS answer for a name: ${NO_LEADER} for a miss, ${NO_ANSWER} when no Mesos-DNS answers.
record() {
  local server ip
  for server in "\${MESOS_DNS[@]}"; do
    if http_request "$server" GET "/v1/hosts/$1" && [ "$STATUS" = 200 ]; then
      ip="$(printf '%s' "$BODY" | grep -Eo '"ip": *"[0-9.]+"' | head -n 1 | grep -Eo '[0-9.]+')"
      printf '%s\\n' "\${ip:-${NO_LEADER}}"
      return
    fi
  done
  printf '%s\\n' ${shellQuote(NO_ANSWER)}
}
printf '%s\\n' ${shellQuote(REPORT_HEADER)}
printf 'zookeeper %s\\n' "$(zookeeper_leader)"
printf 'mesos-master %s\\n' "$(record "leader.$DOMAIN")"
printf 'marathon %s\\n' "$(record ${shellQuote(`${FRAMEWORK_NAMES.marathon}.`)}"$DOMAIN")"
printf 'chronos %s\\n' "$(record ${shellQuote(`${FRAMEWORK_NAMES.chronos}.`)}"$DOMAIN")"
printf '%s\\n' ${shellQuote(REPORT_END)}
`;
}

/** The driver, given the probe on standard input; each target gets `timeoutSeconds` in all. A failure is quoted by
 * its last line on standard error, where ssh says why it gave up (a changed host key comes after a banner). */
export function renderLeaderLookup(targets: readonly ProbeTarget[], timeoutSeconds: number): string {
  const attempts = targets.map(
    (t) => `try_target ${shellQuote(t.name)} ${t.argv.map(shellQuote).join(' ')} && exit 0`,
  );
  return `# Stars leader look-up. Rendered by components/platform/render-leader-probe.ts; runs where Pulumi runs.
set -uo pipefail
probe="$(cat)"
reasons=()
err="$(mktemp)"
trap 'rm -f "$err"' EXIT
try_target() {
  local name="$1" out code
  shift
  out="$(printf '%s\\n' "$probe" | timeout ${timeoutSeconds} "$@" 2>"$err")"
  code=$?
  if [ "$code" = 0 ] && [ "$(printf '%s\\n' "$out" | head -n 1)" = ${shellQuote(REPORT_HEADER)} ]; then
    printf '%s\\n' "$out"
    return 0
  fi
  reasons+=("$name: exit $code $(tail -n 1 "$err" | tr -d '\\r' | cut -c 1-100)")
  return 1
}
${attempts.join('\n')}
printf '%s %s\\n' ${shellQuote(REPORT_UNREACHABLE)} "$(IFS=';'; printf '%s' "\${reasons[*]}")"
`;
}

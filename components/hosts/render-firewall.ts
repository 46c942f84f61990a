import ipaddr from 'ipaddr.js';
import { isIPv4 } from 'net';
import { clusterOnlyTaskPorts, portRules, type PortRule, type RoleGroup } from '../plan/port-matrix';
import type { ClusterSpec, HostSpec } from '../model/types';
import { OS_DETECTION, preamble, shellQuote } from './render-bootstrap';
import { renderBundleRunCommand } from './render-bootstrap-bundle';

/**
 * The on-prem host firewall: an nftables table of its own (`inet stars`), rendered from the port matrix that
 * also builds the AWS security groups, so a port opened for one is opened for the other. Only this table is
 * replaced on apply; Docker's and the site's own tables are left alone.
 *
 * The ruleset is written in nft's own syntax (what operators read and `nft -c` checks) from validated values
 * only: IPv4 addresses and CIDRs the config parser checked, port numbers and fixed rule names.
 */

export const FIREWALL_TABLE = 'stars';
/** Where the confirmed ruleset lives; a systemd unit loads it at boot. */
export const FIREWALL_RULESET = '/etc/stars/firewall.nft';
const FIREWALL_UNIT = 'stars-firewall.service';
export const FIREWALL_STATE_DIR = '/var/lib/stars/firewall';
/** Seconds an applied ruleset stays before it is rolled back unless a new SSH session confirms it. */
export const FIREWALL_ROLLBACK_SECONDS = 120;
/** The script's name in its log lines and in `npm run plan`. */
export const FIREWALL_STEP = 'firewall.sh';

const GROUP_OF: Record<'master' | 'agent', RoleGroup> = { master: 'masters', agent: 'agents' };

/** The rules that protect `host`: its roles' rules, SSH on the host's own port. */
export function firewallRules(spec: ClusterSpec, host: HostSpec): PortRule[] {
  const jumpHosts = spec.hosts
    .map((h) => h.ssh.jumpHost?.host)
    .filter((h): h is string => h !== undefined && isIPv4(h))
    .map((h) => `${h}/32`);
  const groups = host.roles.map((r) => GROUP_OF[r]);
  return portRules({
    adminCidrs: spec.adminCidrs,
    sshCidrs: [...spec.adminCidrs, ...jumpHosts],
    sshGroups: ['masters', 'agents'],
    clusterOnlyTaskPorts: clusterOnlyTaskPorts(spec),
    sshPort: host.ssh.port,
    edge: spec.edge.enabled,
  }).filter((r) => groups.includes(r.group));
}

const ports = (r: PortRule): string =>
  r.fromPort === r.toPort ? String(r.fromPort) : `${r.fromPort}-${r.toPort}`;

function setBlock(name: string, addresses: readonly string[]): string[] {
  const ranges = ipv4Ranges(addresses);
  return [
    `\tset ${name} {`,
    '\t\ttype ipv4_addr',
    // Intervals, so a block of consecutive addresses is one element: every host's ruleset lists every host.
    '\t\tflags interval',
    ...(ranges.length === 0 ? [] : [`\t\telements = { ${ranges.join(', ')} }`]),
    '\t}',
  ];
}

const ipNumber = (address: string): number =>
  ipaddr.IPv4.parse(address).octets.reduce((n, octet) => n * 256 + octet, 0);
const ipString = (n: number): string =>
  ipaddr.fromByteArray([24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256)).toString();

/** Sorted, unique addresses with consecutive runs written `first-last` (nft interval elements). */
export function ipv4Ranges(addresses: readonly string[]): string[] {
  const numbers = [...new Set(addresses.map(ipNumber))].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < numbers.length;) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j] + 1) j += 1;
    out.push(i === j ? ipString(numbers[i]) : `${ipString(numbers[i])}-${ipString(numbers[j])}`);
    i = j + 1;
  }
  return out;
}

/** The masters' and agents' set blocks, once per spec: the same in every host's ruleset. */
const roleSets = new WeakMap<ClusterSpec, string[]>();
function roleSetBlocks(spec: ClusterSpec): string[] {
  const known = roleSets.get(spec);
  if (known !== undefined) return known;
  const byRole = (role: 'master' | 'agent'): string[] =>
    spec.hosts.filter((h) => h.roles.includes(role)).map((h) => h.address);
  const blocks = [...setBlock('masters', byRole('master')), ...setBlock('agents', byRole('agent'))];
  roleSets.set(spec, blocks);
  return blocks;
}

/**
 * Rules in the order nft evaluates them: replies and loopback first, then one accept per matrix rule (its name as
 * the comment, as in the security groups), then a reject so a refused client fails at once instead of hanging.
 */
export function renderFirewallRuleset(spec: ClusterSpec, host: HostSpec): string {
  const accepts = firewallRules(spec, host).map((r) => {
    const source = r.sourceGroup === undefined ? `ip saddr ${r.cidr}` : `ip saddr @${r.sourceGroup}`;
    return `\t\t${source} ${r.protocol} dport ${ports(r)} accept comment "${r.name}"`;
  });
  return [
    '#!/usr/sbin/nft -f',
    `# Stars host firewall for ${host.name} (${host.roles.join(', ')}): rendered by components/hosts/render-firewall.ts`,
    '# from the port matrix in components/plan/port-matrix.ts, which also builds the AWS security groups.',
    `table inet ${FIREWALL_TABLE}`,
    `delete table inet ${FIREWALL_TABLE}`,
    `table inet ${FIREWALL_TABLE} {`,
    ...roleSetBlocks(spec),
    '\tset session {',
    '\t\ttype ipv4_addr . inet_service',
    '\t\tflags timeout',
    '\t}',
    '\tchain input {',
    '\t\ttype filter hook input priority filter; policy drop;',
    '\t\tct state established,related accept comment "replies, and sessions open when the rules changed"',
    '\t\tct state invalid drop',
    `\t\tip saddr . tcp sport @session tcp dport ${host.ssh.port} accept comment "the SSH session that applied these rules"`,
    '\t\tiifname "lo" accept',
    '\t\tiifname "docker0" accept comment "containers on the default bridge reach host-network services"',
    '\t\tmeta l4proto { 1, 58 } accept comment "ICMP and ICMPv6: ping, path MTU, IPv6 neighbour discovery"',
    ...accepts,
    '\t\treject with icmpx type admin-prohibited',
    '\t}',
    '}',
    '',
  ].join('\n');
}

/**
 * `firewall.sh [apply [ssh-client] | confirm]`, run after the bootstrap: installs nft when missing, checks the ruleset with `nft -c`, and applies it with a rollback
 * armed: unless `firewall.sh confirm` runs within the rollback window (over a new SSH connection, which proves
 * the rules let the operator back in), the previous table is restored. Only a confirmed ruleset is saved for boot.
 * Unchanged rules are left alone and the step says so.
 */
export function renderFirewallScript(spec: ClusterSpec, host: HostSpec): string {
  const ruleset = renderFirewallRuleset(spec, host);
  const delimiter = 'STARS_FIREWALL_RULESET_EOF';
  if (ruleset.includes(delimiter)) throw new Error('firewall ruleset contains its own delimiter');
  return `${preamble(host.name, FIREWALL_STEP, 'the host firewall (nftables), applied with a rollback until confirmed')}
STATE=${shellQuote(FIREWALL_STATE_DIR)}
RULESET=${shellQuote(FIREWALL_RULESET)}
TABLE=${shellQuote(FIREWALL_TABLE)}
ROLLBACK_SECONDS="\${STARS_FIREWALL_ROLLBACK_SECONDS:-${FIREWALL_ROLLBACK_SECONDS}}"
case "$ROLLBACK_SECONDS" in '' | *[!0-9]*) fail "STARS_FIREWALL_ROLLBACK_SECONDS must be a number of seconds" ;; esac
PENDING="$STATE/rollback.pid"
install -d -m 0700 -o root -g root "$STATE" "$(dirname "$RULESET")"

# The rollback is a background "sleep" named stars-firewall-rollback; only that process is ever killed.
pending_rollback() {
  [ -f "$PENDING" ] || return 1
  pid="$(cat "$PENDING")"
  case "$pid" in '' | *[!0-9]*) return 1 ;; esac
  tr '\\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q stars-firewall-rollback
}

MODE="\${1:-apply}"
STARS_SSH_CLIENT="\${2:-}"
case "$MODE" in apply | confirm) ;; *) fail "usage: firewall.sh [apply [ssh-client] | confirm]" ;; esac

if [ "$MODE" = confirm ]; then
  if pending_rollback; then
    kill -- "-$(cat "$PENDING")"
    rm -f "$PENDING"
    install -m 0600 "$STATE/desired.nft" "$RULESET"
    if [ -d /run/systemd/system ]; then
      cat >/etc/systemd/system/${FIREWALL_UNIT} <<'UNIT'
[Unit]
Description=Stars host firewall (nftables table inet ${FIREWALL_TABLE})
DefaultDependencies=no
Before=network-pre.target docker.service
Wants=network-pre.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/sbin/nft -f ${FIREWALL_RULESET}

[Install]
WantedBy=multi-user.target
UNIT
      systemctl daemon-reload
      systemctl enable --quiet ${FIREWALL_UNIT}
    fi
    log "firewall confirmed over a new SSH session; saved for boot"
  else
    log "firewall: nothing to confirm"
  fi
  exit 0
fi

if ! command -v nft >/dev/null 2>&1; then
${OS_DETECTION.replace(/^/gm, '  ').replace(/^ +$/gm, '')}
  case "$OS_FAMILY" in
    debian) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nftables >/dev/null ;;
    rhel) dnf install -y -q nftables >/dev/null ;;
  esac
  log "installed nftables"
fi

cat >"$STATE/desired.nft.new" <<'${delimiter}'
${ruleset}${delimiter}
nft -c -f "$STATE/desired.nft.new" || fail "nft rejected the rendered ruleset ($STATE/desired.nft.new)"
mv "$STATE/desired.nft.new" "$STATE/desired.nft"

if nft list table inet "$TABLE" >/dev/null 2>&1 &&
  [ -f "$STATE/applied.nft" ] && cmp -s "$STATE/applied.nft" "$STATE/desired.nft" && ! pending_rollback; then
  log "firewall unchanged"
  exit 0
fi

# Roll back to the last confirmed ruleset (or to no table of ours); a still-pending apply was never confirmed.
if pending_rollback; then kill -- "-$(cat "$PENDING")"; fi
if [ -f "$RULESET" ]; then
  cp "$RULESET" "$STATE/previous.nft"
else
  printf 'table inet %s\\ndelete table inet %s\\n' "$TABLE" "$TABLE" >"$STATE/previous.nft"
fi

# The session running this may predate connection tracking on this host (nothing tracked it before), so its
# packets would look new: it is let in by address and source port, in the same transaction as the rules.
cp "$STATE/desired.nft" "$STATE/applying.nft"
read -r client_ip client_port _ <<<"$STARS_SSH_CLIENT" || true
if [[ "\${client_ip:-}" =~ ^[0-9]{1,3}(\\.[0-9]{1,3}){3}$ && "\${client_port:-}" =~ ^[0-9]{1,5}$ ]]; then
  printf 'add element inet %s session { %s . %s timeout 1h }\\n' "$TABLE" "$client_ip" "$client_port" >>"$STATE/applying.nft"
fi
nft -f "$STATE/applying.nft" || fail "nft could not apply $STATE/applying.nft"
cp "$STATE/desired.nft" "$STATE/applied.nft"
setsid sh -c 'sleep "$1" && nft -f "$2" && rm -f "$3" "$4"' stars-firewall-rollback \\
  "$ROLLBACK_SECONDS" "$STATE/previous.nft" "$PENDING" "$STATE/applied.nft" </dev/null >/dev/null 2>&1 &
echo "$!" >"$PENDING"
log "firewall applied; rolled back in $ROLLBACK_SECONDS s unless confirmed over a new SSH session"
`;
}

/**
 * The remote commands: the script arrives on stdin, is kept in a private temp file and checked against its sha256
 * (as the bootstrap bundle is), then runs as root. `apply` passes the session's SSH_CLIENT as an argument (sudo's
 * env_reset drops the variable); `confirm` runs over a second SSH connection, which proves the new rules let the
 * operator in.
 */
export function renderFirewallCommand(scriptSha256: string, mode: 'apply' | 'confirm'): string {
  return renderBundleRunCommand(scriptSha256, mode === 'apply' ? 'apply "${SSH_CLIENT:-}"' : 'confirm');
}

/** Run when the firewall resource is deleted (host removed, hostFirewall turned off): the host is left open. */
export const FIREWALL_REMOVE_COMMAND = [
  `sudo nft delete table inet ${FIREWALL_TABLE} 2>/dev/null`,
  `sudo systemctl disable --quiet ${FIREWALL_UNIT} 2>/dev/null`,
  `sudo rm -f /etc/systemd/system/${FIREWALL_UNIT} ${FIREWALL_RULESET}`,
  'true',
].join('; ');

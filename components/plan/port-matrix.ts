import type { ClusterSpec } from '../model/types';
import { APP_PORTS, EDGE_PORT_RANGE, livyAuthenticated, PORTS } from './topology';

/**
 * Who may reach which port of which role: the one source of truth for the AWS security groups
 * (hosts/plan-aws-network.ts) and the on-prem host firewall (hosts/render-firewall.ts). Each rule names a
 * destination role, a port range and one source: a role of the cluster or a CIDR.
 */

export type RoleGroup = 'masters' | 'agents';

export interface PortRule {
  /** Stable, unique rule name, e.g. `masters-zookeeper-client-from-agents`. */
  readonly name: string;
  readonly group: RoleGroup;
  readonly protocol: 'tcp' | 'udp';
  readonly fromPort: number;
  readonly toPort: number;
  /** Exactly one of: a role of the cluster, or a CIDR. */
  readonly sourceGroup?: RoleGroup;
  readonly cidr?: string;
  readonly description: string;
}

/** Agent port range Mesos offers to tasks (apps' HTTP ports, the Spark dispatcher). */
export const TASK_PORTS = { from: 31000, to: 32000 } as const;

/**
 * Ports Spark drivers and executors bind (spark.driver.port, spark.driver.blockManager.port and
 * spark.blockManager.port count up from their base on a busy port, at most spark.port.maxRetries times), outside
 * the range Mesos offers so a driver never takes a task's port. Drivers run on agents (Livy, Zeppelin, the
 * dispatcher's drivers) and masters and executors call them back here.
 */
export const SPARK_PORTS = {
  driver: 32100,
  driverBlockManager: 32150,
  executorBlockManager: 32200,
  /** Ports tried above each base: 50 drivers (or executors) per agent. */
  maxRetries: 49,
  from: 32100,
  to: 32249,
} as const;

/**
 * Where the libprocess of a Spark driver listens: an ephemeral port, as libmesos leaves it (every driver on a
 * host needs its own, and libprocess does not retry a taken one). The master answers a scheduler on a
 * connection of its own to that port, and agents send it framework messages (apache/mesos 1.10.0
 * 3rdparty/libprocess/src/process.cpp:1998,2027-2059; src/slave/slave.cpp:6626). The hosts' bootstrap pins
 * the kernel's ephemeral range to Linux's default, so this rule and the kernel agree.
 */
export const LIBPROCESS_EPHEMERAL_PORTS = { from: 32768, to: 60999 } as const;

export const SSH_PORT = 22;

interface Service {
  readonly id: string;
  readonly group: RoleGroup;
  readonly protocol: 'tcp' | 'udp';
  readonly from: number;
  readonly to: number;
  readonly sources: readonly RoleGroup[];
  /** Operators reach it from adminCidrs (UIs and APIs). */
  readonly admin: boolean;
  /**
   * With the TLS edge on, operators reach it through the edge only. The Mesos master and agent ports stay open to
   * them: the Mesos UI's live views fetch the leader's and each agent's state straight from those ports (JSONP to
   * `//<hostname>:<port>`, src/webui/app/controllers.js), which no proxy on another port can serve.
   */
  readonly behindEdge?: boolean;
  /** Exists only with the edge on. */
  readonly edgeOnly?: boolean;
  readonly what: string;
}

const BOTH: readonly RoleGroup[] = ['masters', 'agents'];
const MASTERS: readonly RoleGroup[] = ['masters'];
const AGENTS: readonly RoleGroup[] = ['agents'];
const port = (p: number): { from: number; to: number } => ({ from: p, to: p });
const tcp = (
  id: string,
  group: RoleGroup,
  range: { from: number; to: number },
  sources: readonly RoleGroup[],
  admin: boolean,
  what: string,
): Service => ({ id, group, protocol: 'tcp', ...range, sources, admin, what });

export const SERVICES: readonly Service[] = [
  tcp('zookeeper-client', 'masters', port(PORTS.zookeeperClient), BOTH, false, 'ZooKeeper clients'),
  tcp('zookeeper-quorum', 'masters', port(PORTS.zookeeperQuorum), MASTERS, false, 'ZooKeeper followers'),
  tcp(
    'zookeeper-election',
    'masters',
    port(PORTS.zookeeperElection),
    MASTERS,
    false,
    'ZooKeeper leader election',
  ),
  tcp('mesos-master', 'masters', port(PORTS.mesosMaster), BOTH, true, 'Mesos master'),
  { ...tcp('marathon', 'masters', port(PORTS.marathon), BOTH, true, 'Marathon'), behindEdge: true },
  { ...tcp('chronos', 'masters', port(PORTS.chronos), BOTH, true, 'Chronos'), behindEdge: true },
  tcp(
    'marathon-libprocess',
    'masters',
    port(PORTS.marathonLibprocess),
    MASTERS,
    false,
    'Marathon scheduler (libprocess)',
  ),
  tcp(
    'chronos-libprocess',
    'masters',
    port(PORTS.chronosLibprocess),
    MASTERS,
    false,
    'Chronos scheduler (libprocess)',
  ),
  tcp('mesos-dns-tcp', 'masters', port(PORTS.mesosDnsDns), BOTH, false, 'Mesos-DNS'),
  { ...tcp('mesos-dns-udp', 'masters', port(PORTS.mesosDnsDns), BOTH, false, 'Mesos-DNS'), protocol: 'udp' },
  {
    // Its /v1/config serves the whole config, the Mesos-DNS login included, to whoever asks: only the masters
    // (its health gates and the leader probe run there) and operators through the edge reach it.
    ...tcp('mesos-dns-http', 'masters', port(PORTS.mesosDnsHttp), MASTERS, true, 'Mesos-DNS HTTP API'),
    behindEdge: true,
  },
  // The masters call agents on a connection of their own; no agent calls another's. The Mesos UI links
  // sandboxes straight to the agents, so operators need the agent port too.
  tcp('mesos-agent', 'agents', port(PORTS.mesosAgent), MASTERS, true, 'Mesos agent'),
  { ...tcp('tasks', 'agents', TASK_PORTS, BOTH, true, 'task ports (apps)'), behindEdge: true },
  // Drivers and executors run on agents only, and only they call one another here.
  tcp('spark', 'agents', SPARK_PORTS, AGENTS, false, 'Spark drivers and executors'),
  tcp(
    'spark-libprocess',
    'agents',
    LIBPROCESS_EPHEMERAL_PORTS,
    BOTH,
    false,
    "Spark drivers' libmesos (masters and agents call schedulers back)",
  ),
  { ...tcp('edge', 'masters', EDGE_PORT_RANGE, [], true, 'TLS edge (every UI and API)'), edgeOnly: true },
];

/**
 * Task ports that answer without any login, so only cluster hosts may reach them (never adminCidrs): the Spark
 * dispatcher's REST submission server (always open upstream), the external shuffle service, and Livy unless it
 * checks logins against a directory.
 */
export function clusterOnlyTaskPorts(spec: ClusterSpec): number[] {
  const enabled = new Set(spec.apps.enabled);
  const ports: number[] = [];
  if (enabled.has('spark')) {
    ports.push(APP_PORTS.sparkDispatcher);
    if (spec.apps.spark.shuffleService) ports.push(APP_PORTS.sparkShuffle);
  }
  if (enabled.has('livy') && !livyAuthenticated(spec)) ports.push(APP_PORTS.livy);
  return ports.sort((a, b) => a - b);
}

/** `from-to` without the given ports, as the fewest ranges. */
export function rangesWithout(
  from: number,
  to: number,
  holes: readonly number[],
): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  let start = from;
  for (const h of [...new Set(holes)].filter((p) => p >= from && p <= to).sort((a, b) => a - b)) {
    if (h > start) out.push({ from: start, to: h - 1 });
    start = h + 1;
  }
  if (start <= to) out.push({ from: start, to });
  return out;
}

export interface PortRuleSources {
  /** Operator networks: the UIs and APIs marked `admin`. */
  readonly adminCidrs: readonly string[];
  /** Where SSH may come from. */
  readonly sshCidrs: readonly string[];
  /** Cluster roles that may also use SSH (on-prem: a master as the jump host, `stars` hops). */
  readonly sshGroups?: readonly RoleGroup[];
  /** Task ports the admin networks may not reach (clusterOnlyTaskPorts). */
  readonly clusterOnlyTaskPorts?: readonly number[];
  /** The port sshd listens on (on-prem hosts may use another); SSH_PORT when unset. */
  readonly sshPort?: number;
  /** The TLS edge is on: operators reach the `behindEdge` services only through it. */
  readonly edge?: boolean;
}

/** Every rule, sorted by name; a /0 CIDR is refused (a typo there would open the cluster to the world). */
export function portRules(sources: PortRuleSources): PortRule[] {
  const rules: PortRule[] = [];
  for (const s of SERVICES) {
    if (s.edgeOnly === true && sources.edge !== true) continue;
    const base = { group: s.group, protocol: s.protocol, fromPort: s.from, toPort: s.to };
    for (const source of s.sources) {
      rules.push({
        ...base,
        name: `${s.group}-${s.id}-from-${source}`,
        sourceGroup: source,
        description: `${s.what} from ${source}`,
      });
    }
    if (s.admin && !(s.behindEdge === true && sources.edge === true)) {
      const holes = s.id === 'tasks' ? (sources.clusterOnlyTaskPorts ?? []) : [];
      const ranges = rangesWithout(s.from, s.to, holes);
      for (const cidr of sources.adminCidrs) {
        for (const r of ranges) {
          const span = ranges.length === 1 && holes.length === 0 ? '' : `-${r.from}-${r.to}`;
          rules.push({
            ...base,
            fromPort: r.from,
            toPort: r.to,
            name: `${s.group}-${s.id}${span}-from-${cidrSlug(cidr)}`,
            cidr,
            description: `${s.what} from admin network ${cidr}`,
          });
        }
      }
    }
  }
  const sshPort = sources.sshPort ?? SSH_PORT;
  const ssh = { protocol: 'tcp', fromPort: sshPort, toPort: sshPort } as const;
  for (const group of BOTH) {
    for (const cidr of [...new Set(sources.sshCidrs)]) {
      rules.push({
        ...ssh,
        name: `${group}-ssh-from-${cidrSlug(cidr)}`,
        group,
        cidr,
        description: `SSH from operator network ${cidr}`,
      });
    }
    for (const source of sources.sshGroups ?? []) {
      rules.push({
        ...ssh,
        name: `${group}-ssh-from-${source}`,
        group,
        sourceGroup: source,
        description: `SSH from ${source}`,
      });
    }
  }
  for (const r of rules) {
    if (r.cidr !== undefined && r.cidr.endsWith('/0'))
      throw new Error(`rule ${r.name} would open ${r.cidr}; list narrower CIDRs in adminCidrs/awsSshCidrs`);
  }
  return rules.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
}

/** `203.0.113.0/24` → `203-0-113-0-24`: CIDRs inside resource names. */
export function cidrSlug(cidr: string): string {
  return cidr.replace(/[./]/g, '-');
}

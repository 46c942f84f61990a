import type { ClusterSpec, HostSpec } from '../model/types';

/** Facts about the cluster's shape that several layers need; derived from the spec, never configured twice. */

/** Fixed platform ports (host networking, so they are the same on every host). */
export const PORTS = {
  zookeeperClient: 2181,
  zookeeperQuorum: 2888,
  zookeeperElection: 3888,
  mesosMaster: 5050,
  mesosAgent: 5051,
  marathon: 8080,
  /** Pinned so masters can call the scheduler back through a firewall (libprocess picks a random port otherwise). */
  marathonLibprocess: 4402,
  chronos: 4400,
  chronosLibprocess: 4401,
  mesosDnsDns: 53,
  mesosDnsHttp: 8123,
} as const;

/**
 * Mesos framework names of the schedulers. Mesos-DNS names a scheduler's leader `<framework>.<domain>` and its
 * tasks `<task>.<framework>.<domain>`, so these are part of every service name.
 */
export const FRAMEWORK_NAMES = { marathon: 'marathon', chronos: 'chronos' } as const;

/**
 * Fixed host ports of the apps, inside the range Mesos offers (TASK_PORTS), so Marathon places them
 * without extra config and they never collide with platform ports (all below 10000).
 */
export const APP_PORTS = {
  sparkDispatcher: 31077,
  sparkDispatcherUi: 31081,
  sparkHistory: 31880,
  sparkShuffle: 31337,
  zeppelin: 31890,
  livy: 31998,
  blazegraph: 31999,
  lightning: 31300,
  jupyter: 31888,
  jenkins: 31808,
} as const;

/**
 * The TLS edge's ports on every master, one per UI/API (the UIs use absolute paths, so they cannot share a
 * port under prefixes): a block below 10000, clear of the platform's ports.
 */
export const EDGE_PORTS = {
  mesos: 9440,
  marathon: 9441,
  chronos: 9442,
  sparkDispatcherUi: 9443,
  sparkHistory: 9444,
  zeppelin: 9445,
  livy: 9446,
  jupyter: 9447,
  blazegraph: 9448,
  lightning: 9449,
  jenkins: 9450,
} as const;
/** One block, so the firewall and the security groups open it with one rule per admin network. */
export const EDGE_PORT_RANGE = { from: 9440, to: 9450 } as const;
export type EdgeRouteId = keyof typeof EDGE_PORTS;

/** Livy checks logins only against a directory (it has no local users): LDAP/AD configured for Zeppelin. */
export function livyAuthenticated(spec: ClusterSpec): boolean {
  return spec.apps.livy.auth && spec.apps.zeppelin.auth !== 'local';
}

/** Where apps keep state on the agent they are pinned to (hostPath volumes). */
export const APP_DATA_ROOT = '/var/lib/stars/apps';
/** Nightly Marathon/Chronos backups on the pinned agent: definitions carry app env, so only root reads them. */
export const BACKUP_DIR = '/var/lib/stars/backups';
/** App secrets on every agent, one 0500 directory per app (apps/render-secret-files.ts). */
export const APP_SECRETS_DIR = '/var/lib/stars/app-secrets';
/** Spark event logs (written by drivers, read by the history server) on each agent. */
export const SPARK_EVENTS_DIR = '/var/lib/stars/spark-events';

/** A host directory that app containers write through a hostPath volume. */
export interface AppHostDirectory {
  readonly path: string;
  readonly uid: number;
  readonly gid: number;
  /** Octal, as chmod takes it. */
  readonly mode: string;
}

/**
 * Docker creates a missing hostPath root-owned with mode 0755, which an image running as another user cannot
 * write; so the hosts layer prepares these on every agent, owned by the user the app's image runs as.
 */
export function appHostDirectories(spec: ClusterSpec): AppHostDirectory[] {
  const enabled = new Set(spec.apps.enabled);
  const dirs: AppHostDirectory[] = [];
  // quay.io/jupyter (docker-stacks) images run as jovyan, uid 1000, group users (gid 100).
  if (enabled.has('jupyter'))
    dirs.push({ path: `${APP_DATA_ROOT}/jupyter`, uid: 1000, gid: 100, mode: '0750' });
  // The Stars zeppelin image runs as USER 1000 (apache/zeppelin).
  if (enabled.has('zeppelin'))
    dirs.push({ path: `${APP_DATA_ROOT}/zeppelin`, uid: 1000, gid: 1000, mode: '0750' });
  // The Stars blazegraph and lightning images run as 1000:1000 (images/<name>/Dockerfile); a site's own
  // Lightning image runs as root and needs nothing prepared.
  if (enabled.has('blazegraph'))
    dirs.push({ path: `${APP_DATA_ROOT}/blazegraph`, uid: 1000, gid: 1000, mode: '0750' });
  if (enabled.has('lightning') && spec.apps.lightning.image === undefined)
    dirs.push({ path: `${APP_DATA_ROOT}/lightning`, uid: 1000, gid: 1000, mode: '0750' });
  // The jenkins/jenkins image runs as jenkins, 1000:1000 (jenkinsci/docker debian/Dockerfile).
  if (enabled.has('jenkins'))
    dirs.push({ path: `${APP_DATA_ROOT}/jenkins`, uid: 1000, gid: 1000, mode: '0750' });
  // Drivers of several users (Spark 185, Zeppelin 1000:0) write event logs here, always mode 660
  // (EventLogFileWriters); setgid keeps every file in the spark group (185), which the history server reads as.
  if (enabled.has('spark') && spec.apps.spark.historyServer)
    dirs.push({ path: SPARK_EVENTS_DIR, uid: 0, gid: 185, mode: '3777' });
  dirs.push({ path: BACKUP_DIR, uid: 0, gid: 0, mode: '0700' });
  return dirs.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** ZooKeeper's data on each master (the platform layer binds it into the container: render-zookeeper.ts). */
export const ZOOKEEPER_HOST_DIR = '/var/lib/zookeeper';

/** Apps whose data directory holds what people made (the pinned apps' hostPath volumes). */
const DATA_APPS = ['blazegraph', 'jenkins', 'jupyter', 'lightning', 'zeppelin'] as const;

/** One directory a host backs up (stars:dataBackup), named for the restic tag and the restore command. */
export interface DataSet {
  readonly name: string;
  readonly dir: string;
}

/**
 * What each host backs up: the data apps' directories on the first agent (they are pinned there) and ZooKeeper's
 * data on the first master (the ensemble holds the same data on each). Hosts with nothing to back up are absent.
 */
export function dataSets(spec: ClusterSpec): Readonly<Record<string, readonly DataSet[]>> {
  if (spec.dataBackup === undefined) return {};
  const enabled = new Set<string>(spec.apps.enabled);
  const out: Record<string, DataSet[]> = {};
  const firstAgent = agentsOf(spec)[0];
  const apps = DATA_APPS.filter((a) => enabled.has(a)).map((a) => ({
    name: a,
    dir: `${APP_DATA_ROOT}/${a}`,
  }));
  if (firstAgent !== undefined && apps.length > 0) out[firstAgent.name] = apps;
  const firstMaster = mastersOf(spec)[0];
  // Snapshots and transaction logs, each its own set: a restore swaps a directory in beside the other.
  if (firstMaster !== undefined)
    out[firstMaster.name] = [
      ...(out[firstMaster.name] ?? []),
      { name: 'zookeeper', dir: `${ZOOKEEPER_HOST_DIR}/data` },
      { name: 'zookeeper-log', dir: `${ZOOKEEPER_HOST_DIR}/datalog` },
    ];
  return out;
}

const byName = (a: HostSpec, b: HostSpec): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function mastersOf(spec: ClusterSpec): HostSpec[] {
  return spec.hosts.filter((h) => h.roles.includes('master')).sort(byName);
}

export function agentsOf(spec: ClusterSpec): HostSpec[] {
  return spec.hosts.filter((h) => h.roles.includes('agent')).sort(byName);
}

export interface ZookeeperServer {
  readonly id: number;
  readonly host: string;
  readonly address: string;
}

/** ZooKeeper members sorted by server id; ids come from the spec (explicit or assigned at parse time). */
export function zookeeperServers(spec: ClusterSpec): ZookeeperServer[] {
  return mastersOf(spec)
    .map((h) => ({ id: h.zookeeperId ?? 0, host: h.name, address: h.address }))
    .sort((a, b) => a.id - b.id);
}

export function zookeeperConnect(spec: ClusterSpec): string {
  return zookeeperServers(spec)
    .map((s) => `${s.address}:${PORTS.zookeeperClient}`)
    .join(',');
}

/** `zk://a:2181,b:2181/<znode>`; Mesos, Marathon and Mesos-DNS each take their own znode. */
export function zookeeperUrl(spec: ClusterSpec, znode: string): string {
  return `zk://${zookeeperConnect(spec)}/${znode}`;
}

export function mesosMasterUrl(spec: ClusterSpec): string {
  return zookeeperUrl(spec, 'mesos');
}

/** A strict majority of masters: what Mesos' replicated log needs (the old system hard-coded 1). */
export function mesosQuorum(masterCount: number): number {
  if (!Number.isInteger(masterCount) || masterCount < 1)
    throw new Error(`cannot form a quorum of ${masterCount} masters`);
  return Math.floor(masterCount / 2) + 1;
}

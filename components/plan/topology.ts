import type { ClusterSpec, HostSpec } from '../spec/types';

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

import type { SpecIssue } from '../model/issues';
import type { ClusterSpec, HostSpec } from '../model/types';
import { PORTS } from '../plan/topology';
import type { MarathonAppDefinition } from './api/marathon-types';

/**
 * Plan-time capacity check: what the apps ask Marathon for must fit what the agents offer, and no two
 * things may want the same host port. Marathon would otherwise accept the apps and leave deployments
 * waiting for offers forever.
 */

/**
 * Offer assumed for an agent without `resources` (the agent detects its own): a 16 GiB, 8-core machine
 * minus the 1 GiB Mesos leaves for the OS. Declare `hosts[].resources` for an exact check.
 */
export const DEFAULT_AGENT_OFFER = { cpus: 8, memMb: 15360 } as const;

/** Ports Mesos agents offer to tasks (render-mesos.ts AGENT_PORT_RANGE and the Mesos default). */
export const AGENT_PORT_RANGE = { min: 31000, max: 32000 } as const;

export interface AgentOffer {
  readonly host: string;
  readonly cpus: number;
  readonly memMb: number;
}

export function agentOffers(spec: ClusterSpec): AgentOffer[] {
  return spec.hosts
    .filter((h) => h.roles.includes('agent'))
    .map((h) => ({ host: h.name, ...offerOf(spec, h) }))
    .sort((a, b) => (a.host < b.host ? -1 : 1));
}

function offerOf(spec: ClusterSpec, h: HostSpec): { cpus: number; memMb: number } {
  if (h.resources !== undefined) return { cpus: h.resources.cpus, memMb: h.resources.memMb };
  if (spec.mode === 'aws' && spec.aws !== undefined)
    return { cpus: spec.aws.agentCpus, memMb: spec.aws.agentMemMb };
  return DEFAULT_AGENT_OFFER;
}

/** Platform ports bound on a host by its roles (host networking, outside Mesos' control). */
export function platformPorts(h: HostSpec): Map<number, string> {
  const ports = new Map<number, string>();
  if (h.roles.includes('master')) {
    ports.set(PORTS.zookeeperClient, 'zookeeper');
    ports.set(PORTS.zookeeperQuorum, 'zookeeper');
    ports.set(PORTS.zookeeperElection, 'zookeeper');
    ports.set(PORTS.mesosMaster, 'mesos-master');
    ports.set(PORTS.marathon, 'marathon');
    ports.set(PORTS.marathonLibprocess, 'marathon');
    ports.set(PORTS.chronos, 'chronos');
    ports.set(PORTS.chronosLibprocess, 'chronos');
    ports.set(PORTS.mesosDnsDns, 'mesos-dns');
    ports.set(PORTS.mesosDnsHttp, 'mesos-dns');
  }
  if (h.roles.includes('agent')) ports.set(PORTS.mesosAgent, 'mesos-agent');
  return ports;
}

const n = (x: number): string => String(Number(x.toFixed(2)));

export function validateCapacity(spec: ClusterSpec, apps: readonly MarathonAppDefinition[]): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const offers = agentOffers(spec);
  const running = apps.filter((a) => (a.instances ?? 1) > 0);
  if (offers.length === 0) {
    if (running.length > 0)
      issues.push({ path: 'apps', message: 'apps are enabled but no host has the agent role; add an agent' });
    return issues;
  }
  const need = { cpus: 0, memMb: 0 };
  const parts: string[] = [];
  for (const a of running) {
    const k = a.instances ?? 1;
    const cpus = (a.cpus ?? 1) * k;
    const mem = (a.mem ?? 128) * k;
    need.cpus += cpus;
    need.memMb += mem;
    parts.push(`${a.id}${k > 1 ? ` ×${k}` : ''} ${n(cpus)} cpus ${n(mem)} MB`);
  }
  const have = offers.reduce((t, o) => ({ cpus: t.cpus + o.cpus, memMb: t.memMb + o.memMb }), {
    cpus: 0,
    memMb: 0,
  });
  const overCpus = need.cpus - have.cpus;
  const overMem = need.memMb - have.memMb;
  if (overCpus > 1e-9 || overMem > 0) {
    const agents = offers.length === 1 ? 'the 1 agent offers' : `the ${offers.length} agents offer`;
    issues.push({
      path: 'apps',
      message:
        `the apps need ${n(need.cpus)} cpus and ${n(need.memMb)} MB of memory but ${agents} ` +
        `${n(have.cpus)} cpus and ${n(have.memMb)} MB (over by ${n(Math.max(0, overCpus))} cpus and ` +
        `${n(Math.max(0, overMem))} MB; ${parts.join(', ')}); lower appSettings.<app>.cpus/memMb, ` +
        'remove apps from stars:apps, add agents, or declare hosts[].resources',
    });
  }
  // Apps pinned to one agent (hostname CLUSTER) and one-per-agent apps (hostname UNIQUE) must fit that agent,
  // even when the cluster as a whole has room: Marathon would wait for a matching offer forever.
  if (!(overCpus > 1e-9 || overMem > 0)) issues.push(...validatePinned(spec, running, offers));
  const biggest = offers.reduce(
    (m, o) => ({ cpus: Math.max(m.cpus, o.cpus), memMb: Math.max(m.memMb, o.memMb) }),
    {
      cpus: 0,
      memMb: 0,
    },
  );
  for (const a of running) {
    if ((a.cpus ?? 1) > biggest.cpus || (a.mem ?? 128) > biggest.memMb) {
      issues.push({
        path: 'apps',
        message:
          `${a.id} needs ${n(a.cpus ?? 1)} cpus and ${n(a.mem ?? 128)} MB in one task but the largest agent ` +
          `offers ${n(biggest.cpus)} cpus and ${n(biggest.memMb)} MB`,
      });
    }
  }
  issues.push(...validatePorts(spec, running));
  return issues;
}

/** The agent a `['hostname', 'CLUSTER', value]` constraint pins an app to (by address or name). */
function pinnedAgent(spec: ClusterSpec, app: MarathonAppDefinition): HostSpec | undefined {
  const c = (app.constraints ?? []).find((x) => x[0] === 'hostname' && x[1] === 'CLUSTER');
  if (c === undefined || c[2] === undefined) return undefined;
  return spec.hosts.find((h) => h.roles.includes('agent') && (h.address === c[2] || h.name === c[2]));
}

function isOnePerAgent(app: MarathonAppDefinition): boolean {
  return (app.constraints ?? []).some((x) => x[0] === 'hostname' && x[1] === 'UNIQUE');
}

/** Per agent: the apps pinned to it plus one task of every one-per-agent app must fit its offer. */
export function validatePinned(
  spec: ClusterSpec,
  apps: readonly MarathonAppDefinition[],
  offers: readonly AgentOffer[],
): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const everywhere = apps.filter(isOnePerAgent);
  for (const o of offers) {
    const host = spec.hosts.find((h) => h.name === o.host);
    const here = [
      ...apps.filter((a) => !isOnePerAgent(a) && host !== undefined && pinnedAgent(spec, a) === host),
      ...everywhere,
    ];
    // Only agents with something pinned: one-per-agent apps alone are covered by the largest-agent check.
    if (here.length === everywhere.length) continue;
    const cpus = here.reduce((t, a) => t + (a.cpus ?? 1) * (isOnePerAgent(a) ? 1 : (a.instances ?? 1)), 0);
    const mem = here.reduce((t, a) => t + (a.mem ?? 128) * (isOnePerAgent(a) ? 1 : (a.instances ?? 1)), 0);
    if (cpus - o.cpus > 1e-9 || mem > o.memMb) {
      const list = [...here]
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map((a) => `${a.id} ${n(a.cpus ?? 1)} cpus ${n(a.mem ?? 128)} MB`)
        .join(', ');
      issues.push({
        path: 'apps',
        message:
          `the apps pinned to agent ${o.host} need ${n(cpus)} cpus and ${n(mem)} MB but it offers ` +
          `${n(o.cpus)} cpus and ${n(o.memMb)} MB (over by ${n(Math.max(0, cpus - o.cpus))} cpus and ` +
          `${n(Math.max(0, mem - o.memMb))} MB; ${list}); give ${o.host} more resources in hosts[].resources ` +
          'or lower appSettings.<app>.cpus/memMb',
      });
    }
  }
  return issues;
}

/** Apps may land on any agent, so every app port must be unique, inside the offered range, and free of platform ports. */
export function validatePorts(spec: ClusterSpec, apps: readonly MarathonAppDefinition[]): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const owner = new Map<number, string>();
  for (const a of apps) {
    for (const p of a.portDefinitions ?? []) {
      if (p.port === 0) continue;
      const prev = owner.get(p.port);
      if (prev !== undefined && prev !== a.id) {
        issues.push({ path: 'apps', message: `${a.id} and ${prev} both want host port ${p.port}` });
        continue;
      }
      owner.set(p.port, a.id);
      if (p.port < AGENT_PORT_RANGE.min || p.port > AGENT_PORT_RANGE.max) {
        issues.push({
          path: 'apps',
          message: `${a.id} wants host port ${p.port}, outside the ports agents offer (${AGENT_PORT_RANGE.min}-${AGENT_PORT_RANGE.max})`,
        });
      }
    }
  }
  for (const h of spec.hosts.filter((x) => x.roles.includes('agent'))) {
    const taken = platformPorts(h);
    for (const [port, app] of [...owner.entries()].sort((x, y) => x[0] - y[0])) {
      const platform = taken.get(port);
      if (platform !== undefined)
        issues.push({
          path: 'apps',
          message: `${app} wants host port ${port} on ${h.name}, where ${platform} listens`,
        });
    }
  }
  return issues;
}

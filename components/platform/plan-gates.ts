import { PORTS } from '../plan/topology';
import type { ContainerPlan, ServiceName } from './plan-platform';

/**
 * Rolling replacement of the platform's multi-member services: members in a fixed order from stable identity
 * (host name), each behind a health gate on the one before. The gate checks what a member must show before the
 * next may go down, from upstream's own endpoints (facts in tests/contract/upstream):
 * - ZooKeeper: `srvr` says Mode leader or follower (a member without a quorum answers "not currently serving");
 *   a one-member ensemble says standalone.
 * - Mesos master: /master/health is 200, and /master/redirect is 307 (a leading master is elected; 503 without).
 *   Both are routes without an authentication realm (src/master/master.cpp at 1.10.0).
 * - Marathon, Chronos: /ping answers pong, and the leader endpoint (/v2/leader, /v1/scheduler/leader) names a
 *   leader (Chronos answers 200 with an empty one). Both sit behind basic auth when credentials are set.
 * - Mesos-DNS: GET /v1/hosts/leader.<domain> holds an address (resolver/resolver.go:568 at v0.6.0, unchanged in v0.7.0-rc2; a miss is
 *   200 with an empty ip).
 * On a member's first creation the others may not exist yet, so the gate then checks only that the process answers;
 * Mesos-DNS, created after the masters, must resolve the leading master even then.
 */

export const ROLLING_SERVICES: readonly ServiceName[] = [
  'zookeeper',
  'mesos-master',
  'marathon',
  'chronos',
  'mesos-dns',
];

export type HttpCheck = {
  readonly path: string;
  readonly expect: 'status-200' | 'status-307' | 'pong' | 'ip' | 'leader';
};

export interface GatePlan {
  readonly service: ServiceName;
  /** The member's host: its stable identity, and its place in the roll. */
  readonly member: string;
  readonly address: string;
  readonly port: number;
  readonly protocol: 'zookeeper' | 'http';
  /** HTTP: what a first creation checks, and what a replacement in a running cluster checks. */
  readonly onCreate: readonly HttpCheck[];
  readonly onUpdate: readonly HttpCheck[];
  /** HTTP basic auth from the platform secrets (Marathon, Chronos with auth on). */
  readonly auth: boolean;
  readonly timeoutSeconds: number;
}

/**
 * Each HTTP service's gate: one check that the process answers (all a first creation can ask), and one that the
 * replaced member has rejoined a running cluster, checked after the first.
 */
const HTTP_GATES: Readonly<
  Partial<
    Record<
      ServiceName,
      {
        port: number;
        alive: HttpCheck;
        rejoined: (domain: string) => HttpCheck;
        login: boolean;
        /** The rejoin check holds on a first creation too (what it needs is created before it). */
        rejoinedOnCreate?: boolean;
      }
    >
  >
> = {
  'mesos-master': {
    port: PORTS.mesosMaster,
    alive: { path: '/master/health', expect: 'status-200' },
    rejoined: () => ({ path: '/master/redirect', expect: 'status-307' }),
    login: false,
  },
  marathon: {
    port: PORTS.marathon,
    alive: { path: '/ping', expect: 'pong' },
    rejoined: () => ({ path: '/v2/leader', expect: 'leader' }),
    login: true,
  },
  chronos: {
    port: PORTS.chronos,
    alive: { path: '/ping', expect: 'pong' },
    rejoined: () => ({ path: '/v1/scheduler/leader', expect: 'leader' }),
    login: true,
  },
  'mesos-dns': {
    port: PORTS.mesosDnsHttp,
    alive: { path: '/v1/version', expect: 'status-200' },
    rejoined: (domain) => ({ path: `/v1/hosts/leader.${domain}`, expect: 'ip' }),
    login: false,
    // Mesos-DNS starts after the masters, so even its first start must build records from their state: an
    // answering /v1/version alone let a Mesos-DNS that could read no state (0.6.0 against Mesos 1.10) pass.
    rejoinedOnCreate: true,
  },
};

export function gateFor(
  c: ContainerPlan,
  o: { domain: string; authEnabled: boolean; timeoutSeconds: number },
): GatePlan {
  const member = { service: c.service, member: c.host, address: c.address, timeoutSeconds: o.timeoutSeconds };
  if (c.service === 'zookeeper')
    return {
      ...member,
      port: PORTS.zookeeperClient,
      protocol: 'zookeeper',
      onCreate: [],
      onUpdate: [],
      auth: false,
    };
  const http = HTTP_GATES[c.service];
  if (http === undefined) throw new Error(`service ${c.service} does not roll`);
  return {
    ...member,
    port: http.port,
    protocol: 'http',
    onCreate: http.rejoinedOnCreate === true ? [http.alive, http.rejoined(o.domain)] : [http.alive],
    onUpdate: [http.alive, http.rejoined(o.domain)],
    auth: http.login && o.authEnabled,
  };
}

/** The members of one service in roll order: sorted by host name, so the order never depends on the config's. */
export function rollOrder(containers: readonly ContainerPlan[], service: ServiceName): ContainerPlan[] {
  return containers
    .filter((c) => c.service === service)
    .sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
}

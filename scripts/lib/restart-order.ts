import { SERVICES, type ServiceName } from '../../components/platform/plan-platform';
import { EDGE_PORTS, PORTS } from '../../components/plan/topology';

/**
 * Which platform services run where, in which order, and how to tell each is healthy. The order is the
 * platform planner's own start order (`SERVICES` in plan-platform.ts: ZooKeeper, the Mesos masters, the
 * frameworks, Mesos-DNS, then the agents), so `restart` never takes a service down while what it depends on
 * is itself restarting, and never drifts from what `pulumi up` does.
 */
export type ServiceRole = 'master' | 'agent';

export type HealthProbe =
  | { readonly kind: 'zookeeper'; readonly port: number }
  | {
      readonly kind: 'http';
      readonly port: number;
      readonly path: string;
      /** With the TLS edge on, the host's edge port that reaches this service (Marathon and Chronos). */
      readonly edgePort?: number;
    };

export interface PlatformService {
  readonly service: ServiceName;
  readonly role: ServiceRole;
  /** Docker container name on the host (plan-platform.ts names every container `stars-<service>`). */
  readonly container: string;
  readonly health: HealthProbe;
}

const HEALTH: Readonly<Record<ServiceName, HealthProbe>> = {
  zookeeper: { kind: 'zookeeper', port: PORTS.zookeeperClient },
  'mesos-master': { kind: 'http', port: PORTS.mesosMaster, path: '/master/health' },
  marathon: { kind: 'http', port: PORTS.marathon, path: '/ping', edgePort: EDGE_PORTS.marathon },
  chronos: { kind: 'http', port: PORTS.chronos, path: '/v1/scheduler/jobs', edgePort: EDGE_PORTS.chronos },
  'mesos-dns': { kind: 'http', port: PORTS.mesosDnsHttp, path: '/v1/version' },
  'mesos-agent': { kind: 'http', port: PORTS.mesosAgent, path: '/slave(1)/health' },
};

export function containerNameOf(service: ServiceName): string {
  return `stars-${service}`;
}

/** Every platform service in the planner's start order. */
export const PLATFORM_SERVICES: readonly PlatformService[] = SERVICES.map((service) => ({
  service,
  role: service === 'mesos-agent' ? 'agent' : 'master',
  container: containerNameOf(service),
  health: HEALTH[service],
}));

/** The services to restart for a role, in dependency (start) order. */
export function restartOrder(
  services: readonly PlatformService[],
  role: ServiceRole | 'all',
): PlatformService[] {
  return services.filter((s) => role === 'all' || s.role === role);
}

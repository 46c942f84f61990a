import { shellQuote } from '../hosts/render-bootstrap';
import { committedImageSources } from '../platform/image-sources';
import { imageRef, planImages, type ImagesPlan } from '../platform/plan-images';
import type { ProjectImageName } from '../model/catalog';
import type { AppName, ClusterSpec } from '../model/types';
import {
  APP_DATA_ROOT,
  agentsOf,
  livyAuthenticated,
  mastersOf,
  mesosMasterUrl,
  zookeeperConnect,
} from '../plan/topology';
import type { MarathonAppDefinition, MarathonHealthCheck } from './api/marathon-types';
import type { SecretFile } from './render-secret-files';

/**
 * Shared facts for the app renderers. Apps run on agents with host networking and fixed host ports inside
 * the agents' offered port range ([31000-32000], render-mesos.ts AGENT_PORT_RANGE): every agent offers them
 * without extra config, and they can never collide with platform ports (all below 10000). `requirePorts`
 * makes the host port equal the declared port, so the URLs are stable.
 */
// Fixed app ports live with the port matrix's other inputs (the firewall and security groups need them).
export { APP_PORTS } from '../plan/topology';

// Shared with the hosts layer, which prepares these directories with the right owners (topology.ts).
export { SPARK_EVENTS_DIR } from '../plan/topology';
/**
 * Spark drivers (the dispatcher, Zeppelin's interpreter, Livy) need libmesos: the Stars spark and zeppelin
 * images carry it here with the libraries it needs that their distribution lacks (images/mesos).
 */
export const LIBMESOS_DIR = '/opt/mesos/lib';

/** The wrapper in the Stars images that hands the sandbox to the image's user and drops root (images/mesos). */
export const STARS_RUN = '/usr/local/lib/stars/stars-run';

// The placeholders of every rendered document (plan/placeholders.ts): {{secret:…}} and {{value:…}}.
export { placeholdersIn, secretRef, valueRef } from '../plan/placeholders';

/**
 * What the app renderers work from: the facts about the cluster they use, worked out once, and no more of the
 * spec (no hosts, keys or cloud settings), so a renderer cannot grow a dependency on what it should not see.
 */
export interface AppContext {
  readonly environment: ClusterSpec['environment'];
  readonly authEnabled: boolean;
  /** The per-app settings (stars:appSettings, defaults applied). */
  readonly apps: ClusterSpec['apps'];
  readonly versions: ClusterSpec['versions'];
  /** The Mesos-DNS domain apps are found under (`<app>.marathon.<domain>`). */
  readonly domain: string;
  /** The agents by name, for the jobs that run one per agent. */
  readonly agents: readonly { readonly name: string; readonly address: string }[];
  /** `mesos://zk://…/mesos`, what Spark drivers take as master. */
  readonly sparkMaster: string;
  readonly zookeeperConnect: string;
  /** The masters' addresses, sorted by host name: what a Spark driver's libprocess must be reachable from. */
  readonly masterAddresses: readonly string[];
  readonly agentCount: number;
  /** Agent address a stateful app is pinned to (its hostPath data lives there). */
  readonly pinnedHost: string;
  readonly sparkImage: string;
  /** The Stars zeppelin image, when zeppelin is enabled. */
  readonly zeppelinImage?: string;
  /** Every project image some host needs, by name (the app images among them). */
  readonly projectImages: Readonly<Partial<Record<ProjectImageName, string>>>;
  readonly sparkVersion: string;
  /**
   * Livy asks for a login (LDAP, when Zeppelin's users are not local): worked out once here for the renderers
   * (Livy's own config, Zeppelin's and Jupyter's clients); the edge and the port matrix use the same rule.
   */
  readonly livyAuthenticated: boolean;
}

export function appContext(
  spec: ClusterSpec,
  images: ImagesPlan = planImages(spec, committedImageSources()),
): AppContext {
  const agents = agentsOf(spec);
  return {
    environment: spec.environment,
    authEnabled: spec.authEnabled,
    apps: spec.apps,
    versions: spec.versions,
    domain: spec.domain,
    agents: [...agents]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((a) => ({ name: a.name, address: a.address })),
    sparkMaster: `mesos://${mesosMasterUrl(spec)}`,
    zookeeperConnect: zookeeperConnect(spec),
    masterAddresses: [...mastersOf(spec)].sort((a, b) => (a.name < b.name ? -1 : 1)).map((m) => m.address),
    agentCount: agents.length,
    pinnedHost: agents[0]?.address ?? '127.0.0.1',
    sparkImage: images.images.some((i) => i.name === 'spark') ? imageRef(images, 'spark') : '',
    ...(images.images.some((i) => i.name === 'zeppelin')
      ? { zeppelinImage: imageRef(images, 'zeppelin') }
      : {}),
    projectImages: Object.fromEntries(images.images.map((i) => [i.name, i.ref])),
    sparkVersion: spec.versions.spark,
    livyAuthenticated: livyAuthenticated(spec),
  };
}

/** One rendered Marathon app and what the umbrella needs to wire it. */
/** The project image an app runs (images/<name>), which the image plan has for every enabled app. */
export function projectImage(ctx: AppContext, name: ProjectImageName): string {
  const ref = ctx.projectImages[name];
  if (ref === undefined) throw new Error(`no host builds the ${name} image the ${name} app runs`);
  return ref;
}

export interface RenderedApp {
  readonly app: AppName;
  readonly definition: MarathonAppDefinition;
  /** The URL users open: port and path on `<name>.marathon.<domain>`. */
  readonly ui?: { readonly port: number; readonly path: string };
  /** Marathon ids that must be deployed first. */
  readonly after: readonly string[];
  /** Secrets the app reads from files (render-secret-files.ts), never from its definition. */
  readonly secretFiles?: readonly SecretFile[];
}

export function labels(ctx: AppContext, app: string, role: string): Record<string, string> {
  return { 'stars.app': app, 'stars.environment': ctx.environment, 'stars.role': role };
}

/** Agent-run HTTP check (MESOS_HTTP works with host networking and needs no Marathon-to-agent traffic). */
export function httpCheck(path: string, gracePeriodSeconds: number): MarathonHealthCheck {
  return {
    protocol: 'MESOS_HTTP',
    path,
    portIndex: 0,
    gracePeriodSeconds,
    intervalSeconds: 30,
    timeoutSeconds: 10,
    maxConsecutiveFailures: 3,
  };
}

export function tcpCheck(gracePeriodSeconds: number): MarathonHealthCheck {
  return {
    protocol: 'MESOS_TCP',
    portIndex: 0,
    gracePeriodSeconds,
    intervalSeconds: 30,
    timeoutSeconds: 10,
    maxConsecutiveFailures: 3,
  };
}

/** Stateful single-instance apps: pinned to one agent, stop-then-start upgrades (the data dir is not shared). */
export const SINGLE_WRITER = { minimumHealthCapacity: 0, maximumOverCapacity: 0 } as const;

export function pinned(ctx: AppContext): string[][] {
  return [['hostname', 'CLUSTER', ctx.pinnedHost]];
}

/**
 * What every stateful single-instance app shares: one fixed HTTP port, pinned to the agent with its data,
 * stop-then-start upgrades, one health check, the Stars labels.
 */
export function pinnedHttpService(
  ctx: AppContext,
  app: string,
  role: string,
  port: number,
  health: MarathonHealthCheck,
): Pick<
  MarathonAppDefinition,
  'portDefinitions' | 'requirePorts' | 'constraints' | 'upgradeStrategy' | 'healthChecks' | 'labels'
> {
  return {
    portDefinitions: [{ port, protocol: 'tcp', name: 'http' }],
    requirePorts: true,
    constraints: pinned(ctx),
    upgradeStrategy: SINGLE_WRITER,
    healthChecks: [health],
    labels: labels(ctx, app, role),
  };
}

export function dataVolume(
  app: string,
  containerPath: string,
): { containerPath: string; hostPath: string; mode: 'RW' } {
  return { containerPath, hostPath: `${APP_DATA_ROOT}/${app}`, mode: 'RW' };
}

/**
 * A task of an image with its own user (Spark 185, Zeppelin 1000) that writes its sandbox: Mesos makes the
 * sandbox root-owned 0750 and the Docker containerizer passes no --user, so the container starts as root
 * (`user` docker parameter, the only way Mesos passes one) and stars-run hands the sandbox over, then drops.
 */
export function asImageUser(
  owner: string,
  cmd: string,
): { cmd: string; parameters: { key: string; value: string }[] } {
  return {
    cmd: `exec ${STARS_RUN} ${owner} /bin/sh -c ${shellQuote(cmd)}`,
    parameters: [{ key: 'user', value: '0:0' }],
  };
}

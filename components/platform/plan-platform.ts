import type { Member } from './plan-membership';
import { stableJson, sortDocuments, type RenderedDocument } from '../plan/documents';
import {
  agentsOf,
  mastersOf,
  mesosMasterUrl,
  mesosQuorum,
  zookeeperConnect,
  zookeeperServers,
  zookeeperUrl,
} from '../plan/topology';
import type { ProjectImageName } from '../model/catalog';
import type { ClusterSpec, ComponentName } from '../model/types';
import { committedImageSources } from './image-sources';
import { imageRef, planImages, type ImagesPlan } from './plan-images';
import { MASTER_PLANNERS, planMesosAgent, type ContainerDraft, type PlatformFacts } from './plan-services';
import { mesosDnsServers } from './render-mesos-dns';
import {
  contentHash,
  renderResolverRestoreScript,
  renderResolverScript,
  type ResolverInput,
} from './render-resolver';
import { hasPlaceholders } from './render-secrets';

/**
 * The platform layer as plain data: per host, which containers run with which image, arguments, environment,
 * volumes and files, plus every rendered document. Secrets appear only as `{{secret:…}}` placeholders.
 */

/** Start order: each service needs the ones before it (agents last, so they register with a full control plane). */
export const SERVICES = [
  'zookeeper',
  'mesos-master',
  'marathon',
  'chronos',
  'mesos-dns',
  'mesos-agent',
] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface VolumePlan {
  readonly hostPath: string;
  readonly containerPath: string;
  readonly readOnly: boolean;
}

export interface FilePlan {
  /** Path inside the container. */
  readonly path: string;
  /** The rendered document holding the content (with placeholders when `secret`). */
  readonly document: string;
  readonly content: string;
  readonly secret: boolean;
  /** Secret files only: readable by the container's own user alone (`uid:gid`, mode 0400). */
  readonly owner?: string;
  readonly mode?: string;
}

export interface ContainerPlan {
  readonly host: string;
  readonly address: string;
  readonly service: ServiceName;
  readonly component: ComponentName;
  /** Docker container name on the host's engine. */
  readonly containerName: string;
  readonly image: string;
  /** Set when the image is one the project builds (`images/<name>`): the host builds or pulls it first. */
  readonly projectImage?: ProjectImageName;
  readonly entrypoint?: readonly string[];
  readonly args: readonly string[];
  /** Values may hold secret placeholders; such variables are delivered as secrets. */
  readonly env: Readonly<Record<string, string>>;
  readonly volumes: readonly VolumePlan[];
  readonly files: readonly FilePlan[];
  readonly networkMode: 'host';
  readonly restart: 'unless-stopped';
  readonly privileged: boolean;
  readonly pidMode?: 'host';
  /** Resolvers for hosts whose own resolver Stars does not manage (the local host). */
  readonly dns?: readonly string[];
  readonly dnsSearch?: readonly string[];
  /** True when any env value or file carries a secret. */
  readonly hasSecrets: boolean;
}

export interface ResolverPlan {
  readonly host: string;
  readonly script: string;
  readonly restoreScript: string;
  readonly hash: string;
}

export interface PlatformPlan {
  readonly clusterName: string;
  readonly authEnabled: boolean;
  readonly masters: readonly string[];
  readonly agents: readonly string[];
  readonly zookeeperConnect: string;
  readonly mesosMaster: string;
  readonly marathonZk: string;
  readonly mesosQuorum: number;
  readonly domain: string;
  readonly mesosDnsServers: readonly string[];
  /** How long each member's health gate waits during a rolling replacement (plan-gates.ts). */
  readonly gateTimeoutSeconds: number;
  /** How many agents a rolling replacement drains at once (plan-drain.ts). */
  readonly maxAgentsDown: number;
  /** The masters as ZooKeeper servers: what the membership guard compares with the deployed ensemble. */
  readonly zookeeperMembers: readonly Member[];
  /** Sorted by host, then service start order. */
  readonly containers: readonly ContainerPlan[];
  /** One per host whose resolver Stars manages (onprem and aws); the local host uses container `dns` instead. */
  readonly resolvers: readonly ResolverPlan[];
  /** The project-built images and the hosts that need them. */
  readonly images: ImagesPlan;
  readonly documents: readonly RenderedDocument[];
}

const RESTART = 'unless-stopped';

export function planPlatform(
  spec: ClusterSpec,
  images: ImagesPlan = planImages(spec, committedImageSources()),
): PlatformPlan {
  const masters = mastersOf(spec);
  const agents = agentsOf(spec);
  if (masters.length === 0)
    throw new Error('hosts: the platform needs at least one host with the master role');
  if (agents.length === 0) throw new Error('hosts: the platform needs at least one host with the agent role');
  const facts: PlatformFacts = {
    spec,
    auth: spec.authEnabled,
    versions: spec.versions,
    masterUrl: mesosMasterUrl(spec),
    zookeeperConnect: zookeeperConnect(spec),
    servers: zookeeperServers(spec),
    quorum: mesosQuorum(masters.length),
    mesosImage: imageRef(images, 'mesos'),
    mesosDnsImage: imageRef(images, 'mesos-dns'),
  };
  const dnsServers = mesosDnsServers(spec);
  // We do not rewrite a developer laptop's resolver; containers there get Mesos-DNS through `dns` instead.
  const containerDns =
    spec.mode === 'local'
      ? { dns: [...new Set([...dnsServers, ...spec.dnsResolvers])], dnsSearch: [spec.domain] }
      : {};
  const finish = (c: ContainerDraft): ContainerPlan => ({
    ...c,
    containerName: `stars-${c.service}`,
    networkMode: 'host',
    restart: RESTART,
    ...containerDns,
    hasSecrets: Object.values(c.env).some(hasPlaceholders) || c.files.some((f) => f.secret),
  });
  const containers: ContainerPlan[] = [
    ...masters.flatMap((m) => MASTER_PLANNERS.map((plan) => finish(plan(facts, m)))),
    ...agents.map((a) => finish(planMesosAgent(facts, a))),
  ];

  const order = (c: ContainerPlan): number => SERVICES.indexOf(c.service);
  containers.sort((x, y) => (x.host < y.host ? -1 : x.host > y.host ? 1 : order(x) - order(y)));

  const resolvers = planResolvers(spec, dnsServers);
  const documents = platformDocuments(containers, resolvers, images);
  return {
    clusterName: spec.clusterName,
    authEnabled: facts.auth,
    masters: masters.map((m) => m.name),
    agents: agents.map((a) => a.name),
    zookeeperConnect: facts.zookeeperConnect,
    mesosMaster: facts.masterUrl,
    marathonZk: zookeeperUrl(spec, 'marathon'),
    mesosQuorum: facts.quorum,
    domain: spec.domain,
    mesosDnsServers: dnsServers,
    gateTimeoutSeconds: spec.healthGateTimeoutSeconds,
    maxAgentsDown: spec.maxAgentsDown,
    zookeeperMembers: masters.map((m) => ({
      name: m.name,
      address: m.address,
      zookeeperId: m.zookeeperId ?? 0,
    })),
    containers,
    resolvers,
    images,
    documents,
  };
}

/** One resolver step per host whose resolver Stars manages: every host but the local one. */
function planResolvers(spec: ClusterSpec, dnsServers: readonly string[]): ResolverPlan[] {
  return spec.mode === 'local'
    ? []
    : [...spec.hosts]
        .sort((x, y) => (x.name < y.name ? -1 : 1))
        .map((h) => {
          const input: ResolverInput = {
            hostName: h.name,
            mesosDnsServers: dnsServers,
            upstream: spec.dnsResolvers,
            domain: spec.domain,
          };
          const script = renderResolverScript(input);
          return {
            host: h.name,
            script,
            restoreScript: renderResolverRestoreScript(),
            hash: contentHash(script),
          };
        });
}

/** Every document the platform renders, for review and for `npm run plan -- --out`. */
function platformDocuments(
  containers: readonly ContainerPlan[],
  resolvers: readonly ResolverPlan[],
  images: ImagesPlan,
): RenderedDocument[] {
  const documents: RenderedDocument[] = [];
  for (const c of containers) {
    documents.push({
      path: `hosts/${c.host}/containers/${c.service}.json`,
      content: renderContainerDefinition(c),
    });
    for (const f of c.files) documents.push({ path: f.document, content: f.content });
  }
  for (const r of resolvers)
    documents.push({ path: `hosts/${r.host}/resolver/configure.sh`, content: r.script });
  for (const i of images.images) documents.push({ path: `images/${i.name}.json`, content: stableJson(i) });

  return sortDocuments(documents);
}

/** The reviewable container definition: everything but file contents, which are documents of their own. */
export function renderContainerDefinition(c: ContainerPlan): string {
  return stableJson({
    name: c.containerName,
    host: c.host,
    image: c.image,
    projectImage: c.projectImage,
    entrypoint: c.entrypoint,
    args: c.args,
    env: c.env,
    volumes: c.volumes,
    files: c.files.map((f) => ({
      path: f.path,
      document: f.document,
      secret: f.secret,
      owner: f.owner,
      mode: f.mode,
    })),
    networkMode: c.networkMode,
    restart: c.restart,
    privileged: c.privileged,
    pidMode: c.pidMode,
    dns: c.dns,
    dnsSearch: c.dnsSearch,
  });
}

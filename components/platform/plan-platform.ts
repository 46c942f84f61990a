import type { Member } from './plan-membership';
import { stableJson, sortDocuments, type RenderedDocument } from '../plan/documents';
import {
  PORTS,
  agentsOf,
  mastersOf,
  mesosMasterUrl,
  mesosQuorum,
  zookeeperConnect,
  zookeeperServers,
  zookeeperUrl,
} from '../plan/topology';
import { imageFor, type ProjectImageName } from '../model/catalog';
import type { ClusterSpec, ComponentName, HostSpec } from '../model/types';
import { committedImageSources } from './image-sources';
import { imageRef, planImages, type ImagesPlan } from './plan-images';
import { FRAMEWORK_FILES, chronosArgs, httpCredentialsEnv, marathonArgs } from './render-frameworks';
import {
  MESOS_DIRS,
  mesosAgentArgs,
  mesosMasterArgs,
  renderAgentCredential,
  renderAgentHttpCredentials,
  renderMesosAcls,
  renderMesosCredentials,
} from './render-mesos';
import { MESOS_DNS_CONFIG_PATH, mesosDnsServers, renderMesosDnsConfig } from './render-mesos-dns';
import {
  contentHash,
  renderResolverRestoreScript,
  renderResolverScript,
  type ResolverInput,
} from './render-resolver';
import {
  PRINCIPALS,
  ZOOKEEPER_USERS,
  hasPlaceholders,
  secretPlaceholder,
  zookeeperUrlWithLogin,
} from './render-secrets';
import { ZOOKEEPER_DIRS, renderMyid, renderZooCfg } from './render-zookeeper';

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

/**
 * The user each service's image runs as, who alone may read its secret files: Marathon's image runs as nobody
 * (mesosphere/marathon tools/packager/docker/Dockerfile:35; uid 65534 on Debian), the Stars Mesos image, Chronos
 * (no USER) and Mesos-DNS (FROM scratch) as root. ZooKeeper has no secret files.
 */
const RUNS_AS: Readonly<Record<ServiceName, string>> = {
  zookeeper: '1000:1000',
  'mesos-master': '0:0',
  marathon: '65534:65534',
  chronos: '0:0',
  'mesos-dns': '0:0',
  'mesos-agent': '0:0',
};

export function planPlatform(
  spec: ClusterSpec,
  images: ImagesPlan = planImages(spec, committedImageSources()),
): PlatformPlan {
  const masters = mastersOf(spec);
  const agents = agentsOf(spec);
  if (masters.length === 0)
    throw new Error('hosts: the platform needs at least one host with the master role');
  if (agents.length === 0) throw new Error('hosts: the platform needs at least one host with the agent role');
  const masterUrl = mesosMasterUrl(spec);
  const servers = zookeeperServers(spec);
  const dnsServers = mesosDnsServers(spec);
  const auth = spec.authEnabled;
  const v = spec.versions;
  // One Stars Mesos image (images/mesos) for masters, agents and, having no ENTRYPOINT, Docker executors.
  const mesosImage = imageRef(images, 'mesos');
  // We do not rewrite a developer laptop's resolver; containers there get Mesos-DNS through `dns` instead.
  const containerDns =
    spec.mode === 'local'
      ? { dns: [...new Set([...dnsServers, ...spec.dnsResolvers])], dnsSearch: [spec.domain] }
      : {};

  const containers: ContainerPlan[] = [];
  const add = (c: Omit<ContainerPlan, 'hasSecrets' | 'networkMode' | 'restart' | 'containerName'>): void => {
    const hasSecrets = Object.values(c.env).some(hasPlaceholders) || c.files.some((f) => f.secret);
    containers.push({
      ...c,
      containerName: `stars-${c.service}`,
      networkMode: 'host',
      restart: RESTART,
      ...containerDns,
      hasSecrets,
    });
  };
  const file = (host: HostSpec, service: ServiceName, path: string, content: string): FilePlan => {
    const secret = hasPlaceholders(content);
    return {
      path,
      document: `hosts/${host.name}/${service}/${path.slice(path.lastIndexOf('/') + 1)}`,
      content,
      secret,
      ...(secret ? { owner: RUNS_AS[service], mode: '0400' } : {}),
    };
  };
  const sameVolume = (path: string, readOnly = false): VolumePlan => ({
    hostPath: path,
    containerPath: path,
    readOnly,
  });

  for (const m of masters) {
    const self = servers.find((s) => s.host === m.name);
    if (self === undefined || m.zookeeperId === undefined) {
      throw new Error(`hosts.${m.name}.zookeeperId: a master needs a ZooKeeper server id (1-255)`);
    }
    const base = { host: m.name, address: m.address, privileged: false };
    add({
      ...base,
      service: 'zookeeper',
      component: 'zookeeper',
      image: imageFor('zookeeper', v.zookeeper),
      args: [],
      // ZOO_MY_ID only matters if /data/myid is missing; the uploaded myid is authoritative.
      env: { ZOO_MY_ID: String(m.zookeeperId) },
      volumes: [
        { hostPath: ZOOKEEPER_DIRS.hostData, containerPath: ZOOKEEPER_DIRS.data, readOnly: false },
        { hostPath: ZOOKEEPER_DIRS.hostDataLog, containerPath: ZOOKEEPER_DIRS.dataLog, readOnly: false },
      ],
      files: [
        file(m, 'zookeeper', ZOOKEEPER_DIRS.config, renderZooCfg({ servers, self })),
        file(m, 'zookeeper', ZOOKEEPER_DIRS.myid, renderMyid(m.zookeeperId)),
      ],
    });
    add({
      ...base,
      service: 'mesos-master',
      component: 'mesos',
      image: mesosImage,
      projectImage: 'mesos',
      entrypoint: ['mesos-master'],
      args: mesosMasterArgs({
        host: m,
        zkUrl: masterUrl,
        quorum: mesosQuorum(masters.length),
        clusterName: spec.clusterName,
        authEnabled: auth,
      }),
      env: {},
      volumes: [sameVolume(MESOS_DIRS.masterWork), sameVolume(MESOS_DIRS.masterLog)],
      files: auth
        ? [
            file(m, 'mesos-master', MESOS_DIRS.acls, renderMesosAcls()),
            file(m, 'mesos-master', MESOS_DIRS.credentials, renderMesosCredentials()),
            file(
              m,
              'mesos-master',
              MESOS_DIRS.zk,
              zookeeperUrlWithLogin(zookeeperConnect(spec), 'mesos', ZOOKEEPER_USERS.mesos),
            ),
          ]
        : [],
    });
    add({
      ...base,
      service: 'marathon',
      component: 'marathon',
      image: imageFor('marathon', v.marathon),
      args: marathonArgs({ host: m, masterUrl, stateUrl: zookeeperUrl(spec, 'marathon'), authEnabled: auth }),
      env: {
        LIBPROCESS_IP: m.address,
        LIBPROCESS_PORT: String(PORTS.marathonLibprocess),
        ...(auth
          ? {
              MESOSPHERE_HTTP_CREDENTIALS: httpCredentialsEnv('marathon'),
              MARATHON_ZK: zookeeperUrlWithLogin(
                zookeeperConnect(spec),
                'marathon',
                ZOOKEEPER_USERS.marathon,
              ),
            }
          : {}),
      },
      volumes: [],
      // Exactly the secret, no trailing newline: Marathon and Chronos use the whole file as the secret.
      files: auth
        ? [
            file(
              m,
              'marathon',
              FRAMEWORK_FILES.marathonMesosSecret,
              secretPlaceholder(PRINCIPALS.marathon.secret),
            ),
          ]
        : [],
    });
    add({
      ...base,
      service: 'chronos',
      component: 'chronos',
      image: imageFor('chronos', v.chronos),
      args: chronosArgs({ host: m, masterUrl, zkHosts: zookeeperConnect(spec), authEnabled: auth }),
      // The image's start.sh turns PORT0 into --http_port and PORT1 into LIBPROCESS_PORT.
      env: {
        LIBPROCESS_IP: m.address,
        PORT0: String(PORTS.chronos),
        PORT1: String(PORTS.chronosLibprocess),
        ...(auth ? { MESOSPHERE_HTTP_CREDENTIALS: httpCredentialsEnv('chronos') } : {}),
      },
      volumes: [],
      files: auth
        ? [
            file(
              m,
              'chronos',
              FRAMEWORK_FILES.chronosMesosSecret,
              secretPlaceholder(PRINCIPALS.chronos.secret),
            ),
          ]
        : [],
    });
    add({
      ...base,
      service: 'mesos-dns',
      component: 'mesosDns',
      image: imageFor('mesosDns', v.mesosDns),
      entrypoint: ['/usr/bin/mesos-dns'],
      args: [`-config=${MESOS_DNS_CONFIG_PATH}`],
      env: {},
      volumes: [],
      files: [file(m, 'mesos-dns', MESOS_DNS_CONFIG_PATH, renderMesosDnsConfig(spec, m))],
    });
  }

  for (const a of agents) {
    add({
      host: a.name,
      address: a.address,
      service: 'mesos-agent',
      component: 'mesos',
      image: mesosImage,
      projectImage: 'mesos',
      entrypoint: ['mesos-agent'],
      args: mesosAgentArgs({ host: a, masterUrl, executorImage: mesosImage, authEnabled: auth }),
      // Tasks run as the agent's user (root in the container); there are no per-user accounts to switch to.
      env: { MESOS_SWITCH_USER: '0' },
      volumes: [
        sameVolume('/var/run/docker.sock'),
        sameVolume('/sys/fs/cgroup'),
        sameVolume(MESOS_DIRS.agentWork),
        sameVolume(MESOS_DIRS.agentLog),
      ],
      files: auth
        ? [
            file(a, 'mesos-agent', MESOS_DIRS.credential, renderAgentCredential()),
            file(a, 'mesos-agent', MESOS_DIRS.httpCredentials, renderAgentHttpCredentials()),
          ]
        : [],
      // cgroups isolation and executor recovery need the host's cgroups and process table.
      privileged: true,
      pidMode: 'host',
    });
  }

  const order = (c: ContainerPlan): number => SERVICES.indexOf(c.service);
  containers.sort((x, y) => (x.host < y.host ? -1 : x.host > y.host ? 1 : order(x) - order(y)));

  const resolvers: ResolverPlan[] =
    spec.mode === 'local'
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

  return {
    clusterName: spec.clusterName,
    authEnabled: auth,
    masters: masters.map((m) => m.name),
    agents: agents.map((a) => a.name),
    zookeeperConnect: zookeeperConnect(spec),
    mesosMaster: masterUrl,
    marathonZk: zookeeperUrl(spec, 'marathon'),
    mesosQuorum: mesosQuorum(masters.length),
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
    documents: sortDocuments(documents),
  };
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

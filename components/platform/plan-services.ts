import { PORTS, zookeeperUrl, type ZookeeperServer } from '../plan/topology';
import { imageFor } from '../model/catalog';
import type { ClusterSpec, HostSpec, Versions } from '../model/types';
import type { ContainerPlan, FilePlan, ServiceName, VolumePlan } from './plan-platform';
import {
  FRAMEWORK_FILES,
  MARATHON_JAVA_OPTS,
  MARATHON_LOGBACK,
  chronosArgs,
  httpCredentialsEnv,
  marathonArgs,
} from './render-frameworks';
import {
  MESOS_DIRS,
  mesosAgentArgs,
  mesosMasterArgs,
  renderAgentCredential,
  renderAgentHttpCredentials,
  renderMesosAcls,
  renderMesosCredentials,
} from './render-mesos';
import { MESOS_DNS_CONFIG_PATH, renderMesosDnsConfig } from './render-mesos-dns';
import {
  PRINCIPALS,
  ZOOKEEPER_USERS,
  hasPlaceholders,
  secretPlaceholder,
  zookeeperUrlWithLogin,
} from './render-secrets';
import { ZOOKEEPER_DIRS, renderMyid, renderZooCfg } from './render-zookeeper';

/**
 * One planner per platform service: each turns a host into that service's container. What several of them need
 * (the master URL, the quorum, the ZooKeeper servers, the Mesos image) is worked out once, in PlatformFacts.
 */

/** A container before the fields every platform container shares (name, networking, restart, resolvers). */
export type ContainerDraft = Omit<
  ContainerPlan,
  'hasSecrets' | 'networkMode' | 'restart' | 'containerName' | 'dns' | 'dnsSearch'
>;

export interface PlatformFacts {
  readonly spec: ClusterSpec;
  readonly auth: boolean;
  readonly versions: Versions;
  /** `zk://…/mesos`, which masters, agents and frameworks find the leading master by. */
  readonly masterUrl: string;
  /** The ZooKeeper connect string (host:port,…). */
  readonly zookeeperConnect: string;
  readonly servers: readonly ZookeeperServer[];
  readonly quorum: number;
  /** The Stars Mesos image (images/mesos) for masters, agents and, having no ENTRYPOINT, Docker executors. */
  readonly mesosImage: string;
  /** The Stars Mesos-DNS image (images/mesos-dns), built from a pinned, checksummed source. */
  readonly mesosDnsImage: string;
}

export type ServicePlanner = (facts: PlatformFacts, host: HostSpec) => ContainerDraft;

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

function file(host: HostSpec, service: ServiceName, path: string, content: string): FilePlan {
  const secret = hasPlaceholders(content);
  return {
    path,
    document: `hosts/${host.name}/${service}/${path.slice(path.lastIndexOf('/') + 1)}`,
    content,
    secret,
    ...(secret ? { owner: RUNS_AS[service], mode: '0400' } : {}),
  };
}

const sameVolume = (path: string, readOnly = false): VolumePlan => ({
  hostPath: path,
  containerPath: path,
  readOnly,
});

const onHost = (h: HostSpec) => ({ host: h.name, address: h.address, privileged: false });

export const planZookeeper: ServicePlanner = (f, m) => {
  const self = f.servers.find((s) => s.host === m.name);
  if (self === undefined || m.zookeeperId === undefined) {
    throw new Error(`hosts.${m.name}.zookeeperId: a master needs a ZooKeeper server id (1-255)`);
  }
  return {
    ...onHost(m),
    service: 'zookeeper',
    component: 'zookeeper',
    image: imageFor('zookeeper', f.versions.zookeeper),
    args: [],
    // ZOO_MY_ID only matters if /data/myid is missing; the uploaded myid is authoritative.
    env: { ZOO_MY_ID: String(m.zookeeperId) },
    volumes: [
      { hostPath: ZOOKEEPER_DIRS.hostData, containerPath: ZOOKEEPER_DIRS.data, readOnly: false },
      { hostPath: ZOOKEEPER_DIRS.hostDataLog, containerPath: ZOOKEEPER_DIRS.dataLog, readOnly: false },
    ],
    files: [
      file(m, 'zookeeper', ZOOKEEPER_DIRS.config, renderZooCfg({ servers: f.servers, self })),
      file(m, 'zookeeper', ZOOKEEPER_DIRS.myid, renderMyid(m.zookeeperId)),
    ],
  };
};

export const planMesosMaster: ServicePlanner = (f, m) => ({
  ...onHost(m),
  service: 'mesos-master',
  component: 'mesos',
  image: f.mesosImage,
  projectImage: 'mesos',
  entrypoint: ['mesos-master'],
  args: mesosMasterArgs({
    host: m,
    zkUrl: f.masterUrl,
    quorum: f.quorum,
    clusterName: f.spec.clusterName,
    authEnabled: f.auth,
  }),
  env: {},
  volumes: [sameVolume(MESOS_DIRS.masterWork), sameVolume(MESOS_DIRS.masterLog)],
  files: f.auth
    ? [
        file(m, 'mesos-master', MESOS_DIRS.acls, renderMesosAcls()),
        file(m, 'mesos-master', MESOS_DIRS.credentials, renderMesosCredentials()),
        file(
          m,
          'mesos-master',
          MESOS_DIRS.zk,
          zookeeperUrlWithLogin(f.zookeeperConnect, 'mesos', ZOOKEEPER_USERS.mesos),
        ),
      ]
    : [],
});

export const planMarathon: ServicePlanner = (f, m) => ({
  ...onHost(m),
  service: 'marathon',
  component: 'marathon',
  image: imageFor('marathon', f.versions.marathon),
  args: marathonArgs({
    host: m,
    masterUrl: f.masterUrl,
    stateUrl: zookeeperUrl(f.spec, 'marathon'),
    authEnabled: f.auth,
  }),
  env: {
    LIBPROCESS_IP: m.address,
    LIBPROCESS_PORT: String(PORTS.marathonLibprocess),
    ...(f.auth
      ? {
          JAVA_OPTS: MARATHON_JAVA_OPTS,
          MESOSPHERE_HTTP_CREDENTIALS: httpCredentialsEnv('marathon'),
          MARATHON_ZK: zookeeperUrlWithLogin(f.zookeeperConnect, 'marathon', ZOOKEEPER_USERS.marathon),
        }
      : {}),
  },
  volumes: [],
  // Exactly the secret, no trailing newline: Marathon and Chronos use the whole file as the secret.
  files: f.auth
    ? [
        file(
          m,
          'marathon',
          FRAMEWORK_FILES.marathonMesosSecret,
          secretPlaceholder(PRINCIPALS.marathon.secret),
        ),
        file(m, 'marathon', FRAMEWORK_FILES.marathonLogback, MARATHON_LOGBACK),
      ]
    : [],
});

export const planChronos: ServicePlanner = (f, m) => ({
  ...onHost(m),
  service: 'chronos',
  component: 'chronos',
  image: imageFor('chronos', f.versions.chronos),
  args: chronosArgs({ host: m, masterUrl: f.masterUrl, zkHosts: f.zookeeperConnect, authEnabled: f.auth }),
  // The image's start.sh turns PORT0 into --http_port and PORT1 into LIBPROCESS_PORT.
  env: {
    LIBPROCESS_IP: m.address,
    PORT0: String(PORTS.chronos),
    PORT1: String(PORTS.chronosLibprocess),
    ...(f.auth ? { MESOSPHERE_HTTP_CREDENTIALS: httpCredentialsEnv('chronos') } : {}),
  },
  volumes: [],
  files: f.auth
    ? [file(m, 'chronos', FRAMEWORK_FILES.chronosMesosSecret, secretPlaceholder(PRINCIPALS.chronos.secret))]
    : [],
});

export const planMesosDns: ServicePlanner = (f, m) => ({
  ...onHost(m),
  service: 'mesos-dns',
  component: 'mesosDns',
  image: f.mesosDnsImage,
  projectImage: 'mesos-dns',
  entrypoint: ['/usr/bin/mesos-dns'],
  // The vendored glog (mesos-go's ZooKeeper detector) would write log files under /tmp, which the image has not.
  args: [`-config=${MESOS_DNS_CONFIG_PATH}`, '-logtostderr=true'],
  env: {},
  volumes: [],
  files: [file(m, 'mesos-dns', MESOS_DNS_CONFIG_PATH, renderMesosDnsConfig(f.spec, m))],
});

export const planMesosAgent: ServicePlanner = (f, a) => ({
  ...onHost(a),
  service: 'mesos-agent',
  component: 'mesos',
  image: f.mesosImage,
  projectImage: 'mesos',
  entrypoint: ['mesos-agent'],
  args: mesosAgentArgs({
    host: a,
    masterUrl: f.masterUrl,
    executorImage: f.mesosImage,
    authEnabled: f.auth,
  }),
  // Tasks run as the agent's user (root in the container); there are no per-user accounts to switch to.
  env: { MESOS_SWITCH_USER: '0' },
  volumes: [
    sameVolume('/var/run/docker.sock'),
    sameVolume('/sys/fs/cgroup'),
    sameVolume(MESOS_DIRS.agentWork),
    sameVolume(MESOS_DIRS.agentLog),
  ],
  files: f.auth
    ? [
        file(a, 'mesos-agent', MESOS_DIRS.credential, renderAgentCredential()),
        file(a, 'mesos-agent', MESOS_DIRS.httpCredentials, renderAgentHttpCredentials()),
      ]
    : [],
  // cgroups isolation and executor recovery need the host's cgroups and process table.
  privileged: true,
  pidMode: 'host',
});

/** What runs on every master, in start order; agents run planMesosAgent. */
export const MASTER_PLANNERS: readonly ServicePlanner[] = [
  planZookeeper,
  planMesosMaster,
  planMarathon,
  planChronos,
  planMesosDns,
];

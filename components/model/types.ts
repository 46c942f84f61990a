/**
 * The validated, plain cluster spec. Everything downstream (planners, renderers, components) reads this and
 * nothing else; it is produced only by `parseClusterSpec`.
 */

export const MODES = ['onprem', 'aws', 'local'] as const;
export type Mode = (typeof MODES)[number];

export const ENVIRONMENTS = ['dev', 'staging', 'production'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const ROLES = ['master', 'agent'] as const;
export type Role = (typeof ROLES)[number];

export const APP_NAMES = [
  'spark',
  'zeppelin',
  'livy',
  'blazegraph',
  'lightning',
  'jupyter',
  'jenkins',
] as const;
export type AppName = (typeof APP_NAMES)[number];

export const COMPONENTS = [
  'docker',
  'zookeeper',
  'mesos',
  'marathon',
  'chronos',
  'mesosDns',
  'spark',
  'zeppelin',
  'livy',
  'blazegraph',
  'lightning',
  'jupyter',
  'httpd',
  'jenkins',
] as const;
export type ComponentName = (typeof COMPONENTS)[number];

/** How Pulumi reaches a host's SSH daemon. `privateKey` names where the key comes from, never the key. */
export interface SshSpec {
  readonly user: string;
  readonly port: number;
  /** `agent`: the operator's ssh-agent; `config`: the secret config value `stars:sshPrivateKey`. */
  readonly privateKey: 'agent' | 'config';
  readonly jumpHost?: { readonly host: string; readonly user: string; readonly port: number };
  /** Pinned host key (`ssh-ed25519 AAAA…`), checked before any command runs. */
  readonly hostKey?: string;
  readonly dialTimeoutSeconds: number;
}

export interface HostSpec {
  readonly name: string;
  /** Address cluster members use to reach this host. */
  readonly address: string;
  readonly publicAddress?: string;
  readonly roles: readonly Role[];
  /** ZooKeeper server id (1-255) for masters; kept per host so adding a master renumbers nobody. */
  readonly zookeeperId?: number;
  readonly ssh: SshSpec;
  /** Mesos agent attributes, e.g. `{ rack: "r1" }`. */
  readonly attributes: Readonly<Record<string, string>>;
  /** Resources the agent offers; when absent the agent detects them. */
  readonly resources?: { readonly cpus: number; readonly memMb: number; readonly diskMb: number };
}

export interface AwsSpec {
  readonly region: string;
  readonly masters: number;
  readonly agents: number;
  readonly masterInstanceType: string;
  readonly agentInstanceType: string;
  readonly varVolumeGb: number;
  readonly amiOwner: string;
  readonly amiNameFilter: string;
  readonly vpcCidr: string;
  readonly vpcId?: string;
  readonly subnetIds: readonly string[];
  readonly availabilityZones: number;
  readonly sshCidrs: readonly string[];
  readonly sshPublicKey: string;
  /** Agent offer used for capacity planning, from the instance type. */
  readonly agentCpus: number;
  readonly agentMemMb: number;
}

export type Versions = Readonly<Record<ComponentName, string>>;

export interface SparkOptions {
  readonly executorCores: number;
  readonly executorMemory: string;
  readonly coresMax: number;
  readonly dispatcherCpus: number;
  readonly dispatcherMemMb: number;
  readonly historyServer: boolean;
  readonly shuffleService: boolean;
}
export interface ZeppelinOptions {
  readonly cpus: number;
  readonly memMb: number;
  readonly auth: 'local' | 'ldap' | 'activeDirectory';
  readonly ldapUrl?: string;
  readonly ldapSearchBase?: string;
  readonly ldapBindUser?: string;
  readonly users: readonly string[];
  /** local auth: the users with Zeppelin's admin role (interpreter settings, credentials); none by default. */
  readonly admins: readonly string[];
  /** ldap: the cn of the directory group whose members are admins; activeDirectory: its DN. */
  readonly adminGroup?: string;
}
export interface LivyOptions {
  readonly cpus: number;
  readonly memMb: number;
  readonly sessionTimeout: string;
  readonly auth: boolean;
}
export interface BlazegraphOptions {
  readonly cpus: number;
  readonly memMb: number;
  readonly heap: string;
  readonly readOnly: boolean;
  readonly corsOrigins: readonly string[];
}
export interface LightningOptions {
  readonly cpus: number;
  readonly memMb: number;
  /** The site's Lightning image: no published Lightning image tag is on record (catalog). */
  readonly image?: string;
}
export interface JupyterOptions {
  readonly cpus: number;
  readonly memMb: number;
}

export interface JenkinsOptions {
  readonly cpus: number;
  readonly memMb: number;
}

export interface AppsSpec {
  readonly enabled: readonly AppName[];
  readonly spark: SparkOptions;
  readonly zeppelin: ZeppelinOptions;
  readonly livy: LivyOptions;
  readonly blazegraph: BlazegraphOptions;
  readonly lightning: LightningOptions;
  readonly jupyter: JupyterOptions;
  readonly jenkins: JenkinsOptions;
}

/** The TLS edge (components/edge): one reverse proxy per master in front of every UI and API. */
export interface EdgeSpec {
  readonly enabled: boolean;
  /**
   * Local edge logins besides the always generated `admin` (people) and `stars` (the program and the CLI); each
   * gets a generated password. Empty when the site's directory checks people's logins.
   */
  readonly users: readonly string[];
  /** People log in with the site's LDAP/AD directory (Zeppelin's settings) instead of local users. */
  readonly directory: boolean;
  /** Local logins (from `users`) that reach the operator routes besides the generated `admin` and `stars`. */
  readonly operators: readonly string[];
  /** With the directory: the DN of the group whose members reach the operator routes. */
  readonly operatorGroup?: string;
}

/** Where the hosts' Docker engine comes from: Docker's repository, pinned (vendor), or the OS's own package. */
export type DockerEngineSource = 'vendor' | 'distribution';

/** `stars:packageSources`: proxies and mirrors for sites behind a proxy or without the internet. */
export interface PackageSourcesSpec {
  /** HTTP(S) proxy for apt/dnf, curl and the Docker engine's pulls (never with a login in it). */
  readonly proxy?: string;
  /** The proxy takes the secret stars:proxyCredentials (filled in at deploy time, root-only files on hosts). */
  readonly proxyLogin: boolean;
  /** Besides the cluster's own hosts and domain (always direct), what bypasses the proxy. */
  readonly noProxy: readonly string[];
  /** Replaces the distribution's archive on Debian/Ubuntu hosts. */
  readonly aptMirror?: string;
  /** Replaces the BaseOS and AppStream repositories on Rocky/Alma hosts. */
  readonly dnfMirror?: string;
  readonly dockerEngine: DockerEngineSource;
  /** Base URL of Docker's package repository (or a mirror of it) for the vendor engine. */
  readonly dockerRepository: string;
  /** The engine's registry-mirrors (Docker Hub pull-through caches). */
  readonly registryMirrors: readonly string[];
  /** Image builds download every file from `<downloadMirror>/<host>/<path>` of its upstream URL. */
  readonly downloadMirror?: string;
  /** The Python package index image builds install from (pip's index-url). */
  readonly pypiIndex?: string;
  /** The npm registry image builds install from. */
  readonly npmRegistry?: string;
}

/** `stars:dataBackup`: the hosts back their data up with restic to one repository, daily. */
export interface DataBackupSpec {
  /** `/path` (a mounted share), `sftp:user@host:/path` or `s3:https://host/bucket[/path]`. */
  readonly repository: string;
  readonly kind: 'local' | 'sftp' | 's3';
  /** When the daily backup starts, HH:MM UTC. */
  readonly time: string;
  readonly keep: { readonly daily: number; readonly weekly: number; readonly monthly: number };
  /** The restic image the hosts run it with. */
  readonly image: string;
  /** sftp: the repository host's key, pinned in the known_hosts restic's ssh reads. */
  readonly sftpHostKey?: string;
}

export interface ClusterSpec {
  readonly stack: string;
  readonly environment: Environment;
  readonly mode: Mode;
  readonly clusterName: string;
  readonly domain: string;
  /** Registry for the project-built images; unset, each host builds the images it runs. */
  readonly imageRegistry?: string;
  readonly dnsResolvers: readonly string[];
  readonly adminCidrs: readonly string[];
  readonly authEnabled: boolean;
  /** onprem: the nftables host firewall (render-firewall.ts) is on; always false for aws and local. */
  readonly hostFirewall: boolean;
  /** Data-bearing resources are protected and retained on delete (stars:protectData, default on). */
  readonly protectData: boolean;
  /** Daily data backups (stars:dataBackup), or none. */
  readonly dataBackup?: DataBackupSpec;
  readonly packageSources: PackageSourcesSpec;
  /** How long a rolling replacement waits for each platform member to be healthy before it stops the roll. */
  readonly healthGateTimeoutSeconds: number;
  /** How many Mesos agents a rolling replacement drains and replaces at once. */
  readonly maxAgentsDown: number;
  readonly edge: EdgeSpec;
  /** local: the engine the local host's Docker provider uses (DOCKER_HOST of the machine running Pulumi). */
  readonly localDockerHost: string;
  /** Every host, sorted by name; for `aws` they are derived from the instance counts. */
  readonly hosts: readonly HostSpec[];
  readonly aws?: AwsSpec;
  readonly versions: Versions;
  readonly apps: AppsSpec;
}

import { VERSION_CATALOG } from './catalog';
import { COMPONENTS, type ComponentName } from './types';

/**
 * Every `stars:*` config key the program reads. `Pulumi.yaml` is rendered from this table (a test proves the
 * committed file matches), so a key is declared in exactly one place.
 *
 * `object` keys hold structured values (lists of hosts, maps of settings). They stay undeclared, documented in
 * Pulumi.yaml comments and validated by the parser, which reports every problem with its path; the engine's
 * own `object` check would only say "must be of type 'object'" (tests/contract/upstream/pulumi).
 */
export type ConfigKeyType = 'string' | 'integer' | 'boolean' | 'string[]' | 'object';

export interface ConfigKey {
  readonly key: string;
  readonly type: ConfigKeyType;
  readonly default?: string | number | boolean | readonly string[];
  readonly secret?: boolean;
  readonly description: string;
}

export const NAMESPACE = 'stars';

/** Rolling replacement: the default wait for each platform member to be healthy again. */
export const DEFAULT_HEALTH_GATE_TIMEOUT_SECONDS = 300;
/** Rolling replacement: agents drained and replaced at once. */
export const DEFAULT_MAX_AGENTS_DOWN = 1;

export const versionKey = (component: ComponentName): string => `${component}Version`;

export const CONFIG_KEYS: readonly ConfigKey[] = [
  {
    key: 'environment',
    type: 'string',
    default: 'dev',
    description: 'dev | staging | production. Production requires 3 or 5 masters and authentication.',
  },
  {
    key: 'mode',
    type: 'string',
    default: 'local',
    description:
      'How hosts are provided: onprem (existing machines over SSH) | aws (EC2) | local (this Docker engine).',
  },
  {
    key: 'clusterName',
    type: 'string',
    default: 'stars',
    description: 'Mesos cluster name shown in the UI; also tags and names.',
  },
  {
    key: 'domain',
    type: 'string',
    default: 'mesos',
    description: 'Mesos-DNS domain: apps resolve as <app>.marathon.<domain>.',
  },
  {
    key: 'imageRegistry',
    type: 'string',
    description:
      'Registry for the images the project builds (images/<name>): built once on the first agent, pushed there ' +
      'and pulled by every host, e.g. registry.example.org:5000/stars. Unset: each host builds what it runs.',
  },
  {
    key: 'dnsResolvers',
    type: 'string[]',
    default: ['8.8.8.8'],
    description: 'Upstream DNS servers Mesos-DNS forwards names outside its domain to.',
  },
  {
    key: 'adminCidrs',
    type: 'string[]',
    default: [],
    description:
      'CIDRs allowed to reach the web UIs and APIs (Mesos, Marathon, Chronos, apps). Never 0.0.0.0/0.',
  },
  {
    key: 'authEnabled',
    type: 'boolean',
    default: true,
    description:
      'HTTP basic auth on Marathon/Chronos and Mesos framework/agent authentication. May be false only in dev.',
  },
  {
    key: 'hostFirewall',
    type: 'boolean',
    default: true,
    description:
      'onprem: an nftables firewall on every host from the same port matrix as the AWS security groups (SSH and UIs only from adminCidrs and cluster hosts). Set false only where the site firewalls the hosts itself.',
  },
  {
    key: 'protectData',
    type: 'boolean',
    default: true,
    description:
      "Data-bearing resources (AWS: each host's encrypted /var volume, with ZooKeeper's, the apps' and the backups' data) are protected and retained on delete: pulumi destroy refuses them, and once unprotected keeps them in the account. Set false (then pulumi up) before destroying a stack whose data may go; on-prem data directories are never Pulumi resources and are never deleted.",
  },
  {
    key: 'dataBackup',
    type: 'object',
    description:
      'Daily restic backups of the data on the hosts (the pinned apps on the first agent, ZooKeeper on the first master): {repository: /path | sftp:user@host:/path | s3:https://host/bucket[/path], time?: HH:MM UTC (02:30), keep?: {daily?: 7, weekly?: 4, monthly?: 6}, image?: the restic image (ghcr.io/restic/restic:0.19.1), sftpHostKey?: "host type base64" (required for sftp)}. Secrets: dataBackupPassword, dataBackupSshKey (sftp), dataBackupS3Credentials (s3).',
  },
  {
    key: 'packageSources',
    type: 'object',
    description:
      'Proxies and mirrors for the hosts: {proxy?: http://host:port (apt/dnf, curl, the Docker engine), noProxy?: [hosts, .domains, CIDRs] (the cluster is always direct), aptMirror?, dnfMirror?, dockerEngine?: vendor (Docker repository, pinned; default) | distribution (the OS package, e.g. Debian docker.io), dockerRepository?: mirror of download.docker.com, registryMirrors?: [urls] (Docker Hub), downloadMirror?: https URL serving every file the image builds download at <mirror>/<host>/<path> of its upstream URL, pypiIndex?: https index for pip, npmRegistry?: https npm registry} (README "Air-gapped install" lists what to mirror).',
  },
  {
    key: 'healthGateTimeoutSeconds',
    type: 'integer',
    default: DEFAULT_HEALTH_GATE_TIMEOUT_SECONDS,
    description:
      'Rolling replacement: how long each ZooKeeper, Mesos master, Marathon, Chronos and Mesos-DNS member may take to be healthy again before the roll stops there (10-3600).',
  },
  {
    key: 'maxAgentsDown',
    type: 'integer',
    default: DEFAULT_MAX_AGENTS_DOWN,
    description:
      'Rolling replacement of Mesos agents: how many are drained (Mesos maintenance: scheduled, down, up) and replaced at once; below the number of agents, so drained tasks have somewhere to go. A lone agent is replaced without a drain.',
  },
  {
    key: 'edge',
    type: 'boolean',
    default: true,
    description:
      'A TLS reverse proxy (Apache httpd) on every master in front of every UI and API, with one login; the backends then answer only the edge and the cluster. May be false only in dev (the laptop trial turns it off).',
  },
  {
    key: 'edgeUsers',
    type: 'string[]',
    default: [],
    description:
      'Edge logins for people besides the generated admin, each with a generated password (appCredentials); not used when Zeppelin auth is ldap/activeDirectory, where the directory checks logins.',
  },
  {
    key: 'edgeOperators',
    type: 'string[]',
    default: [],
    description:
      'Edge logins that may use the operator routes (Mesos, Marathon, Chronos, Jenkins) besides the generated admin and stars: names from edgeUsers, or, when Zeppelin auth is ldap/activeDirectory, the DN of one directory group. Everyone else reaches only the user routes (notebooks, Livy, Spark UIs, Blazegraph, Lightning).',
  },
  {
    key: 'sshUser',
    type: 'string',
    default: 'stars',
    description: 'Default SSH user for hosts (sudo without password).',
  },
  { key: 'sshPort', type: 'integer', default: 22, description: 'Default SSH port for hosts.' },
  {
    key: 'sshPrivateKey',
    type: 'string',
    secret: true,
    description:
      'SSH private key (set with --secret). When unset, hosts whose privateKey is "config" cannot be reached and the ssh-agent is used.',
  },
  {
    key: 'sshJumpHost',
    type: 'string',
    default: '',
    description: 'Default bastion as user@host:port; empty for direct connections.',
  },
  {
    key: 'sshDialTimeoutSeconds',
    type: 'integer',
    default: 30,
    description: 'How long an SSH dial may take before it fails.',
  },
  {
    key: 'hosts',
    type: 'object',
    description:
      'onprem/local: list of {name, address, publicAddress?, roles: [master|agent], ssh?: {user, port, privateKey: agent|config, jumpHost, hostKey, dialTimeoutSeconds}, attributes?: {k: v}, resources?: {cpus, memMb, diskMb}}.',
  },
  { key: 'awsRegion', type: 'string', default: 'us-east-1', description: 'aws: region for every resource.' },
  {
    key: 'awsMasters',
    type: 'integer',
    default: 3,
    description: 'aws: number of master instances (3 or 5 in production).',
  },
  { key: 'awsAgents', type: 'integer', default: 3, description: 'aws: number of agent instances.' },
  {
    key: 'awsMasterInstanceType',
    type: 'string',
    default: 'm6i.large',
    description: 'aws: master instance type.',
  },
  {
    key: 'awsAgentInstanceType',
    type: 'string',
    default: 'm6i.2xlarge',
    description: 'aws: agent instance type.',
  },
  {
    key: 'awsVarVolumeGb',
    type: 'integer',
    default: 100,
    description: 'aws: size of the encrypted EBS volume mounted at /var (>= 50).',
  },
  {
    key: 'awsAmiOwner',
    type: 'string',
    default: '136693071363',
    description: 'aws: AMI owner account (default: Debian).',
  },
  {
    key: 'awsAmiNameFilter',
    type: 'string',
    default: 'debian-12-amd64-*',
    description: 'aws: AMI name filter; the newest match is used.',
  },
  {
    key: 'awsVpcCidr',
    type: 'string',
    default: '10.42.0.0/16',
    description: 'aws: CIDR of the VPC Stars creates.',
  },
  {
    key: 'awsVpcId',
    type: 'string',
    default: '',
    description: 'aws: use this existing VPC instead of creating one.',
  },
  {
    key: 'awsSubnetIds',
    type: 'string[]',
    default: [],
    description: 'aws: existing subnets (one per AZ) to use with awsVpcId.',
  },
  {
    key: 'awsAvailabilityZones',
    type: 'integer',
    default: 3,
    description: 'aws: number of AZs to spread hosts over.',
  },
  {
    key: 'awsSshCidrs',
    type: 'string[]',
    default: [],
    description: 'aws: CIDRs allowed to SSH to the hosts.',
  },
  {
    key: 'awsSshPublicKey',
    type: 'string',
    default: '',
    description: 'aws: public half of the operator SSH key (key pair).',
  },
  ...COMPONENTS.map((component): ConfigKey => ({
    key: versionKey(component),
    type: 'string',
    default: VERSION_CATALOG[component].default,
    description: `Version of ${component}; one of ${VERSION_CATALOG[component].supported.join(', ')}.`,
  })),
  {
    key: 'apps',
    type: 'string[]',
    default: ['spark', 'zeppelin', 'livy', 'jupyter'],
    description:
      'Apps to run: spark, zeppelin, livy, blazegraph, lightning, jupyter, jenkins (optional: a Jenkins LTS controller).',
  },
  {
    key: 'appSettings',
    type: 'object',
    description: 'Per-app options keyed by app name, e.g. {blazegraph: {heap: "4g", readOnly: true}}.',
  },
  {
    key: 'zeppelinUsers',
    type: 'string',
    secret: true,
    description:
      'Zeppelin local users as user:password pairs separated by commas (set with --secret); generated when unset.',
  },
  {
    key: 'dataBackupPassword',
    type: 'string',
    secret: true,
    description:
      "The restic repository's password (set with --secret). Lose it and the backups cannot be read: keep a copy outside the stack.",
  },
  {
    key: 'dataBackupSshKey',
    type: 'string',
    secret: true,
    description:
      'The private SSH key the hosts log in to an sftp backup repository with (set with --secret < key).',
  },
  {
    key: 'dataBackupS3Credentials',
    type: 'string',
    secret: true,
    description: 'ACCESS_KEY_ID:SECRET_ACCESS_KEY for an s3 backup repository (set with --secret).',
  },
  {
    key: 'proxyCredentials',
    type: 'string',
    secret: true,
    description:
      'The login of packageSources.proxy as user:password, percent-encoded as in a URL (set with --secret). The hosts get it only in root-only files; plans show a placeholder.',
  },
  {
    key: 'ldapBindPassword',
    type: 'string',
    secret: true,
    description: 'Bind password for Zeppelin LDAP/AD auth (set with --secret).',
  },
];

export const CONFIG_KEY_NAMES: ReadonlySet<string> = new Set(CONFIG_KEYS.map((k) => k.key));
export const SECRET_KEYS: readonly string[] = CONFIG_KEYS.filter((k) => k.secret === true).map((k) => k.key);

/**
 * Typed keys without a default: Pulumi.yaml declares them with `default: ""` (the engine makes a declared key
 * with a nil default required), so the engine hands the program "" when a stack leaves them unset.
 */
export const EMPTY_MEANS_UNSET_KEYS: readonly string[] = CONFIG_KEYS.filter(
  (k) => k.type !== 'object' && k.default === undefined,
).map((k) => k.key);

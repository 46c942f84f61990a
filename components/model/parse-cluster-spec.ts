import ipaddr from 'ipaddr.js';
import { parseEdge } from './parse-edge';
import { parseDataBackup } from './parse-data-backup';
import { parsePackageSources } from './parse-package-sources';
import { parseRolling } from './parse-rolling';
import { parseAppSettings } from './app-settings';
import { VERSION_CATALOG } from './catalog';
import { CONFIG_KEYS, CONFIG_KEY_NAMES, NAMESPACE, SECRET_KEYS, versionKey } from './config-keys';
import { IssueList } from './issues';
import { awsHosts, parseAws } from './parse-aws';
import { assignZookeeperIds, checkTopology, parseDefaultSsh, parseHosts } from './parse-hosts';
import {
  checkCidrs,
  clusterDomainProblem,
  checkEach,
  describe,
  isDnsLabel,
  isIPv4,
  oneOf,
  readBoolean,
  readString,
  readStringArray,
  suggest,
  type Raw,
} from './read-values';
import {
  APP_NAMES,
  COMPONENTS,
  ENVIRONMENTS,
  MODES,
  type AppName,
  type AwsSpec,
  type ClusterSpec,
  type ComponentName,
  type Environment,
  type HostSpec,
  type Mode,
  type Versions,
} from './types';

export interface ParseContext {
  readonly stack: string;
  /** Config keys (without namespace) whose values were stored encrypted. */
  readonly secretKeys?: readonly string[];
  /** DOCKER_HOST of the machine running Pulumi, when set: the local mode's engine (as the docker CLI's). */
  readonly dockerHost?: string;
}

export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';
/** The endpoint forms the Docker provider and CLI take. */
const DOCKER_ENDPOINT =
  /^(?:unix:\/\/\/[A-Za-z0-9._/-]+|tcp:\/\/[A-Za-z0-9.-]+:\d{1,5}|ssh:\/\/(?:[A-Za-z0-9._-]+@)?[A-Za-z0-9.-]+(?::\d{1,5})?)$/;

/**
 * Turns raw stack config (keys without the `stars:` prefix) into a validated `ClusterSpec`, applying the
 * defaults from the config-key table. Every problem is collected and thrown together as a ClusterSpecError.
 */
export function parseClusterSpec(raw: Readonly<Record<string, Raw>>, context: ParseContext): ClusterSpec {
  const issues = new IssueList();
  const secretKeys = new Set(context.secretKeys ?? []);

  for (const key of Object.keys(raw).sort()) {
    if (key.includes(':')) {
      // rawConfigFromEngine keeps keys of a misspelt namespace (e.g. star:mode) so they are not silently ignored.
      const [namespace, ...rest] = key.split(':');
      issues.add(
        key,
        `is in namespace "${namespace}", which the program never reads; write ${NAMESPACE}:${rest.join(':')}`,
      );
    } else if (!CONFIG_KEY_NAMES.has(key)) {
      issues.add(
        `${NAMESPACE}:${key}`,
        `unknown config key${suggest(key, [...CONFIG_KEY_NAMES])}; see Pulumi.yaml for the keys`,
      );
    }
  }
  for (const key of SECRET_KEYS) {
    if (raw[key] !== undefined && !secretKeys.has(key)) {
      issues.add(
        `${NAMESPACE}:${key}`,
        `is stored in plain text; set it with \`pulumi config set --secret ${NAMESPACE}:${key}\``,
      );
    }
  }

  const value = (key: string): Raw => {
    if (raw[key] !== undefined) return raw[key];
    return CONFIG_KEYS.find((k) => k.key === key)?.default;
  };
  const str = (key: string): string | undefined => readString(issues, key, value(key));
  const strs = (key: string): string[] | undefined => readStringArray(issues, key, value(key));

  const environment = oneOf(issues, 'environment', str('environment'), ENVIRONMENTS);
  const mode = oneOf(issues, 'mode', str('mode'), MODES);
  const clusterName = str('clusterName');
  if (clusterName !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(clusterName)) {
    issues.add(
      'clusterName',
      `${describe(clusterName)} may hold only letters, digits, "_" and "-" (1-64 characters)`,
    );
  }
  const domain = str('domain');
  if (domain !== undefined && !domain.split('.').every(isDnsLabel)) {
    issues.add('domain', `${describe(domain)} is not a DNS domain; use lowercase labels such as "mesos"`);
  } else if (domain !== undefined) {
    const problem = clusterDomainProblem(domain);
    if (problem !== undefined) issues.add('domain', `${describe(domain)} ${problem}`);
  }
  const imageRegistry = raw.imageRegistry === undefined ? undefined : str('imageRegistry');
  if (imageRegistry !== undefined && !IMAGE_REGISTRY.test(imageRegistry)) {
    issues.add(
      'imageRegistry',
      `${describe(imageRegistry)} is not a registry; write host[:port][/path] in lowercase, e.g. "registry.example.org:5000/stars"`,
    );
  }
  const dnsResolvers = checkEach(
    issues,
    'dnsResolvers',
    strs('dnsResolvers'),
    isIPv4,
    'is not an IPv4 address',
  );
  if (dnsResolvers !== undefined && dnsResolvers.length === 0) {
    issues.add('dnsResolvers', 'is empty; give at least one upstream resolver such as your site DNS server');
  }
  const adminCidrs = checkCidrs(issues, 'adminCidrs', strs('adminCidrs'));
  const authEnabled = readBoolean(issues, 'authEnabled', value('authEnabled'));
  if (authEnabled === false && environment !== undefined && environment !== 'dev') {
    issues.add(
      'authEnabled',
      `may be false only in dev; ${environment} always authenticates (remove the key)`,
    );
  } else if (authEnabled === false && mode !== undefined && mode !== 'local') {
    issues.add(
      'authEnabled',
      `may be false only with mode local (this machine, on loopback); with mode ${mode} the cluster's APIs would answer anyone on the network (remove the key)`,
    );
  }

  const hostFirewall = parseHostFirewall(issues, value, mode, adminCidrs);
  const protectData = readBoolean(issues, 'protectData', value('protectData')) ?? true;
  const defaultSsh = parseDefaultSsh(issues, value, raw.sshPrivateKey !== undefined);
  const versions = parseVersions(issues, value);
  const enabled = parseEnabledApps(issues, value('apps'));
  const apps = parseAppSettings(issues, raw.appSettings, enabled ?? [], environment);
  const edge = parseEdge(issues, value, { environment, mode, apps });
  const packageSources = parsePackageSources(
    issues,
    value('packageSources'),
    raw.proxyCredentials !== undefined,
  );
  const dataBackup = parseDataBackup(issues, value('dataBackup'), {
    password: raw.dataBackupPassword !== undefined,
    sshKey: raw.dataBackupSshKey !== undefined,
    s3Credentials: raw.dataBackupS3Credentials !== undefined,
  });
  if (dataBackup !== undefined && mode === 'local')
    issues.add(
      'dataBackup',
      'is for cluster hosts; mode local (this machine) keeps nothing worth a schedule, remove it',
    );
  const localDockerHost =
    context.dockerHost === undefined || context.dockerHost === '' ? DEFAULT_DOCKER_HOST : context.dockerHost;
  if (mode === 'local' && !DOCKER_ENDPOINT.test(localDockerHost)) {
    issues.add(
      'DOCKER_HOST',
      `${describe(localDockerHost)} (environment) is not a Docker endpoint; use unix:///path, tcp://host:port or ssh://[user@]host[:port], or unset it`,
    );
  }

  let hosts: HostSpec[] = [];
  let aws: AwsSpec | undefined;
  if (mode === 'aws') {
    if (raw.hosts !== undefined)
      issues.add('hosts', 'is not used with mode aws; hosts come from awsMasters/awsAgents (remove hosts)');
    aws = parseAws(issues, value, adminCidrs);
    if (aws !== undefined) hosts = awsHosts(aws, defaultSsh);
  } else if (mode !== undefined) {
    const rawHosts =
      raw.hosts ??
      (mode === 'local' ? [{ name: 'local', address: '127.0.0.1', roles: ['master', 'agent'] }] : undefined);
    if (rawHosts === undefined)
      issues.add(
        'hosts',
        'is required with mode onprem; list every machine with its name, address and roles',
      );
    else
      hosts = parseHosts(
        issues,
        rawHosts,
        defaultSsh,
        mode === 'onprem' && environment === 'production',
        mode === 'local',
      );
    if (mode === 'local' && hosts.length !== 1) {
      issues.add('hosts', `mode local runs exactly one host (master and agent); ${hosts.length} given`);
    }
  }
  if (environment !== undefined)
    checkTopology(issues, hosts, environment, mode === 'aws' ? 'awsMasters' : 'hosts');
  hosts = assignZookeeperIds(issues, hosts);
  const rolling = parseRolling(issues, value, hosts);
  checkResolversAreUpstream(issues, dnsResolvers, hosts);

  issues.throwIfAny();
  return {
    stack: context.stack,
    environment: environment as Environment,
    mode: mode as Mode,
    clusterName: clusterName as string,
    domain: domain as string,
    ...(imageRegistry === undefined ? {} : { imageRegistry }),
    dnsResolvers: dnsResolvers as string[],
    adminCidrs: adminCidrs as string[],
    authEnabled: authEnabled as boolean,
    hostFirewall,
    protectData,
    ...(dataBackup === undefined ? {} : { dataBackup }),
    packageSources,
    ...rolling,
    edge,
    localDockerHost,
    hosts: [...hosts].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    ...(aws === undefined ? {} : { aws }),
    versions: versions as Versions,
    apps,
  };
}

/**
 * Mesos-DNS forwards every name outside its domain to dnsResolvers, from the host network of a master: a
 * loopback address or a master's own address is Mesos-DNS itself, and every such name would loop until it
 * timed out.
 */
function checkResolversAreUpstream(
  issues: IssueList,
  resolvers: readonly string[] | undefined,
  hosts: readonly HostSpec[],
): void {
  const masters = new Map(hosts.filter((h) => h.roles.includes('master')).map((h) => [h.address, h.name]));
  (resolvers ?? []).forEach((r, i) => {
    const master = masters.get(r);
    if (ipaddr.IPv4.parse(r).range() === 'loopback')
      issues.add(
        `dnsResolvers[${i}]`,
        `${r} is loopback: Mesos-DNS, on the host network, would forward to itself; give the site's resolver`,
      );
    else if (master !== undefined)
      issues.add(
        `dnsResolvers[${i}]`,
        `${r} is master ${master}, where Mesos-DNS itself answers: it would forward to itself; give the site's resolver`,
      );
  });
}

/** The on-prem firewall lets SSH and the UIs in only from adminCidrs, so without them nobody could reach a host. */
function parseHostFirewall(
  issues: IssueList,
  value: (key: string) => unknown,
  mode: string | undefined,
  adminCidrs: readonly string[] | undefined,
): boolean {
  const enabled = readBoolean(issues, 'hostFirewall', value('hostFirewall'));
  if (mode !== 'onprem' || enabled !== true) return false;
  if (adminCidrs !== undefined && adminCidrs.length === 0)
    issues.add(
      'adminCidrs',
      "is required with mode onprem while hostFirewall is on: the host firewall lets SSH and the UIs in only from these; list the operators' networks (or set hostFirewall: false where the site firewalls the hosts)",
    );
  return true;
}

/** `host[:port][/path]`: DNS labels, an optional port, lowercase path components (Docker's reference grammar). */
const IMAGE_REGISTRY =
  /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::\d{1,5})?(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/;

function parseVersions(issues: IssueList, value: (k: string) => Raw): Partial<Versions> {
  const versions: Partial<Record<ComponentName, string>> = {};
  for (const component of COMPONENTS) {
    const key = versionKey(component);
    const v = readString(issues, key, value(key));
    if (v === undefined) continue;
    const entry = VERSION_CATALOG[component];
    if (component === 'spark' && /^\d+/.test(v) && Number(v.split('.')[0]) >= 4) {
      issues.add(
        key,
        `${describe(v)}: Spark 4 removed Mesos support (SPARK-44442); use a 3.5.x version: ${entry.supported.join(', ')}`,
      );
    } else if (!entry.supported.includes(v)) {
      issues.add(
        key,
        `${describe(v)} is not in the version catalog; use one of ${entry.supported.join(', ')}`,
      );
    } else {
      versions[component] = v;
    }
  }
  return versions;
}

function parseEnabledApps(issues: IssueList, v: Raw): AppName[] | undefined {
  const names = readStringArray(issues, 'apps', v);
  if (names === undefined) return undefined;
  const seen = new Set<string>();
  names.forEach((n, i) => {
    if (!(APP_NAMES as readonly string[]).includes(n)) {
      issues.add(
        `apps[${i}]`,
        `${describe(n)} is not a known app${suggest(n, APP_NAMES)}; known apps: ${APP_NAMES.join(', ')}`,
      );
    } else if (seen.has(n)) {
      issues.add(`apps[${i}]`, `${describe(n)} is listed twice`);
    }
    seen.add(n);
  });
  return APP_NAMES.filter((a) => seen.has(a));
}

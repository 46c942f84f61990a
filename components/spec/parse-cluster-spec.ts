import { parseAppSettings } from './app-settings';
import { VERSION_CATALOG } from './catalog';
import { CONFIG_KEYS, CONFIG_KEY_NAMES, NAMESPACE, SECRET_KEYS, versionKey } from './config-keys';
import { IssueList } from './issues';
import {
  describe,
  isCidr,
  isDnsLabel,
  isIPv4,
  isPort,
  readArray,
  readBoolean,
  readInteger,
  readObject,
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
  ROLES,
  type AppName,
  type AwsSpec,
  type ClusterSpec,
  type ComponentName,
  type Environment,
  type HostSpec,
  type Mode,
  type Role,
  type SshSpec,
  type Versions,
} from './types';

export interface ParseContext {
  readonly stack: string;
  /** Config keys (without namespace) whose values were stored encrypted. */
  readonly secretKeys?: readonly string[];
}

const HOST_KEYS = [
  'name',
  'address',
  'publicAddress',
  'roles',
  'zookeeperId',
  'ssh',
  'attributes',
  'resources',
];
const SSH_KEYS = ['user', 'port', 'privateKey', 'jumpHost', 'hostKey', 'dialTimeoutSeconds'];
const RESOURCE_KEYS = ['cpus', 'memMb', 'diskMb'];

/** Agent offers for the instance families we size by default; unknown types fall back to a conservative offer. */
const INSTANCE_OFFERS: Readonly<Record<string, { cpus: number; memMb: number }>> = {
  'm6i.large': { cpus: 2, memMb: 8192 },
  'm6i.xlarge': { cpus: 4, memMb: 16384 },
  'm6i.2xlarge': { cpus: 8, memMb: 32768 },
  'm6i.4xlarge': { cpus: 16, memMb: 65536 },
  'r6i.2xlarge': { cpus: 8, memMb: 65536 },
  'c6i.2xlarge': { cpus: 8, memMb: 16384 },
};

/**
 * Turns raw stack config (keys without the `stars:` prefix) into a validated `ClusterSpec`, applying the
 * defaults from the config-key table. Every problem is collected and thrown together as a ClusterSpecError.
 */
export function parseClusterSpec(raw: Readonly<Record<string, Raw>>, context: ParseContext): ClusterSpec {
  const issues = new IssueList();
  const secretKeys = new Set(context.secretKeys ?? []);

  for (const key of Object.keys(raw).sort()) {
    if (!CONFIG_KEY_NAMES.has(key)) {
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
  }

  const defaultSsh = parseDefaultSsh(issues, value, raw.sshPrivateKey !== undefined);
  const versions = parseVersions(issues, value);
  const enabled = parseEnabledApps(issues, value('apps'));
  const apps = parseAppSettings(issues, raw.appSettings, enabled ?? []);

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
    else hosts = parseHosts(issues, rawHosts, defaultSsh);
    if (mode === 'local' && hosts.length !== 1) {
      issues.add('hosts', `mode local runs exactly one host (master and agent); ${hosts.length} given`);
    }
  }
  if (environment !== undefined)
    checkTopology(issues, hosts, environment, mode === 'aws' ? 'awsMasters' : 'hosts');
  hosts = assignZookeeperIds(issues, hosts);

  issues.throwIfAny();
  return {
    stack: context.stack,
    environment: environment as Environment,
    mode: mode as Mode,
    clusterName: clusterName as string,
    domain: domain as string,
    dnsResolvers: dnsResolvers as string[],
    adminCidrs: adminCidrs as string[],
    authEnabled: authEnabled as boolean,
    hosts: [...hosts].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    ...(aws === undefined ? {} : { aws }),
    versions: versions as Versions,
    apps,
  };
}

function oneOf<T extends string>(
  issues: IssueList,
  path: string,
  v: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (v === undefined) return undefined;
  if ((allowed as readonly string[]).includes(v)) return v as T;
  issues.add(path, `${describe(v)} is not one of ${allowed.join(', ')}${suggest(v, allowed)}`);
  return undefined;
}

function checkEach(
  issues: IssueList,
  path: string,
  values: string[] | undefined,
  ok: (v: string) => boolean,
  problem: string,
): string[] | undefined {
  if (values === undefined) return undefined;
  let good = true;
  values.forEach((v, i) => {
    if (!ok(v)) {
      issues.add(`${path}[${i}]`, `${describe(v)} ${problem}`);
      good = false;
    }
  });
  return good ? values : undefined;
}

function checkCidrs(issues: IssueList, path: string, values: string[] | undefined): string[] | undefined {
  const cidrs = checkEach(issues, path, values, isCidr, 'is not an IPv4 CIDR such as 10.0.0.0/8');
  cidrs?.forEach((c, i) => {
    if (c.endsWith('/0')) {
      issues.add(
        `${path}[${i}]`,
        `${describe(c)} opens admin ports to the whole internet; list your office or VPN ranges`,
      );
    }
  });
  return cidrs;
}

interface DefaultSsh {
  readonly user?: string;
  readonly port?: number;
  readonly privateKey: 'agent' | 'config';
  readonly jumpHost?: SshSpec['jumpHost'];
  readonly dialTimeoutSeconds?: number;
}

function parseJumpHost(issues: IssueList, path: string, v: string): SshSpec['jumpHost'] | undefined {
  const m = /^([a-z_][a-z0-9_-]*)@([A-Za-z0-9.-]+)(?::(\d+))?$/.exec(v);
  const port = m?.[3] === undefined ? 22 : Number(m[3]);
  if (m === null || !isPort(port)) {
    issues.add(path, `${describe(v)} is not user@host[:port]`);
    return undefined;
  }
  return { user: m[1], host: m[2], port };
}

function parseDefaultSsh(issues: IssueList, value: (k: string) => Raw, hasKey: boolean): DefaultSsh {
  const user = readString(issues, 'sshUser', value('sshUser'));
  const port = readInteger(issues, 'sshPort', value('sshPort'));
  if (port !== undefined && !isPort(port)) issues.add('sshPort', `${port} is not a TCP port (1-65535)`);
  const jump = readString(issues, 'sshJumpHost', value('sshJumpHost'));
  const dial = readInteger(issues, 'sshDialTimeoutSeconds', value('sshDialTimeoutSeconds'));
  if (dial !== undefined && (dial < 1 || dial > 600))
    issues.add('sshDialTimeoutSeconds', `${dial} must be between 1 and 600`);
  return {
    user,
    port,
    privateKey: hasKey ? 'config' : 'agent',
    jumpHost: jump === undefined || jump === '' ? undefined : parseJumpHost(issues, 'sshJumpHost', jump),
    dialTimeoutSeconds: dial,
  };
}

function resolveSsh(d: DefaultSsh): SshSpec {
  return {
    user: d.user ?? 'stars',
    port: d.port ?? 22,
    privateKey: d.privateKey,
    ...(d.jumpHost === undefined ? {} : { jumpHost: d.jumpHost }),
    dialTimeoutSeconds: d.dialTimeoutSeconds ?? 30,
  };
}

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

function parseHosts(issues: IssueList, raw: Raw, defaults: DefaultSsh): HostSpec[] {
  const items = readArray(issues, 'hosts', raw);
  if (items === undefined) return [];
  const hosts: HostSpec[] = [];
  const names = new Map<string, number>();
  const addresses = new Map<string, number>();
  items.forEach((item, i) => {
    const path = `hosts[${i}]`;
    const obj = readObject(issues, path, item, HOST_KEYS);
    if (obj === undefined) return;
    const name = obj.name === undefined ? undefined : readString(issues, `${path}.name`, obj.name);
    if (name === undefined) {
      if (obj.name === undefined)
        issues.add(`${path}.name`, 'is required; give the host a short lowercase name');
    } else if (!isDnsLabel(name)) {
      issues.add(
        `${path}.name`,
        `${describe(name)} is not a DNS label; use lowercase letters, digits and "-"`,
      );
    } else if (names.has(name)) {
      issues.add(
        `${path}.name`,
        `${describe(name)} is already used by hosts[${names.get(name)}]; host names must be unique`,
      );
    } else names.set(name, i);

    const address =
      obj.address === undefined ? undefined : readString(issues, `${path}.address`, obj.address);
    if (address === undefined) {
      if (obj.address === undefined)
        issues.add(`${path}.address`, 'is required; give the IPv4 address cluster members use');
    } else if (!isIPv4(address)) {
      issues.add(`${path}.address`, `${describe(address)} is not an IPv4 address`);
    } else if (addresses.has(address)) {
      issues.add(
        `${path}.address`,
        `${describe(address)} is already used by hosts[${addresses.get(address)}]; addresses must be unique`,
      );
    } else addresses.set(address, i);

    let publicAddress: string | undefined;
    if (obj.publicAddress !== undefined) {
      publicAddress = readString(issues, `${path}.publicAddress`, obj.publicAddress);
      if (publicAddress !== undefined && !isIPv4(publicAddress)) {
        issues.add(`${path}.publicAddress`, `${describe(publicAddress)} is not an IPv4 address`);
      }
    }

    const roles = parseRoles(issues, `${path}.roles`, obj.roles);
    let zookeeperId: number | undefined;
    if (obj.zookeeperId !== undefined) {
      zookeeperId = readInteger(issues, `${path}.zookeeperId`, obj.zookeeperId);
      if (zookeeperId !== undefined && (zookeeperId < 1 || zookeeperId > 255)) {
        issues.add(`${path}.zookeeperId`, `${zookeeperId} is outside 1-255`);
        zookeeperId = undefined;
      } else if (zookeeperId !== undefined && roles !== undefined && !roles.includes('master')) {
        issues.add(`${path}.zookeeperId`, 'is only used on masters; remove it or add the master role');
      }
    }
    const ssh = parseHostSsh(issues, `${path}.ssh`, obj.ssh, defaults);
    const attributes = parseAttributes(issues, `${path}.attributes`, obj.attributes);
    const resources = parseResources(issues, `${path}.resources`, obj.resources);
    if (name !== undefined && address !== undefined && roles !== undefined && ssh !== undefined) {
      hosts.push({
        name,
        address,
        ...(publicAddress === undefined ? {} : { publicAddress }),
        roles,
        ...(zookeeperId === undefined ? {} : { zookeeperId }),
        ssh,
        attributes: attributes ?? {},
        ...(resources === undefined ? {} : { resources }),
      });
    }
  });
  return hosts;
}

function parseRoles(issues: IssueList, path: string, raw: Raw): Role[] | undefined {
  if (raw === undefined) {
    issues.add(path, 'is required; give master, agent or both');
    return undefined;
  }
  const roles = readStringArray(issues, path, raw);
  if (roles === undefined) return undefined;
  if (roles.length === 0) {
    issues.add(path, 'is empty; give master, agent or both');
    return undefined;
  }
  let ok = true;
  roles.forEach((r, i) => {
    if (!(ROLES as readonly string[]).includes(r)) {
      issues.add(`${path}[${i}]`, `${describe(r)} is not a role; use master or agent`);
      ok = false;
    }
  });
  return ok ? ROLES.filter((r) => roles.includes(r)) : undefined;
}

function parseHostSsh(issues: IssueList, path: string, raw: Raw, d: DefaultSsh): SshSpec | undefined {
  if (raw === undefined) return resolveSsh(d);
  const obj = readObject(issues, path, raw, SSH_KEYS);
  if (obj === undefined) return undefined;
  const merged: { -readonly [K in keyof DefaultSsh]: DefaultSsh[K] } = { ...d };
  let hostKey: string | undefined;
  if (obj.user !== undefined) merged.user = readString(issues, `${path}.user`, obj.user);
  if (obj.port !== undefined) {
    const port = readInteger(issues, `${path}.port`, obj.port);
    if (port !== undefined && !isPort(port))
      issues.add(`${path}.port`, `${port} is not a TCP port (1-65535)`);
    merged.port = port;
  }
  if (obj.privateKey !== undefined) {
    const pk = readString(issues, `${path}.privateKey`, obj.privateKey);
    if (pk !== undefined && pk !== 'agent' && pk !== 'config') {
      issues.add(
        `${path}.privateKey`,
        `${describe(pk)} is not agent or config; the key itself belongs in the secret stars:sshPrivateKey`,
      );
    } else if (pk !== undefined) merged.privateKey = pk;
  }
  if (obj.jumpHost !== undefined) {
    const j = readString(issues, `${path}.jumpHost`, obj.jumpHost);
    merged.jumpHost = j === undefined || j === '' ? undefined : parseJumpHost(issues, `${path}.jumpHost`, j);
  }
  if (obj.hostKey !== undefined) {
    hostKey = readString(issues, `${path}.hostKey`, obj.hostKey);
    if (
      hostKey !== undefined &&
      !/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/]+=*$/.test(hostKey)
    ) {
      issues.add(
        `${path}.hostKey`,
        'is not a public host key line such as "ssh-ed25519 AAAA…" (see ssh-keyscan)',
      );
      hostKey = undefined;
    }
  }
  if (obj.dialTimeoutSeconds !== undefined) {
    merged.dialTimeoutSeconds = readInteger(issues, `${path}.dialTimeoutSeconds`, obj.dialTimeoutSeconds);
  }
  return { ...resolveSsh(merged), ...(hostKey === undefined ? {} : { hostKey }) };
}

function parseAttributes(issues: IssueList, path: string, raw: Raw): Record<string, string> | undefined {
  if (raw === undefined) return undefined;
  const v = typeof raw === 'string' ? undefined : raw;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    issues.add(path, `${describe(raw)} is not a mapping of attribute names to values`);
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!/^[A-Za-z0-9_.-]+$/.test(k))
      issues.add(`${path}.${k}`, 'attribute names may hold letters, digits, "_", "." and "-"');
    else if (typeof val !== 'string' && typeof val !== 'number')
      issues.add(`${path}.${k}`, `${describe(val)} is not a text or number`);
    else if (/[;:]/.test(String(val)))
      issues.add(`${path}.${k}`, `${describe(val)} may not contain ";" or ":" (Mesos attribute syntax)`);
    else out[k] = String(val);
  }
  return out;
}

function parseResources(issues: IssueList, path: string, raw: Raw): HostSpec['resources'] | undefined {
  if (raw === undefined) return undefined;
  const obj = readObject(issues, path, raw, RESOURCE_KEYS);
  if (obj === undefined) return undefined;
  const out: Record<string, number> = {};
  for (const key of RESOURCE_KEYS) {
    if (obj[key] === undefined) {
      issues.add(`${path}.${key}`, 'is required when resources are given');
      continue;
    }
    const n = readInteger(issues, `${path}.${key}`, obj[key]);
    if (n !== undefined && n <= 0) issues.add(`${path}.${key}`, `${n} must be greater than 0`);
    else if (n !== undefined) out[key] = n;
  }
  return Object.keys(out).length === 3 ? (out as unknown as HostSpec['resources']) : undefined;
}

function parseAws(
  issues: IssueList,
  value: (k: string) => Raw,
  adminCidrs: string[] | undefined,
): AwsSpec | undefined {
  const s = (k: string): string | undefined => readString(issues, k, value(k));
  const n = (k: string): number | undefined => readInteger(issues, k, value(k));
  const region = s('awsRegion');
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
    issues.add('awsRegion', `${describe(region)} is not an AWS region such as us-east-1`);
  const masters = n('awsMasters');
  const agents = n('awsAgents');
  const varVolumeGb = n('awsVarVolumeGb');
  if (varVolumeGb !== undefined && varVolumeGb < 50)
    issues.add('awsVarVolumeGb', `${varVolumeGb} is below the 50 GB /var needs (images, work dirs)`);
  const vpcCidr = s('awsVpcCidr');
  if (vpcCidr !== undefined && !isCidr(vpcCidr))
    issues.add('awsVpcCidr', `${describe(vpcCidr)} is not an IPv4 CIDR`);
  const vpcId = s('awsVpcId');
  if (
    vpcCidr !== undefined &&
    isCidr(vpcCidr) &&
    (vpcId === undefined || vpcId === '') &&
    !vpcCidr.endsWith('/16')
  ) {
    issues.add(
      'awsVpcCidr',
      `${describe(vpcCidr)} must be a /16: each availability zone gets a /20 inside it`,
    );
  }
  const subnetIds = readStringArray(issues, 'awsSubnetIds', value('awsSubnetIds'));
  if (vpcId !== undefined && vpcId !== '' && !/^vpc-[0-9a-f]+$/.test(vpcId))
    issues.add('awsVpcId', `${describe(vpcId)} is not a VPC id (vpc-…)`);
  if (vpcId !== undefined && vpcId !== '' && subnetIds !== undefined && subnetIds.length === 0) {
    issues.add('awsSubnetIds', 'is required with awsVpcId; list one subnet per availability zone');
  }
  if ((vpcId === undefined || vpcId === '') && subnetIds !== undefined && subnetIds.length > 0) {
    issues.add('awsSubnetIds', 'is used only with awsVpcId; set awsVpcId or remove awsSubnetIds');
  }
  const azs = n('awsAvailabilityZones');
  if (azs !== undefined && (azs < 1 || azs > 6))
    issues.add('awsAvailabilityZones', `${azs} must be between 1 and 6`);
  const sshCidrs = checkCidrs(
    issues,
    'awsSshCidrs',
    readStringArray(issues, 'awsSshCidrs', value('awsSshCidrs')),
  );
  const sshPublicKey = s('awsSshPublicKey');
  if (
    sshPublicKey !== undefined &&
    !/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp\d+) [A-Za-z0-9+/]+=*( .*)?$/.test(sshPublicKey)
  ) {
    issues.add(
      'awsSshPublicKey',
      'is required with mode aws; give the public key line of the operator key (ssh-ed25519 AAAA…)',
    );
  }
  if (adminCidrs !== undefined && adminCidrs.length === 0) {
    issues.add('adminCidrs', 'is required with mode aws; list the CIDRs that may reach the UIs and APIs');
  }
  const masterType = s('awsMasterInstanceType');
  const agentType = s('awsAgentInstanceType');
  const offer =
    agentType === undefined ? undefined : (INSTANCE_OFFERS[agentType] ?? { cpus: 2, memMb: 4096 });
  if (
    [
      region,
      masters,
      agents,
      varVolumeGb,
      vpcCidr,
      vpcId,
      subnetIds,
      azs,
      sshCidrs,
      sshPublicKey,
      masterType,
      agentType,
    ].includes(undefined)
  ) {
    return undefined;
  }
  return {
    region: region as string,
    masters: masters as number,
    agents: agents as number,
    masterInstanceType: masterType as string,
    agentInstanceType: agentType as string,
    varVolumeGb: varVolumeGb as number,
    amiOwner: s('awsAmiOwner') ?? '',
    amiNameFilter: s('awsAmiNameFilter') ?? '',
    vpcCidr: vpcCidr as string,
    ...(vpcId === '' ? {} : { vpcId: vpcId as string }),
    subnetIds: subnetIds as string[],
    availabilityZones: azs as number,
    sshCidrs: sshCidrs as string[],
    sshPublicKey: sshPublicKey as string,
    agentCpus: (offer as { cpus: number }).cpus,
    agentMemMb: (offer as { memMb: number }).memMb,
  };
}

/**
 * AWS hosts get stable names by role and ordinal, spread round-robin over AZs, and private addresses planned
 * inside each AZ's /20 (AZ k is a.b.16k.0/20): masters from offset 10, agents from offset 100.
 */
function awsHosts(aws: AwsSpec, defaults: DefaultSsh): HostSpec[] {
  const ssh = { ...resolveSsh(defaults), user: defaults.user ?? 'admin' };
  const [a, b] = aws.vpcCidr.split('/')[0].split('.');
  const make = (role: Role, i: number): HostSpec => {
    const az = (i - 1) % aws.availabilityZones;
    const offset = (role === 'master' ? 10 : 100) + Math.floor((i - 1) / aws.availabilityZones);
    return {
      name: `${role}-${i}`,
      ...(role === 'master' ? { zookeeperId: i } : {}),
      address: `${a}.${b}.${16 * az + Math.floor(offset / 256)}.${offset % 256}`,
      roles: [role],
      ssh,
      attributes: { zone: `az${az + 1}` },
      ...(role === 'agent'
        ? {
            resources: {
              cpus: aws.agentCpus,
              memMb: aws.agentMemMb - 1024,
              diskMb: (aws.varVolumeGb - 20) * 1024,
            },
          }
        : {}),
    };
  };
  return [
    ...Array.from({ length: Math.max(0, aws.masters) }, (_, i) => make('master', i + 1)),
    ...Array.from({ length: Math.max(0, aws.agents) }, (_, i) => make('agent', i + 1)),
  ];
}

/**
 * Masters without an explicit id get the lowest free ids in name order. Explicit ids keep a server's identity
 * when masters are added or removed; duplicates are an error.
 */
function assignZookeeperIds(issues: IssueList, hosts: HostSpec[]): HostSpec[] {
  const used = new Map<number, string>();
  for (const h of hosts) {
    if (h.zookeeperId === undefined) continue;
    const other = used.get(h.zookeeperId);
    if (other !== undefined)
      issues.add(
        'hosts',
        `${h.name} and ${other} both have zookeeperId ${h.zookeeperId}; ids must be unique`,
      );
    used.set(h.zookeeperId, h.name);
  }
  let next = 1;
  return [...hosts]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((h) => {
      if (!h.roles.includes('master') || h.zookeeperId !== undefined) return h;
      while (used.has(next)) next += 1;
      used.set(next, h.name);
      return { ...h, zookeeperId: next };
    });
}

function checkTopology(
  issues: IssueList,
  hosts: readonly HostSpec[],
  environment: Environment,
  path: string,
): void {
  if (hosts.length === 0) return;
  const masters = hosts.filter((h) => h.roles.includes('master')).length;
  const agents = hosts.filter((h) => h.roles.includes('agent')).length;
  if (masters === 0) issues.add(path, 'has no master; give 1 (dev only), 3 or 5 hosts the master role');
  else if (masters % 2 === 0) {
    issues.add(
      path,
      `has ${masters} masters; an even count adds no fault tolerance to the ZooKeeper/Mesos quorum, use ${masters - 1} or ${masters + 1}`,
    );
  } else if (environment === 'production' && masters !== 3 && masters !== 5) {
    issues.add(path, `has ${masters} master${masters === 1 ? '' : 's'}; production needs 3 or 5`);
  } else if (masters > 7) {
    issues.add(path, `has ${masters} masters; more than 7 slows every ZooKeeper write, use 5 or 7`);
  }
  if (agents === 0) issues.add(path, 'has no agent; give at least one host the agent role so tasks can run');
}

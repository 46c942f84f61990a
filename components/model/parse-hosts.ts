import { IssueList } from './issues';
import {
  describe,
  HOST_KEY_LINE,
  hostAddressProblem,
  isDnsLabel,
  isIPv4,
  isPort,
  POSIX_USER,
  readArray,
  readInteger,
  readObject,
  readString,
  readStringArray,
  type Raw,
} from './read-values';
import { ROLES, type Environment, type HostSpec, type Role, type SshSpec } from './types';

/**
 * Host list parsing for modes onprem and local, the stack-wide SSH defaults every host inherits (AWS hosts
 * too), and the checks over the final host set: ZooKeeper ids and master/agent topology.
 */

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
/** Upper bounds of one host's offer: 1024 cores, 64 TiB of memory, 1 PiB of disk. */
const RESOURCE_MAX: Readonly<Record<string, number>> = {
  cpus: 1024,
  memMb: 64 * 1024 * 1024,
  diskMb: 1024 ** 3,
};

export interface DefaultSsh {
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

function readUser(issues: IssueList, path: string, raw: Raw): string | undefined {
  const user = readString(issues, path, raw);
  if (user !== undefined && !POSIX_USER.test(user)) {
    issues.add(
      path,
      `${describe(user)} is not a POSIX user name; use lowercase letters, digits, "_" and "-", starting with a letter or "_" (at most 32)`,
    );
    return undefined;
  }
  return user;
}

export function parseDefaultSsh(issues: IssueList, value: (k: string) => Raw, hasKey: boolean): DefaultSsh {
  const user = readUser(issues, 'sshUser', value('sshUser'));
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

export function resolveSsh(d: DefaultSsh): SshSpec {
  return {
    user: d.user ?? 'stars',
    port: d.port ?? 22,
    privateKey: d.privateKey,
    ...(d.jumpHost === undefined ? {} : { jumpHost: d.jumpHost }),
    dialTimeoutSeconds: d.dialTimeoutSeconds ?? 30,
  };
}

/** `requireHostKeys`: production never trusts a host key on first use, so every host must pin one. */
export function parseHosts(
  issues: IssueList,
  raw: Raw,
  defaults: DefaultSsh,
  requireHostKeys = false,
  allowLoopback = false,
): HostSpec[] {
  const items = readArray(issues, 'hosts', raw);
  if (items === undefined) return [];
  const hosts: HostSpec[] = [];
  const names = new Map<string, number>();
  const labels = new Map<number, string>();
  const addresses = new Map<string, number>();
  const addressProblem = (a: string): string | undefined => hostAddressProblem(a, allowLoopback);
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
    if (name !== undefined && isDnsLabel(name)) labels.set(i, name);

    const address =
      obj.address === undefined ? undefined : readString(issues, `${path}.address`, obj.address);
    const problem = address !== undefined && isIPv4(address) ? addressProblem(address) : undefined;
    if (address === undefined) {
      if (obj.address === undefined)
        issues.add(`${path}.address`, 'is required; give the IPv4 address cluster members use');
    } else if (!isIPv4(address)) {
      issues.add(`${path}.address`, `${describe(address)} is not an IPv4 address`);
    } else if (problem !== undefined) {
      issues.add(
        `${path}.address`,
        `${describe(address)} ${problem}; give the address other cluster members reach this host at`,
      );
    } else if (addresses.has(address)) {
      issues.add(
        `${path}.address`,
        `${describe(address)} is already used by hosts[${addresses.get(address)}]; addresses must be unique`,
      );
    } else addresses.set(address, i);

    let publicAddress: string | undefined;
    if (obj.publicAddress !== undefined) {
      publicAddress = readString(issues, `${path}.publicAddress`, obj.publicAddress);
      const publicProblem =
        publicAddress !== undefined && isIPv4(publicAddress) ? addressProblem(publicAddress) : undefined;
      if (publicAddress !== undefined && !isIPv4(publicAddress)) {
        issues.add(`${path}.publicAddress`, `${describe(publicAddress)} is not an IPv4 address`);
      } else if (publicProblem !== undefined) {
        issues.add(
          `${path}.publicAddress`,
          `${describe(publicAddress)} ${publicProblem}; give the address Pulumi and operators reach this host at`,
        );
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
    if (requireHostKeys && ssh !== undefined && ssh.hostKey === undefined)
      issues.add(
        `${path}.ssh.hostKey`,
        `is required in production (host ${name ?? i}): pin the key you verified out of band, e.g. the ` +
          `ssh-ed25519 line of \`ssh-keyscan -t ed25519 ${address !== undefined && isIPv4(address) ? address : '<address>'}\` checked against the host's ` +
          'console (`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub`)',
      );
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
  issues.nameHosts(labels);
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
  if (obj.user !== undefined) merged.user = readUser(issues, `${path}.user`, obj.user);
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
    if (hostKey !== undefined && !HOST_KEY_LINE.test(hostKey)) {
      issues.add(
        `${path}.hostKey`,
        'is not a public host key line such as "ssh-ed25519 AAAA…" (see ssh-keyscan)',
      );
      hostKey = undefined;
    }
  }
  if (obj.dialTimeoutSeconds !== undefined) {
    const dial = readInteger(issues, `${path}.dialTimeoutSeconds`, obj.dialTimeoutSeconds);
    if (dial !== undefined && (dial < 1 || dial > 600))
      issues.add(`${path}.dialTimeoutSeconds`, `${dial} must be between 1 and 600`);
    merged.dialTimeoutSeconds = dial;
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
    // Mesos documents text values as [a-zA-Z0-9_/.-]; anything else (spaces, newlines, quotes) reaches a flag.
    else if (!/^[A-Za-z0-9_/.-]+$/.test(String(val)))
      issues.add(
        `${path}.${k}`,
        `${describe(val)} is not a Mesos text value; use letters, digits, "_", "/", "." and "-"`,
      );
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
    else if (n !== undefined && n > RESOURCE_MAX[key])
      issues.add(`${path}.${key}`, `${n} is more than any one host has; at most ${RESOURCE_MAX[key]}`);
    else if (n !== undefined) out[key] = n;
  }
  return Object.keys(out).length === 3 ? (out as unknown as HostSpec['resources']) : undefined;
}

/**
 * Masters without an explicit id get the lowest free ids in name order. Explicit ids keep a server's identity
 * when masters are added or removed; duplicates are an error.
 */
export function assignZookeeperIds(issues: IssueList, hosts: HostSpec[]): HostSpec[] {
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

export function checkTopology(
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
      `has ${masters} masters; an even count adds no fault tolerance to the ZooKeeper/Mesos quorum, use ` +
        (environment === 'production'
          ? `3 or 5 (production needs one of them)`
          : `${masters - 1} or ${masters + 1}`),
    );
  } else if (environment === 'production' && masters !== 3 && masters !== 5) {
    issues.add(path, `has ${masters} master${masters === 1 ? '' : 's'}; production needs 3 or 5`);
  } else if (masters > 7) {
    issues.add(path, `has ${masters} masters; more than 7 slows every ZooKeeper write, use 5 or 7`);
  }
  if (agents === 0) issues.add(path, 'has no agent; give at least one host the agent role so tasks can run');
}

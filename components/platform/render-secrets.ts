import { fillPlaceholders as fill, placeholdersIn as placeholdersOf, secretRef } from '../plan/placeholders';

/**
 * Secrets in rendered documents are placeholders (`{{secret:marathon-http}}`): the plan can be written out and
 * reviewed without any secret in it, and the component fills the placeholders at deploy time from
 * @pulumi/random values, inside a secret Output.
 */

export const SECRET_NAMES = [
  'chronos-http',
  'marathon-http',
  'mesos-agent',
  'mesos-chronos',
  'mesos-dns',
  'mesos-frameworks',
  'mesos-http',
  'mesos-marathon',
  'zookeeper-marathon',
  'zookeeper-mesos',
] as const;
export type SecretName = (typeof SECRET_NAMES)[number];

/** Mesos principals, one per registering party; each has its own generated secret. */
export const PRINCIPALS = {
  agent: { principal: 'agent', secret: 'mesos-agent' },
  marathon: { principal: 'marathon', secret: 'mesos-marathon' },
  chronos: { principal: 'chronos', secret: 'mesos-chronos' },
  /** Shared by frameworks the apps layer starts (e.g. the Spark dispatcher). */
  frameworks: { principal: 'frameworks', secret: 'mesos-frameworks' },
} as const satisfies Record<string, { principal: string; secret: SecretName }>;

/** Mesos-DNS reads the master's state with this HTTP login (MesosCredentials). */
export const MESOS_DNS_PRINCIPAL = { principal: 'mesos-dns', secret: 'mesos-dns' } as const;

/**
 * ZooKeeper digest users of the clients that can authenticate and set ACLs on what they create (README
 * "Security model"): the Mesos masters (their znodes become world-readable, creator-writable) and Marathon
 * (creator-only). Mesos-DNS, the Spark dispatcher and Chronos' own nodes cannot be protected this way.
 */
export const ZOOKEEPER_USERS = {
  mesos: { user: 'mesos', secret: 'zookeeper-mesos' },
  marathon: { user: 'marathon', secret: 'zookeeper-marathon' },
} as const satisfies Record<string, { user: string; secret: SecretName }>;

/** `zk://user:{{secret}}@h1:2181,…/znode`: the password is alphanumeric, as both URL parsers need. */
export function zookeeperUrlWithLogin(
  connect: string,
  znode: string,
  login: (typeof ZOOKEEPER_USERS)[keyof typeof ZOOKEEPER_USERS],
): string {
  return `zk://${login.user}:${secretPlaceholder(login.secret)}@${connect}/${znode}`;
}

/** User name for Marathon's and Chronos' HTTP basic auth. */
export const HTTP_USER = 'stars';

export function secretPlaceholder(name: SecretName): string {
  return secretRef(name);
}

/** Platform secrets a template refers to, sorted and without repeats; a name the platform never makes is a bug. */
export function placeholdersIn(template: string): SecretName[] {
  const names = placeholdersOf(template, 'secret');
  const unknown = names.find((n) => !(SECRET_NAMES as readonly string[]).includes(n));
  if (unknown !== undefined) throw new Error(`unknown secret placeholder ${secretRef(unknown)}`);
  return names as SecretName[];
}

export function hasPlaceholders(template: string): boolean {
  return placeholdersIn(template).length > 0;
}

/** Replaces every placeholder; a missing value is an error rather than a silently empty secret. */
export function fillPlaceholders(
  template: string,
  values: Readonly<Partial<Record<SecretName, string>>>,
): string {
  return fill(template, { secret: values });
}

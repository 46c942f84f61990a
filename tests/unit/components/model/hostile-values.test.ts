import { ClusterSpecError } from '../../../../components/model/issues';
import { parseClusterSpec } from '../../../../components/model/parse-cluster-spec';
import { describe as shown, MAX_STRING_LENGTH } from '../../../../components/model/read-values';
import { AWS, host, ONPREM } from './raw-stacks';

/**
 * Hostile or careless stack files, one class per table (issue 28): each is refused before anything is planned,
 * with the field and the fix, and nothing a value holds is echoed unescaped or unbounded.
 */

const withAgent = (address: string) => ({
  ...ONPREM,
  hosts: [...ONPREM.hosts.slice(0, 3), host('a1', address, ['agent'])],
});

function problems(raw: Record<string, unknown>): string[] {
  try {
    parseClusterSpec(raw, { stack: 'test', secretKeys: [] });
  } catch (err) {
    if (err instanceof ClusterSpecError) return err.issues.map((i) => `${i.path}: ${i.message}`);
    throw err;
  }
  return [];
}

describe('addresses that name no host', () => {
  test.each([
    ['0.0.0.0', 'is the unspecified address (it means "any", not a host)'],
    ['127.0.0.1', 'is a loopback address: it names the machine that reads it, not this host'],
    ['127.8.8.8', 'is a loopback address: it names the machine that reads it, not this host'],
    ['255.255.255.255', 'is the broadcast address'],
    ['224.0.0.251', 'is a multicast address'],
    ['169.254.169.254', 'is link-local (169.254.0.0/16: not routed, and on AWS the metadata service)'],
    ['240.0.0.1', 'is in a reserved range (240.0.0.0/4)'],
  ])('%s', (address, why) => {
    expect(problems(withAgent(address))).toEqual([
      `hosts[3].address: "${address}" ${why}; give the address other cluster members reach this host at`,
    ]);
  });

  test('loopback is the one host of mode local, and accepted there', () => {
    expect(
      problems({
        environment: 'dev',
        mode: 'local',
        hosts: [host('local', '127.0.0.1', ['master', 'agent'])],
      }),
    ).toEqual([]);
  });
});

describe("a cluster domain that is not the cluster's to take", () => {
  test.each([
    [
      'com',
      'is a top-level domain of the Internet: the hosts would send every name under it to Mesos-DNS; use a name that is not one, such as "mesos", or a subdomain of your own (cluster.example.org)',
    ],
    [
      'dev',
      'is a top-level domain of the Internet: the hosts would send every name under it to Mesos-DNS; use a name that is not one, such as "mesos", or a subdomain of your own (cluster.example.org)',
    ],
    [
      'local',
      'is a special-use name (RFC 6761/6762) the hosts already resolve otherwise; use a name of your own such as "mesos"',
    ],
    [
      `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.example`,
      'is 190 characters; at most 180 leave room for the names built under it',
    ],
  ])('%s', (domain, why) => {
    expect(problems({ ...ONPREM, domain })).toEqual([`domain: ${shown(domain)} ${why}`]);
  });

  test.each(['mesos', 'cluster.example.org', 'mesos.internal'])('%s is accepted', (domain) => {
    expect(problems({ ...ONPREM, domain })).toEqual([]);
  });
});

describe('values and keys that are too long or not what they look like', () => {
  test('a string longer than any setting is refused, and shown cut with its length', () => {
    const long = 'x'.repeat(MAX_STRING_LENGTH + 1);
    expect(problems({ ...ONPREM, clusterName: long })).toEqual([
      `clusterName: "${'x'.repeat(79)}... (${MAX_STRING_LENGTH + 1} characters) is longer than any setting takes (at most ${MAX_STRING_LENGTH} characters)`,
    ]);
  });

  test.each([
    ['a dotless i that reads as "mi"', 'm\u0131', '"m\\u0131"'],
    ['a right-to-left override', 'm1\u202e', '"m1\\u202e"'],
    ['a terminal escape', 'm1\u001b[2J', '"m1\\u001b[2J"'],
  ])('a host name with %s is refused and shown escaped', (_what, name, escaped) => {
    const raw = { ...ONPREM, hosts: [...ONPREM.hosts.slice(0, 3), host(name, '10.0.1.1', ['agent'])] };
    expect(problems(raw)).toEqual([
      `hosts[3].name: ${escaped} is not a DNS label; use lowercase letters, digits and "-"`,
    ]);
  });

  test('an unknown key with control characters or of any length is quoted, escaped and cut', () => {
    const key = `x\u001b[31m${'k'.repeat(200)}`;
    const [issue] = problems({ ...ONPREM, appSettings: { livy: { [key]: 1 } } });
    expect(issue.startsWith('appSettings.livy["x\\u001b[31m')).toBe(true);
    expect(issue).toContain(
      '... (206 characters)]: unknown key; known keys: cpus, memMb, sessionTimeout, auth',
    );
    expect(issue).not.toMatch(/[^\x20-\x7e]/);
  });
});

describe('AWS inputs that would pick an image nobody chose', () => {
  test.each([
    [
      { awsAmiOwner: 'amazon' },
      'awsAmiOwner: "amazon" is not an AWS account id (12 digits); the AMI\'s publisher, e.g. Debian\'s 136693071363',
    ],
    [
      { awsAmiNameFilter: '*' },
      'awsAmiNameFilter: "*" must start with at least three characters of the image name before any * or ? (e.g. debian-12-amd64-*), so it cannot match whatever the owner publishes',
    ],
    [
      { awsAmiNameFilter: 'de*' },
      'awsAmiNameFilter: "de*" must start with at least three characters of the image name before any * or ? (e.g. debian-12-amd64-*), so it cannot match whatever the owner publishes',
    ],
  ])('%j', (extra, message) => {
    expect(problems({ ...AWS, ...extra })).toEqual([message]);
  });
});

describe('security switched off on real hosts', () => {
  test.each([
    [
      'authEnabled',
      { authEnabled: false },
      "authEnabled: may be false only with mode local (this machine, on loopback); with mode onprem the cluster's APIs would answer anyone on the network (remove the key)",
    ],
    [
      'edge',
      { edge: false },
      'edge: may be false only with mode local (this machine, on loopback); with mode onprem logins would cross the network in plain HTTP (remove the key)',
    ],
  ])('dev on on-prem hosts with %s off', (_what, extra, message) => {
    expect(problems({ ...ONPREM, environment: 'dev', ...extra })).toEqual([message]);
  });
});

import { ClusterSpecError, type SpecIssue } from '../../../../components/model/issues';
import { parseClusterSpec } from '../../../../components/model/parse-cluster-spec';
import { AWS, host, ONPREM } from './raw-stacks';

/** Every issue's path and message; the host an issue names is the claim of its own test ('names the host'). */
function issuesOf(raw: Record<string, unknown>, secretKeys: string[] = []): SpecIssue[] {
  return issuesWithHosts(raw, secretKeys).map(({ path, message }) => ({ path, message }));
}

function issuesWithHosts(raw: Record<string, unknown>, secretKeys: string[] = []): SpecIssue[] {
  try {
    parseClusterSpec(raw, { stack: 'test', secretKeys });
  } catch (err) {
    if (err instanceof ClusterSpecError) return [...err.issues];
    throw err;
  }
  return [];
}

describe('host issues name the host as well as its index', () => {
  const raw = {
    ...ONPREM,
    hosts: [...ONPREM.hosts, host('a2', '10.0.0.300', ['agent']), host('Bad_Name', '10.0.1.9', ['agent'])],
  };

  test('an issue under hosts[i] carries the name given there, when it is a valid name', () => {
    expect(issuesWithHosts(raw).filter((i) => i.path.startsWith('hosts['))).toEqual([
      { path: 'hosts[4].address', message: '"10.0.0.300" is not an IPv4 address', host: 'a2' },
      // Not a name it could be called by, so only the index.
      {
        path: 'hosts[5].name',
        message: '"Bad_Name" is not a DNS label; use lowercase letters, digits and "-"',
      },
    ]);
  });

  test('the error message shows it beside the path', () => {
    expect(() => parseClusterSpec(raw, { stack: 'test' })).toThrow(
      '  - hosts[4].address (host a2): "10.0.0.300" is not an IPv4 address',
    );
  });
});

const pinned = (h: Record<string, unknown>): Record<string, unknown> => ({
  ...h,
  ssh: { hostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ0sbw7kYvXo0cN8mF1tYyq1w5nQ0Jm9Xv2r0Zt0b1cS' },
});
const withHosts = (hosts: unknown[], extra: Record<string, unknown> = {}) => ({ ...ONPREM, hosts, ...extra });

describe('parseClusterSpec accepts valid stacks', () => {
  test('Blazegraph: read-only by default; dev may make it writable', () => {
    expect(
      parseClusterSpec({ ...ONPREM, apps: ['blazegraph'] }, { stack: 't' }).apps.blazegraph.readOnly,
    ).toBe(true);
    const dev = parseClusterSpec(
      { apps: ['blazegraph'], appSettings: { blazegraph: { readOnly: false } } },
      { stack: 'dev' },
    );
    expect(dev.apps.blazegraph.readOnly).toBe(false);
  });

  test.each([
    ['onprem: on by default', ONPREM, true],
    [
      'onprem: off where the site firewalls the hosts (no admin networks needed)',
      { ...ONPREM, adminCidrs: [], hostFirewall: false },
      false,
    ],
    ['aws: security groups instead', AWS, false],
    ['local: never', {}, false],
  ])('hostFirewall %s', (_name, raw, expected) => {
    expect(parseClusterSpec(raw, { stack: 'test' }).hostFirewall).toBe(expected);
  });

  test('an empty config is the local dev trial: one host that is master and agent, auth on by default', () => {
    const spec = parseClusterSpec({}, { stack: 'dev' });
    expect(spec.mode).toBe('local');
    expect(spec.environment).toBe('dev');
    expect(spec.hosts).toEqual([
      {
        name: 'local',
        address: '127.0.0.1',
        roles: ['master', 'agent'],
        zookeeperId: 1,
        ssh: { user: 'stars', port: 22, privateKey: 'agent', dialTimeoutSeconds: 30 },
        attributes: {},
      },
    ]);
    expect(spec.authEnabled).toBe(true);
    expect(spec.versions.spark).toBe('3.5.6');
  });

  test('Pulumi hands every value over as a string; strings are coerced by the declared type', () => {
    const spec = parseClusterSpec(
      {
        ...ONPREM,
        hosts: JSON.stringify(ONPREM.hosts),
        sshPort: '2222',
        authEnabled: 'true',
        apps: '["spark"]',
      },
      { stack: 's' },
    );
    expect(spec.hosts.map((h) => [h.name, h.ssh.port])).toEqual([
      ['a1', 2222],
      ['m1', 2222],
      ['m2', 2222],
      ['m3', 2222],
    ]);
    expect(spec.apps.enabled).toEqual(['spark']);
  });

  test('hosts come out sorted by name whatever the input order', () => {
    const reversed = parseClusterSpec(withHosts([...ONPREM.hosts].reverse()), { stack: 's' });
    const forward = parseClusterSpec(ONPREM, { stack: 's' });
    expect(reversed).toEqual(forward);
  });

  test('ZooKeeper ids: explicit ids are kept and the others take the lowest free ids in name order', () => {
    const spec = parseClusterSpec(
      withHosts([
        host('m1', '10.0.0.1', ['master']),
        host('m2', '10.0.0.2', ['master'], { zookeeperId: 1 }),
        host('m3', '10.0.0.3', ['master']),
        host('a1', '10.0.1.1', ['agent']),
      ]),
      { stack: 's' },
    );
    expect(spec.hosts.filter((h) => h.roles.includes('master')).map((h) => [h.name, h.zookeeperId])).toEqual([
      ['m1', 2],
      ['m2', 1],
      ['m3', 3],
    ]);
  });

  test('per-host ssh settings override the stack defaults', () => {
    const spec = parseClusterSpec(
      withHosts(
        [
          ...ONPREM.hosts.slice(0, 3),
          host('a1', '10.0.1.1', ['agent'], {
            ssh: {
              user: 'ops',
              port: 2200,
              jumpHost: 'jump@bastion.example.org:2222',
              hostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA',
            },
          }),
        ],
        { sshUser: 'stars', sshJumpHost: '' },
      ),
      { stack: 's' },
    );
    expect(spec.hosts[0].ssh).toEqual({
      user: 'ops',
      port: 2200,
      privateKey: 'agent',
      jumpHost: { user: 'jump', host: 'bastion.example.org', port: 2222 },
      hostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA',
      dialTimeoutSeconds: 30,
    });
  });

  test('a secret ssh key set with --secret switches hosts to the config key', () => {
    const spec = parseClusterSpec(
      { ...ONPREM, sshPrivateKey: '' },
      { stack: 's', secretKeys: ['sshPrivateKey'] },
    );
    expect(spec.hosts.every((h) => h.ssh.privateKey === 'config')).toBe(true);
  });

  test('aws hosts are derived from the counts with stable names, planned addresses and zones', () => {
    const spec = parseClusterSpec({ ...AWS, awsMasters: 3, awsAgents: 4 }, { stack: 'p' });
    expect(spec.hosts.map((h) => [h.name, h.address, h.attributes.zone ?? '', h.zookeeperId ?? 0])).toEqual([
      ['agent-1', '10.42.0.100', 'az1', 0],
      ['agent-2', '10.42.16.100', 'az2', 0],
      ['agent-3', '10.42.32.100', 'az3', 0],
      ['agent-4', '10.42.0.101', 'az1', 0],
      ['master-1', '10.42.0.10', 'az1', 1],
      ['master-2', '10.42.16.10', 'az2', 2],
      ['master-3', '10.42.32.10', 'az3', 3],
    ]);
    expect(spec.aws?.agentCpus).toBe(8);
  });

  test('aws agent addresses stay unique and inside their /20 for 1000 agents', () => {
    const spec = parseClusterSpec({ ...AWS, awsAgents: 1000 }, { stack: 'p' });
    const addresses = spec.hosts.map((h) => h.address);
    expect(new Set(addresses).size).toBe(1003);
    expect(addresses.every((a) => Number(a.split('.')[2]) % 16 <= 15 && Number(a.split('.')[2]) < 48)).toBe(
      true,
    );
  });
});

describe('parseClusterSpec reports every problem with its path and the fix', () => {
  test.each<[string, Record<string, unknown>, SpecIssue[]]>([
    [
      'unknown key with a suggestion',
      { ...ONPREM, clustername: 'x' },
      [
        {
          path: 'stars:clustername',
          message: 'unknown config key (did you mean "clusterName"?); see Pulumi.yaml for the keys',
        },
      ],
    ],
    [
      'a resolver that is Mesos-DNS itself (loopback, or a master) would make it forward to itself',
      { ...ONPREM, dnsResolvers: ['127.0.0.53', '10.0.0.2', '10.9.0.2'] },
      [
        {
          path: 'dnsResolvers[0]',
          message:
            "127.0.0.53 is loopback: Mesos-DNS, on the host network, would forward to itself; give the site's resolver",
        },
        {
          path: 'dnsResolvers[1]',
          message:
            "10.0.0.2 is master m2, where Mesos-DNS itself answers: it would forward to itself; give the site's resolver",
        },
      ],
    ],
    [
      'unknown mode',
      { ...ONPREM, mode: 'vmware' },
      [{ path: 'mode', message: '"vmware" is not one of onprem, aws, local' }],
    ],
    [
      'unknown environment',
      { ...ONPREM, environment: 'prod' },
      [
        {
          path: 'environment',
          message: '"prod" is not one of dev, staging, production (did you mean "production"?)',
        },
      ],
    ],
    [
      'invalid address',
      withHosts([...ONPREM.hosts.slice(0, 3), host('a1', '10.0.0.300', ['agent'])]),
      [{ path: 'hosts[3].address', message: '"10.0.0.300" is not an IPv4 address' }],
    ],
    [
      'duplicate host names and addresses',
      withHosts([...ONPREM.hosts, host('m1', '10.0.0.1', ['agent'])]),
      [
        { path: 'hosts[4].name', message: '"m1" is already used by hosts[0]; host names must be unique' },
        {
          path: 'hosts[4].address',
          message: '"10.0.0.1" is already used by hosts[0]; addresses must be unique',
        },
      ],
    ],
    [
      'bad host name',
      withHosts([...ONPREM.hosts.slice(0, 3), host('Agent_1', '10.0.1.1', ['agent'])]),
      [
        {
          path: 'hosts[3].name',
          message: '"Agent_1" is not a DNS label; use lowercase letters, digits and "-"',
        },
      ],
    ],
    [
      'unknown role',
      withHosts([...ONPREM.hosts.slice(0, 3), host('a1', '10.0.1.1', ['worker'])]),
      [
        { path: 'hosts[3].roles[0]', message: '"worker" is not a role; use master or agent' },
        { path: 'hosts', message: 'has no agent; give at least one host the agent role so tasks can run' },
      ],
    ],
    [
      'unknown host key',
      withHosts([...ONPREM.hosts.slice(0, 3), host('a1', '10.0.1.1', ['agent'], { rack: 'r1' })]),
      [
        {
          path: 'hosts[3].rack',
          message:
            'unknown key; known keys: name, address, publicAddress, roles, zookeeperId, ssh, attributes, resources',
        },
      ],
    ],
    [
      'even masters in production: only 3 or 5 is advised',
      withHosts([...ONPREM.hosts.slice(0, 2), ONPREM.hosts[3]].map(pinned), { environment: 'production' }),
      [
        {
          path: 'hosts',
          message:
            'has 2 masters; an even count adds no fault tolerance to the ZooKeeper/Mesos quorum, use 3 or 5 (production needs one of them)',
        },
      ],
    ],
    [
      'even masters',
      withHosts([...ONPREM.hosts.slice(0, 2), ONPREM.hosts[3]]),
      [
        {
          path: 'hosts',
          message:
            'has 2 masters; an even count adds no fault tolerance to the ZooKeeper/Mesos quorum, use 1 or 3',
        },
      ],
    ],
    [
      'zero masters',
      withHosts([ONPREM.hosts[3]]),
      [{ path: 'hosts', message: 'has no master; give 1 (dev only), 3 or 5 hosts the master role' }],
    ],
    [
      'one master is fine in staging but not in production',
      withHosts([ONPREM.hosts[0], ONPREM.hosts[3]].map(pinned), { environment: 'production' }),
      [{ path: 'hosts', message: 'has 1 master; production needs 3 or 5' }],
    ],
    [
      'seven masters in production',
      withHosts(
        [1, 2, 3, 4, 5, 6, 7]
          .map((i) => host(`m${i}`, `10.0.0.${i}`, ['master']))
          .concat([ONPREM.hosts[3]])
          .map(pinned),
        { environment: 'production' },
      ),
      [{ path: 'hosts', message: 'has 7 masters; production needs 3 or 5' }],
    ],
    [
      'production on-prem hosts without a pinned host key (never trust on first use)',
      withHosts([...ONPREM.hosts.slice(0, 3).map(pinned), ONPREM.hosts[3]], { environment: 'production' }),
      [
        {
          path: 'hosts[3].ssh.hostKey',
          message:
            "is required in production (host a1): pin the key you verified out of band, e.g. the ssh-ed25519 line of `ssh-keyscan -t ed25519 10.0.1.1` checked against the host's console (`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub`)",
        },
      ],
    ],
    [
      'a writable Blazegraph outside dev (it has no login of its own)',
      { ...ONPREM, apps: ['blazegraph'], appSettings: { blazegraph: { readOnly: false } } },
      [
        {
          path: 'appSettings.blazegraph.readOnly',
          message:
            'may be false only in dev: Blazegraph has no login of its own, so a writable store would take updates from anyone who reaches it; staging keeps it read-only (remove the key) and loads data from a dev stack or a trusted job',
        },
      ],
    ],
    [
      'no agent',
      withHosts(ONPREM.hosts.slice(0, 3)),
      [{ path: 'hosts', message: 'has no agent; give at least one host the agent role so tasks can run' }],
    ],
    [
      'bad ssh port',
      { ...ONPREM, sshPort: 70000 },
      [{ path: 'sshPort', message: '70000 is not a TCP port (1-65535)' }],
    ],
    [
      'bad per-host ssh port',
      withHosts([...ONPREM.hosts.slice(0, 3), host('a1', '10.0.1.1', ['agent'], { ssh: { port: 0 } })]),
      [{ path: 'hosts[3].ssh.port', message: '0 is not a TCP port (1-65535)' }],
    ],
    [
      'private key inline',
      withHosts([
        ...ONPREM.hosts.slice(0, 3),
        host('a1', '10.0.1.1', ['agent'], { ssh: { privateKey: '-----BEGIN' } }),
      ]),
      [
        {
          path: 'hosts[3].ssh.privateKey',
          message:
            '"-----BEGIN" is not agent or config; the key itself belongs in the secret stars:sshPrivateKey',
        },
      ],
    ],
    [
      'bad jump host',
      { ...ONPREM, sshJumpHost: 'bastion' },
      [{ path: 'sshJumpHost', message: '"bastion" is not user@host[:port]' }],
    ],
    [
      'unknown app',
      { ...ONPREM, apps: ['spark', 'zepelin'] },
      [
        {
          path: 'apps[1]',
          message:
            '"zepelin" is not a known app (did you mean "zeppelin"?); known apps: spark, zeppelin, livy, blazegraph, lightning, jupyter, jenkins',
        },
      ],
    ],
    [
      'app missing its dependency',
      { ...ONPREM, apps: ['jupyter'] },
      [{ path: 'apps', message: 'jupyter needs livy; add "livy" to apps' }],
    ],
    ...(
      [
        'lightning',
        'registry.example.org/lightning:latest',
        'Registry/Lightning:1.3.0',
        'x:1 ; rm -rf /',
      ] as const
    ).map(
      (image) =>
        [
          `lightning image ${JSON.stringify(image)} is not a pinned reference`,
          { ...ONPREM, apps: ['lightning'], appSettings: { lightning: { image } } },
          [
            {
              path: 'appSettings.lightning.image',
              message: `${JSON.stringify(image)} is not a pinned image reference; write [registry/]name:tag`,
            },
          ],
        ] as [string, Record<string, unknown>, SpecIssue[]],
    ),
    [
      'Blazegraph CORS origins (its jar has no CORS filter)',
      {
        ...ONPREM,
        apps: ['blazegraph'],
        appSettings: { blazegraph: { corsOrigins: ['https://lab.example.org'] } },
      },
      [
        {
          path: 'appSettings.blazegraph.corsOrigins',
          message:
            'Blazegraph 2.1.5 ships no CORS filter (its jar has no jetty-servlets), so the app would not start; ' +
            'remove corsOrigins and allow the origins at a proxy in front of Blazegraph',
        },
      ],
    ],
    ...(
      [
        'https://registry.example.org',
        'Registry.Example.org',
        'reg istry',
        'registry.example.org:5000/',
      ] as const
    ).map(
      (imageRegistry) =>
        [
          `image registry ${JSON.stringify(imageRegistry)}`,
          { ...ONPREM, imageRegistry },
          [
            {
              path: 'imageRegistry',
              message: `${JSON.stringify(imageRegistry)} is not a registry; write host[:port][/path] in lowercase, e.g. "registry.example.org:5000/stars"`,
            },
          ],
        ] as [string, Record<string, unknown>, SpecIssue[]],
    ),
    [
      'version not in the catalog',
      { ...ONPREM, marathonVersion: '1.4.7' },
      [
        {
          path: 'marathonVersion',
          message: '"1.4.7" is not in the version catalog; use one of 1.10.26',
        },
      ],
    ],
    [
      'Spark 4 has no Mesos',
      { ...ONPREM, sparkVersion: '4.0.0' },
      [
        {
          path: 'sparkVersion',
          message:
            '"4.0.0": Spark 4 removed Mesos support (SPARK-44442); use a 3.5.x version: 3.5.4, 3.5.5, 3.5.6',
        },
      ],
    ],
    [
      'plain-text secret',
      { ...ONPREM, sshPrivateKey: '' },
      [
        {
          path: 'stars:sshPrivateKey',
          message: 'is stored in plain text; set it with `pulumi config set --secret stars:sshPrivateKey`',
        },
      ],
    ],
    [
      'auth off outside dev',
      { ...ONPREM, authEnabled: false },
      [
        {
          path: 'authEnabled',
          message: 'may be false only in dev; staging always authenticates (remove the key)',
        },
      ],
    ],
    [
      'admin CIDR open to the world',
      { ...ONPREM, adminCidrs: ['0.0.0.0/0'] },
      [
        {
          path: 'adminCidrs[0]',
          message:
            '"0.0.0.0/0" opens admin ports to the whole internet; list your office or VPN ranges (at most /8 each)',
        },
      ],
    ],
    [
      'onprem without hosts',
      { environment: 'staging', mode: 'onprem', adminCidrs: ['192.0.2.0/24'] },
      [
        {
          path: 'hosts',
          message: 'is required with mode onprem; list every machine with its name, address and roles',
        },
      ],
    ],
    [
      'onprem with the host firewall but no admin networks (nobody could reach SSH or the UIs)',
      { ...ONPREM, adminCidrs: [] },
      [
        {
          path: 'adminCidrs',
          message:
            "is required with mode onprem while hostFirewall is on: the host firewall lets SSH and the UIs in only from these; list the operators' networks (or set hostFirewall: false where the site firewalls the hosts)",
        },
      ],
    ],
    [
      'hostFirewall that is not a boolean',
      { ...ONPREM, hostFirewall: 'sometimes' },
      [{ path: 'hostFirewall', message: '"sometimes" is not a boolean; use true or false' }],
    ],
    [
      'protectData that is not a boolean',
      { ...ONPREM, protectData: 'maybe' },
      [{ path: 'protectData', message: '"maybe" is not a boolean; use true or false' }],
    ],
    [
      'local with two hosts',
      withHosts([host('x', '127.0.0.1', ['master', 'agent']), host('y', '127.0.0.2', ['agent'])], {
        mode: 'local',
        environment: 'dev',
      }),
      [{ path: 'hosts', message: 'mode local runs exactly one host (master and agent); 2 given' }],
    ],
    [
      'wrong type',
      { ...ONPREM, sshPort: 'twenty-two' },
      [{ path: 'sshPort', message: '"twenty-two" is not a whole number' }],
    ],
    [
      'duplicate zookeeper ids',
      withHosts([
        host('m1', '10.0.0.1', ['master'], { zookeeperId: 2 }),
        host('m2', '10.0.0.2', ['master'], { zookeeperId: 2 }),
        host('m3', '10.0.0.3', ['master']),
        ONPREM.hosts[3],
      ]),
      [{ path: 'hosts', message: 'm2 and m1 both have zookeeperId 2; ids must be unique' }],
    ],
    [
      'bad attribute value',
      withHosts([
        ...ONPREM.hosts.slice(0, 3),
        host('a1', '10.0.1.1', ['agent'], { attributes: { rack: 'r1;x' } }),
      ]),
      [
        {
          path: 'hosts[3].attributes.rack',
          message: '"r1;x" may not contain ";" or ":" (Mesos attribute syntax)',
        },
      ],
    ],
    ...(['r1 --isolation=x', 'r1\nr2', "r1'"] as const).map(
      (value) =>
        [
          `attribute value ${JSON.stringify(value)} outside the Mesos text characters`,
          withHosts([
            ...ONPREM.hosts.slice(0, 3),
            host('a1', '10.0.1.1', ['agent'], { attributes: { rack: value } }),
          ]),
          [
            {
              path: 'hosts[3].attributes.rack',
              message: `${JSON.stringify(value)} is not a Mesos text value; use letters, digits, "_", "/", "." and "-"`,
            },
          ],
        ] as [string, Record<string, unknown>, SpecIssue[]],
    ),
    ...(['ops\nbootcmd: [reboot]', 'Root', '-oProxyCommand=x', 'a b', ''] as const).map(
      (sshUser) =>
        [
          `sshUser ${JSON.stringify(sshUser)} (it reaches cloud-init, sudoers and ssh)`,
          { ...ONPREM, sshUser },
          [
            {
              path: 'sshUser',
              message: `${JSON.stringify(sshUser)} is not a POSIX user name; use lowercase letters, digits, "_" and "-", starting with a letter or "_" (at most 32)`,
            },
          ],
        ] as [string, Record<string, unknown>, SpecIssue[]],
    ),
    [
      'a host SSH user that is not a POSIX name',
      withHosts([
        ...ONPREM.hosts.slice(0, 3),
        host('a1', '10.0.1.1', ['agent'], { ssh: { user: 'ops;id' } }),
      ]),
      [
        {
          path: 'hosts[3].ssh.user',
          message:
            '"ops;id" is not a POSIX user name; use lowercase letters, digits, "_" and "-", starting with a letter or "_" (at most 32)',
        },
      ],
    ],
    [
      'LDAP settings that would break out of their line in livy.conf and shiro.ini',
      {
        ...ONPREM,
        apps: ['spark', 'zeppelin'],
        appSettings: {
          zeppelin: {
            auth: 'ldap',
            ldapUrl: 'ldap://dc1\nlivy.server.auth.type = none',
            ldapSearchBase: 'dc=lab,dc=org\n[urls]',
            ldapBindUser: ' cn=bind',
            users: ['admin', 'bob = x, admin'],
          },
        },
      },
      [
        {
          path: 'appSettings.zeppelin.ldapUrl',
          message:
            '"ldap://dc1\\nlivy.server.auth.type = none" is not an LDAP URL; write ldap://host[:port] or ldaps://host[:port]',
        },
        {
          path: 'appSettings.zeppelin.ldapSearchBase',
          message:
            '"dc=lab,dc=org\\n[urls]" must be printable ASCII on one line, without leading or trailing spaces',
        },
        {
          path: 'appSettings.zeppelin.ldapBindUser',
          message: '" cn=bind" must be printable ASCII on one line, without leading or trailing spaces',
        },
        {
          path: 'appSettings.zeppelin.users[1]',
          message: '"bob = x, admin" is not a user name; use letters, digits, "_", "." and "-" (1-64)',
        },
      ],
    ],
    [
      'Zeppelin admins who are not among its users, and a group given for local users',
      {
        ...ONPREM,
        apps: ['spark', 'zeppelin'],
        appSettings: { zeppelin: { users: ['alice'], admins: ['mallory'], adminGroup: 'cn=x' } },
      },
      [
        {
          path: 'appSettings.zeppelin.adminGroup',
          message:
            'is for ldap and activeDirectory; with local users list the admins in appSettings.zeppelin.admins',
        },
        {
          path: 'appSettings.zeppelin.admins[0]',
          message: '"mallory" is not one of appSettings.zeppelin.users (alice); add it there or remove it',
        },
      ],
    ],
    [
      'a Zeppelin LDAP admin group that is not a cn, and local admins with a directory',
      {
        ...ONPREM,
        apps: ['spark', 'zeppelin'],
        appSettings: {
          zeppelin: {
            auth: 'ldap',
            ldapUrl: 'ldap://dc1',
            ldapSearchBase: 'dc=lab,dc=org',
            ldapBindUser: 'cn=bind,dc=lab,dc=org',
            admins: ['admin'],
            adminGroup: 'admins], /** = anon',
          },
        },
      },
      [
        {
          path: 'appSettings.zeppelin.admins',
          message:
            'lists local users, but auth is ldap; name the directory group in appSettings.zeppelin.adminGroup instead',
        },
        {
          path: 'appSettings.zeppelin.adminGroup',
          message:
            '"admins], /** = anon" is not a group cn; with ldap give the group\'s cn (letters, digits, "_", "." and "-"), e.g. zeppelin-admins',
        },
      ],
    ],
    [
      'a Zeppelin Active Directory admin group that is not a DN',
      {
        ...ONPREM,
        apps: ['spark', 'zeppelin'],
        appSettings: {
          zeppelin: {
            auth: 'activeDirectory',
            ldapUrl: 'ldap://dc1',
            ldapSearchBase: 'dc=lab,dc=org',
            ldapBindUser: 'bind@lab.org',
            adminGroup: 'CN=a":"admin',
          },
        },
      },
      [
        {
          path: 'appSettings.zeppelin.adminGroup',
          message:
            '"CN=a\\":\\"admin" is not a distinguished name; with activeDirectory give the group\'s DN, e.g. CN=zeppelin-admins,OU=groups,DC=example,DC=org',
        },
      ],
    ],
    [
      'bad app setting',
      { ...ONPREM, appSettings: { blazegraph: { heap: 'lots' } } },
      [
        {
          path: 'appSettings.blazegraph.heap',
          message: '"lots" is not a JVM size; write e.g. "4g" or "512m"',
        },
      ],
    ],
    [
      'unknown app setting',
      { ...ONPREM, appSettings: { livy: { port: 1 } } },
      [
        {
          path: 'appSettings.livy.port',
          message: 'unknown key; known keys: cpus, memMb, sessionTimeout, auth',
        },
      ],
    ],
    [
      'aws without key and admin CIDRs',
      { environment: 'production', mode: 'aws' },
      [
        {
          path: 'awsSshPublicKey',
          message:
            'is required with mode aws; give the public key line of the operator key (ssh-ed25519 AAAA…)',
        },
        {
          path: 'adminCidrs',
          message: 'is required with mode aws; list the CIDRs that may reach the UIs and APIs',
        },
      ],
    ],
    [
      'aws /var too small',
      { ...AWS, awsVarVolumeGb: 20 },
      [{ path: 'awsVarVolumeGb', message: '20 is below the 50 GB /var needs (images, work dirs)' }],
    ],
    [
      'aws even masters',
      { ...AWS, awsMasters: 4 },
      [
        {
          path: 'awsMasters',
          message:
            'has 4 masters; an even count adds no fault tolerance to the ZooKeeper/Mesos quorum, use 3 or 5 (production needs one of them)',
        },
      ],
    ],
    [
      'aws with hosts',
      { ...AWS, hosts: ONPREM.hosts },
      [
        {
          path: 'hosts',
          message: 'is not used with mode aws; hosts come from awsMasters/awsAgents (remove hosts)',
        },
      ],
    ],
    [
      'aws VPC CIDR must be a /16',
      { ...AWS, awsVpcCidr: '10.0.0.0/20' },
      [
        {
          path: 'awsVpcCidr',
          message: '"10.0.0.0/20" must be a /16: each availability zone gets a /20 inside it',
        },
      ],
    ],
  ])('%s', (_name, raw, expected) => {
    expect(issuesOf(raw)).toEqual(expected);
  });

  test('several mistakes are reported together in one error', () => {
    const raw = {
      ...ONPREM,
      environment: 'production',
      sshPort: 0,
      apps: ['spark', 'nope'],
      hosts: [host('m1', '10.0.0.300', ['master']), host('a1', '10.0.1.1', ['agent'])].map(pinned),
    };
    expect(() => parseClusterSpec(raw, { stack: 's' })).toThrow(
      [
        'stack config has 4 problems:',
        '  - sshPort: 0 is not a TCP port (1-65535)',
        '  - apps[1]: "nope" is not a known app; known apps: spark, zeppelin, livy, blazegraph, lightning, jupyter, jenkins',
        '  - hosts[0].address (host m1): "10.0.0.300" is not an IPv4 address',
        '  - hosts: has 1 master; production needs 3 or 5',
      ].join('\n'),
    );
  });
});

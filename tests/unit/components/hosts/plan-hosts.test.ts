import { createHash } from 'crypto';
import { renderBootstrapBundle } from '../../../../components/hosts/render-bootstrap-bundle';
import { gunzipSync } from 'zlib';
import { parse } from 'yaml';
import {
  planHosts,
  renderCloudInit,
  userDataBase64,
  type HostsPlan,
} from '../../../../components/hosts/plan-hosts';
import { stackSpec } from './stack-spec';

const STAGING_HOSTS = [
  { name: 'm1', address: '10.20.1.11', roles: ['master'] },
  { name: 'm2', address: '10.20.1.12', roles: ['master'] },
  { name: 'm3', address: '10.20.1.13', roles: ['master'] },
  { name: 'a1', address: '10.20.2.21', roles: ['agent'] },
  { name: 'a2', address: '10.20.2.22', roles: ['agent'] },
  { name: 'a3', address: '10.20.2.23', roles: ['agent'] },
];

const hashes = (plan: HostsPlan): Record<string, string> =>
  Object.fromEntries(plan.hosts.flatMap((h) => h.scripts.map((s) => [`${h.name}/${s.file}`, s.sha256])));

const changedKeys = (a: Record<string, string>, b: Record<string, string>): string[] =>
  Object.keys(a)
    .filter((k) => a[k] !== b[k])
    .sort();

describe('planHosts: documents', () => {
  test('staging (onprem): four bootstrap scripts per host, the cgroup step on agents, the firewall ruleset and its script', () => {
    const plan = planHosts(stackSpec('staging'));
    const scripts = (h: string): string[] => [
      ...[
        ...['05-package-sources', '10-preflight', '20-system', '30-docker'],
        ...(h.startsWith('a') ? ['40-cgroups'] : []),
      ].map((f) => `hosts/${h}/bootstrap/${f}.sh`),
      `hosts/${h}/firewall.nft`,
      `hosts/${h}/firewall.sh`,
    ];
    expect(plan.documents.map((d) => d.path)).toEqual(['a1', 'a2', 'a3', 'm1', 'm2', 'm3'].flatMap(scripts));
  });

  test('production (aws): the /var volume script first, then the same four with the metadata guard before Docker, plus cloud-init.yaml per host', () => {
    const plan = planHosts(stackSpec('production'));
    expect(plan.documents.filter((d) => d.path.startsWith('hosts/master-1/')).map((d) => d.path)).toEqual([
      'hosts/master-1/bootstrap/00-var-volume.sh',
      'hosts/master-1/bootstrap/05-package-sources.sh',
      'hosts/master-1/bootstrap/10-preflight.sh',
      'hosts/master-1/bootstrap/20-system.sh',
      'hosts/master-1/bootstrap/25-metadata-guard.sh',
      'hosts/master-1/bootstrap/30-docker.sh',
      'hosts/master-1/cloud-init.yaml',
    ]);
    expect(plan.documents.filter((d) => d.path.startsWith('hosts/agent-1/')).map((d) => d.path)).toEqual([
      'hosts/agent-1/bootstrap/00-var-volume.sh',
      'hosts/agent-1/bootstrap/05-package-sources.sh',
      'hosts/agent-1/bootstrap/10-preflight.sh',
      'hosts/agent-1/bootstrap/20-system.sh',
      'hosts/agent-1/bootstrap/25-metadata-guard.sh',
      'hosts/agent-1/bootstrap/30-docker.sh',
      'hosts/agent-1/bootstrap/40-cgroups.sh',
      'hosts/agent-1/cloud-init.yaml',
    ]);
    expect(plan.documents).toHaveLength(3 * 7 + 6 * 8 + 1);
    // How AWS picks the image, which nothing else in the plan shows.
    expect(JSON.parse(plan.documents.find((d) => d.path === 'aws/ami.json')?.content ?? '{}')).toEqual({
      filters: { architecture: ['x86_64'], name: ['debian-12-amd64-*'] },
      mostRecent: true,
      owners: ['136693071363'],
      region: 'us-east-1',
    });
  });

  test('dev (local): only the local check', () => {
    expect(planHosts(stackSpec('dev')).documents.map((d) => d.path)).toEqual([
      'hosts/local/bootstrap/check.sh',
    ]);
  });

  test('every document is a script or cloud-config ending in a newline, and hosts are sorted by name', () => {
    const plan = planHosts(stackSpec('production'));
    for (const d of plan.documents) expect(d.content.endsWith('\n')).toBe(true);
    const names = plan.hosts.map((h) => h.name);
    expect(names).toEqual([...names].sort());
  });
});

describe('planHosts: content hashes', () => {
  test('each script carries the sha256 of its exact content and its install path', () => {
    for (const h of planHosts(stackSpec('staging')).hosts) {
      for (const s of h.scripts) {
        expect(s.sha256).toBe(createHash('sha256').update(s.content).digest('hex'));
        expect(s.installPath).toBe(`/usr/local/lib/stars/bootstrap/${s.file}`);
      }
    }
  });

  test.each(['staging', 'production'] as const)(
    '%s: each host has one bundle of its scripts, carrying the sha256 of the bundle itself',
    (stack) => {
      for (const h of planHosts(stackSpec(stack)).hosts) {
        expect(h.bundle).toEqual({
          content: renderBootstrapBundle(h.name, h.scripts),
          sha256: createHash('sha256').update(h.bundle!.content).digest('hex'),
        });
      }
    },
  );

  test('dev (local): no bundle, the check runs locally', () => {
    expect(planHosts(stackSpec('dev')).hosts.map((h) => h.bundle)).toEqual([undefined]);
  });

  test('planning the same spec twice gives identical hashes', () => {
    expect(hashes(planHosts(stackSpec('staging')))).toEqual(hashes(planHosts(stackSpec('staging'))));
  });

  test.each([
    [
      'a new address for a1 (no bootstrap script depends on it)',
      { 'stars:hosts': STAGING_HOSTS.map((h) => (h.name === 'a1' ? { ...h, address: '10.20.2.99' } : h)) },
      [],
    ],
    [
      'another Docker version',
      { 'stars:dockerVersion': '28.5.2' },
      ['a1', 'a2', 'a3', 'm1', 'm2', 'm3'].map((h) => `${h}/30-docker.sh`),
    ],
    [
      'a1 becoming master and agent',
      {
        'stars:hosts': [
          ...STAGING_HOSTS.filter((h) => h.name !== 'a1' && h.name !== 'm3'),
          { name: 'a1', address: '10.20.2.21', roles: ['master', 'agent'] },
        ],
      },
      ['a1/20-system.sh'],
    ],
    [
      'another SSH user for m2',
      { 'stars:hosts': STAGING_HOSTS.map((h) => (h.name === 'm2' ? { ...h, ssh: { user: 'ops' } } : h)) },
      ['m2/30-docker.sh'],
    ],
  ])('%s changes exactly the hashes of the scripts whose content changed', (_what, overrides, expected) => {
    const before = hashes(planHosts(stackSpec('staging')));
    const after = hashes(planHosts(stackSpec('staging', overrides)));
    const common = Object.fromEntries(Object.entries(after).filter(([k]) => k in before));
    expect(changedKeys(before, { ...before, ...common })).toEqual(expected);
  });
});

describe('planHosts: AWS', () => {
  const plan = planHosts(stackSpec('production'));
  const aws = plan.aws!;

  test('one /20 subnet per availability zone, matching the planned host addresses', () => {
    expect(aws.subnets).toEqual([
      { index: 0, cidr: '10.42.0.0/20' },
      { index: 1, cidr: '10.42.16.0/20' },
      { index: 2, cidr: '10.42.32.0/20' },
    ]);
    for (const h of plan.hosts) {
      const third = Number(h.spec.address.split('.')[2]);
      expect(Math.floor(third / 16)).toBe(h.aws!.availabilityZoneIndex);
    }
    expect(plan.hosts.map((h) => [h.name, h.aws!.availabilityZoneIndex, h.aws!.instanceType])).toEqual([
      ['agent-1', 0, 'm6i.2xlarge'],
      ['agent-2', 1, 'm6i.2xlarge'],
      ['agent-3', 2, 'm6i.2xlarge'],
      ['agent-4', 0, 'm6i.2xlarge'],
      ['agent-5', 1, 'm6i.2xlarge'],
      ['agent-6', 2, 'm6i.2xlarge'],
      ['master-1', 0, 'm6i.large'],
      ['master-2', 1, 'm6i.large'],
      ['master-3', 2, 'm6i.large'],
    ]);
  });

  test('cloud-init writes exactly the planned scripts and runs them in order', () => {
    const h = plan.hosts.find((x) => x.name === 'agent-2')!;
    const doc = parse(h.aws!.cloudInit) as {
      write_files: { path: string; content: string; permissions: string }[];
      runcmd: string[][];
    };
    expect(h.aws!.cloudInit.startsWith('#cloud-config\n')).toBe(true);
    expect(doc.write_files.map((f) => [f.path, f.content, f.permissions])).toEqual(
      h.scripts.map((s) => [s.installPath, s.content, '0755']),
    );
    // The cgroup step only marks the agent at first boot; cloud-init reboots it when every script has run.
    expect(doc.runcmd).toEqual(
      h.scripts.map((s) =>
        s.file === '40-cgroups.sh'
          ? ['env', 'STARS_CGROUP_DEFER_REBOOT=yes', 'bash', s.installPath]
          : ['bash', s.installPath],
      ),
    );
    expect((doc as unknown as { power_state: unknown }).power_state).toEqual({
      mode: 'reboot',
      message: 'Stars reboots into the cgroup v1 hierarchy Mesos 1.x agents need',
      condition: ['test', '-e', '/run/stars-reboot-required'],
    });
  });

  test('cloud-init creates the configured SSH user with the operator key and passwordless sudo (it may not be the AMI user)', () => {
    const h = plan.hosts.find((x) => x.name === 'master-1')!;
    const doc = parse(h.aws!.cloudInit) as { users: unknown[] };
    expect(doc.users).toEqual([
      'default',
      {
        name: 'stars',
        shell: '/bin/bash',
        sudo: 'ALL=(ALL) NOPASSWD:ALL',
        ssh_authorized_keys: [
          'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ0sbw7kYvXo0cN8mF1tYyq1w5nQ0Jm9Xv2r0Zt0b1cS stars-operator',
        ],
      },
    ]);
  });

  test('user data is the gzipped cloud-config, deterministic, and fits the 16 KB EC2 limit with a real host key', () => {
    const key = {
      privateKey:
        `-----BEGIN OPENSSH PRIVATE KEY-----\n${'A'.repeat(70)}\n`.repeat(6) +
        '-----END OPENSSH PRIVATE KEY-----\n',
      publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ0sbw7kYvXo0cN8mF1tYyq1w5nQ0Jm9Xv2r0Zt0b1cS\n',
    };
    for (const h of plan.hosts) {
      const cloudInit = renderCloudInit(h.spec, h.aws!.scripts, plan.aws!.sshPublicKey, key);
      const bytes = Buffer.from(userDataBase64(cloudInit), 'base64');
      expect(gunzipSync(bytes).toString('utf8')).toBe(cloudInit);
      expect(userDataBase64(cloudInit)).toBe(userDataBase64(cloudInit));
      expect(bytes.length).toBeLessThan(16384);
    }
  });

  test('cloud-init installs the host key the program generated and generates none itself (cc_ssh: ssh_keys given)', () => {
    const h = plan.hosts.find((x) => x.name === 'master-1')!;
    const key = { privateKey: 'PRIVATE\nKEY\n', publicKey: 'ssh-ed25519 AAAAPUB\n' };
    const doc = parse(renderCloudInit(h.spec, h.aws!.scripts, plan.aws!.sshPublicKey, key)) as Record<
      string,
      unknown
    >;
    expect(doc.ssh_deletekeys).toBe(true);
    expect(doc.ssh_keys).toEqual({
      ed25519_private: 'PRIVATE\nKEY\n',
      ed25519_public: 'ssh-ed25519 AAAAPUB',
    });
    // The plan shows where the key goes, never a key.
    expect((parse(h.aws!.cloudInit) as Record<string, unknown>).ssh_keys).toEqual({
      ed25519_private: '<generated by the program: hosts-master-1-host-key, secret>',
      ed25519_public: '<generated by the program: hosts-master-1-host-key>',
    });
  });

  test.each([
    ['a script line that looks like a cloud-config key', 'echo ok\nbootcmd: [reboot]\n'],
    ['a script with a YAML document marker', '---\necho "x: y"\n'],
  ])('the serializer keeps %s inside its file', (_what, content) => {
    const h = plan.hosts.find((x) => x.name === 'master-1')!;
    const scripts = [{ ...h.aws!.scripts[0], content }];
    const doc = parse(renderCloudInit(h.spec, scripts, plan.aws!.sshPublicKey)) as {
      write_files: { content: string }[];
      bootcmd?: unknown;
    };
    expect(doc.write_files.map((f) => f.content)).toEqual([content]);
    expect(doc.bootcmd).toBeUndefined();
  });

  test('no ingress rule is open to the internet; from adminCidrs only the TLS edge and the Mesos UI ports, SSH only from awsSshCidrs', () => {
    const cidrRules = aws.rules.filter((r) => r.cidr !== undefined);
    for (const r of aws.rules) expect(r.cidr?.endsWith('/0') ?? false).toBe(false);
    expect(
      cidrRules.map((r) => `${r.group}:${r.fromPort}-${r.toPort}/${r.protocol} ${r.cidr}`).sort(),
    ).toEqual([
      'agents:22-22/tcp 203.0.113.0/24',
      'agents:5051-5051/tcp 203.0.113.0/24',
      'masters:22-22/tcp 203.0.113.0/24',
      'masters:5050-5050/tcp 203.0.113.0/24',
      'masters:9440-9450/tcp 203.0.113.0/24',
    ]);
  });

  test('a /0 in a planned rule is refused even if validation were bypassed', () => {
    const spec = stackSpec('production');
    expect(() => planHosts({ ...spec, adminCidrs: ['0.0.0.0/0'] })).toThrow(
      'rule masters-mesos-master-from-0-0-0-0-0 would open 0.0.0.0/0; list narrower CIDRs in adminCidrs/awsSshCidrs',
    );
  });
});

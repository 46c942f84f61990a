import { parse } from 'yaml';
import { gunzipSync } from 'zlib';
import {
  mockPrivateKey,
  mockPublicKey,
  REDACTED,
  type ProgramRun,
  type RecordedResource,
} from '../../../../scripts/lib/program-runner';
import { planHosts, renderCloudInit } from '../../../../components/hosts/plan-hosts';
import { renderHostKeyRotation, SSHD_TARGET } from '../../../../components/hosts/render-host-key-rotation';
import { stackSpec } from '../../../unit/components/hosts/stack-spec';
import { byType, find, runStack } from '../../harness';

jest.setTimeout(120_000);

const MASTERS = ['master-1', 'master-2', 'master-3'];
const AGENTS = ['agent-1', 'agent-2', 'agent-3', 'agent-4', 'agent-5', 'agent-6'];

describe('production: AWS hosts', () => {
  let run: ProgramRun;
  const plan = planHosts(stackSpec('production'));
  const awsResources = (): RecordedResource[] =>
    run.resources.filter((r) => r.custom && r.type.startsWith('aws:'));
  beforeAll(async () => {
    run = await runStack('production');
  });

  test('every AWS resource goes through one explicit provider for the configured region', () => {
    const provider = find(run, 'pulumi:providers:aws', 'hosts-aws');
    expect(provider.inputs.region).toBe('us-east-1');
    expect(awsResources().length).toBeGreaterThan(0);
    for (const r of awsResources()) expect([r.name, r.provider]).toEqual([r.name, provider.urn]);
  });

  test('a VPC, an internet gateway and a public route table', () => {
    expect(find(run, 'aws:ec2/vpc:Vpc', 'hosts-network-vpc').inputs).toMatchObject({
      cidrBlock: '10.42.0.0/16',
      enableDnsHostnames: true,
      enableDnsSupport: true,
    });
    expect(find(run, 'aws:ec2/internetGateway:InternetGateway', 'hosts-network-igw').inputs.vpcId).toBe(
      'hosts-network-vpc-id',
    );
    expect(find(run, 'aws:ec2/routeTable:RouteTable', 'hosts-network-public').inputs.routes).toEqual([
      { cidrBlock: '0.0.0.0/0', gatewayId: 'hosts-network-igw-id' },
    ]);
  });

  test('one public /20 subnet per availability zone, each associated with the public route table', () => {
    expect(
      byType(run, 'aws:ec2/subnet:Subnet').map((s) => [
        s.name,
        s.inputs.cidrBlock,
        s.inputs.availabilityZone,
        s.inputs.mapPublicIpOnLaunch,
      ]),
    ).toEqual([
      ['hosts-network-subnet-az1', '10.42.0.0/20', 'us-east-1a', true],
      ['hosts-network-subnet-az2', '10.42.16.0/20', 'us-east-1b', true],
      ['hosts-network-subnet-az3', '10.42.32.0/20', 'us-east-1c', true],
    ]);
    expect(byType(run, 'aws:ec2/routeTableAssociation:RouteTableAssociation').map((a) => a.inputs)).toEqual(
      [1, 2, 3].map((k) => ({
        subnetId: `hosts-network-subnet-az${k}-id`,
        routeTableId: 'hosts-network-public-id',
      })),
    );
  });

  test('3 masters and 6 agents at their planned addresses, spread over the zones, from the looked-up AMI', () => {
    const instances = byType(run, 'aws:ec2/instance:Instance');
    expect(instances.map((i) => i.name).sort()).toEqual(
      [...AGENTS, ...MASTERS].map((h) => `hosts-${h}-instance`).sort(),
    );
    for (const h of plan.hosts) {
      const i = find(run, 'aws:ec2/instance:Instance', `hosts-${h.name}-instance`);
      expect(i.inputs).toMatchObject({
        ami: 'ami-0mock000000000000',
        instanceType: h.name.startsWith('master') ? 'm6i.large' : 'm6i.2xlarge',
        privateIp: h.spec.address,
        subnetId: `hosts-network-subnet-az${h.aws!.availabilityZoneIndex + 1}-id`,
        associatePublicIpAddress: true,
        keyName: 'stars-production-production-operator',
        vpcSecurityGroupIds: [
          h.name.startsWith('master') ? 'hosts-network-masters-id' : 'hosts-network-agents-id',
        ],
        metadataOptions: { httpTokens: 'required', httpEndpoint: 'enabled' },
      });
      expect((i.inputs.rootBlockDevice as { encrypted: boolean }).encrypted).toBe(true);
      expect(i.deleteBeforeReplace).toBe(true);
    }
  });

  test('user data (secret) is the planned cloud-config with the generated host key, running the same bootstrap scripts', () => {
    for (const h of plan.hosts) {
      const i = find(run, 'aws:ec2/instance:Instance', `hosts-${h.name}-instance`);
      expect(i.inputs.userDataBase64).toBe(REDACTED);
      const cloudInit = gunzipSync(Buffer.from(i.revealed.userDataBase64 as string, 'base64')).toString(
        'utf8',
      );
      const key = find(run, 'tls:index/privateKey:PrivateKey', `hosts-${h.name}-host-key`);
      expect(key.inputs).toEqual({ algorithm: 'ED25519' });
      const pair = {
        privateKey: mockPrivateKey(`hosts-${h.name}-host-key`),
        publicKey: mockPublicKey(`hosts-${h.name}-host-key`),
      };
      expect(cloudInit).toBe(renderCloudInit(h.spec, h.aws!.scripts, plan.aws!.sshPublicKey, pair));
      expect((parse(cloudInit) as { runcmd: string[][] }).runcmd).toEqual(
        h.scripts.map((s) =>
          s.file === '40-cgroups.sh'
            ? ['env', 'STARS_CGROUP_DEFER_REBOOT=yes', 'bash', s.installPath]
            : ['bash', s.installPath],
        ),
      );
    }
  });

  test('each host has an encrypted gp3 /var volume of awsVarVolumeGb in its own zone, attached to its instance', () => {
    for (const h of plan.hosts) {
      const v = find(run, 'aws:ebs/volume:Volume', `hosts-${h.name}-var`);
      expect(v.inputs).toMatchObject({
        encrypted: true,
        size: 200,
        type: 'gp3',
        availabilityZone: `us-east-1${'abc'[h.aws!.availabilityZoneIndex]}`,
      });
      expect(
        find(run, 'aws:ec2/volumeAttachment:VolumeAttachment', `hosts-${h.name}-var-attachment`).inputs,
      ).toEqual({
        deviceName: '/dev/sdf',
        volumeId: `hosts-${h.name}-var-id`,
        instanceId: `hosts-${h.name}-instance-id`,
      });
    }
  });

  test('the key pair holds the operator public key', () => {
    expect(find(run, 'aws:ec2/keyPair:KeyPair', 'hosts-network-operator').inputs.publicKey).toBe(
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ0sbw7kYvXo0cN8mF1tYyq1w5nQ0Jm9Xv2r0Zt0b1cS stars-operator',
    );
  });

  test('every taggable AWS resource carries Name, stack, cluster and role; per-host resources also host', () => {
    const taggable = awsResources().filter(
      (r) =>
        r.type !== 'aws:ec2/volumeAttachment:VolumeAttachment' &&
        r.type !== 'aws:ec2/routeTableAssociation:RouteTableAssociation',
    );
    expect(taggable.length).toBeGreaterThan(50);
    for (const r of taggable) {
      const tags = r.inputs.tags as Record<string, string>;
      expect({ name: r.name, tags }).toEqual({
        name: r.name,
        tags: expect.objectContaining({
          Name: r.name,
          stack: 'production',
          cluster: 'stars-production',
          role: expect.any(String),
        }),
      });
      const host = [...MASTERS, ...AGENTS].find((h) => r.name.startsWith(`hosts-${h}-`));
      if (host !== undefined)
        expect([r.name, tags.host, tags.role]).toEqual([r.name, host, host.split('-')[0]]);
    }
  });

  test('after cloud-init, the bootstrap bundle runs over SSH to the public address, and the Docker provider waits for it', () => {
    for (const h of plan.hosts) {
      const wait = find(run, 'command:remote:Command', `hosts-${h.name}-cloud-init`);
      expect(wait.dependencies).toContain(
        find(run, 'aws:ec2/volumeAttachment:VolumeAttachment', `hosts-${h.name}-var-attachment`).urn,
      );
      expect(wait.inputs.create).toContain('cloud-init status --wait');
      // An agent rebooting into cgroup v1 stops the run with that message instead of racing the reboot.
      expect(wait.inputs.create).toContain(
        'if [ -e /run/stars-reboot-required ]; then echo "' +
          `${h.name} is rebooting into the cgroup v1 hierarchy Mesos 1.x agents need; run pulumi up again in a few minutes" >&2; exit 1; fi`,
      );
      expect(wait.inputs.triggers).toEqual([`hosts-${h.name}-instance-id`]);
      // Cloud-init's wait and the rotation are pinned to the bootstrap key from user data; the rotation installs
      // the second key (its private half on stdin, secret) and everything after it pins that one.
      const bootKey = mockPublicKey(`hosts-${h.name}-host-key`).trim();
      const hostKey = mockPublicKey(`hosts-${h.name}-sshd-host-key`).trim();
      expect((wait.revealed.connection as { hostKey: string }).hostKey).toBe(bootKey);
      const rotation = find(run, 'command:remote:Command', `hosts-${h.name}-host-key-rotation`);
      expect((rotation.revealed.connection as { hostKey: string }).hostKey).toBe(bootKey);
      expect(rotation.inputs.stdin).toBe(REDACTED);
      expect(rotation.revealed.stdin).toBe(mockPrivateKey(`hosts-${h.name}-sshd-host-key`));
      expect(rotation.inputs.create).toBe(renderHostKeyRotation(hostKey, { ...SSHD_TARGET, port: 22 }));
      expect(rotation.inputs.triggers).toEqual([`hosts-${h.name}-instance-id`]);
      const sshdKey = find(run, 'tls:index/privateKey:PrivateKey', `hosts-${h.name}-sshd-host-key`);
      expect(rotation.dependencies).toEqual(
        [
          find(run, 'aws:ec2/instance:Instance', `hosts-${h.name}-instance`).urn,
          find(run, 'tls:index/privateKey:PrivateKey', `hosts-${h.name}-host-key`).urn,
          sshdKey.urn,
          wait.urn,
        ].sort(),
      );
      const bootstrap = find(run, 'command:remote:Command', `hosts-${h.name}-bootstrap`);
      // The instance and the host key through the connection (address, pinned key), the rotation explicitly.
      expect(bootstrap.dependencies).toEqual(
        [
          find(run, 'aws:ec2/instance:Instance', `hosts-${h.name}-instance`).urn,
          rotation.urn,
          sshdKey.urn,
        ].sort(),
      );
      expect((bootstrap.revealed.connection as { hostKey: string }).hostKey).toBe(hostKey);
      expect(bootstrap.inputs.triggers).toEqual([h.bundle!.sha256]);
      expect(bootstrap.inputs.stdin).toBe(h.bundle!.content);
      expect(h.scripts.map((s) => s.file)).toEqual([
        '00-var-volume.sh',
        '05-package-sources.sh',
        '10-preflight.sh',
        '20-system.sh',
        '25-metadata-guard.sh',
        '30-docker.sh',
        ...(h.spec.roles.includes('agent') ? ['40-cgroups.sh'] : []),
      ]);
      const provider = find(run, 'pulumi:providers:docker', `hosts-${h.name}-docker`);
      expect(provider.dependencies).toContain(bootstrap.urn);
      expect(provider.inputs.host).toMatch(/^ssh:\/\/stars@.+:22$/);
      const [, base64] = hostKey.split(' ');
      const address = `203.0.113.${h.spec.address.split('.')[3]}`;
      expect(provider.inputs.host).toBe(`ssh://stars@${address}:22`);
      expect(JSON.parse(provider.inputs.sshOpts as string)).toEqual(
        expect.arrayContaining([
          'StrictHostKeyChecking=yes',
          `KnownHostsCommand=/bin/echo ${address} ssh-ed25519 ${base64}`,
        ]),
      );
    }
  });

  test('with awsVpcId and awsSubnetIds the existing network is used: no VPC, gateway or subnets are created', async () => {
    const r = await runStack('production', {
      'stars:awsVpcId': 'vpc-0abc123',
      'stars:awsSubnetIds': ['subnet-0a1b2c3d', 'subnet-0b1c2d3e', 'subnet-0c1d2e3f'],
    });
    for (const t of [
      'aws:ec2/vpc:Vpc',
      'aws:ec2/subnet:Subnet',
      'aws:ec2/internetGateway:InternetGateway',
      'aws:ec2/routeTable:RouteTable',
    ])
      expect(byType(r, t)).toEqual([]);
    expect(find(r, 'aws:ec2/securityGroup:SecurityGroup', 'hosts-network-masters').inputs.vpcId).toBe(
      'vpc-0abc123',
    );
    expect(find(r, 'aws:ec2/instance:Instance', 'hosts-agent-2-instance').inputs.subnetId).toBe(
      'subnet-0b1c2d3e',
    );
    expect(find(r, 'aws:ec2/instance:Instance', 'hosts-master-3-instance').inputs.subnetId).toBe(
      'subnet-0c1d2e3f',
    );
  });
});

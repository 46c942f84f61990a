import ipaddr from 'ipaddr.js';
import { IssueList } from './issues';
import { resolveSsh, type DefaultSsh } from './parse-hosts';
import {
  checkCidrs,
  describe,
  isCidr,
  readInteger,
  readString,
  readStringArray,
  type Raw,
} from './read-values';
import type { AwsSpec, HostSpec, Role } from './types';

/** An AWS account id: the AMI is the newest image of this publisher whose name matches the filter. */
const AMI_OWNER = /^\d{12}$/;
/** EC2 name filters take * and ?; a literal prefix of three characters keeps the filter to one image family. */
const AMI_NAME_FILTER = /^[A-Za-z0-9._()/-]{3}[A-Za-z0-9._()/*?-]{0,125}$/;

/** Agent offers for the instance families we size by default; unknown types fall back to a conservative offer. */
const INSTANCE_OFFERS: Readonly<Record<string, { cpus: number; memMb: number }>> = {
  'm6i.large': { cpus: 2, memMb: 8192 },
  'm6i.xlarge': { cpus: 4, memMb: 16384 },
  'm6i.2xlarge': { cpus: 8, memMb: 32768 },
  'm6i.4xlarge': { cpus: 16, memMb: 65536 },
  'r6i.2xlarge': { cpus: 8, memMb: 65536 },
  'c6i.2xlarge': { cpus: 8, memMb: 16384 },
};

export function parseAws(
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
  else if (varVolumeGb !== undefined && varVolumeGb > 16384)
    issues.add('awsVarVolumeGb', `${varVolumeGb} is above 16384, the largest gp3 volume EBS creates`);
  if (masters !== undefined && (masters < 1 || masters > 7))
    issues.add('awsMasters', `${masters} must be between 1 and 7 (1 for dev, 3 or 5 otherwise)`);
  if (agents !== undefined && (agents < 1 || agents > 2000))
    issues.add('awsAgents', `${agents} must be between 1 and 2000`);
  for (const key of ['awsMasterInstanceType', 'awsAgentInstanceType']) {
    const t = value(key);
    if (typeof t === 'string' && !/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(t))
      issues.add(key, `${describe(t)} is not an EC2 instance type such as m6i.xlarge`);
  }
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
  subnetIds?.forEach((id, i) => {
    if (!/^subnet-[0-9a-f]{8,17}$/.test(id))
      issues.add(`awsSubnetIds[${i}]`, `${describe(id)} is not a subnet id (subnet-…)`);
  });
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
  const amiOwner = s('awsAmiOwner');
  if (amiOwner !== undefined && !AMI_OWNER.test(amiOwner))
    issues.add(
      'awsAmiOwner',
      `${describe(amiOwner)} is not an AWS account id (12 digits); the AMI's publisher, e.g. Debian's 136693071363`,
    );
  const amiNameFilter = s('awsAmiNameFilter');
  if (amiNameFilter !== undefined && !AMI_NAME_FILTER.test(amiNameFilter))
    issues.add(
      'awsAmiNameFilter',
      `${describe(amiNameFilter)} must start with at least three characters of the image name before any * or ? (e.g. debian-12-amd64-*), so it cannot match whatever the owner publishes`,
    );
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
      amiOwner,
      amiNameFilter,
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
    amiOwner: amiOwner as string,
    amiNameFilter: amiNameFilter as string,
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
export function awsHosts(aws: AwsSpec, defaults: DefaultSsh): HostSpec[] {
  const ssh = { ...resolveSsh(defaults), user: defaults.user ?? 'admin' };
  const [a, b] = ipaddr.IPv4.parseCIDR(aws.vpcCidr)[0].octets;
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

import { PORTS } from '../plan/topology';
import type { AwsSpec, ClusterSpec, HostSpec } from '../spec/types';

/**
 * The AWS network as data: one public subnet per availability zone (AZ k is a.b.16k.0/20, the ranges
 * parse-cluster-spec plans host addresses in) and the ingress rules of the two security groups. Cluster
 * traffic is allowed only between the groups; UIs only from adminCidrs; SSH only from awsSshCidrs.
 */

export type SecurityGroupName = 'masters' | 'agents';

export interface SubnetPlan {
  /** 0-based availability-zone index. */
  readonly index: number;
  readonly cidr: string;
}

export interface IngressRulePlan {
  /** Stable, unique rule name, e.g. `masters-zookeeper-client-from-agents`. */
  readonly name: string;
  readonly group: SecurityGroupName;
  readonly protocol: 'tcp' | 'udp';
  readonly fromPort: number;
  readonly toPort: number;
  /** Exactly one of: another (or the same) security group, or a CIDR. */
  readonly sourceGroup?: SecurityGroupName;
  readonly cidr?: string;
  readonly description: string;
}

export interface AwsNetworkPlan {
  readonly region: string;
  readonly vpcCidr: string;
  /** Existing VPC and subnets (one per AZ, in AZ order); when absent the program creates them. */
  readonly vpcId?: string;
  readonly subnetIds: readonly string[];
  readonly subnets: readonly SubnetPlan[];
  readonly rules: readonly IngressRulePlan[];
}

/** Agent port range Mesos offers to tasks (apps' HTTP ports, Spark drivers, the Spark dispatcher). */
export const TASK_PORTS = { from: 31000, to: 32000 } as const;

interface Service {
  readonly id: string;
  readonly group: SecurityGroupName;
  readonly protocol: 'tcp' | 'udp';
  readonly from: number;
  readonly to: number;
  readonly sources: readonly SecurityGroupName[];
  /** Operators reach it from adminCidrs (UIs and APIs). */
  readonly admin: boolean;
  readonly what: string;
}

const BOTH: readonly SecurityGroupName[] = ['masters', 'agents'];
const MASTERS: readonly SecurityGroupName[] = ['masters'];

const port = (p: number): { from: number; to: number } => ({ from: p, to: p });

const SERVICES: readonly Service[] = [
  {
    id: 'zookeeper-client',
    group: 'masters',
    protocol: 'tcp',
    ...port(PORTS.zookeeperClient),
    sources: BOTH,
    admin: false,
    what: 'ZooKeeper clients',
  },
  {
    id: 'zookeeper-quorum',
    group: 'masters',
    protocol: 'tcp',
    ...port(PORTS.zookeeperQuorum),
    sources: MASTERS,
    admin: false,
    what: 'ZooKeeper followers',
  },
  {
    id: 'zookeeper-election',
    group: 'masters',
    protocol: 'tcp',
    ...port(PORTS.zookeeperElection),
    sources: MASTERS,
    admin: false,
    what: 'ZooKeeper leader election',
  },
  {
    id: 'mesos-master',
    group: 'masters',
    protocol: 'tcp',
    ...port(PORTS.mesosMaster),
    sources: BOTH,
    admin: true,
    what: 'Mesos master',
  },
  {
    id: 'marathon',
    group: 'masters',
    protocol: 'tcp',
    ...port(PORTS.marathon),
    sources: BOTH,
    admin: true,
    what: 'Marathon',
  },
  {
    id: 'chronos',
    group: 'masters',
    protocol: 'tcp',
    ...port(PORTS.chronos),
    sources: BOTH,
    admin: true,
    what: 'Chronos',
  },
  {
    id: 'marathon-libprocess',
    group: 'masters',
    protocol: 'tcp',
    ...port(PORTS.marathonLibprocess),
    sources: MASTERS,
    admin: false,
    what: 'Marathon scheduler (libprocess)',
  },
  {
    id: 'chronos-libprocess',
    group: 'masters',
    protocol: 'tcp',
    ...port(PORTS.chronosLibprocess),
    sources: MASTERS,
    admin: false,
    what: 'Chronos scheduler (libprocess)',
  },
  {
    id: 'mesos-dns-tcp',
    group: 'masters',
    protocol: 'tcp',
    ...port(PORTS.mesosDnsDns),
    sources: BOTH,
    admin: false,
    what: 'Mesos-DNS',
  },
  {
    id: 'mesos-dns-udp',
    group: 'masters',
    protocol: 'udp',
    ...port(PORTS.mesosDnsDns),
    sources: BOTH,
    admin: false,
    what: 'Mesos-DNS',
  },
  {
    id: 'mesos-dns-http',
    group: 'masters',
    protocol: 'tcp',
    ...port(PORTS.mesosDnsHttp),
    sources: BOTH,
    admin: true,
    what: 'Mesos-DNS HTTP API',
  },
  // The Mesos UI links sandboxes straight to the agents, so operators need the agent port too.
  {
    id: 'mesos-agent',
    group: 'agents',
    protocol: 'tcp',
    ...port(PORTS.mesosAgent),
    sources: BOTH,
    admin: true,
    what: 'Mesos agent',
  },
  {
    id: 'tasks',
    group: 'agents',
    protocol: 'tcp',
    from: TASK_PORTS.from,
    to: TASK_PORTS.to,
    sources: BOTH,
    admin: true,
    what: 'task ports (apps)',
  },
];

const SSH_PORT = 22;

export function planAwsNetwork(spec: ClusterSpec, aws: AwsSpec): AwsNetworkPlan {
  const [a, b] = aws.vpcCidr.split('/')[0].split('.');
  const subnets = Array.from({ length: aws.availabilityZones }, (_, index) => ({
    index,
    cidr: `${a}.${b}.${16 * index}.0/20`,
  }));
  const rules: IngressRulePlan[] = [];
  for (const s of SERVICES) {
    const base = { group: s.group, protocol: s.protocol, fromPort: s.from, toPort: s.to };
    for (const source of s.sources) {
      rules.push({
        ...base,
        name: `${s.group}-${s.id}-from-${source}`,
        sourceGroup: source,
        description: `${s.what} from ${source}`,
      });
    }
    if (s.admin) {
      for (const cidr of spec.adminCidrs) {
        rules.push({
          ...base,
          name: `${s.group}-${s.id}-from-${cidrSlug(cidr)}`,
          cidr,
          description: `${s.what} from admin network ${cidr}`,
        });
      }
    }
  }
  for (const group of BOTH) {
    for (const cidr of aws.sshCidrs) {
      rules.push({
        name: `${group}-ssh-from-${cidrSlug(cidr)}`,
        group,
        protocol: 'tcp',
        fromPort: SSH_PORT,
        toPort: SSH_PORT,
        cidr,
        description: `SSH from operator network ${cidr}`,
      });
    }
  }
  for (const r of rules) {
    if (r.cidr !== undefined && r.cidr.endsWith('/0'))
      throw new Error(
        `security group rule ${r.name} would open ${r.cidr}; list narrower CIDRs in adminCidrs/awsSshCidrs`,
      );
  }
  return {
    region: aws.region,
    vpcCidr: aws.vpcCidr,
    ...(aws.vpcId === undefined ? {} : { vpcId: aws.vpcId }),
    subnetIds: aws.subnetIds,
    subnets,
    rules: rules.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0)),
  };
}

/** `203.0.113.0/24` → `203-0-113-0-24`: CIDRs inside resource names. */
export function cidrSlug(cidr: string): string {
  return cidr.replace(/[./]/g, '-');
}

/** 0-based AZ index of a planned AWS host, from the `zone` attribute (`az1`…) parse-cluster-spec sets. */
export function azIndexOf(host: HostSpec): number {
  const m = /^az(\d+)$/.exec(host.attributes.zone ?? '');
  if (m === null) throw new Error(`AWS host ${host.name} has no zone attribute (az1, az2, …)`);
  return Number(m[1]) - 1;
}

import ipaddr from 'ipaddr.js';
import { clusterOnlyTaskPorts, portRules, type PortRule, type RoleGroup } from '../plan/port-matrix';
import type { AwsSpec, ClusterSpec, HostSpec } from '../model/types';

/**
 * The AWS network as data: one public subnet per availability zone (AZ k is a.b.16k.0/20, the ranges
 * parse-cluster-spec plans host addresses in) and the ingress rules of the two security groups. Cluster
 * traffic is allowed only between the groups; UIs only from adminCidrs; SSH only from awsSshCidrs.
 */

export type SecurityGroupName = RoleGroup;

export interface SubnetPlan {
  /** 0-based availability-zone index. */
  readonly index: number;
  readonly cidr: string;
}

/** One security-group ingress rule: a rule of the port matrix (plan/port-matrix.ts). */
export type IngressRulePlan = PortRule;

export interface AwsNetworkPlan {
  readonly region: string;
  readonly vpcCidr: string;
  /** Existing VPC and subnets (one per AZ, in AZ order); when absent the program creates them. */
  readonly vpcId?: string;
  readonly subnetIds: readonly string[];
  readonly subnets: readonly SubnetPlan[];
  readonly rules: readonly IngressRulePlan[];
}

export function planAwsNetwork(spec: ClusterSpec, aws: AwsSpec): AwsNetworkPlan {
  const [a, b] = ipaddr.IPv4.parseCIDR(aws.vpcCidr)[0].octets;
  const subnets = Array.from({ length: aws.availabilityZones }, (_, index) => ({
    index,
    cidr: `${a}.${b}.${16 * index}.0/20`,
  }));
  const rules = portRules({
    adminCidrs: spec.adminCidrs,
    sshCidrs: aws.sshCidrs,
    clusterOnlyTaskPorts: clusterOnlyTaskPorts(spec),
    edge: spec.edge.enabled,
  });
  return {
    region: aws.region,
    vpcCidr: aws.vpcCidr,
    ...(aws.vpcId === undefined ? {} : { vpcId: aws.vpcId }),
    subnetIds: aws.subnetIds,
    subnets,
    rules,
  };
}

/** 0-based AZ index of a planned AWS host, from the `zone` attribute (`az1`…) parse-cluster-spec sets. */
export function azIndexOf(host: HostSpec): number {
  const m = /^az(\d+)$/.exec(host.attributes.zone ?? '');
  if (m === null) throw new Error(`AWS host ${host.name} has no zone attribute (az1, az2, …)`);
  return Number(m[1]) - 1;
}

/** The instances' architecture: the images the project builds are amd64. */
export const AMI_ARCHITECTURE = 'x86_64';

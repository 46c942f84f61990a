import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { HostsPlan } from './plan-hosts';
import { AMI_ARCHITECTURE, type SecurityGroupName } from './plan-aws-network';

/** Tags every AWS resource carries; `host` only on per-host resources. */
export function awsTags(
  plan: Pick<HostsPlan, 'stack' | 'clusterName'>,
  role: string,
  name: string,
  host?: string,
): Record<string, string> {
  return {
    Name: name,
    cluster: plan.clusterName,
    role,
    stack: plan.stack,
    ...(host === undefined ? {} : { host }),
  };
}

export interface AwsNetworkArgs {
  readonly hosts: HostsPlan;
  readonly provider: aws.Provider;
}

/**
 * The VPC (created, or an existing one from awsVpcId/awsSubnetIds), one public subnet per availability zone,
 * the masters and agents security groups with the planned rules, the operator key pair and the AMI look-up.
 */
export class AwsNetwork extends pulumi.ComponentResource {
  /** Subnet id per AZ index. */
  readonly subnetIds: readonly pulumi.Output<string>[];
  /** Availability-zone name per AZ index (the EBS volume must be in the instance's zone). */
  readonly zoneNames: readonly pulumi.Output<string>[];
  readonly securityGroupIds: Readonly<Record<SecurityGroupName, pulumi.Output<string>>>;
  readonly keyName: pulumi.Output<string>;
  readonly amiId: pulumi.Output<string>;
  /** Resources instances must wait for (routes, rules). */
  readonly ready: readonly pulumi.Resource[];

  constructor(name: string, args: AwsNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super('stars:hosts:AwsNetwork', name, {}, opts);
    const plan = args.hosts;
    const net = plan.aws;
    if (net === undefined) throw new Error('AwsNetwork needs a hosts plan for mode aws');
    const o = { parent: this, provider: args.provider };
    const tags = (role: string, n: string): Record<string, string> => awsTags(plan, role, n);
    const ready: pulumi.Resource[] = [];

    let vpcId: pulumi.Output<string>;
    if (net.vpcId !== undefined) {
      vpcId = pulumi.output(net.vpcId);
      this.subnetIds = net.subnetIds.map((id) => pulumi.output(id));
      this.zoneNames = net.subnetIds.map(
        (id) => aws.ec2.getSubnetOutput({ id }, { parent: this, provider: args.provider }).availabilityZone,
      );
    } else {
      const zones = aws.getAvailabilityZonesOutput(
        { state: 'available' },
        { parent: this, provider: args.provider },
      );
      const vpc = new aws.ec2.Vpc(
        `${name}-vpc`,
        {
          cidrBlock: net.vpcCidr,
          enableDnsHostnames: true,
          enableDnsSupport: true,
          tags: tags('network', `${name}-vpc`),
        },
        o,
      );
      vpcId = vpc.id;
      const igw = new aws.ec2.InternetGateway(
        `${name}-igw`,
        { vpcId: vpc.id, tags: tags('network', `${name}-igw`) },
        o,
      );
      const routes = new aws.ec2.RouteTable(
        `${name}-public`,
        {
          vpcId: vpc.id,
          routes: [{ cidrBlock: '0.0.0.0/0', gatewayId: igw.id }],
          tags: tags('network', `${name}-public`),
        },
        o,
      );
      this.zoneNames = net.subnets.map((s) =>
        zones.names.apply((names) => {
          if (s.index >= names.length)
            throw new Error(
              `awsAvailabilityZones asks for ${net.subnets.length} zones but ${net.region} offers ${names.length}`,
            );
          return names[s.index];
        }),
      );
      this.subnetIds = net.subnets.map((s) => {
        const subnetName = `${name}-subnet-az${s.index + 1}`;
        const subnet = new aws.ec2.Subnet(
          subnetName,
          {
            vpcId: vpc.id,
            cidrBlock: s.cidr,
            availabilityZone: this.zoneNames[s.index],
            // Instances get a public address so the operator (and Pulumi) reach SSH and the UIs from adminCidrs.
            mapPublicIpOnLaunch: true,
            tags: tags('network', subnetName),
          },
          o,
        );
        ready.push(
          new aws.ec2.RouteTableAssociation(
            `${subnetName}-public`,
            { subnetId: subnet.id, routeTableId: routes.id },
            o,
          ),
        );
        return subnet.id;
      });
    }

    const group = (role: SecurityGroupName): aws.ec2.SecurityGroup =>
      new aws.ec2.SecurityGroup(
        `${name}-${role}`,
        { vpcId, description: `Stars ${plan.clusterName} ${role}`, tags: tags(role, `${name}-${role}`) },
        o,
      );
    const groups: Record<SecurityGroupName, aws.ec2.SecurityGroup> = {
      masters: group('masters'),
      agents: group('agents'),
    };
    this.securityGroupIds = { masters: groups.masters.id, agents: groups.agents.id };
    for (const rule of net.rules) {
      ready.push(
        new aws.vpc.SecurityGroupIngressRule(
          `${name}-${rule.name}`,
          {
            securityGroupId: groups[rule.group].id,
            ipProtocol: rule.protocol,
            fromPort: rule.fromPort,
            toPort: rule.toPort,
            description: rule.description,
            ...(rule.sourceGroup === undefined
              ? { cidrIpv4: rule.cidr }
              : { referencedSecurityGroupId: groups[rule.sourceGroup].id }),
            tags: tags(rule.group, `${name}-${rule.name}`),
          },
          o,
        ),
      );
    }
    // Hosts pull packages and images from the internet; egress is open, ingress never is.
    for (const role of ['masters', 'agents'] as const) {
      ready.push(
        new aws.vpc.SecurityGroupEgressRule(
          `${name}-${role}-egress`,
          {
            securityGroupId: groups[role].id,
            ipProtocol: '-1',
            cidrIpv4: '0.0.0.0/0',
            tags: tags(role, `${name}-${role}-egress`),
          },
          o,
        ),
      );
    }

    const key = new aws.ec2.KeyPair(
      `${name}-operator`,
      {
        keyName: `${plan.clusterName}-${plan.stack}-operator`,
        publicKey: net.sshPublicKey,
        tags: tags('network', `${name}-operator`),
      },
      o,
    );
    this.keyName = key.keyName;
    this.amiId = aws.ec2.getAmiOutput(
      {
        owners: [net.amiOwner],
        mostRecent: true,
        filters: [
          { name: 'name', values: [net.amiNameFilter] },
          { name: 'architecture', values: [AMI_ARCHITECTURE] },
        ],
      },
      { parent: this, provider: args.provider },
    ).id;
    this.ready = ready;
    this.registerOutputs({ subnetIds: this.subnetIds, securityGroupIds: this.securityGroupIds });
  }
}

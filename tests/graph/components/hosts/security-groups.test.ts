import type { ProgramRun, RecordedResource } from '../../../../scripts/lib/program-runner';
import { byType, find, runStack } from '../../harness';

jest.setTimeout(120_000);

const ADMIN = '203.0.113.0/24';
const MASTERS = 'hosts-network-masters-id';
const AGENTS = 'hosts-network-agents-id';

/** `port[-to]/proto <- source` for one group's ingress rules; source is `masters`, `agents` or a CIDR. */
function ingress(run: ProgramRun, groupId: string): string[] {
  return byType(run, 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule')
    .filter((r) => r.inputs.securityGroupId === groupId)
    .map((r) => {
      const i = r.inputs as {
        fromPort: number;
        toPort: number;
        ipProtocol: string;
        cidrIpv4?: string;
        referencedSecurityGroupId?: string;
      };
      const ports = i.fromPort === i.toPort ? `${i.fromPort}` : `${i.fromPort}-${i.toPort}`;
      const source =
        i.cidrIpv4 ?? { [MASTERS]: 'masters', [AGENTS]: 'agents' }[i.referencedSecurityGroupId ?? ''] ?? '?';
      return `${ports}/${i.ipProtocol} <- ${source}`;
    })
    .sort();
}

describe('production: security groups', () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runStack('production');
  });

  test('two groups in the stack VPC: masters and agents', () => {
    expect(byType(run, 'aws:ec2/securityGroup:SecurityGroup').map((g) => [g.name, g.inputs.vpcId])).toEqual([
      ['hosts-network-agents', 'hosts-network-vpc-id'],
      ['hosts-network-masters', 'hosts-network-vpc-id'],
    ]);
  });

  test('masters: ZooKeeper quorum ports only between masters, client and cluster ports from members, the TLS edge and the Mesos UI from the admin CIDR, SSH from the SSH CIDR', () => {
    expect(ingress(run, MASTERS)).toEqual(
      [
        `22/tcp <- ${ADMIN}`,
        '2181/tcp <- agents',
        '2181/tcp <- masters',
        '2888/tcp <- masters',
        '3888/tcp <- masters',
        '4400/tcp <- agents',
        '4400/tcp <- masters',
        '4401/tcp <- masters',
        '4402/tcp <- masters',
        '5050/tcp <- agents',
        '5050/tcp <- masters',
        // The Mesos UI's live views call the leader straight (its JSONP design); everything else via the edge.
        `5050/tcp <- ${ADMIN}`,
        `9440-9450/tcp <- ${ADMIN}`,
        '53/tcp <- agents',
        '53/tcp <- masters',
        '53/udp <- agents',
        '53/udp <- masters',
        '8080/tcp <- agents',
        '8080/tcp <- masters',
        // Mesos-DNS' HTTP API serves its own login at /v1/config: masters only.
        '8123/tcp <- masters',
      ].sort(),
    );
  });

  test('agents: the agent port from masters and the admin CIDR (the Mesos UI reads agents straight), task and Spark-driver libprocess ports from members, Spark ports from agents only (people reach apps through the edge), SSH from the SSH CIDR', () => {
    expect(ingress(run, AGENTS)).toEqual(
      [
        `22/tcp <- ${ADMIN}`,
        '31000-32000/tcp <- agents',
        '31000-32000/tcp <- masters',
        '32100-32249/tcp <- agents',
        // Spark drivers' libmesos: the master calls a scheduler back on a connection of its own.
        '32768-60999/tcp <- agents',
        '32768-60999/tcp <- masters',
        '5051/tcp <- masters',
        `5051/tcp <- ${ADMIN}`,
      ].sort(),
    );
  });

  test('SSH rules use awsSshCidrs, not adminCidrs', async () => {
    const r = await runStack('production', { 'stars:awsSshCidrs': ['198.51.100.7/32'] });
    expect(ingress(r, MASTERS).filter((x) => x.startsWith('22/'))).toEqual(['22/tcp <- 198.51.100.7/32']);
    expect(ingress(r, AGENTS).filter((x) => x.startsWith('22/'))).toEqual(['22/tcp <- 198.51.100.7/32']);
    expect(ingress(r, MASTERS).filter((x) => x.endsWith('198.51.100.7/32'))).toHaveLength(1);
  });

  test('no ingress anywhere in the program is open to 0.0.0.0/0 (rule resources and inline group rules)', () => {
    const open = (r: RecordedResource): boolean => {
      if (r.type === 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule')
        return (
          String(r.inputs.cidrIpv4 ?? '').endsWith('/0') || String(r.inputs.cidrIpv6 ?? '').endsWith('/0')
        );
      if (r.type === 'aws:ec2/securityGroupRule:SecurityGroupRule')
        return r.inputs.type === 'ingress' && JSON.stringify(r.inputs.cidrBlocks ?? []).includes('/0"');
      if (r.type === 'aws:ec2/securityGroup:SecurityGroup')
        return JSON.stringify(r.inputs.ingress ?? []).includes('/0"');
      return false;
    };
    expect(run.resources.filter(open).map((r) => r.name)).toEqual([]);
    expect(byType(run, 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule').length).toBe(28);
  });

  test('the ports open to people (5050, 5051, the edge) accept CIDRs only from adminCidrs', () => {
    const adminPorts = [5050, 5051, 9440];
    const cidrs = byType(run, 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule')
      .filter((r) => adminPorts.includes(r.inputs.fromPort as number) && r.inputs.cidrIpv4 !== undefined)
      .map((r) => r.inputs.cidrIpv4);
    expect(cidrs.length).toBe(3);
    expect(new Set(cidrs)).toEqual(new Set([ADMIN]));
  });

  test('egress is open so hosts can fetch packages and images', () => {
    expect(
      find(run, 'aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule', 'hosts-network-masters-egress')
        .inputs,
    ).toMatchObject({
      ipProtocol: '-1',
      cidrIpv4: '0.0.0.0/0',
    });
  });
});

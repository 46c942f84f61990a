import { planAwsNetwork } from '../../../../components/hosts/plan-aws-network';
import { planHosts } from '../../../../components/hosts/plan-hosts';
import {
  firewallRules,
  FIREWALL_REMOVE_COMMAND,
  ipv4Ranges,
  renderFirewallCommand,
  renderFirewallRuleset,
} from '../../../../components/hosts/render-firewall';
import { SERVICES } from '../../../../components/plan/port-matrix';
import type { HostSpec } from '../../../../components/model/types';
import { stackSpec } from './stack-spec';

const STAGING = stackSpec('staging');
const host = (name: string, spec = STAGING): HostSpec => {
  const h = spec.hosts.find((x) => x.name === name);
  if (h === undefined) throw new Error(`no host ${name}`);
  return h;
};
const accepts = (ruleset: string): string[] =>
  ruleset
    .split('\n')
    .filter((l) => / accept comment "[a-z0-9-]+"$/.test(l) && l.includes('dport'))
    .map((l) => l.trim());

describe('firewall rules: one port matrix with the security groups', () => {
  test('every security-group rule of a role (SSH aside) is a firewall rule of a host with that role, same name and ports', () => {
    const production = stackSpec('production');
    const sg = planAwsNetwork(production, production.aws!).rules.filter((r) => !r.name.includes('-ssh-'));
    const onprem = stackSpec('staging', { 'stars:adminCidrs': ['203.0.113.0/24'] });
    const fw = [...firewallRules(onprem, host('m1', onprem)), ...firewallRules(onprem, host('a1', onprem))];
    const key = (r: { name: string; protocol: string; fromPort: number; toPort: number }): string =>
      `${r.name} ${r.protocol} ${r.fromPort}-${r.toPort}`;
    expect(
      fw
        .filter((r) => !r.name.includes('-ssh-'))
        .map(key)
        .sort(),
    ).toEqual(sg.map(key).sort());
  });

  test.each([
    ['m1', 'masters'],
    ['a1', 'agents'],
  ])('host %s gets only its role (%s)', (name, group) => {
    const groups = new Set(firewallRules(STAGING, host(name)).map((r) => r.group));
    expect([...groups]).toEqual([group]);
  });

  test('a host that is master and agent gets both roles', () => {
    const spec = stackSpec('staging', {
      'stars:hosts': [
        { name: 'm1', address: '10.20.1.11', roles: ['master', 'agent'] },
        { name: 'a1', address: '10.20.2.21', roles: ['agent'] },
      ],
    });
    expect([...new Set(firewallRules(spec, host('m1', spec)).map((r) => r.group))].sort()).toEqual([
      'agents',
      'masters',
    ]);
  });

  test("SSH: from the admin networks, every cluster host and an IPv4 jump host, on the host's own SSH port", () => {
    const spec = stackSpec('staging', {
      'stars:hosts': [
        {
          name: 'm1',
          address: '10.20.1.11',
          roles: ['master'],
          ssh: { port: 2222, jumpHost: 'ops@192.0.2.7:22' },
        },
        { name: 'a1', address: '10.20.2.21', roles: ['agent'] },
      ],
    });
    const ssh = firewallRules(spec, host('m1', spec))
      .filter((r) => r.name.includes('-ssh-'))
      .map((r) => `${r.name} ${r.fromPort}`);
    expect(ssh).toEqual([
      'masters-ssh-from-10-20-0-0-16 2222',
      'masters-ssh-from-192-0-2-7-32 2222',
      'masters-ssh-from-agents 2222',
      'masters-ssh-from-masters 2222',
    ]);
  });

  test('admin ports are open to adminCidrs, cluster-only ports never are', () => {
    const admin = new Set(SERVICES.filter((s) => s.admin).map((s) => s.id));
    for (const name of ['m1', 'a1']) {
      for (const r of firewallRules(STAGING, host(name)).filter((x) => x.cidr !== undefined)) {
        const id = r.name
          .replace(/^(masters|agents)-/, '')
          .replace(/-from-.*$/, '')
          .replace(/-\d+-\d+$/, '');
        expect(id === 'ssh' || admin.has(id)).toBe(true);
      }
    }
  });
});

describe('ipv4Ranges', () => {
  test.each([
    [[], []],
    [['10.0.0.5'], ['10.0.0.5']],
    [['10.0.0.3', '10.0.0.1', '10.0.0.2', '10.0.0.2'], ['10.0.0.1-10.0.0.3']],
    [
      ['10.0.0.255', '10.0.1.0', '10.0.1.2'],
      ['10.0.0.255-10.0.1.0', '10.0.1.2'],
    ],
    [
      ['192.168.0.9', '10.0.0.1'],
      ['10.0.0.1', '192.168.0.9'],
    ],
  ])('%j -> %j: sorted numerically, consecutive runs as one interval', (addresses, ranges) => {
    expect(ipv4Ranges(addresses)).toEqual(ranges);
  });
});

describe('renderFirewallRuleset', () => {
  test('m1 of staging: our own table replaced atomically, the member sets, replies first, one accept per rule, reject last', () => {
    const ruleset = renderFirewallRuleset(STAGING, host('m1'));
    const lines = ruleset.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      '#!/usr/sbin/nft -f',
      '# Stars host firewall for m1 (master): rendered by components/hosts/render-firewall.ts',
      '# from the port matrix in components/plan/port-matrix.ts, which also builds the AWS security groups.',
      'table inet stars',
      'delete table inet stars',
      'table inet stars {',
    ]);
    expect(ruleset).toContain('\t\tflags interval\n\t\telements = { 10.20.1.11-10.20.1.13 }\n');
    expect(ruleset).toContain('\t\tflags interval\n\t\telements = { 10.20.2.21-10.20.2.23 }\n');
    const chain = lines.slice(lines.indexOf('\tchain input {') + 1);
    expect(chain.slice(0, 4)).toEqual([
      '\t\ttype filter hook input priority filter; policy drop;',
      '\t\tct state established,related accept comment "replies, and sessions open when the rules changed"',
      '\t\tct state invalid drop',
      '\t\tip saddr . tcp sport @session tcp dport 22 accept comment "the SSH session that applied these rules"',
    ]);
    expect(lines.slice(-4)).toEqual(['\t\treject with icmpx type admin-prohibited', '\t}', '}', '']);
    expect(accepts(ruleset)).toContain(
      'ip saddr @masters tcp dport 2888 accept comment "masters-zookeeper-quorum-from-masters"',
    );
    expect(accepts(ruleset)).toContain(
      'ip saddr 10.20.0.0/16 tcp dport 5050 accept comment "masters-mesos-master-from-10-20-0-0-16"',
    );
    expect(accepts(ruleset)).toHaveLength(firewallRules(STAGING, host('m1')).length);
  });

  test('a1 of staging: exactly the agent rules of the port matrix, ranges as ranges, apps from cluster hosts only (people use the edge)', () => {
    expect(accepts(renderFirewallRuleset(STAGING, host('a1')))).toEqual([
      'ip saddr 10.20.0.0/16 tcp dport 5051 accept comment "agents-mesos-agent-from-10-20-0-0-16"',
      'ip saddr @masters tcp dport 5051 accept comment "agents-mesos-agent-from-masters"',
      'ip saddr @agents tcp dport 32100-32249 accept comment "agents-spark-from-agents"',
      'ip saddr @agents tcp dport 32768-60999 accept comment "agents-spark-libprocess-from-agents"',
      'ip saddr @masters tcp dport 32768-60999 accept comment "agents-spark-libprocess-from-masters"',
      'ip saddr 10.20.0.0/16 tcp dport 22 accept comment "agents-ssh-from-10-20-0-0-16"',
      'ip saddr @agents tcp dport 22 accept comment "agents-ssh-from-agents"',
      'ip saddr @masters tcp dport 22 accept comment "agents-ssh-from-masters"',
      'ip saddr @agents tcp dport 31000-32000 accept comment "agents-tasks-from-agents"',
      'ip saddr @masters tcp dport 31000-32000 accept comment "agents-tasks-from-masters"',
    ]);
  });

  test('m1 of staging: the edge block from adminCidrs; Marathon and Chronos from cluster hosts only', () => {
    const rules = accepts(renderFirewallRuleset(STAGING, host('m1')));
    expect(rules).toContain(
      'ip saddr 10.20.0.0/16 tcp dport 9440-9450 accept comment "masters-edge-from-10-20-0-0-16"',
    );
    expect(rules.filter((r) => /dport (8080|4400|8123) /.test(r) && r.includes('10.20.0.0/16'))).toEqual([]);
  });

  test('without the edge the UIs open to adminCidrs, but never the unauthenticated task ports (a spec the parser now refuses on real hosts, checked directly)', () => {
    const devOnprem = stackSpec('staging', { 'stars:environment': 'dev' });
    const dev = { ...devOnprem, edge: { ...devOnprem.edge, enabled: false } };
    const rules = accepts(renderFirewallRuleset(dev, host('a1', dev)));
    expect(rules).toContain(
      'ip saddr 10.20.0.0/16 tcp dport 31000-31076 accept comment "agents-tasks-31000-31076-from-10-20-0-0-16"',
    );
    expect(rules.filter((r) => r.includes('9440'))).toEqual([]);
  });

  test('deterministic: the same spec renders the same bytes, whatever the host order in the config', () => {
    const reversed = stackSpec('staging', {
      'stars:hosts': [...(stackSpec('staging').hosts as HostSpec[])]
        .reverse()
        .map((h) => ({ name: h.name, address: h.address, roles: h.roles })),
    });
    expect(renderFirewallRuleset(reversed, host('m1', reversed))).toBe(
      renderFirewallRuleset(STAGING, host('m1')),
    );
  });
});

describe('firewall plan and commands', () => {
  test('onprem plans a firewall per host; aws and local none; hostFirewall false none', () => {
    expect(planHosts(STAGING).hosts.every((h) => h.firewall !== undefined)).toBe(true);
    expect(planHosts(stackSpec('production')).hosts.some((h) => h.firewall !== undefined)).toBe(false);
    expect(planHosts(stackSpec('dev')).hosts.some((h) => h.firewall !== undefined)).toBe(false);
    expect(
      planHosts(stackSpec('staging', { 'stars:hostFirewall': false })).hosts.some(
        (h) => h.firewall !== undefined,
      ),
    ).toBe(false);
  });

  test.each([
    ['apply', `sudo bash "$f" apply "\${SSH_CLIENT:-}"`],
    ['confirm', 'sudo bash "$f" confirm'],
  ] as const)('%s: the script from stdin, checked against its sha256, run as root', (mode, last) => {
    expect(renderFirewallCommand('ab12', mode)).toBe(
      `f="$(mktemp)" && trap 'rm -f "$f"' EXIT && cat >"$f" && printf '%s  %s\\n' 'ab12' "$f" | sha256sum -c --quiet - && ${last}`,
    );
  });

  test('removing the firewall deletes only our table and its boot unit, and never fails', () => {
    expect(FIREWALL_REMOVE_COMMAND).toBe(
      'sudo nft delete table inet stars 2>/dev/null; sudo systemctl disable --quiet stars-firewall.service 2>/dev/null; ' +
        'sudo rm -f /etc/systemd/system/stars-firewall.service /etc/stars/firewall.nft; true',
    );
  });
});

import { planHosts } from '../../../../components/hosts/plan-hosts';
import { renderDaemonJson } from '../../../../components/hosts/render-docker';
import {
  renderMetadataGuardRuleset,
  renderMetadataGuardUnit,
} from '../../../../components/hosts/render-metadata-guard';
import { stackSpec } from './stack-spec';

const production = stackSpec('production');
const hostWith = (roles: string) => {
  const h = production.hosts.find((x) => [...x.roles].sort().join() === roles);
  if (h === undefined) throw new Error(`no host with roles ${roles}`);
  return h;
};

describe('the AWS metadata guard', () => {
  test('an agent refuses the metadata addresses to forwarded containers and to sockets in the containers cgroup', () => {
    expect(renderMetadataGuardRuleset(hostWith('agent'))).toBe(
      [
        '# Managed by Stars (components/hosts/render-metadata-guard.ts): containers cannot reach the instance',
        '# metadata service. Loaded by /usr/local/lib/stars/metadata-guard; the first two lines make the reload atomic.',
        'table inet stars_metadata',
        'delete table inet stars_metadata',
        'table inet stars_metadata {',
        '  chain forward {',
        '    type filter hook forward priority -10; policy accept;',
        '    # Containers on a Docker network: the host forwards their packets.',
        '    ip daddr 169.254.169.254 counter reject with icmpx admin-prohibited',
        '    ip6 daddr fd00:ec2::254 counter reject with icmpx admin-prohibited',
        '  }',
        '  chain output {',
        '    type filter hook output priority -10; policy accept;',
        "    # Tasks on the host's network: their sockets are in the containers' cgroup ($containers, set by the loader).",
        '    ip daddr 169.254.169.254 socket cgroupv2 level 1 $containers counter reject with icmpx admin-prohibited',
        '    ip6 daddr fd00:ec2::254 socket cgroupv2 level 1 $containers counter reject with icmpx admin-prohibited',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  });

  test('a master (no tasks) has only the forward chain', () => {
    expect(renderMetadataGuardRuleset(hostWith('master'))).not.toContain('chain output');
  });

  test('the unit loads before Docker, which requires it: no engine without the guard', () => {
    const unit = renderMetadataGuardUnit();
    expect(unit.split('\n').filter((l) => /^(After|Before|RequiredBy|WantedBy)=/.test(l))).toEqual([
      'After=nftables.service',
      'Before=docker.service',
      'RequiredBy=docker.service',
      'WantedBy=multi-user.target',
    ]);
  });

  test.each([
    ['production', 'aws agents', true],
    ['staging', 'onprem', false],
  ] as const)('%s: the guard step and the pinned cgroupfs driver are on %s: %s', (stack, _what, aws) => {
    for (const h of planHosts(stackSpec(stack)).hosts) {
      const files = h.scripts.map((s) => s.file);
      const agent = h.spec.roles.includes('agent');
      expect([h.name, files.includes('25-metadata-guard.sh')]).toEqual([h.name, aws]);
      if (aws) expect(files.indexOf('25-metadata-guard.sh')).toBe(files.indexOf('30-docker.sh') - 1);
      const docker = h.scripts.find((s) => s.file === '30-docker.sh')?.content ?? '';
      expect([h.name, docker.includes('native.cgroupdriver=cgroupfs')]).toEqual([h.name, aws && agent]);
    }
  });

  test('daemon.json puts the pinned driver first and keeps the rest as it was', () => {
    const sources = production.packageSources;
    expect(JSON.parse(renderDaemonJson(sources, 'cgroupfs'))).toEqual({
      'exec-opts': ['native.cgroupdriver=cgroupfs'],
      ...JSON.parse(renderDaemonJson(sources)),
    });
  });
});

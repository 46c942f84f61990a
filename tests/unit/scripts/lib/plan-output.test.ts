import { renderMermaid, renderSummary, renderTree, summarize } from '../../../../scripts/lib/plan-output';
import type { RecordedResource } from '../../../../scripts/lib/program-runner';

const urn = (type: string, name: string): string => `urn:pulumi:s::stars::${type}::${name}`;
const res = (type: string, name: string, extra: Partial<RecordedResource> = {}): RecordedResource => ({
  urn: urn(type, name),
  type,
  name,
  custom: !type.startsWith('stars:'),
  dependencies: [],
  deleteBeforeReplace: false,
  inputs: {},
  revealed: {},
  ...extra,
});

const hosts = res('stars:hosts:Hosts', 'hosts');
const m1 = res('stars:hosts:OnPremHost', 'hosts-m1', { parent: hosts.urn });
const boot = res('command:remote:Command', 'hosts-m1-bootstrap', { parent: m1.urn });
const platform = res('stars:platform:Platform', 'platform', { dependencies: [] });
const zk = res('docker:index/container:Container', 'platform-m1-zookeeper', {
  parent: platform.urn,
  dependencies: [boot.urn],
});
const vpc = res('aws:ec2/vpc:Vpc', 'network-vpc');
const FIXTURE = [hosts, m1, boot, platform, zk, vpc];

describe('plan output renderers', () => {
  test('the tree nests children under parents, in recorded order', () => {
    expect(renderTree(FIXTURE)).toBe(
      [
        'stars:hosts:Hosts hosts',
        '  stars:hosts:OnPremHost hosts-m1',
        '    command:remote:Command hosts-m1-bootstrap',
        'stars:platform:Platform platform',
        '  docker:index/container:Container platform-m1-zookeeper',
        'aws:ec2/vpc:Vpc network-vpc',
        '',
      ].join('\n'),
    );
  });

  test.each([
    [{ protect: true, retainOnDelete: true } as const, ' [protect, retainOnDelete]'],
    [{ protect: true } as const, ' [protect]'],
    [{ retainOnDelete: true } as const, ' [retainOnDelete]'],
    [{}, ''],
  ])('the tree shows what pulumi destroy keeps: %j', (flags, suffix) => {
    expect(renderTree([res('aws:ebs/volume:Volume', 'hosts-a1-var', flags)])).toBe(
      `aws:ebs/volume:Volume hosts-a1-var${suffix}\n`,
    );
  });

  test('the summary counts per type and attributes resources to hosts by name segment or ancestor', () => {
    const summary = summarize(FIXTURE, ['m1', 'm10']);
    expect(summary).toEqual({
      total: 6,
      byType: {
        'aws:ec2/vpc:Vpc': 1,
        'command:remote:Command': 1,
        'docker:index/container:Container': 1,
        'stars:hosts:Hosts': 1,
        'stars:hosts:OnPremHost': 1,
        'stars:platform:Platform': 1,
      },
      byHost: { m1: 3, m10: 0, '(cluster-wide)': 3 },
    });
    expect(renderSummary(summary).split('\n').slice(0, 3)).toEqual([
      '6 resources',
      'by type:',
      '  aws:ec2/vpc:Vpc                   1',
    ]);
  });

  test('the Mermaid graph shows components, parent links and dependencies between unrelated components, with a legend', () => {
    expect(renderMermaid(FIXTURE)).toBe(
      [
        'flowchart TD',
        '  %% Solid arrows: a component and its children. Dashed arrows: dependencies between unrelated',
        '  %% components, drawn from the one created first to the one that waits for it.',
        '  subgraph legend["legend"]',
        '    direction LR',
        '    legendParent["component"] -->|"contains"| legendChild["child component"]',
        '    legendFirst["A"] -.->|"is created before"| legendThen["B, which depends on A"]',
        '  end',
        '  n0["hosts<br/><small>stars:hosts:Hosts</small>"]',
        '  n1["hosts-m1<br/><small>stars:hosts:OnPremHost</small>"]',
        '  n2["platform<br/><small>stars:platform:Platform</small>"]',
        '  n0 --> n1',
        '  n1 -.-> n2',
        '',
      ].join('\n'),
    );
  });

  test('components are drawn layer by layer (hosts, platform, edge, apps) and in natural order (a2 before a10)', () => {
    const comp = (name: string, type: string): RecordedResource => ({
      urn: `urn:${name}`,
      type,
      name,
      custom: false,
      dependencies: [],
      deleteBeforeReplace: false,
      inputs: {},
      revealed: {},
    });
    const names = renderMermaid([
      comp('apps', 'stars:apps:Apps'),
      comp('hosts-a10', 'stars:hosts:OnPremHost'),
      comp('edge', 'stars:edge:Edge'),
      comp('hosts-a2', 'stars:hosts:OnPremHost'),
      comp('platform', 'stars:platform:Platform'),
    ])
      .split('\n')
      .filter((l) => /^ {2}n\d+\[/.test(l))
      .map((l) => /\["([^<]+)</.exec(l)?.[1]);
    expect(names).toEqual(['hosts-a2', 'hosts-a10', 'platform', 'edge', 'apps']);
  });
});

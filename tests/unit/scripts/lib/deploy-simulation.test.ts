import {
  checkpointBytes,
  SEED_PLAYS,
  simulate,
  simulateAnsible,
  stepSeconds,
  type Step,
} from '../../../../scripts/lib/deploy-simulation';
import { compare, floorTarget, renderComparison } from '../../../../scripts/lib/bench-compare';
import { floorShape } from '../../../../scripts/lib/floor-shape';
import type { RecordedResource } from '../../../../scripts/lib/program-runner';
import type { SizeResult } from '../../../../scripts/bench-targets';

// A (10 s) before B (20 s) and C (5 s); D (1 s) after both; E (7 s) alone.
const STEPS: Step[] = [
  { urn: 'a', seconds: 10, after: [] },
  { urn: 'b', seconds: 20, after: ['a'] },
  { urn: 'c', seconds: 5, after: ['a'] },
  { urn: 'd', seconds: 1, after: ['b', 'c'] },
  { urn: 'e', seconds: 7, after: [] },
];

describe('simulate (hand-computed)', () => {
  test.each([
    // Unbounded: the longest chain a -> b -> d.
    [Number.POSITIVE_INFINITY, 31],
    // Two at a time: a,e | b,c from 10 | c ends 15, b ends 30 | d 30-31.
    [2, 31],
    // One at a time: every step in turn.
    [1, 43],
  ])('with parallelism %d the graph takes %d s', (parallel, seconds) => {
    expect(simulate(STEPS, parallel)).toBe(seconds);
  });

  test('a cycle is refused, not looped on', () => {
    const cyclic = [
      { urn: 'x', seconds: 1, after: ['y'] },
      { urn: 'y', seconds: 1, after: ['x'] },
    ];
    expect(() => simulate(cyclic)).toThrow('dependency cycle');
    expect(() => simulate(cyclic, 2)).toThrow('dependency cycle');
  });
});

describe('simulateAnsible (hand-computed)', () => {
  test('each task of a play takes ceil(hosts / forks) rounds: 12 hosts at 5 forks are 3 rounds', () => {
    const plays = [{ play: 'p', hosts: 'all' as const, roles: { one: 10, two: 20 } }];
    expect(simulateAnsible(2, 10, plays)).toBe(3 * 30);
    expect(simulateAnsible(2, 10, plays, 12)).toBe(30);
  });

  test("the seed's plays for 3 masters and 10 workers", () => {
    const site = Object.values(SEED_PLAYS[0].roles).reduce((a, b) => a + b, 0);
    const masters = Object.values(SEED_PLAYS[1].roles).reduce((a, b) => a + b, 0);
    const workers = Object.values(SEED_PLAYS[2].roles).reduce((a, b) => a + b, 0);
    expect([site, masters, workers]).toEqual([276, 491, 427]);
    expect(simulateAnsible(3, 10)).toBe(3 * 276 + 1 * 491 + 2 * 427);
  });
});

describe('step durations', () => {
  test.each([
    ['command:remote:Command', 'hosts-a1-bootstrap', 300],
    ['command:remote:Command', 'hosts-a1-firewall-confirm', 5],
    ['docker:index/remoteImage:RemoteImage', 'platform-zookeeper-m1-image', 60],
    ['docker:index/container:Container', 'platform-mesos-agent-a1', 10],
    ['pulumi-nodejs:dynamic/stars:MarathonApp', 'apps-zeppelin-notebook', 120],
    ['random:index/randomPassword:RandomPassword', 'edge-user-admin', 0],
  ])('%s %s takes %d s', (type, name, seconds) => {
    expect(stepSeconds({ type, name })).toBe(seconds);
  });
});

const res = (urn: string, over: Partial<RecordedResource> = {}): RecordedResource => ({
  urn,
  type: 't',
  name: urn,
  custom: true,
  dependencies: [],
  deleteBeforeReplace: false,
  inputs: { a: 1 },
  revealed: { a: 1 },
  ...over,
});

describe('floorShape and checkpointBytes', () => {
  test('parents and dependencies come first, each input property keeps its size', () => {
    const shape = floorShape([
      res('child', { parent: 'comp', dependencies: ['dep'] }),
      res('comp', { custom: false, inputs: {} }),
      res('dep', { inputs: { text: 'x'.repeat(20) } }),
    ]);
    expect(shape).toEqual([
      { type: 't', name: 'comp', custom: false, dependsOn: [], inputs: {} },
      { type: 't', name: 'dep', custom: true, dependsOn: [], inputs: { text: 22 } },
      { type: 't', name: 'child', custom: true, parent: 0, dependsOn: [1], inputs: { a: 1 } },
    ]);
  });

  test('the checkpoint counts each resource with its inputs and outputs', () => {
    const one = checkpointBytes([res('u')]);
    expect(checkpointBytes([res('u'), res('v')])).toBe(2 * one);
    expect(one).toBe(
      Buffer.byteLength(
        '{"urn":"u","custom":true,"type":"t","dependencies":[],"inputs":{"a":1},"outputs":{"a":1}}',
      ),
    );
  });
});

describe('compare', () => {
  const size = (agents: number, wallSeconds: number, peakRssMb: number, bytes: number): SizeResult =>
    ({
      agents,
      wallSeconds,
      peakRssMb,
      deploySeconds: 1000,
      ansibleSeconds: 1000 + agents * 50,
      checkpointBytes: bytes,
    }) as SizeResult;
  const c = compare(
    [size(10, 2, 200, 1_000_000), size(100, 4, 400, 2_800_000)],
    [
      { agents: 10, wallSeconds: 1, peakRssMb: 160 },
      { agents: 100, wallSeconds: 3.5, peakRssMb: 380 },
    ],
  );

  test('ratios over the floor, Ansible over Stars, and checkpoint growth per added agent', () => {
    expect(c.floor.map((r) => [r.agents, r.ratio.wall, r.ratio.memory])).toEqual([
      [10, 2, 1.25],
      [100, 1.14, 1.05],
    ]);
    expect(c.deploySimulation.map((r) => [r.agents, r.ansibleOverStars])).toEqual([
      [10, 1.5],
      [100, 6],
    ]);
    expect(c.state).toEqual([
      { agents: 10, bytes: 1_000_000 },
      { agents: 100, bytes: 2_800_000, perAgentBytes: 20_000 },
    ]);
  });

  test('the floor target is judged at the largest size', () => {
    expect(floorTarget(c)).toEqual({
      name: 'Stars within 1.5x the SDK floor (time and memory) at the largest size',
      met: true,
      detail: '100 agents: 1.14x time, 1.05x memory',
    });
  });

  test('the three tables: floor, deployment, checkpoint', () => {
    expect(
      renderComparison(c)
        .split('\n')
        .filter((l) => l.startsWith('|     10') || l.startsWith('|    100')),
    ).toEqual([
      '|     10 |    2.00 |    1.00 |   2.00 |      200 |      160 |     1.25 |',
      '|    100 |    4.00 |    3.50 |   1.14 |      400 |      380 |     1.05 |',
      '|     10 |       16 min 40 s |             25 min 00 s |          1.5 |',
      '|    100 |       16 min 40 s |            100 min 00 s |          6.0 |',
      '|     10 | 1.0 |                  - |',
      '|    100 | 2.7 |               19.5 |',
    ]);
  });
});

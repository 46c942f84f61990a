import {
  inputDigests,
  longestChain,
  measureScenario,
  renderScenarios,
  scenarioTargets,
  steppedUrns,
  tenPercent,
  type ScenarioResult,
} from '../../../../scripts/lib/bench-scenarios';
import type { RecordedResource } from '../../../../scripts/lib/program-runner';

const res = (name: string, type: string, inputs: Record<string, unknown>, dependencies: string[] = []) => {
  const r = {
    urn: `urn:pulumi:s::stars::stars:platform:MesosAgents$${type}::${name}`,
    type,
    name,
    custom: true,
    dependencies,
    deleteBeforeReplace: false,
    inputs,
  } as unknown as RecordedResource;
  Object.defineProperty(r, 'revealed', { value: inputs, enumerable: false });
  return r;
};
const CMD = 'command:remote:Command';
const CTR = 'docker:index/container:Container';

describe('steppedUrns: what a later deployment runs', () => {
  test('new resources and resources whose inputs changed have a step; unchanged ones do not', () => {
    const before = [res('a', CMD, { x: 1 }), res('b', CMD, { x: 1 })];
    const after = [res('a', CMD, { x: 1 }), res('b', CMD, { x: 2 }), res('c', CMD, {})];
    expect([...steppedUrns(inputDigests(before), after)].map((u) => u.split('::').pop())).toEqual(['b', 'c']);
  });
});

describe('longestChain and drain rounds', () => {
  // Two agents replaced one at a time: drain → container → up, the second drain after the first up.
  const urn = (n: string, t: string) => `urn:pulumi:s::stars::stars:platform:MesosAgents$${t}::${n}`;
  const resources = [
    res('platform-mesos-agent-a1-drain', CMD, { v: 1 }),
    res('platform-mesos-agent-a1', CTR, { v: 1 }),
    res('platform-mesos-agent-a1-up', CMD, { v: 1 }),
    res('platform-mesos-agent-a2-drain', CMD, { v: 1 }),
    res('platform-mesos-agent-a2', CTR, { v: 1 }),
    res('platform-mesos-agent-a2-up', CMD, { v: 1 }),
  ];
  const graph = new Map<string, string[]>([
    [urn('platform-mesos-agent-a1', CTR), [urn('platform-mesos-agent-a1-drain', CMD)]],
    [urn('platform-mesos-agent-a1-up', CMD), [urn('platform-mesos-agent-a1', CTR)]],
    [urn('platform-mesos-agent-a2-drain', CMD), [urn('platform-mesos-agent-a1-up', CMD)]],
    [urn('platform-mesos-agent-a2', CTR), [urn('platform-mesos-agent-a2-drain', CMD)]],
    [urn('platform-mesos-agent-a2-up', CMD), [urn('platform-mesos-agent-a2', CTR)]],
  ]);
  test('every resource stepped: six on the chain, two rounds, 5+10+5 s per agent', () => {
    const all = new Set(resources.map((r) => r.urn));
    expect(measureScenario('replace', 2, resources, graph, all, 100, 1)).toEqual({
      scenario: 'replace',
      agents: 2,
      maxAgentsDown: 1,
      steps: 6,
      criticalPath: 6,
      seconds: 40,
      drainRounds: 2,
      seedSeconds: 100,
    });
  });
  test('unchanged resources take no time and are not counted', () => {
    const only = new Set([urn('platform-mesos-agent-a2', CTR)]);
    const steps = resources.map((r) => ({
      urn: r.urn,
      seconds: only.has(r.urn) ? 10 : 0,
      after: graph.get(r.urn) ?? [],
    }));
    expect(longestChain(steps, (u) => only.has(u))).toBe(1);
  });
});

describe('tenPercent', () => {
  test.each([
    [2, 1],
    [10, 1],
    [100, 10],
    [1000, 100],
    [14, 1],
    [15, 2],
  ])('%i agents: %i', (agents, k) => expect(tenPercent(agents)).toBe(k));
});

describe('scenarioTargets', () => {
  const r = (scenario: string, agents: number, criticalPath: number, extra: Partial<ScenarioResult> = {}) =>
    ({ scenario, agents, steps: 1, criticalPath, seconds: 1, seedSeconds: 1, ...extra }) as ScenarioResult;
  test('flat critical paths and exact rounds meet every target; a growing path or a wrong round count misses', () => {
    const good = [
      r('first deploy', 10, 17),
      r('first deploy', 100, 17),
      r('add 10 % agents', 10, 9),
      r('add 10 % agents', 100, 9),
      r('replace every agent, 1 down', 10, 30, { maxAgentsDown: 1, drainRounds: 10 }),
      r('replace every agent, 10 down', 100, 30, { maxAgentsDown: 10, drainRounds: 10 }),
    ];
    expect(scenarioTargets(good, [10, 100]).map((t) => t.met)).toEqual([true, true, true]);
    const bad = [
      ...good.slice(0, 3),
      r('add 10 % agents', 100, 12),
      good[4],
      { ...good[5], drainRounds: 11 },
    ];
    expect(scenarioTargets(bad, [10, 100]).map((t) => t.met)).toEqual([true, false, false]);
    expect(scenarioTargets(good, [10, 100, 1000]).map((t) => t.met)).toEqual([false, false, false]);
  });
});

describe('renderScenarios', () => {
  test('one Markdown row per scenario, the scenario column left-aligned, times in minutes and seconds', () => {
    const rows: ScenarioResult[] = [
      { scenario: 'first deploy', agents: 10, steps: 225, criticalPath: 17, seconds: 795, seedSeconds: 2173 },
      {
        scenario: 'replace every agent, 1 down',
        agents: 10,
        maxAgentsDown: 1,
        steps: 30,
        criticalPath: 30,
        seconds: 200,
        drainRounds: 10,
        seedSeconds: 854,
      },
    ];
    expect(renderScenarios(rows).split('\n')).toEqual([
      '| agents | scenario                    | steps | critical path | drain rounds |       Stars | seed (Ansible) |',
      '|-------:|:----------------------------|------:|--------------:|-------------:|------------:|---------------:|',
      '|     10 | first deploy                |   225 |            17 |            - | 13 min 15 s |    36 min 13 s |',
      '|     10 | replace every agent, 1 down |    30 |            30 |           10 |  3 min 20 s |    14 min 14 s |',
    ]);
  });
});

import type { ProgramRun, RecordedResource } from '../../../../scripts/lib/program-runner';
import { loadStackConfig } from '../../../../scripts/lib/stack-config';
import { find, PROJECT_DIR, runStack, runUpdate } from '../../harness';

/**
 * Agents roll behind the Mesos maintenance API in the graph the engine sees: each agent's container waits for
 * its own drain, its up-step follows only its container, and in an update of a deployed stack a drain waits for
 * the up-step of the running agent `maxAgentsDown` places before it (drains may write the maintenance schedule
 * at once: the drain process test runs them so). Agents being created (a first deploy, added agents) wait for
 * no other agent. A drain's input changes with its own agent's container only.
 */

const CONTAINER = 'docker:index/container:Container';
const COMMANDS = ['command:remote:Command', 'command:local:Command'];

const command = (run: ProgramRun, name: string): RecordedResource => {
  const r = run.resources.find((x) => COMMANDS.includes(x.type) && x.name === name);
  if (r === undefined) throw new Error(`no command ${name}`);
  return r;
};
/** What a resource waits for among containers and commands, by name. */
const waitsFor = (run: ProgramRun, r: RecordedResource): string[] =>
  r.dependencies
    .map((d) => run.resources.find((x) => x.urn === d))
    .filter((x) => x !== undefined && (x.type === CONTAINER || COMMANDS.includes(x.type)))
    .map((x) => x?.name ?? '')
    .filter((n) => n.startsWith('platform-mesos-agent-'))
    .sort();
const agentSteps = (run: ProgramRun): string[] =>
  run.resources
    .filter((r) => COMMANDS.includes(r.type) && /^platform-mesos-agent-.*-(drain|up)$/.test(r.name))
    .map((r) => r.name)
    .sort();

describe.each([
  ['staging', ['a1', 'a2', 'a3'], 1, {}],
  [
    'production',
    ['agent-1', 'agent-2', 'agent-3', 'agent-4', 'agent-5', 'agent-6'],
    2,
    { 'stars:maxAgentsDown': 2 },
  ],
] as const)('%s: agents %j, at most %i down', (stack, agents, maxDown, overrides) => {
  let first: ProgramRun;
  let run: ProgramRun;
  beforeAll(async () => {
    first = await runStack(stack, overrides);
    run = await runUpdate(stack, first, overrides);
  }, 240_000);

  test('a first deploy creates every agent at once: no drain, container or up-step waits for another agent', () => {
    for (const a of agents) {
      expect(waitsFor(first, command(first, `platform-mesos-agent-${a}-drain`))).toEqual([]);
      expect(waitsFor(first, find(first, CONTAINER, `platform-mesos-agent-${a}`))).toEqual([
        `platform-mesos-agent-${a}-drain`,
      ]);
    }
  });

  test('every agent has a drain and an up-step, and the steps run their script from standard input', () => {
    expect(agentSteps(run)).toEqual(
      agents.flatMap((a) => [`platform-mesos-agent-${a}-drain`, `platform-mesos-agent-${a}-up`]).sort(),
    );
    const a = agents[0];
    const drain = command(run, `platform-mesos-agent-${a}-drain`);
    const up = command(run, `platform-mesos-agent-${a}-up`);
    expect([drain.inputs.create, drain.inputs.update]).toEqual([
      'bash -s -- drain create',
      'bash -s -- drain update',
    ]);
    expect([up.inputs.create, up.inputs.update]).toEqual(['bash -s -- up create', 'bash -s -- up update']);
  });

  test("the steps carry the operator's Mesos login, filled in, and only inside a secret", () => {
    for (const name of agentSteps(run)) {
      const r = command(run, name);
      expect(r.inputs.stdin).toBe('[secret]');
      expect(String(r.revealed.stdin)).toMatch(
        /\nCREDENTIAL='stars:mock-password-platform-credentials-mesos-http'\n/,
      );
    }
  });

  test.each(agents.map((a, i) => [a, i]))(
    '%s (roll position %i): container after its own drain, up-step after its container, drain after the up-step maxAgentsDown places back',
    (a, i) => {
      const container = find(run, CONTAINER, `platform-mesos-agent-${a}`);
      expect(waitsFor(run, container)).toEqual([`platform-mesos-agent-${a}-drain`]);
      expect(waitsFor(run, command(run, `platform-mesos-agent-${a}-up`))).toEqual([
        `platform-mesos-agent-${a}`,
      ]);
      const before = agents[i - maxDown];
      expect(waitsFor(run, command(run, `platform-mesos-agent-${a}-drain`))).toEqual(
        before === undefined ? [] : [`platform-mesos-agent-${before}-up`],
      );
    },
  );
});

describe('agents added to a deployed stack', () => {
  test('the added agents are created at once; the running ones keep their roll among themselves', async () => {
    const hosts = JSON.parse(loadStackConfig(PROJECT_DIR, 'staging').values['stars:hosts']) as {
      name: string;
      address: string;
      roles: string[];
    }[];
    const added = [4, 5].map((i) => ({ name: `a${i}`, address: `10.20.2.${20 + i}`, roles: ['agent'] }));
    const first = await runStack('staging');
    const run = await runUpdate('staging', first, { 'stars:hosts': [...hosts, ...added] });
    const drainWaits = (a: string) => waitsFor(run, command(run, `platform-mesos-agent-${a}-drain`));
    expect(['a1', 'a2', 'a3', 'a4', 'a5'].map(drainWaits)).toEqual([
      [],
      ['platform-mesos-agent-a1-up'],
      ['platform-mesos-agent-a2-up'],
      [],
      [],
    ]);
  }, 240_000);
});

describe('a lone agent', () => {
  test('the dev stack replaces its one agent without a drain: its tasks would have nowhere to go', async () => {
    const run = await runStack('dev');
    expect(agentSteps(run)).toEqual([]);
    expect(waitsFor(run, find(run, CONTAINER, 'platform-mesos-agent-local'))).toEqual([]);
  }, 120_000);
});

describe('unrelated changes do not drain', () => {
  test("changing one agent's attributes changes that agent's drain input and no other's", async () => {
    const hosts = JSON.parse(loadStackConfig(PROJECT_DIR, 'staging').values['stars:hosts']) as {
      name: string;
      attributes?: Record<string, string>;
    }[];
    const changed = hosts.map((h) => (h.name === 'a2' ? { ...h, attributes: { rack: 'r9' } } : h));
    const [before, after] = [
      await runStack('staging'),
      await runStack('staging', { 'stars:hosts': changed }),
    ];
    const stdin = (run: ProgramRun, a: string) =>
      String(command(run, `platform-mesos-agent-${a}-drain`).revealed.stdin);
    expect(['a1', 'a2', 'a3'].map((a) => stdin(before, a) === stdin(after, a))).toEqual([true, false, true]);
    expect(stdin(after, 'a2')).toMatch(/\n# agent container inputs [0-9a-f]{64}\n$/);
  }, 240_000);
});

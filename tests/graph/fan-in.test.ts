import type { ProgramRun, RecordedResource } from '../../scripts/lib/program-runner';
import { find, runStack } from './harness';

jest.setTimeout(180_000);

const MASTERS = [1, 2, 3].map((i) => ({ name: `m${i}`, address: `10.20.1.1${i}`, roles: ['master'] }));
const agents = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    name: `a${i + 1}`,
    address: `10.20.2.${i + 21}`,
    roles: ['agent'],
    resources: { cpus: 16, memMb: 65536, diskMb: 400000 },
  }));

/** Resources whose name carries the host as a segment (`…-a1`, `…-a1-…`). */
const ofHost = (run: ProgramRun, host: string): RecordedResource[] =>
  run.resources.filter((r) => r.custom && new RegExp(`-${host}(-|$)`).test(r.name));

describe('no fan-in that grows with the cluster: an agent waits only on its own host and the masters', () => {
  const runs: Record<number, ProgramRun> = {};
  beforeAll(async () => {
    for (const n of [3, 6])
      runs[n] = await runStack('staging', { 'stars:hosts': [...MASTERS, ...agents(n)] });
  });

  test('each resource of agent a1 has the same dependencies with 3 agents as with 6', () => {
    const deps = (run: ProgramRun) =>
      Object.fromEntries(
        ofHost(run, 'a1').map((r) => [r.name, r.dependencies.map((u) => u.split('::').pop())]),
      );
    expect(Object.keys(deps(runs[3])).length).toBeGreaterThan(5);
    expect(deps(runs[6])).toEqual(deps(runs[3]));
  });

  test("a1's Mesos agent waits for a1's resolver and for no other host's", () => {
    const agent = find(runs[6], 'docker:index/container:Container', 'platform-mesos-agent-a1');
    const resolvers = agent.dependencies
      .filter((u) => u.endsWith('-resolver'))
      .map((u) => u.split('::').pop());
    expect(resolvers).toEqual(['platform-resolvers-a1-resolver']);
  });

  test("a1's cleanup job waits for Chronos and for no agent", () => {
    const job = find(runs[6], 'pulumi-nodejs:dynamic/stars:ChronosJob', 'apps-maintenance-docker-cleanup-a1');
    const names = job.dependencies.map((u) => u.split('::').pop() as string);
    expect(names.filter((n) => n.includes('mesos-agent'))).toEqual([]);
    expect(names.filter((n) => /^platform-chronos-m\d$/.test(n)).sort()).toEqual([
      'platform-chronos-m1',
      'platform-chronos-m2',
      'platform-chronos-m3',
    ]);
  });
});

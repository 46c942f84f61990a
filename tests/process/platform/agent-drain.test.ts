import { planAgentRoll, type AgentRollStep, type DrainPlan } from '../../../components/platform/plan-drain';
import { planPlatform } from '../../../components/platform/plan-platform';
import { renderDrainScript } from '../../../components/platform/render-agent-drain';
import { fillPlaceholders } from '../../../components/platform/render-secrets';
import { parseClusterSpec } from '../../../components/model/parse-cluster-spec';
import { MesosMaintenanceDouble } from '../../support/mesos-maintenance-double';
import { runBashScript, type ScriptRun } from '../../support/run-script';

/**
 * The agent drain script, rendered exactly as the program ships it from a real plan (3 masters, 4 agents, auth
 * on), run with bash against doubles of the three masters (one leader, two followers answering 307), because no
 * Mesos can run here; the double enforces upstream's maintenance rules (mesos-maintenance-double.ts). Then the
 * roll of all four agents in the program's order and bound, each "replacement" being the agent registering
 * again after its up-step: never more agents down than the bound, and every machine back up at the end.
 */

jest.setTimeout(120_000);

const LOGIN = { username: 'stars', password: 'drain-test-secret' };
let leader: MesosMaintenanceDouble;
let followers: MesosMaintenanceDouble[];

const AGENTS = 10;

function roll(maxAgentsDown: number, count = 4): AgentRollStep[] {
  const agents = Array.from({ length: count }, (_, i) => ({
    name: `a${i + 1}`,
    address: `10.0.1.${i + 1}`,
    roles: ['agent'],
  }));
  const masters = [1, 2, 3].map((i) => ({ name: `m${i}`, address: `10.0.0.${i}`, roles: ['master'] }));
  const spec = parseClusterSpec(
    {
      environment: 'staging',
      mode: 'onprem',
      adminCidrs: ['192.0.2.0/24'],
      hosts: [...masters, ...agents],
      maxAgentsDown,
    },
    { stack: 'drain-test' },
  );
  return planAgentRoll(planPlatform(spec));
}

/** The plan's drain, pointed at the doubles (followers first, so every request meets a 307 before the leader). */
function atDoubles(d: DrainPlan | undefined, timeoutSeconds = 20): DrainPlan {
  if (d === undefined) throw new Error('the plan has no drain for this agent');
  const masters = [...followers, leader].map((x) => ({
    address: '127.0.0.1',
    port: Number(new URL(x.url).port),
  }));
  return { ...d, masters, timeoutSeconds };
}

/** The drain script as the program ships it, run from standard input as its command resources run it. */
function run(d: DrainPlan, action: string, phase: string, password = LOGIN.password): Promise<ScriptRun> {
  const script = fillPlaceholders(renderDrainScript(d), { 'mesos-http': password });
  return runBashScript(script, [action, phase], { ...process.env, STARS_GATE_INTERVAL: '0.2' });
}

const machine = (i: number) => ({ hostname: `10.0.1.${i}`, ip: `10.0.1.${i}` });

beforeEach(async () => {
  leader = await new MesosMaintenanceDouble({ credentials: LOGIN }).start();
  followers = await Promise.all([0, 1].map(() => new MesosMaintenanceDouble({ credentials: LOGIN }).start()));
  for (const f of followers) f.redirectTo(`//127.0.0.1:${new URL(leader.url).port}`);
  for (let i = 1; i <= AGENTS; i++) leader.registerAgent(machine(i));
});
afterEach(async () => Promise.all([leader, ...followers].map((d) => d.stop())));

async function until(ok: () => boolean, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; !ok();) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('agent drain against the Mesos maintenance API', () => {
  test('drain update schedules the machine, brings it down and the master drops the agent; the leader alone acts', async () => {
    const r = await run(atDoubles(roll(1)[0].drain), 'drain', 'update');
    expect([r.code, r.stdout, r.stderr]).toEqual([0, 'stars drain [a1] drain (update): machine down\n', '']);
    expect(leader.modes.get('10.0.1.1|10.0.1.1')).toBe('DOWN');
    expect(leader.agents.has('10.0.1.1|10.0.1.1')).toBe(false);
    expect(leader.requests.map((q) => `${q.method} ${q.url}`)).toEqual([
      'GET /master/maintenance/status',
      'GET /master/maintenance/schedule',
      'POST /master/maintenance/schedule',
      'POST /master/machine/down',
    ]);
    expect(followers.map((f) => f.requests.length)).toEqual([4, 4]);
    expect(
      leader.requests.every(
        (q) => q.authorization === `Basic ${Buffer.from('stars:drain-test-secret').toString('base64')}`,
      ),
    ).toBe(true);
  });

  test("another machine's window in the schedule is kept", async () => {
    leader.registerAgent({ hostname: 'other', ip: '10.0.9.9' });
    await run(atDoubles(roll(2)[0].drain), 'drain', 'update');
    const r = await run(atDoubles(roll(2)[1].drain), 'drain', 'update');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(leader.scheduled()).toEqual([machine(2), machine(1)]);
    expect([leader.modes.get('10.0.1.1|10.0.1.1'), leader.modes.get('10.0.1.2|10.0.1.2')]).toEqual([
      'DOWN',
      'DOWN',
    ]);
  });

  test('with maxAgentsDown machines already out a drain waits, and goes on once one is back up', async () => {
    const [first, second] = roll(1).map((st) => atDoubles(st.drain));
    await run(first, 'drain', 'update');
    const waiting = run(second, 'drain', 'update');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(leader.modes.has('10.0.1.2|10.0.1.2')).toBe(false);
    const upped = await fetch(`${leader.url}/master/machine/up`, {
      method: 'POST',
      body: JSON.stringify([machine(1)]),
      headers: {
        authorization: `Basic ${Buffer.from(`${LOGIN.username}:${LOGIN.password}`).toString('base64')}`,
      },
    });
    expect(upped.status).toBe(200);
    const r = await waiting;
    expect([r.code, r.stdout]).toEqual([0, 'stars drain [a2] drain (update): machine down\n']);
    expect(leader.maxDown).toBe(1);
  });

  test('a drain that finds the bound taken until its timeout stops, saying how many are out', async () => {
    const [first, second] = roll(1).map((st) => atDoubles(st.drain, 2));
    await run(first, 'drain', 'update');
    const r = await run(second, 'drain', 'update');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'stars drain [a2] ERROR: drain (update) did not finish within 2 s; last saw: 1 other machine(s) down or draining, at most 1 may be out\n',
    );
    expect(leader.modes.has('10.0.1.2|10.0.1.2')).toBe(false);
  });

  test('a resumed drain of a machine that is already down succeeds without a second window', async () => {
    const d = atDoubles(roll(1)[0].drain);
    await run(d, 'drain', 'update');
    const r = await run(d, 'drain', 'update');
    expect([r.code, r.stdout]).toEqual([0, 'stars drain [a1] drain (update): machine already down\n']);
    expect(leader.scheduled()).toEqual([machine(1)]);
  });

  test('up update brings the machine up and waits until the replaced agent registers again', async () => {
    const d = atDoubles(roll(1)[0].drain);
    await run(d, 'drain', 'update');
    const upping = run(d, 'up', 'update');
    // The new container's agent starts a moment later; the master refuses it while the machine is DOWN.
    const registered = new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (leader.registerAgent(machine(1))) {
          clearInterval(t);
          resolve();
        }
      }, 300);
    });
    const [r] = await Promise.all([upping, registered]);
    expect([r.code, r.stdout]).toEqual([0, 'stars drain [a1] up (update): machine up, agent registered\n']);
    expect(leader.scheduled()).toEqual([]);
    expect(leader.modes.size).toBe(0);
  });

  test('a drain that writes back a schedule read before this machine left it is undone by the up-step', async () => {
    const d = atDoubles(roll(1)[0].drain);
    await run(d, 'drain', 'update');
    const upping = run(d, 'up', 'update');
    // Once the machine is up, a stale writer puts it back (with another machine's window), then the agent starts.
    await until(() => !leader.modes.has('10.0.1.1|10.0.1.1'));
    const stale = {
      windows: [[machine(1)], [{ hostname: 'other', ip: '10.0.9.9' }]].map((ids) => ({
        machine_ids: ids,
        unavailability: { start: { nanoseconds: 1 } },
      })),
    };
    const auth = `Basic ${Buffer.from(`${LOGIN.username}:${LOGIN.password}`).toString('base64')}`;
    const posted = await fetch(`${leader.url}/master/maintenance/schedule`, {
      method: 'POST',
      body: JSON.stringify(stale),
      headers: { authorization: auth },
    });
    expect(posted.status).toBe(200);
    expect(leader.modes.get('10.0.1.1|10.0.1.1')).toBe('DRAINING');
    leader.registerAgent(machine(1));
    const r = await upping;
    expect([r.code, r.stdout]).toEqual([0, 'stars drain [a1] up (update): machine up, agent registered\n']);
    expect(leader.scheduled()).toEqual([{ hostname: 'other', ip: '10.0.9.9' }]);
    expect(leader.modes.has('10.0.1.1|10.0.1.1')).toBe(false);
  });

  test.each([
    ['up', 'create', 'stars drain [a1] up (create): machine was not down\n'],
    ['drain', 'create', 'stars drain [a1] drain (create): first creation, nothing to drain\n'],
  ])('%s create on a first creation changes nothing', async (action, phase, out) => {
    const r = await run(atDoubles(roll(1)[0].drain), action, phase);
    expect([r.code, r.stdout]).toEqual([0, out]);
    expect(leader.requests.filter((q) => q.method === 'POST' && q.url !== '/master/machine/up')).toEqual([]);
  });

  test.each([
    ['a wrong login', (): void => undefined, 'wrong', 'HTTP 401'],
    [
      'no elected leader',
      (): void => leader.failNext(1000, 503),
      LOGIN.password,
      'HTTP 503 (not the leader)',
    ],
  ])(
    '%s stops the drain at the timeout, naming the agent and what it saw',
    async (_what, arrange, password, saw) => {
      arrange();
      const r = await run(atDoubles(roll(1)[0].drain, 2), 'drain', 'update', password);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /^stars drain \[a1\] ERROR: drain \(update\) did not finish within 2 s; last saw: /,
      );
      expect(r.stderr).toContain(saw);
      expect(leader.modes.size).toBe(0);
    },
  );

  test('three drains at once, each writing the one schedule from what it read, all end DOWN and scheduled', async () => {
    const steps = roll(3, 4);
    const runs = await Promise.all(
      steps.slice(0, 3).map((st) => run(atDoubles(st.drain), 'drain', 'update')),
    );
    expect(runs.map((r) => [r.code, r.stderr])).toEqual([
      [0, ''],
      [0, ''],
      [0, ''],
    ]);
    expect([1, 2, 3].map((i) => leader.modes.get(`10.0.1.${i}|10.0.1.${i}`))).toEqual([
      'DOWN',
      'DOWN',
      'DOWN',
    ]);
    expect(leader.scheduled().sort((x, y) => String(x.ip).localeCompare(String(y.ip)))).toEqual([
      machine(1),
      machine(2),
      machine(3),
    ]);
  });

  /** Drain rounds the plan encodes: the longest chain of drains that each wait for an earlier agent's up-step. */
  const rounds = (steps: readonly AgentRollStep[]): number => {
    const depth = new Map<string, number>();
    for (const st of steps)
      depth.set(st.agent, 1 + (st.after === undefined ? 0 : (depth.get(st.after) as number)));
    return Math.max(...depth.values());
  };

  test.each([
    [4, 1],
    [4, 2],
    [AGENTS, 1],
    [AGENTS, 3],
  ])(
    'replacing every one of %i agents with at most %i down: ceil(agents / max) rounds, never more than the bound down, every machine ends up',
    async (count, maxDown) => {
      const steps = roll(maxDown, count);
      if (count === 4)
        expect(steps.map((st) => [st.agent, st.after])).toEqual(
          maxDown === 1
            ? [
                ['a1', undefined],
                ['a2', 'a1'],
                ['a3', 'a2'],
                ['a4', 'a3'],
              ]
            : [
                ['a1', undefined],
                ['a2', undefined],
                ['a3', 'a1'],
                ['a4', 'a2'],
              ],
        );
      expect(rounds(steps)).toBe(Math.ceil(count / maxDown));
      // As the graph orders them: a drain after the up-step it waits for (drains run at once where the bound
      // allows, each writing the one schedule), then the replacement registers, then the up-step.
      const done = new Map<string, Promise<void>>();
      const outcome: string[] = [];
      for (const st of steps) {
        const after = st.after === undefined ? Promise.resolve() : done.get(st.after);
        const d = atDoubles(st.drain);
        done.set(
          st.agent,
          (async () => {
            await after;
            const drained = await run(d, 'drain', 'update');
            const agentStarts = setInterval(
              () => leader.registerAgent(machine(Number(st.agent.slice(1)))),
              200,
            );
            const up = await run(d, 'up', 'update');
            clearInterval(agentStarts);
            outcome.push(`${st.agent} ${drained.code} ${up.code}`);
          })(),
        );
      }
      await Promise.all(done.values());
      expect(outcome.sort()).toEqual(steps.map((st) => `${st.agent} 0 0`).sort());
      expect(leader.maxDown).toBeGreaterThanOrEqual(1);
      expect(leader.maxDown).toBeLessThanOrEqual(maxDown);
      expect([leader.scheduled(), leader.modes.size, leader.agents.size]).toEqual([[], 0, AGENTS]);
    },
  );
});

import { spawnSync } from 'child_process';
import { planAgentRoll, type DrainPlan } from '../../../../components/platform/plan-drain';
import {
  planPlatform,
  type ContainerPlan,
  type PlatformPlan,
} from '../../../../components/platform/plan-platform';
import { renderDrainScript } from '../../../../components/platform/render-agent-drain';
import { NOTHING_DEPLOYED, readDeployed } from '../../../../components/platform/plan-deployed';
import { specWith } from './fixtures';

const agentHost = (name: string) => ({ name, roles: ['agent'] });

const plan = (extra: Record<string, unknown> = {}): PlatformPlan => planPlatform(specWith(3, extra));

describe('planAgentRoll', () => {
  test('two agents, one down at once: host-name order, the second drain waits for the first up-step', () => {
    expect(planAgentRoll(plan()).map((s) => [s.agent, s.after, s.drain?.machine])).toEqual([
      ['a1', undefined, { hostname: '10.0.1.1', ip: '10.0.1.1' }],
      ['a2', 'a1', { hostname: '10.0.1.2', ip: '10.0.1.2' }],
    ]);
  });

  test.each([
    [
      'nothing deployed (a first deploy)',
      NOTHING_DEPLOYED,
      [
        ['a1', false, undefined],
        ['a2', false, undefined],
        ['a3', false, undefined],
      ],
    ],
    [
      'a2 added to a1 and a3',
      readDeployed({ hosts: [agentHost('a1'), agentHost('a3')] }),
      [
        ['a1', true, undefined],
        ['a2', false, undefined],
        ['a3', true, 'a1'],
      ],
    ],
    [
      'a2 deployed as a master only',
      readDeployed({ hosts: [agentHost('a1'), { name: 'a2', roles: ['master'] }, agentHost('a3')] }),
      [
        ['a1', true, undefined],
        ['a2', false, undefined],
        ['a3', true, 'a1'],
      ],
    ],
    [
      'an unreadable reading: every agent rolls',
      readDeployed({ hosts: 'garbled' }),
      [
        ['a1', true, undefined],
        ['a2', true, 'a1'],
        ['a3', true, 'a2'],
      ],
    ],
  ] as const)('%s: only running agents roll, among themselves', (_what, deployed, expected) => {
    const hosts = [
      ...[1, 2, 3].map((i) => ({ name: `m${i}`, address: `10.0.0.${i}`, roles: ['master'] })),
      ...[1, 2, 3].map((i) => ({ name: `a${i}`, address: `10.0.1.${i}`, roles: ['agent'] })),
    ];
    const steps = planAgentRoll(planPlatform(specWith(3, { hosts })), deployed);
    expect(steps.map((s) => [s.agent, s.running, s.after])).toEqual(expected);
    expect(steps.every((s) => s.drain !== undefined)).toBe(true);
  });

  test('the drain asks every master, in host-name order, with the platform login and timeouts', () => {
    const d = planAgentRoll(plan({ authEnabled: true, healthGateTimeoutSeconds: 120 }))[0].drain;
    expect(d).toEqual({
      agent: 'a1',
      machine: { hostname: '10.0.1.1', ip: '10.0.1.1' },
      masters: [1, 2, 3].map((i) => ({ address: `10.0.0.${i}`, port: 5050 })),
      auth: true,
      timeoutSeconds: 120,
      maxDown: 1,
      windowSeconds: 240,
    });
  });

  test('a lone agent has no drain and waits for nothing', () => {
    const p = plan();
    const lone = { ...p, containers: p.containers.filter((c) => c.host !== 'a2') };
    expect(planAgentRoll(lone)).toEqual([{ agent: 'a1', running: true }]);
  });

  test("the machine id comes from the agent's own --hostname and --ip, and a container without them is refused", () => {
    const p = plan();
    const without = p.containers.map((c): ContainerPlan =>
      c.service === 'mesos-agent' && c.host === 'a2'
        ? { ...c, args: c.args.filter((a) => !a.startsWith('--ip=')) }
        : c,
    );
    expect(() => planAgentRoll({ ...p, containers: without })).toThrow(
      'the mesos-agent on a2 has no --ip= flag, so its maintenance machine id is unknown',
    );
  });
});

describe('renderDrainScript', () => {
  const drain = (auth: boolean): DrainPlan => {
    const d = planAgentRoll(plan({ authEnabled: auth }))[0].drain;
    if (d === undefined) throw new Error('no drain');
    return d;
  };

  test.each([true, false])('auth %s: shellcheck clean', (auth) => {
    const r = spawnSync('shellcheck', ['-s', 'bash', '-'], {
      input: renderDrainScript(drain(auth)),
      encoding: 'utf8',
    });
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });

  test('names the agent, its machine id as the master prints it (hostname before ip), masters and bounds', () => {
    const s = renderDrainScript(drain(true));
    expect(s).toContain(
      [
        "AGENT='a1'",
        `MACHINE='{"hostname":"10.0.1.1","ip":"10.0.1.1"}'`,
        `MACHINE_RE='\\{"hostname":"10\\.0\\.1\\.1","ip":"10\\.0\\.1\\.1"\\}'`,
        "AGENT_HOSTNAME='10.0.1.1'",
        "MASTERS=('10.0.0.1:5050' '10.0.0.2:5050' '10.0.0.3:5050')",
        'TIMEOUT=300',
        'MAX_DOWN=1',
        'WINDOW_NS=600000000000',
      ].join('\n'),
    );
    expect(s).toContain("\nCREDENTIAL='stars:{{secret:mesos-http}}'\n");
    expect(renderDrainScript(drain(false))).toContain("\nCREDENTIAL=''\n");
  });

  test('the whole script, with auth on (snapshot, reviewed with the change)', () => {
    expect(renderDrainScript(drain(true))).toMatchSnapshot();
  });
});

import { ROLLING_SERVICES } from '../../../../components/platform/plan-gates';
import { LEADER_LOOKUP_TOKEN, REPORT_HEADER } from '../../../../components/platform/plan-leaders';
import type { ProgramRun, RecordedResource } from '../../../../scripts/lib/program-runner';
import { byType, find, runStack, runUpdate } from '../../harness';

/**
 * The current leader rolls last, in the dependency graph the engine sees. The program asks the running cluster
 * who leads (an invoke of @pulumi/command's local.run); here a stand-in answers it as the look-up would, and the
 * roll order of each service is read back from the recorded dependencies of an update (members being created
 * do not roll): for 1 master (dev), 3 (staging) and 5 (production).
 */

const CONTAINER = 'docker:index/container:Container';
const GATE_TYPES = ['command:remote:Command', 'command:local:Command'];

interface Invocation {
  readonly command: string;
  readonly stdin: string;
  readonly interpreter: unknown;
}

/** Answers the look-up with `answer(addresses in host-name order)` and keeps what the program asked. */
function lookupStandIn(answer: (zookeeper: string[]) => string): {
  calls: Invocation[];
  call: (args: { token: string; inputs: Record<string, unknown> }) => Record<string, unknown> | undefined;
} {
  const calls: Invocation[] = [];
  return {
    calls,
    call: ({ token, inputs }) => {
      if (token !== LEADER_LOOKUP_TOKEN) return undefined;
      const stdin = String(inputs.stdin);
      calls.push({ command: String(inputs.command), stdin, interpreter: inputs.interpreter });
      const zookeeper = [...(/^ZOOKEEPER=\((.*)\)$/m.exec(stdin)?.[1] ?? '').matchAll(/'([^']*)'/g)].map(
        (m) => m[1],
      );
      return { stdout: answer(zookeeper), stderr: '' };
    },
  };
}

const gateOf = (run: ProgramRun, service: string, host: string): RecordedResource => {
  const g = run.resources.find(
    (r) => GATE_TYPES.includes(r.type) && r.name === `platform-${service}-${host}-gate`,
  );
  if (g === undefined) throw new Error(`no gate of ${service} on ${host}`);
  return g;
};

/** The roll order a service's dependencies encode: the member that waits for no gate of its service first, … */
function rollOrderInGraph(run: ProgramRun, service: string, hosts: readonly string[]): string[] {
  const gates = new Map(hosts.map((h) => [gateOf(run, service, h).urn, h]));
  const waitsFor = new Map(
    hosts.map((h) => [
      h,
      find(run, CONTAINER, `platform-${service}-${h}`).dependencies.flatMap((d) => gates.get(d) ?? []),
    ]),
  );
  for (const [h, w] of waitsFor)
    if (w.length > 1) throw new Error(`${service} ${h} waits for ${w.join(', ')}`);
  const order = hosts.filter((h) => waitsFor.get(h)?.length === 0);
  while (order.length < hosts.length) {
    const next = hosts.find((h) => waitsFor.get(h)?.[0] === order.at(-1));
    if (next === undefined) throw new Error(`${service}: the chain breaks after ${order.join(', ')}`);
    order.push(next);
  }
  return order;
}

const masterHosts = (run: ProgramRun): string[] =>
  byType(run, CONTAINER)
    .filter((c) => c.name.startsWith('platform-zookeeper-'))
    .map((c) => c.name.replace('platform-zookeeper-', ''))
    .sort();

describe.each([
  ['staging', 3, {}],
  ['production', 5, { 'stars:awsMasters': 5 }],
] as const)('%s with %i masters, the cluster answering the look-up', (stack, count, overrides) => {
  let run: ProgramRun;
  let hosts: string[];
  const standIn = lookupStandIn((zk) =>
    [
      REPORT_HEADER,
      `zookeeper ${zk[1]}`, // the second member leads the ensemble
      `mesos-master ${zk[0]}`, // the first leads the masters
      `marathon ${zk[zk.length - 1]}`, // the last one leads Marathon: it already goes last
      'chronos -', // no Chronos leader known
      'end',
    ].join('\n'),
  );
  beforeAll(async () => {
    // An update of a deployed stack: only running members roll, and these all run.
    run = await runUpdate(stack, await runStack(stack, overrides), overrides, { call: standIn.call });
    hosts = masterHosts(run);
  }, 120_000);

  test('the look-up runs once, from the machine Pulumi runs on, with bash', () => {
    expect(hosts).toHaveLength(count);
    expect(standIn.calls.map((c) => c.interpreter)).toEqual([['/bin/bash', '-c']]);
    expect(standIn.calls[0].stdin.split('\n').slice(0, 2)).toEqual([
      '#!/usr/bin/env bash',
      '# Stars leader probe. Rendered by components/platform/render-leader-probe.ts; runs on a master host.',
    ]);
  });

  test.each([
    ['zookeeper', (h: string[]) => [h[0], ...h.slice(2), h[1]]],
    ['mesos-master', (h: string[]) => [...h.slice(1), h[0]]],
    ['marathon', (h: string[]) => h],
    ['chronos', (h: string[]) => h],
    ['mesos-dns', (h: string[]) => h],
  ] as const)('%s rolls in host-name order with its current leader last', (service, expected) => {
    expect(rollOrderInGraph(run, service, hosts)).toEqual(expected(hosts));
  });

  test('each gate still depends only on its own container: the leader changes the order, not what re-runs', () => {
    for (const service of ROLLING_SERVICES)
      for (const h of hosts) {
        const own = gateOf(run, service, h);
        const members = own.dependencies.filter((d) =>
          run.resources.some((x) => x.urn === d && (x.type === CONTAINER || GATE_TYPES.includes(x.type))),
        );
        expect(members).toEqual([find(run, CONTAINER, `platform-${service}-${h}`).urn]);
      }
  });
});

describe('where the look-up goes', () => {
  test('staging: to each master in host-name order over ssh, with the options the Docker provider dials with', async () => {
    const standIn = lookupStandIn(() => 'stars-leaders unreachable m1: exit 255');
    await runStack('staging', {}, { call: standIn.call });
    const tries = standIn.calls[0].command.split('\n').filter((l) => l.startsWith('try_target '));
    expect(tries).toEqual(
      ['m1', 'm2', 'm3'].map(
        (m, i) =>
          `try_target '${m}' 'ssh' '-o' 'BatchMode=yes' '-o' 'StrictHostKeyChecking=accept-new' '-o' ` +
          `'ConnectTimeout=30' '-p' '22' 'stars@10.20.1.1${i + 1}' 'bash -s' && exit 0`,
      ),
    );
  }, 120_000);

  test("production: over ssh that trusts only each instance's generated host key, at its public address", async () => {
    const standIn = lookupStandIn(() => 'stars-leaders unreachable');
    await runStack('production', {}, { call: standIn.call });
    const tries = standIn.calls[0].command.split('\n').filter((l) => l.startsWith('try_target '));
    expect(tries.map((l) => /^try_target '([^']+)'/.exec(l)?.[1])).toEqual([
      'master-1',
      'master-2',
      'master-3',
    ]);
    for (const l of tries) {
      expect(l).toContain(" 'StrictHostKeyChecking=yes' ");
      expect(l).toMatch(/ 'KnownHostsCommand=\/bin\/echo 203\.0\.113\.\d+ ssh-ed25519 [A-Za-z0-9+/=]+' /);
      expect(l).toMatch(/ 'stars@203\.0\.113\.\d+' 'bash -s' && exit 0$/);
    }
  }, 120_000);

  test('dev, one master: there is nothing to order, so nothing is asked', async () => {
    const standIn = lookupStandIn(() => '');
    await runStack('dev', {}, { call: standIn.call });
    expect(standIn.calls).toEqual([]);
  }, 120_000);
});

describe.each([
  [
    'no master answered',
    () => 'stars-leaders unreachable m1: exit 255 ssh: connect to host 10.20.1.11 port 22',
  ],
  ['an answer that is no report', () => 'Welcome to m1!\nzookeeper 10.20.1.12\nend'],
  [
    'a report naming addresses that are no members',
    () => [REPORT_HEADER, 'zookeeper 10.99.0.1', 'mesos-master 10.20.1', 'end'].join('\n'),
  ],
])('staging when the look-up learns nothing usable (%s)', (_what, answer) => {
  test('every service rolls in host-name order', async () => {
    const run = await runStack('staging', {}, { call: lookupStandIn(answer).call });
    for (const service of ROLLING_SERVICES)
      expect(rollOrderInGraph(run, service, ['m1', 'm2', 'm3'])).toEqual(['m1', 'm2', 'm3']);
  }, 120_000);
});

import { ROLLING_SERVICES } from '../../../../components/platform/plan-gates';
import type { ProgramRun, RecordedResource } from '../../../../scripts/lib/program-runner';
import { byType, find, runStack, runUpdate } from '../../harness';

/**
 * Rolling replacement in the dependency graph the engine sees: in an update of a deployed stack, for every
 * multi-member platform service, member i's container waits for member i-1's health gate and for nothing else of
 * its service, and each gate follows only its own member. Members being created (a first deploy, an added master)
 * wait for no other member. Proven for 1 master (dev, local), 3 (staging, onprem) and 5 (production, aws).
 */

const CONTAINER = 'docker:index/container:Container';
const GATE_TYPES = ['command:remote:Command', 'command:local:Command'];

const gatesOf = (run: ProgramRun): RecordedResource[] =>
  run.resources.filter((r) => GATE_TYPES.includes(r.type) && r.name.endsWith('-gate'));
/** What a resource waits for among containers and gates (a gate also depends on the password it carries). */
const members = (run: ProgramRun, r: RecordedResource): string[] =>
  r.dependencies.filter((d) =>
    run.resources.some((x) => x.urn === d && (x.type === CONTAINER || GATE_TYPES.includes(x.type))),
  );
const gate = (run: ProgramRun, name: string): RecordedResource => {
  const g = gatesOf(run).find((r) => r.name === name);
  if (g === undefined) throw new Error(`no gate ${name}`);
  return g;
};

describe.each([
  ['dev', 1, {}],
  ['staging', 3, {}],
  ['production', 5, { 'stars:awsMasters': 5 }],
] as const)('%s with %i master(s)', (stack, count, overrides) => {
  let first: ProgramRun;
  let run: ProgramRun;
  let masterNames: string[];
  beforeAll(async () => {
    first = await runStack(stack, overrides);
    run = await runUpdate(stack, first, overrides);
    masterNames = byType(run, CONTAINER)
      .filter((c) => c.name.startsWith('platform-zookeeper-'))
      .map((c) => c.name.replace('platform-zookeeper-', ''))
      .sort();
  }, 120_000);

  test(`${count} member(s) per rolling service, each with one gate`, () => {
    expect(masterNames).toHaveLength(count);
    expect(
      gatesOf(run)
        .map((g) => g.name)
        .sort(),
    ).toEqual(ROLLING_SERVICES.flatMap((s) => masterNames.map((m) => `platform-${s}-${m}-gate`)).sort());
  });

  test.each(ROLLING_SERVICES.map((s) => [s]))(
    "%s: members roll in host-name order, each container after the previous member's gate and no other of its service",
    (service) => {
      // Gates of earlier services come in through the component order (ZooKeeper before the masters, …).
      const serviceGates = new Set(
        gatesOf(run)
          .filter((g) => g.name.startsWith(`platform-${service}-`))
          .map((g) => g.urn),
      );
      masterNames.forEach((m, i) => {
        const container = find(run, CONTAINER, `platform-${service}-${m}`);
        const own = gate(run, `platform-${service}-${m}-gate`);
        expect(members(run, own)).toEqual([container.urn]);
        const waitsFor = container.dependencies.filter((d) => serviceGates.has(d));
        expect(waitsFor).toEqual(
          i === 0 ? [] : [gate(run, `platform-${service}-${masterNames[i - 1]}-gate`).urn],
        );
      });
    },
  );

  test.each(ROLLING_SERVICES.map((s) => [s]))(
    '%s on a first deploy: every member is created at once, waiting for no gate of its service',
    (service) => {
      const serviceGates = new Set(
        gatesOf(first)
          .filter((g) => g.name.startsWith(`platform-${service}-`))
          .map((g) => g.urn),
      );
      for (const m of masterNames)
        expect(
          find(first, CONTAINER, `platform-${service}-${m}`).dependencies.filter((d) => serviceGates.has(d)),
        ).toEqual([]);
    },
  );

  test('a gate runs its script from standard input: create on a first start, update on a replaced member', () => {
    for (const g of gatesOf(run)) {
      expect([g.inputs.create, g.inputs.update]).toEqual(['bash -s -- create', 'bash -s -- update']);
      expect(g.inputs.triggers).toBeUndefined();
    }
  });

  test('a gate that carries a login (Marathon, Chronos with auth on) carries it only inside a secret', () => {
    const withLogin = gatesOf(run).filter((g) => String(g.revealed.stdin).includes("\nCREDENTIAL='stars:"));
    expect(withLogin.map((g) => g.name.split('-')[1]).sort()).toEqual(
      stack === 'dev' ? [] : [...Array(count).fill('chronos'), ...Array(count).fill('marathon')],
    );
    for (const g of withLogin) expect(g.inputs.stdin).toBe('[secret]');
  });
});

describe('masters added to a deployed stack (3 to 5: the added two stay below the quorum of five)', () => {
  test('are created at once while the running masters keep their roll order', async () => {
    const hosts = [
      ...[1, 2, 3, 4, 5].map((i) => ({ name: `m${i}`, address: `10.20.1.1${i}`, roles: ['master'] })),
      { name: 'a1', address: '10.20.2.21', roles: ['agent'] },
      { name: 'a2', address: '10.20.2.22', roles: ['agent'] },
    ];
    const first = await runStack('staging', {
      'stars:hosts': hosts.filter((h) => !['m4', 'm5'].includes(h.name)),
    });
    const run = await runUpdate('staging', first, { 'stars:hosts': hosts });
    const waits = (m: string) =>
      find(run, CONTAINER, `platform-zookeeper-${m}`)
        .dependencies.filter((d) =>
          gatesOf(run).some((g) => g.urn === d && g.name.startsWith('platform-zookeeper-')),
        )
        .map((d) => run.resources.find((r) => r.urn === d)?.name);
    expect(['m1', 'm2', 'm3', 'm4', 'm5'].map(waits)).toEqual([
      [],
      ['platform-zookeeper-m1-gate'],
      ['platform-zookeeper-m2-gate'],
      [],
      [],
    ]);
  }, 240_000);
});

describe('unrelated changes do not chain', () => {
  test('a gate depends only on its own container, so changing one member leaves the other gates as they are', async () => {
    const run = await runStack('staging');
    for (const g of gatesOf(run)) {
      const deps = members(run, g);
      expect(deps).toHaveLength(1);
      expect(`${run.resources.find((r) => r.urn === deps[0])?.name}-gate`).toBe(g.name);
    }
  }, 120_000);
});

describe('the membership guard', () => {
  test('is the first resource after the stack, holds the masters by server id, and the hosts wait for it', async () => {
    const run = await runStack('staging');
    const firstCustom = run.resources.find((r) => r.custom && !r.type.startsWith('pulumi:providers:'));
    expect([firstCustom?.type, firstCustom?.name]).toEqual([
      'pulumi-nodejs:dynamic:Resource',
      'masters-membership',
    ]);
    expect(firstCustom?.inputs.members).toEqual([
      { name: 'm1', address: '10.20.1.11', zookeeperId: 1 },
      { name: 'm2', address: '10.20.1.12', zookeeperId: 2 },
      { name: 'm3', address: '10.20.1.13', zookeeperId: 3 },
    ]);
    const hosts = run.resources.find((r) => r.type === 'stars:hosts:Hosts');
    expect(hosts?.dependencies).toContain(firstCustom?.urn);
  }, 120_000);
});

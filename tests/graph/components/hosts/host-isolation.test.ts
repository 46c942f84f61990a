import type { ProgramRun } from '../../../../scripts/lib/program-runner';
import { runStack } from '../../harness';

jest.setTimeout(120_000);

const STAGING_HOSTS = [
  { name: 'm1', address: '10.20.1.11', roles: ['master'] },
  { name: 'm2', address: '10.20.1.12', roles: ['master'] },
  { name: 'm3', address: '10.20.1.13', roles: ['master'] },
  {
    name: 'a1',
    address: '10.20.2.21',
    roles: ['agent'],
    attributes: { rack: 'r1' },
    resources: { cpus: 16, memMb: 65536, diskMb: 400000 },
  },
  {
    name: 'a2',
    address: '10.20.2.22',
    roles: ['agent'],
    attributes: { rack: 'r1' },
    resources: { cpus: 16, memMb: 65536, diskMb: 400000 },
  },
  {
    name: 'a3',
    address: '10.20.2.23',
    roles: ['agent'],
    attributes: { rack: 'r2' },
    resources: { cpus: 16, memMb: 65536, diskMb: 400000 },
  },
];

/**
 * The hosts layer's resources (everything under the Hosts component) by URN, with their inputs (secrets unwrapped:
 * the SSH connection is secret as a whole) and dependencies.
 */
function hostsLayer(run: ProgramRun): Map<string, string> {
  const root = run.resources.find((r) => r.type === 'stars:hosts:Hosts')!;
  const inLayer = new Set([root.urn]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of run.resources)
      if (r.parent !== undefined && inLayer.has(r.parent) && !inLayer.has(r.urn)) {
        inLayer.add(r.urn);
        grew = true;
      }
  }
  return new Map(
    run.resources
      .filter((r) => inLayer.has(r.urn))
      .map((r) => [
        r.urn,
        JSON.stringify({ inputs: r.revealed, dependencies: r.dependencies, parent: r.parent }),
      ]),
  );
}

describe('changing one host touches only that host', () => {
  test("a new address for a1 changes a1's resources and every host's firewall (which lists a1), nothing else", async () => {
    const before = hostsLayer(await runStack('staging', { 'stars:hosts': STAGING_HOSTS }));
    const after = hostsLayer(
      await runStack('staging', {
        'stars:hosts': STAGING_HOSTS.map((h) => (h.name === 'a1' ? { ...h, address: '10.20.2.99' } : h)),
      }),
    );
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    const changed = [...before.keys()]
      .filter((urn) => before.get(urn) !== after.get(urn))
      .map((urn) => urn.split('::').pop());
    const firewalls = ['a1', 'a2', 'a3', 'm1', 'm2', 'm3'].flatMap((h) => [
      `hosts-${h}-firewall`,
      `hosts-${h}-firewall-confirm`,
    ]);
    expect(changed.sort()).toEqual(['hosts-a1-bootstrap', 'hosts-a1-docker', ...firewalls].sort());
  });
});

import fc from 'fast-check';
import { validateCapacity } from '../../../../components/apps/validate-capacity';
import { appsSpec } from '../../../support/apps-spec';

/** Agents with declared resources, and apps of whole cpus and MB that use no constraints. */
const agentsArb = fc.array(
  fc.record({ cpus: fc.integer({ min: 1, max: 64 }), memMb: fc.integer({ min: 1024, max: 262_144 }) }),
  { minLength: 1, maxLength: 6 },
);
const appsArb = fc.array(
  fc.record({
    cpus: fc.integer({ min: 1, max: 16 }),
    mem: fc.integer({ min: 128, max: 65_536 }),
    instances: fc.integer({ min: 0, max: 3 }),
  }),
  { maxLength: 6 },
);

const specOf = (agents: { cpus: number; memMb: number }[]) =>
  appsSpec({
    agents: agents.map((a, i) => ({ name: `a${i + 1}`, address: `10.0.2.${i + 1}`, ...a })),
    apps: [],
  });
const definitions = (apps: { cpus: number; mem: number; instances: number }[]) =>
  apps.map((a, i) => ({ id: `/app${i}`, ...a }));

describe('validateCapacity, for any agents and apps', () => {
  test('refuses exactly when the apps need more than the agents offer in total, or one task more than the largest agent', () => {
    fc.assert(
      fc.property(agentsArb, appsArb, (agents, apps) => {
        const need = apps.reduce(
          (t, a) => ({ cpus: t.cpus + a.cpus * a.instances, mem: t.mem + a.mem * a.instances }),
          {
            cpus: 0,
            mem: 0,
          },
        );
        const have = agents.reduce((t, a) => ({ cpus: t.cpus + a.cpus, mem: t.mem + a.memMb }), {
          cpus: 0,
          mem: 0,
        });
        const refused = validateCapacity(specOf(agents), definitions(apps)).length > 0;
        const big = {
          cpus: Math.max(...agents.map((a) => a.cpus)),
          mem: Math.max(...agents.map((a) => a.memMb)),
        };
        const tooBig = apps.some((a) => a.instances > 0 && (a.cpus > big.cpus || a.mem > big.mem));
        expect(refused).toBe(need.cpus > have.cpus || need.mem > have.mem || tooBig);
      }),
    );
  });

  test('adding an agent never turns an accepted app set into a refused one', () => {
    fc.assert(
      fc.property(agentsArb, appsArb, agentsArb, (agents, apps, more) => {
        fc.pre(validateCapacity(specOf(agents), definitions(apps)).length === 0);
        expect(validateCapacity(specOf([...agents, ...more].slice(0, 12)), definitions(apps))).toEqual([]);
      }),
    );
  });
});

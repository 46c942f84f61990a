import fc from 'fast-check';
import { membershipProvider } from '../../../../components/platform/membership-guard';
import {
  membershipRefusal,
  safeSequence,
  stepProblems,
  type Member,
} from '../../../../components/platform/plan-membership';

const m = (i: number, address = `10.0.0.${i}`): Member => ({ name: `m${i}`, address, zookeeperId: i });
const ms = (...ids: number[]): Member[] => ids.map((i) => m(i));
const names = (steps: Member[][] | undefined): string[] =>
  (steps ?? []).map((s) => s.map((x) => (x.address.startsWith('10.0.1.') ? `${x.name}'` : x.name)).join(','));

describe('stepProblems: which membership changes are quorum-safe in one rolling step', () => {
  test.each([
    ['a new cluster', [], ms(1, 2, 3)],
    ['no change', ms(1, 2, 3), ms(1, 2, 3)],
    ['1 -> 2', ms(1), ms(1, 2)],
    ['2 -> 3', ms(1, 2), ms(1, 2, 3)],
    ['3 -> 5 (two new members stay below the quorum of 3)', ms(1, 2, 3), ms(1, 2, 3, 4, 5)],
    ['5 -> 3 (three kept reach the old quorum of 3)', ms(1, 2, 3, 4, 5), ms(1, 2, 3)],
    ['3 -> 2', ms(1, 2, 3), ms(1, 2)],
    ['2 -> 1 (a single member cannot be reached without a pause)', ms(1, 2), ms(1)],
    ['one of three moved to a new address', ms(1, 2, 3), [m(1), m(2), m(3, '10.0.1.3')]],
  ])('safe: %s', (_claim, old, next) => {
    expect(stepProblems(old, next)).toEqual([]);
  });

  test.each([
    ['1 -> 3', ms(1), ms(1, 2, 3), ['m1,m2', 'm1,m2,m3']],
    ['3 -> 1', ms(1, 2, 3), ms(1), ['m1,m2', 'm1']],
    ['1 -> 5', ms(1), ms(1, 2, 3, 4, 5), ['m1,m2', 'm1,m2,m3', 'm1,m2,m3,m4', 'm1,m2,m3,m4,m5']],
    ['5 -> 1', ms(1, 2, 3, 4, 5), ms(1), ['m1,m2,m3,m4', 'm1,m2,m3', 'm1,m2', 'm1']],
    [
      '3 masters all moved to new hosts',
      ms(1, 2, 3),
      ms(4, 5, 6),
      ['m1,m2,m3,m4', 'm1,m2,m3,m4,m5', 'm1,m2,m3,m4,m5,m6', 'm1,m2,m4,m5,m6', 'm1,m4,m5,m6', 'm4,m5,m6'],
    ],
    [
      'three masters keep their ids and move to new addresses: each is removed, then re-added, one at a time',
      ms(1, 2, 3),
      [m(1, '10.0.1.1'), m(2, '10.0.1.2'), m(3, '10.0.1.3')],
      ['m2,m3', "m2,m3,m1'", "m3,m1'", "m3,m1',m2'", "m1',m2'", "m1',m2',m3'"],
    ],
  ])('refused: %s, with a safe sequence of steps that are each safe', (_claim, old, next, sequence) => {
    expect(stepProblems(old, next).length).toBeGreaterThan(0);
    const steps = safeSequence(old, next);
    expect(names(steps)).toEqual(sequence);
    let current = old;
    for (const s of steps ?? []) {
      expect(stepProblems(current, s)).toEqual([]);
      current = s;
    }
  });

  test('the refusal names both memberships, the broken rule and the steps', () => {
    expect(membershipRefusal(ms(1), ms(1, 2, 3))).toBe(
      'changing the masters from m1 (server.1=10.0.0.1) to m1 (server.1=10.0.0.1), m2 (server.2=10.0.0.2), m3 (server.3=10.0.0.3) in one step is not quorum-safe: ' +
        '2 new member(s) (m2 (server.2=10.0.0.2), m3 (server.3=10.0.0.3)) would be a majority of the 3-member ensemble (quorum 2) and could elect a leader without the data. ' +
        'Nothing was changed. Apply it in these steps, one `pulumi up` each (stars:hosts with these masters, every other host unchanged):\n' +
        '  1. masters: m1, m2\n  2. masters: m1, m2, m3',
    );
    expect(membershipRefusal(ms(1, 2, 3), ms(1, 2, 3))).toBeUndefined();
  });
});

describe("the membership guard's check, which the engine runs before it plans any step", () => {
  const check = (olds: unknown, news: unknown) =>
    membershipProvider.check!(olds as never, news as never) as Promise<{
      failures?: { property: string; reason: string }[];
    }>;

  test('a new stack (no old inputs) is accepted', async () => {
    expect((await check({}, { members: ms(1, 2, 3), providerVersion: '1' })).failures).toBeUndefined();
  });

  test('an unsafe change against the deployed membership fails on the members property with the refusal', async () => {
    const r = await check(
      { members: ms(1, 2, 3), providerVersion: '1' },
      { members: ms(1), providerVersion: '1' },
    );
    expect(r.failures).toEqual([{ property: 'members', reason: membershipRefusal(ms(1, 2, 3), ms(1)) }]);
  });
});

describe('a lone master that moves', () => {
  test('has no safe sequence, and the refusal says how to do it instead', () => {
    expect(safeSequence(ms(1), [m(1, '10.0.1.1')])).toBeUndefined();
    expect(membershipRefusal(ms(1), [m(1, '10.0.1.1')])).toContain(
      'There is no quorum-safe sequence of steps: a lone master cannot move to a new address without its data. Add a second master first, then move this one, then remove the extra master, one `pulumi up` each.',
    );
  });
});

describe('properties, over random memberships (fast-check)', () => {
  // Server ids 1-7, each at one of two addresses, so moves (same id, new address) are generated too.
  const member = fc
    .record({ id: fc.integer({ min: 1, max: 7 }), moved: fc.boolean() })
    .map(({ id, moved }) => m(id, moved ? `10.0.1.${id}` : `10.0.0.${id}`));
  const membership = (minLength: number) =>
    fc.uniqueArray(member, { minLength, maxLength: 7, selector: (x) => x.zookeeperId });
  const key = (x: Member): string => `${x.zookeeperId}@${x.address}`;

  test('every suggested step is safe, lists each server id once, and the steps end at the new membership', () => {
    fc.assert(
      fc.property(membership(1), membership(1), (old, next) => {
        const steps = safeSequence(old, next);
        if (steps === undefined) {
          // Only a lone member that moves has no path.
          expect(
            old.length === 1 &&
              next.some((n) => n.zookeeperId === old[0].zookeeperId && key(n) !== key(old[0])),
          ).toBe(true);
          return;
        }
        let current = old;
        for (const step of steps) {
          expect(stepProblems(current, step)).toEqual([]);
          expect(new Set(step.map((x) => x.zookeeperId)).size).toBe(step.length);
          current = step;
        }
        expect(current.map(key).sort()).toEqual(next.map(key).sort());
      }),
      { numRuns: 1000 },
    );
  });

  test('a change is refused exactly when stepProblems finds a problem', () => {
    fc.assert(
      fc.property(membership(0), membership(1), (old, next) => {
        expect(membershipRefusal(old, next) === undefined).toBe(stepProblems(old, next).length === 0);
      }),
      { numRuns: 1000 },
    );
  });
});

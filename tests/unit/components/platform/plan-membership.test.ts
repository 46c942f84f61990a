import { membershipProvider } from '../../../../components/platform/membership-guard';
import {
  membershipRefusal,
  safeSequence,
  stepProblems,
  type Member,
} from '../../../../components/platform/plan-membership';

const m = (i: number, address = `10.0.0.${i}`): Member => ({ name: `m${i}`, address, zookeeperId: i });
const ms = (...ids: number[]): Member[] => ids.map((i) => m(i));
const names = (steps: Member[][]): string[] => steps.map((s) => s.map((x) => x.name).join(','));

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
  ])('refused: %s, with a safe sequence of steps that are each safe', (_claim, old, next, sequence) => {
    expect(stepProblems(old, next).length).toBeGreaterThan(0);
    const steps = safeSequence(old, next);
    expect(names(steps)).toEqual(sequence);
    let current = old;
    for (const s of steps) {
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

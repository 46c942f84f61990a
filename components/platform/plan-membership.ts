/**
 * Whether the ZooKeeper ensemble (and the Mesos masters, which are the same hosts and keep a replicated log
 * with the same majority rule) can move from one membership to another in one rolling step without losing
 * a quorum or data. The pinned ZooKeeper ships dynamic reconfiguration off by default (reconfigEnabled false,
 * tests/contract/upstream/zookeeper/3.9.5.json) and Stars renders static server lists, so a change is applied
 * as a rolling restart with the new list, and two rules decide whether that is safe:
 *
 * - New members start empty. If the added members alone could form a majority of the new ensemble, they could
 *   elect a leader without any member that has the data: the added count must stay below the new quorum.
 * - Members still running the old list count the removed ones. If the removed members were a majority of the
 *   old ensemble, the rest stop serving before they are rolled: the kept count must reach the old quorum. Going
 *   down to a single member is the one exception: it cannot be done without a pause, so it is allowed from two.
 *
 * A change that breaks a rule is refused before anything is touched, with a sequence of safe steps.
 */

export interface Member {
  readonly name: string;
  readonly address: string;
  readonly zookeeperId: number;
}

export const quorumOf = (n: number): number => Math.floor(n / 2) + 1;

/** A member is its server id and address together: either changing makes it a different member. */
const key = (m: Member): string => `${m.zookeeperId}@${m.address}`;
const byId = (a: Member, b: Member): number => a.zookeeperId - b.zookeeperId || a.name.localeCompare(b.name);
export const describeMembers = (ms: readonly Member[]): string =>
  [...ms]
    .sort(byId)
    .map((m) => `${m.name} (server.${m.zookeeperId}=${m.address})`)
    .join(', ') || 'none';

export function stepProblems(old: readonly Member[], next: readonly Member[]): string[] {
  if (old.length === 0) return [];
  const oldKeys = new Set(old.map(key));
  const nextKeys = new Set(next.map(key));
  const added = next.filter((m) => !oldKeys.has(key(m)));
  const removed = old.filter((m) => !nextKeys.has(key(m)));
  const kept = old.length - removed.length;
  const problems: string[] = [];
  if (added.length > 0 && added.length >= quorumOf(next.length))
    problems.push(
      `${added.length} new member(s) (${describeMembers(added)}) would be a majority of the ${next.length}-member ensemble (quorum ${quorumOf(next.length)}) and could elect a leader without the data`,
    );
  const toSingle = next.length === 1 && old.length === 2;
  if (removed.length > 0 && kept < quorumOf(old.length) && !toSingle)
    problems.push(
      `removing ${removed.length} of ${old.length} member(s) (${describeMembers(removed)}) leaves ${kept}, below the old quorum of ${quorumOf(old.length)}, so the ensemble stops serving mid-roll`,
    );
  return problems;
}

/**
 * Safe steps from `old` to `next`, or undefined when there are none: new server ids join one at a time, then each
 * member that keeps its id but moves to a new address is removed and re-added (one id is one server, so the two
 * addresses are never listed together), then the members that go leave one at a time, highest id first. Growing
 * first means every removal happens in the largest ensemble. A lone member that moves has no safe path.
 */
export function safeSequence(old: readonly Member[], next: readonly Member[]): Member[][] | undefined {
  const steps: Member[][] = [];
  let current = [...old];
  const step = (members: Member[]): boolean => {
    if (members.length === 0 || stepProblems(current, members).length > 0) return false;
    current = members;
    steps.push(members);
    return true;
  };
  const sorted = [...next].sort(byId);
  for (const n of sorted.filter((x) => !current.some((c) => c.zookeeperId === x.zookeeperId)))
    if (!step([...current, n])) return undefined;
  for (const n of sorted) {
    const moved = current.find((c) => c.zookeeperId === n.zookeeperId && key(c) !== key(n));
    if (moved === undefined) continue;
    if (!step(current.filter((c) => c !== moved)) || !step([...current, n])) return undefined;
  }
  const nextKeys = new Set(next.map(key));
  // The highest server ids go first, so the members that stay are the ones named first.
  for (const o of [...old]
    .sort(byId)
    .reverse()
    .filter((x) => !nextKeys.has(key(x))))
    if (current.some((c) => key(c) === key(o)) && !step(current.filter((c) => key(c) !== key(o))))
      return undefined;
  return steps;
}

/** The refusal for an unsafe change, or undefined when it is safe in one step. */
export function membershipRefusal(old: readonly Member[], next: readonly Member[]): string | undefined {
  const problems = stepProblems(old, next);
  if (problems.length === 0) return undefined;
  const sequence = safeSequence(old, next);
  const how =
    sequence === undefined
      ? 'There is no quorum-safe sequence of steps: a lone master cannot move to a new address without its data. ' +
        'Add a second master first, then move this one, then remove the extra master, one `pulumi up` each.'
      : 'Apply it in these steps, one `pulumi up` each (stars:hosts with these masters, every other host unchanged):\n' +
        sequence
          .map(
            (st, i) =>
              `  ${i + 1}. masters: ${[...st]
                .sort(byId)
                .map((m) => m.name)
                .join(', ')}`,
          )
          .join('\n');
  return (
    `changing the masters from ${describeMembers(old)} to ${describeMembers(next)} in one step is not quorum-safe: ` +
    `${problems.join('; ')}. Nothing was changed. ${how}`
  );
}

import { equal } from '../../components/apps/api/normalize';
import { OpsError } from './cli-args';
import type { Definition } from './backup-format';

/**
 * What a restore has to do, decided before anything is sent: each backed-up definition is created,
 * updated or left unchanged (compared in normal form), and live definitions the backup lacks are pruned
 * only when asked. create/update hold the backup's own definitions (what gets sent). Pure, so the decisions are unit-tested without a server.
 */
export interface KindPlan {
  readonly create: readonly Definition[];
  readonly update: readonly Definition[];
  readonly unchanged: readonly string[];
  /** Live but not in the backup: deleted with --prune, otherwise only reported. */
  readonly extra: readonly string[];
}

export function planKind(
  desired: readonly Definition[],
  actual: readonly Definition[],
  key: (d: Definition) => string,
  normalize: (d: Definition) => Definition,
): KindPlan {
  const live = new Map(actual.map((d) => [key(d), normalize(d)]));
  const wanted = new Set(desired.map(key));
  const create: Definition[] = [];
  const update: Definition[] = [];
  const unchanged: string[] = [];
  for (const d of desired) {
    const cur = live.get(key(d));
    if (cur === undefined) create.push(d);
    else if (equal(cur, normalize(d))) unchanged.push(key(d));
    else update.push(d);
  }
  const extra = [...live.keys()].filter((k) => !wanted.has(k)).sort();
  return { create, update, unchanged: unchanged.sort(), extra };
}

/**
 * Chronos jobs ordered so every parent comes before its dependants (a dependent job is rejected while its
 * parent is unknown). Parents may also be jobs already live on the server. A parent found nowhere, or a
 * cycle, is an error raised before anything is applied.
 */
export function orderJobs(jobs: readonly Definition[], liveNames: ReadonlySet<string>): Definition[] {
  const byName = new Map(jobs.map((j) => [String(j.name), j]));
  const parentsOf = (j: Definition): string[] =>
    Array.isArray(j.parents) ? (j.parents as unknown[]).map(String) : [];
  for (const j of jobs)
    for (const p of parentsOf(j))
      if (!byName.has(p) && !liveNames.has(p))
        throw new OpsError(
          `Chronos job ${String(j.name)} depends on ${p}, which is neither in the backup nor on Chronos`,
        );
  const sorted = [...jobs].sort((a, b) => (String(a.name) < String(b.name) ? -1 : 1));
  const done = new Set<string>();
  const out: Definition[] = [];
  while (out.length < sorted.length) {
    const next = sorted.find(
      (j) => !done.has(String(j.name)) && parentsOf(j).every((p) => done.has(p) || !byName.has(p)),
    );
    if (next === undefined)
      throw new OpsError(
        `Chronos jobs depend on each other in a cycle: ${sorted
          .filter((j) => !done.has(String(j.name)))
          .map((j) => String(j.name))
          .join(', ')}`,
      );
    done.add(String(next.name));
    out.push(next);
  }
  return out;
}

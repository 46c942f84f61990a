import { appendFileSync } from 'fs';

/**
 * Records why a suite (or part of one) is skipped on this machine: a warning where it happens, and one line in
 * the run's skip log, which tests/support/skip-report.js prints once at the end of `npm test`, so a skip is
 * never buried in the output of a full run.
 */
export function reportSkip(reason: string): void {
  console.warn(`skipped: ${reason}`);
  const log = process.env.STARS_SKIP_LOG;
  if (log !== undefined && log !== '') appendFileSync(log, `${reason.replace(/\n/g, ' ')}\n`);
}

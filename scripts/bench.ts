import { spawnSync } from 'child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { cpus, loadavg, tmpdir, totalmem } from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { NODE_ARGS } from '../components/model/render-pulumi-yaml';
import { boolFlag, optionsHelp, parseArgs, stringFlag, UsageError, type FlagSpec } from './lib/cli-args';
import {
  checkTargets,
  combineRuns,
  isMeasured,
  renderTable,
  type SizeOutcome,
  type SizeResult,
  type TimedOut,
} from './bench-targets';
import {
  combineFloorRuns,
  compare,
  floorTarget,
  renderComparison,
  type FloorResult,
} from './lib/bench-compare';
import { renderScenarios, scenarioTargets, type ScenarioResult } from './lib/bench-scenarios';

/**
 * `npm run bench`: builds the program (`npm run build`), then evaluates its compiled entry point (bin/pulumi-main.js,
 * what the Pulumi CLI runs) for generated clusters of 3 masters and 10, 100 and 1000 agents under the mock runtime,
 * each in a fresh process, and checks the scale targets (scripts/bench-targets.ts). Writes a JSON
 * report (default `bench-report.json` in the project root, gitignored; `--out <file>` to change) and prints
 * a table. Exits 1 when a target is missed.
 *
 * Environment: STARS_BENCH_SIZES (default `10,100,1000`); STARS_BENCH_RUNS (default 3): fresh processes per
 * size, combined by `combineRuns` (median wall time, highest memory); STARS_BENCH_BUDGET_SECONDS (default 600): the time
 * all sizes and their simulated deployments together may take, so the benchmark ends within ten minutes; a size still running when the
 * budget is spent is stopped and reported as timed out, which misses the targets.
 */

// Compiled to bin/scripts/bench.js by `npm run bench`: the project root is two levels up.
const ROOT = path.resolve(__dirname, '..', '..');

function parseSizes(value: string): number[] {
  const sizes = value.split(',').map((s) => Number(s.trim()));
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(`STARS_BENCH_SIZES must be positive integers separated by commas, got "${value}"`);
  return [...new Set(sizes)].sort((a, b) => a - b);
}

function measure<T = SizeResult>(
  agents: number,
  timeoutMs: number,
  extra: readonly string[] = [],
): T | TimedOut {
  const started = performance.now();
  const report = path.join(tmpdir(), `stars-bench-report-${process.pid}-${agents}.json`);
  rmSync(report, { force: true });
  // The Node options Pulumi.yaml gives `pulumi up` and Node's default heap limit: the memory target is checked on
  // the measured peak, not enforced with a smaller heap (which would turn memory pressure into GC time).
  const r = spawnSync(
    process.execPath,
    [...NODE_ARGS, path.join(__dirname, 'bench-one.js'), String(agents), report, ...extra],
    {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: Math.max(1, Math.floor(timeoutMs)),
      killSignal: 'SIGKILL',
    },
  );
  const seconds = Number(((performance.now() - started) / 1000).toFixed(1));
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT')
    return { agents, timedOutAfterSeconds: seconds };
  if (r.error !== undefined) throw r.error;
  try {
    if (r.status !== 0)
      throw new Error(`bench for ${agents} agents failed (${r.signal ?? `exit ${r.status}`}):\n${r.stderr}`);
    if (!existsSync(report)) throw new Error(`bench for ${agents} agents wrote no report:\n${r.stderr}`);
    const text = readFileSync(report, 'utf8');
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new Error(
        `bench for ${agents} agents wrote a report that is not JSON (${text.length} bytes): ${(err as Error).message}`,
      );
    }
  } finally {
    rmSync(report, { force: true });
  }
}

function parseRuns(value: string): number {
  const runs = Number(value);
  if (!Number.isInteger(runs) || runs < 1 || runs > 9)
    throw new Error(`STARS_BENCH_RUNS must be an integer from 1 to 9, got "${value}"`);
  return runs;
}

/**
 * `runs` fresh processes for one size, combined (median wall time, highest memory); timed out if any run was.
 * Each Stars run writes the shape of what it registered; the floor then runs that shape as often.
 */
function measureSize(
  agents: number,
  runs: number,
  deadline: number,
): { outcome: SizeOutcome; floor?: FloorResult } {
  const shape = path.join(tmpdir(), `stars-bench-shape-${process.pid}-${agents}.json`);
  try {
    const results: SizeResult[] = [];
    const floors: FloorResult[] = [];
    for (let i = 0; i < runs; i++) {
      const left = deadline - performance.now();
      if (left <= 0) return { outcome: { agents, timedOutAfterSeconds: 0 } };
      process.stderr.write(`evaluating 3 masters + ${agents} agents (run ${i + 1} of ${runs})...\n`);
      const outcome = measure(agents, left, [shape]);
      if (!isMeasured(outcome)) return { outcome };
      results.push(outcome);
      process.stderr.write(`evaluating the floor of the same shape (run ${i + 1} of ${runs})...\n`);
      const floor = measure(agents, deadline - performance.now(), ['--floor', shape]);
      if (!isMeasured(floor as SizeOutcome) && 'timedOutAfterSeconds' in floor)
        return { outcome: combineRuns(results) };
      floors.push(floor as unknown as FloorResult);
    }
    return { outcome: combineRuns(results), floor: combineFloorRuns(floors) };
  } finally {
    rmSync(shape, { force: true });
  }
}

export const BENCH_FLAGS: Readonly<Record<string, FlagSpec>> = {
  out: { type: 'string', value: 'file', help: 'where the report goes (default bench-report.json)' },
  help: { type: 'boolean', help: 'show this help' },
};

function main(): number {
  if (!__filename.endsWith('.js'))
    throw new Error(
      'run the benchmark with `npm run bench`: it measures the compiled program, as the Pulumi CLI runs it',
    );
  // The parser every entry point shares (lib/cli-args.ts).
  const args = parseArgs(process.argv.slice(2), BENCH_FLAGS);
  if (boolFlag(args, 'help')) {
    console.log(`usage: npm run bench [-- --out <file>]   (sizes, runs and budget: STARS_BENCH_* variables)

options:
${optionsHelp(BENCH_FLAGS)}`);
    return 0;
  }
  const out = path.resolve(stringFlag(args, 'out') ?? path.join(ROOT, 'bench-report.json'));
  const sizes = parseSizes(process.env.STARS_BENCH_SIZES ?? '10,100,1000');
  const budgetSeconds = Number(process.env.STARS_BENCH_BUDGET_SECONDS ?? '600');
  if (!(budgetSeconds > 0)) throw new Error('STARS_BENCH_BUDGET_SECONDS must be a positive number');
  const runs = parseRuns(process.env.STARS_BENCH_RUNS ?? '3');
  const load = loadavg();
  const deadline = performance.now() + budgetSeconds * 1000;
  const measured = sizes.map((agents) => measureSize(agents, runs, deadline));
  const outcomes = measured.map((m) => m.outcome);
  const scenarios: ScenarioResult[] = [];
  for (const agents of sizes) {
    const left = deadline - performance.now();
    if (left <= 0) break;
    process.stderr.write(`simulating the deployments of 3 masters + ${agents} agents...\n`);
    const simulated = measure<ScenarioResult[]>(agents, left, ['--scenarios']);
    if (Array.isArray(simulated)) scenarios.push(...simulated);
  }
  const comparison = compare(
    outcomes,
    measured.flatMap((m) => (m.floor === undefined ? [] : [m.floor])),
  );
  const targets = [...checkTargets(outcomes), floorTarget(comparison), ...scenarioTargets(scenarios, sizes)];
  const report = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      memoryMb: Math.round(totalmem() / 1048576),
      node: process.version,
      loadAverageAtStart: load.map((l) => Number(l.toFixed(2))),
    },
    budgetSeconds,
    runsPerSize: runs,
    results: outcomes,
    scenarios,
    ...comparison,
    targets,
  };
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(renderTable(outcomes));
  console.log('');
  console.log(renderComparison(comparison));
  console.log('');
  console.log('Simulated deployments (assumed step durations, README "Scale"):');
  console.log(renderScenarios(scenarios));
  console.log('');
  for (const t of targets) console.log(`${t.met ? 'met ' : 'MISS'}  ${t.name} (${t.detail})`);
  const first = outcomes.find(isMeasured);
  if (first !== undefined)
    console.log(
      `\ncritical path at ${first.agents} agents (${first.criticalPathLength}):\n  ${first.criticalPath.join('\n  ')}`,
    );
  const shown = path.relative(process.cwd(), out);
  console.log(`\nreport: ${shown.startsWith('..') ? out : shown}`);
  return targets.every((t) => t.met) ? 0 : 1;
}

if (require.main === module) {
  try {
    process.exit(main());
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`error: ${err.message}`);
    process.exit(64);
  }
}

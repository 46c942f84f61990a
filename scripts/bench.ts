import { spawnSync } from 'child_process';
import { writeFileSync } from 'fs';
import { cpus, loadavg, totalmem } from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { NODE_ARGS } from '../components/spec/render-pulumi-yaml';
import {
  checkTargets,
  combineRuns,
  isMeasured,
  renderTable,
  type SizeOutcome,
  type SizeResult,
} from './bench-targets';

/**
 * `npm run bench`: builds the program (`npm run build`), then evaluates its compiled entry point (bin/pulumi-main.js,
 * what the Pulumi CLI runs) for generated clusters of 3 masters and 10, 100 and 1000 agents under the mock runtime,
 * each in a fresh process, and checks the scale targets (scripts/bench-targets.ts). Writes a JSON
 * report (default `bench-report.json` in the project root, gitignored; `--out <file>` to change) and prints
 * a table. Exits 1 when a target is missed.
 *
 * Environment: STARS_BENCH_SIZES (default `10,100,1000`); STARS_BENCH_RUNS (default 3): fresh processes per
 * size, combined by `combineRuns` (median wall time, highest memory); STARS_BENCH_BUDGET_SECONDS (default 280): the time
 * all sizes together may take, so the benchmark ends within five minutes; a size still running when the
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

function measure(agents: number, timeoutMs: number): SizeOutcome {
  const started = performance.now();
  // The Node options Pulumi.yaml gives `pulumi up` and Node's default heap limit: the memory target is checked on
  // the measured peak, not enforced with a smaller heap (which would turn memory pressure into GC time).
  const r = spawnSync(
    process.execPath,
    [...NODE_ARGS, path.join(__dirname, 'bench-one.js'), String(agents)],
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
  if (r.status !== 0) throw new Error(`bench for ${agents} agents failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as SizeResult;
}

function parseRuns(value: string): number {
  const runs = Number(value);
  if (!Number.isInteger(runs) || runs < 1 || runs > 9)
    throw new Error(`STARS_BENCH_RUNS must be an integer from 1 to 9, got "${value}"`);
  return runs;
}

/** `runs` fresh processes for one size, combined (median wall time, highest memory); timed out if any run was. */
function measureSize(agents: number, runs: number, deadline: number): SizeOutcome {
  const results: SizeResult[] = [];
  for (let i = 0; i < runs; i++) {
    const left = deadline - performance.now();
    if (left <= 0) return { agents, timedOutAfterSeconds: 0 };
    process.stderr.write(`evaluating 3 masters + ${agents} agents (run ${i + 1} of ${runs})...\n`);
    const outcome = measure(agents, left);
    if (!isMeasured(outcome)) return outcome;
    results.push(outcome);
  }
  return combineRuns(results);
}

function main(): number {
  if (!__filename.endsWith('.js'))
    throw new Error(
      'run the benchmark with `npm run bench`: it measures the compiled program, as the Pulumi CLI runs it',
    );
  const outArg = process.argv.indexOf('--out');
  if (outArg >= 0 && process.argv[outArg + 1] === undefined) throw new Error('--out needs a file name');
  const out = path.resolve(outArg >= 0 ? process.argv[outArg + 1] : path.join(ROOT, 'bench-report.json'));
  const sizes = parseSizes(process.env.STARS_BENCH_SIZES ?? '10,100,1000');
  const budgetSeconds = Number(process.env.STARS_BENCH_BUDGET_SECONDS ?? '280');
  if (!(budgetSeconds > 0)) throw new Error('STARS_BENCH_BUDGET_SECONDS must be a positive number');
  const runs = parseRuns(process.env.STARS_BENCH_RUNS ?? '3');
  const load = loadavg();
  const deadline = performance.now() + budgetSeconds * 1000;
  const outcomes = sizes.map((agents) => measureSize(agents, runs, deadline));
  const targets = checkTargets(outcomes);
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
    targets,
  };
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(renderTable(outcomes));
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

if (require.main === module) process.exit(main());

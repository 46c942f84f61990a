import { spawnSync } from 'child_process';
import { writeFileSync } from 'fs';
import { cpus, loadavg, totalmem } from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { checkTargets, isMeasured, renderTable, type SizeOutcome, type SizeResult } from './bench-targets';

/**
 * `npm run bench`: evaluates generated clusters of 3 masters and 10, 100 and 1000 agents under the mock
 * runtime, each in a fresh process, and checks the scale targets (scripts/bench-targets.ts). Writes a JSON
 * report (default `bench-report.json` in the project root, gitignored; `--out <file>` to change) and prints
 * a table. Exits 1 when a target is missed.
 *
 * Environment: STARS_BENCH_SIZES (default `10,100,1000`); STARS_BENCH_BUDGET_SECONDS (default 280): the time
 * all sizes together may take, so the benchmark ends within five minutes; a size still running when the
 * budget is spent is stopped and reported as timed out, which misses the targets.
 */

const ROOT = path.resolve(__dirname, '..');

function parseSizes(value: string): number[] {
  const sizes = value.split(',').map((s) => Number(s.trim()));
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(`STARS_BENCH_SIZES must be positive integers separated by commas, got "${value}"`);
  return [...new Set(sizes)].sort((a, b) => a - b);
}

function measure(agents: number, timeoutMs: number): SizeOutcome {
  const started = performance.now();
  // Node's default heap limit, as `pulumi up` runs the program: the memory target is checked on the measured
  // peak, not enforced with a smaller heap (which would turn memory pressure into garbage-collection time).
  const r = spawnSync(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', 'scripts/bench-one.ts', String(agents)],
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

function main(): number {
  const outArg = process.argv.indexOf('--out');
  if (outArg >= 0 && process.argv[outArg + 1] === undefined) throw new Error('--out needs a file name');
  const out = path.resolve(outArg >= 0 ? process.argv[outArg + 1] : path.join(ROOT, 'bench-report.json'));
  const sizes = parseSizes(process.env.STARS_BENCH_SIZES ?? '10,100,1000');
  const budgetSeconds = Number(process.env.STARS_BENCH_BUDGET_SECONDS ?? '280');
  if (!(budgetSeconds > 0)) throw new Error('STARS_BENCH_BUDGET_SECONDS must be a positive number');
  const load = loadavg();
  const deadline = performance.now() + budgetSeconds * 1000;
  const outcomes: SizeOutcome[] = [];
  for (const agents of sizes) {
    const left = deadline - performance.now();
    if (left <= 0) {
      outcomes.push({ agents, timedOutAfterSeconds: 0 });
      continue;
    }
    process.stderr.write(`evaluating 3 masters + ${agents} agents...\n`);
    outcomes.push(measure(agents, left));
  }
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

import { spawnSync } from 'child_process';
import { writeFileSync } from 'fs';
import { cpus } from 'os';
import * as path from 'path';

/**
 * `npm run bench`: evaluates generated clusters of 3 masters and 10, 100 and 1000 agents under the mock
 * runtime, each in a fresh process, and checks the scale targets. Writes a JSON report and prints a table.
 */

interface SizeResult {
  agents: number;
  totalResources: number;
  resourcesPerAgent: { min: number; max: number };
  resourcesPerMaster: { min: number; max: number };
  clusterWideResources: number;
  wallSeconds: number;
  peakRssMb: number;
  criticalPathLength: number;
  criticalPath: string[];
}

const SIZES = (process.env.STARS_BENCH_SIZES ?? '10,100,1000').split(',').map(Number);
const ROOT = path.resolve(__dirname, '..');

function measure(agents: number): SizeResult {
  const r = spawnSync(
    process.execPath,
    [
      '--max-old-space-size=3072',
      '-r',
      'ts-node/register/transpile-only',
      'scripts/bench-one.ts',
      String(agents),
    ],
    {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (r.status !== 0) throw new Error(`bench for ${agents} agents failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as SizeResult;
}

export interface Target {
  readonly name: string;
  readonly met: boolean;
  readonly detail: string;
}

export function checkTargets(results: readonly SizeResult[]): Target[] {
  const sorted = [...results].sort((a, b) => a.agents - b.agents);
  const perAgent = sorted.map((r) => r.resourcesPerAgent);
  const largest = sorted[sorted.length - 1];
  const fanIn = sorted.map((r) => r.totalResources - r.agents * r.resourcesPerAgent.max);
  const costs = sorted.map((r) => r.wallSeconds / r.agents);
  return [
    {
      name: 'resources per agent stay constant',
      met: perAgent.every((p) => p.min === perAgent[0].min && p.max === perAgent[0].max),
      detail: perAgent
        .map((p, i) => `${sorted[i].agents}: ${p.min === p.max ? p.min : `${p.min}-${p.max}`}`)
        .join(', '),
    },
    {
      name: 'no per-cluster fan-in grows with size',
      met: fanIn.every((f) => f === fanIn[0]),
      detail: `non-agent resources: ${fanIn.join(', ')}`,
    },
    {
      name: 'critical path does not grow with agents',
      met: sorted.every((r) => r.criticalPathLength === sorted[0].criticalPathLength),
      detail: sorted.map((r) => `${r.agents}: ${r.criticalPathLength}`).join(', '),
    },
    {
      name: `${largest.agents}-agent evaluation under 30 s`,
      met: largest.wallSeconds < 30,
      detail: `${largest.wallSeconds} s`,
    },
    {
      name: `${largest.agents}-agent evaluation under 3 GB`,
      met: largest.peakRssMb < 3072,
      detail: `${largest.peakRssMb} MB peak RSS`,
    },
    {
      // Fixed start-up cost dominates small sizes, so compare the cost per agent of the two largest sizes.
      name: 'evaluation cost grows linearly',
      met: sorted.length < 2 || costs[costs.length - 1] <= 1.5 * costs[costs.length - 2],
      detail: sorted.map((r, i) => `${r.agents}: ${(costs[i] * 1000).toFixed(1)} ms/agent`).join(', '),
    },
  ];
}

export function renderTable(results: readonly SizeResult[]): string {
  const header = [
    'agents',
    'resources',
    'per agent',
    'per master',
    'cluster-wide',
    'wall s',
    'peak MB',
    'critical path',
  ];
  const rows = results.map((r) => [
    String(r.agents),
    String(r.totalResources),
    r.resourcesPerAgent.min === r.resourcesPerAgent.max
      ? String(r.resourcesPerAgent.min)
      : `${r.resourcesPerAgent.min}-${r.resourcesPerAgent.max}`,
    r.resourcesPerMaster.min === r.resourcesPerMaster.max
      ? String(r.resourcesPerMaster.min)
      : `${r.resourcesPerMaster.min}-${r.resourcesPerMaster.max}`,
    String(r.clusterWideResources),
    r.wallSeconds.toFixed(2),
    String(r.peakRssMb),
    String(r.criticalPathLength),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padStart(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

function main(): number {
  const out = process.argv.includes('--out')
    ? process.argv[process.argv.indexOf('--out') + 1]
    : path.join(ROOT, 'bench-report.json');
  const results: SizeResult[] = [];
  for (const agents of SIZES) {
    process.stderr.write(`evaluating 3 masters + ${agents} agents...\n`);
    results.push(measure(agents));
  }
  const targets = checkTargets(results);
  writeFileSync(
    out,
    `${JSON.stringify({ machine: { cpus: cpus().length, node: process.version }, results, targets }, null, 2)}\n`,
  );
  console.log(renderTable(results));
  console.log('');
  for (const t of targets) console.log(`${t.met ? 'met ' : 'MISS'}  ${t.name} (${t.detail})`);
  console.log(`\ncritical path (${results[0].criticalPathLength}): ${results[0].criticalPath.join(' -> ')}`);
  console.log(`report: ${out}`);
  return targets.every((t) => t.met) ? 0 : 1;
}

if (require.main === module) process.exit(main());

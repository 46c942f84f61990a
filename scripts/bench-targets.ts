/** The scale targets of `npm run bench` (issue 7) and its table; pure, so the checks themselves are tested. */

export interface Range {
  readonly min: number;
  readonly max: number;
}

/** What scripts/bench-one.ts measures for one cluster size. */
export interface SizeResult {
  readonly agents: number;
  readonly totalResources: number;
  readonly resourcesPerAgent: Range;
  readonly resourcesPerMaster: Range;
  readonly clusterWideResources: number;
  /** Edges of the deployment graph (graph-metrics `predecessors`). */
  readonly dependencyEdges: number;
  /** Sum of the dependency edges of one agent's resources. */
  readonly dependenciesPerAgent: Range;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  readonly criticalPathLength: number;
  readonly criticalPath: readonly string[];
  /** Simulated deployment (lib/deploy-simulation.ts): Stars' graph, and the seed's playbooks. */
  readonly deploySeconds: number;
  readonly ansibleSeconds: number;
  /** The checkpoint the engine would write for this cluster. */
  readonly checkpointBytes: number;
  /** Every run of this size when it was measured more than once (see `combineRuns`). */
  readonly runs?: readonly {
    readonly wallSeconds: number;
    readonly cpuSeconds: number;
    readonly peakRssMb: number;
  }[];
}

/** A size whose evaluation was stopped because it ran past the time budget of the whole benchmark. */
export interface TimedOut {
  readonly agents: number;
  readonly timedOutAfterSeconds: number;
}

export type SizeOutcome = SizeResult | TimedOut;

export function isMeasured(o: SizeOutcome): o is SizeResult {
  return !('timedOutAfterSeconds' in o);
}

/**
 * Several runs of one size as one result: the run with the median wall time (so one run slowed by a noisy
 * neighbour does not decide the target), with the highest peak memory of all runs, and every run listed.
 */
export function combineRuns(runs: readonly SizeResult[]): SizeResult {
  if (runs.length === 0) throw new Error('combineRuns needs at least one run');
  const byWall = [...runs].sort((a, b) => a.wallSeconds - b.wallSeconds);
  const median = byWall[Math.floor((byWall.length - 1) / 2)];
  return {
    ...median,
    peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
    runs: runs.map((r) => ({ wallSeconds: r.wallSeconds, cpuSeconds: r.cpuSeconds, peakRssMb: r.peakRssMb })),
  };
}

export const LIMITS = {
  /** Evaluation of the largest cluster (1000 agents) on the 2-core machine: what it took before rolling upgrades. */
  wallSeconds: 20,
  peakRssMb: 2252,
  /**
   * Linear growth: the cost of one more agent (time and memory between two successive sizes) may rise by at most
   * this factor from one step to the next; a quadratic term makes it rise by about the ratio of the sizes.
   */
  marginalGrowth: 1.5,
};

export interface Target {
  readonly name: string;
  readonly met: boolean;
  readonly detail: string;
}

const fmtRange = (r: Range): string => (r.min === r.max ? String(r.min) : `${r.min}-${r.max}`);
const sameRange = (a: Range, b: Range): boolean => a.min === b.min && a.max === b.max;

/** Cost of one more agent between successive sizes: (cost(b) - cost(a)) / (b - a). */
export function marginalCosts(
  results: readonly SizeResult[],
  cost: (r: SizeResult) => number,
): { from: number; to: number; perAgent: number }[] {
  const sorted = [...results].sort((a, b) => a.agents - b.agents);
  return sorted.slice(1).map((r, i) => ({
    from: sorted[i].agents,
    to: r.agents,
    perAgent: (cost(r) - cost(sorted[i])) / (r.agents - sorted[i].agents),
  }));
}

function linear(
  results: readonly SizeResult[],
  cost: (r: SizeResult) => number,
  unit: string,
): { met: boolean; detail: string } {
  const steps = marginalCosts(results, cost);
  const detail = steps.map((s) => `${s.from}->${s.to}: ${s.perAgent.toFixed(2)} ${unit}/agent`).join(', ');
  if (steps.length < 2) return { met: false, detail: `needs three sizes (${detail})` };
  const met = steps
    .slice(1)
    .every((s, i) => steps[i].perAgent > 0 && s.perAgent <= LIMITS.marginalGrowth * steps[i].perAgent);
  return { met, detail };
}

/** A target over every size: unmet when a size was not measured. */
function everySize(
  name: string,
  outcomes: readonly SizeOutcome[],
  check: (measured: SizeResult[]) => { met: boolean; detail: string },
): Target {
  const measured = outcomes.filter(isMeasured);
  const missing = outcomes.filter((o) => !isMeasured(o)).map((o) => o.agents);
  const { met, detail } = check(measured);
  return missing.length === 0
    ? { name, met, detail }
    : { name, met: false, detail: `${detail}; not measured for ${missing.join(', ')} agents (timed out)` };
}

const constant = <T>(
  measured: readonly SizeResult[],
  value: (r: SizeResult) => T,
  same: (a: T, b: T) => boolean,
  show: (v: T) => string,
): { met: boolean; detail: string } => ({
  met: measured.every((r) => same(value(r), value(measured[0]))),
  detail: measured.map((r) => `${r.agents}: ${show(value(r))}`).join(', '),
});

export function checkTargets(outcomes: readonly SizeOutcome[]): Target[] {
  const sorted = [...outcomes].sort((a, b) => a.agents - b.agents);
  const largest = sorted[sorted.length - 1];
  const eq = (a: number, b: number): boolean => a === b;
  return [
    everySize('resources per agent stay constant', sorted, (m) =>
      constant(m, (r) => r.resourcesPerAgent, sameRange, fmtRange),
    ),
    everySize('master and cluster-wide resources stay constant', sorted, (m) =>
      constant(
        m,
        (r) => `${fmtRange(r.resourcesPerMaster)} per master, ${r.clusterWideResources} cluster-wide`,
        (a, b) => a === b,
        (v) => v,
      ),
    ),
    everySize('dependencies per agent stay constant (no fan-in that grows with size)', sorted, (m) =>
      constant(m, (r) => r.dependenciesPerAgent, sameRange, fmtRange),
    ),
    everySize('critical path does not grow with agents', sorted, (m) =>
      constant(m, (r) => r.criticalPathLength, eq, String),
    ),
    isMeasured(largest)
      ? {
          name: `${largest.agents}-agent evaluation within ${LIMITS.wallSeconds} s`,
          met: largest.wallSeconds <= LIMITS.wallSeconds,
          detail: `${largest.wallSeconds} s`,
        }
      : {
          name: `${largest.agents}-agent evaluation within ${LIMITS.wallSeconds} s`,
          met: false,
          detail:
            largest.timedOutAfterSeconds > 0
              ? `stopped after ${largest.timedOutAfterSeconds} s`
              : 'not run: the time budget was spent',
        },
    {
      name: `${largest.agents}-agent evaluation within ${(LIMITS.peakRssMb / 1024).toFixed(1)} GB`,
      met: isMeasured(largest) && largest.peakRssMb <= LIMITS.peakRssMb,
      detail: isMeasured(largest) ? `${largest.peakRssMb} MB peak RSS` : 'not measured (timed out)',
    },
    everySize('evaluation time grows linearly', sorted, (m) => linear(m, (r) => r.wallSeconds, 's')),
    everySize('evaluation memory grows linearly', sorted, (m) => linear(m, (r) => r.peakRssMb, 'MB')),
  ];
}

export function renderTable(outcomes: readonly SizeOutcome[]): string {
  const header = [
    'agents',
    'resources',
    'per agent',
    'per master',
    'cluster-wide',
    'deps per agent',
    'wall s',
    'peak RSS MB',
    'critical path',
  ];
  const rows = [...outcomes]
    .sort((a, b) => a.agents - b.agents)
    .map((r) =>
      isMeasured(r)
        ? [
            String(r.agents),
            String(r.totalResources),
            fmtRange(r.resourcesPerAgent),
            fmtRange(r.resourcesPerMaster),
            String(r.clusterWideResources),
            fmtRange(r.dependenciesPerAgent),
            r.wallSeconds.toFixed(2),
            String(r.peakRssMb),
            String(r.criticalPathLength),
          ]
        : [String(r.agents), '-', '-', '-', '-', '-', `>${r.timedOutAfterSeconds.toFixed(0)}`, '-', '-'],
    );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padStart(widths[i])).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => `${'-'.repeat(w + 1)}:`).join('|')}|`, ...rows.map(line)].join(
    '\n',
  );
}

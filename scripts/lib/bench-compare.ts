import { isMeasured, type SizeOutcome, type SizeResult, type Target } from '../bench-targets';

/**
 * The benchmark's three comparisons (issue 15), pure so their arithmetic is tested: Stars against the SDK floor
 * of the same shape (bench-floor.ts), the simulated deployment against the seed's playbooks, and the
 * checkpoint's size and its growth per agent.
 */
export interface FloorResult {
  readonly agents: number;
  readonly wallSeconds: number;
  readonly peakRssMb: number;
}

export interface Comparison {
  readonly floor: readonly {
    readonly agents: number;
    readonly stars: { readonly wallSeconds: number; readonly peakRssMb: number };
    readonly floor: { readonly wallSeconds: number; readonly peakRssMb: number };
    readonly ratio: { readonly wall: number; readonly memory: number };
  }[];
  readonly deploySimulation: readonly {
    readonly agents: number;
    readonly stars: number;
    readonly ansible: number;
    readonly ansibleOverStars: number;
  }[];
  readonly state: readonly {
    readonly agents: number;
    readonly bytes: number;
    readonly perAgentBytes?: number;
  }[];
}

/** The floor of 1000 agents: Stars may take at most this multiple of the floor's time and memory. */
export const FLOOR_RATIO_LIMIT = 1.5;

const round = (n: number, digits = 2): number => Number(n.toFixed(digits));

/** Several floor runs as one: the median wall time, the highest memory (as combineRuns does for Stars). */
export function combineFloorRuns(runs: readonly FloorResult[]): FloorResult {
  if (runs.length === 0) throw new Error('combineFloorRuns needs at least one run');
  const byWall = [...runs].sort((a, b) => a.wallSeconds - b.wallSeconds);
  return {
    ...byWall[Math.floor((byWall.length - 1) / 2)],
    peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
  };
}

export function compare(outcomes: readonly SizeOutcome[], floors: readonly FloorResult[]): Comparison {
  const measured: SizeResult[] = outcomes.filter(isMeasured).sort((a, b) => a.agents - b.agents);
  const floor = measured.flatMap((r) => {
    const f = floors.find((x) => x.agents === r.agents);
    return f === undefined
      ? []
      : [
          {
            agents: r.agents,
            stars: { wallSeconds: r.wallSeconds, peakRssMb: r.peakRssMb },
            floor: { wallSeconds: f.wallSeconds, peakRssMb: f.peakRssMb },
            ratio: { wall: round(r.wallSeconds / f.wallSeconds), memory: round(r.peakRssMb / f.peakRssMb) },
          },
        ];
  });
  const deploySimulation = measured.map((r) => ({
    agents: r.agents,
    stars: r.deploySeconds,
    ansible: r.ansibleSeconds,
    ansibleOverStars: round(r.ansibleSeconds / r.deploySeconds, 1),
  }));
  const state = measured.map((r, i) => ({
    agents: r.agents,
    bytes: r.checkpointBytes,
    ...(i === 0
      ? {}
      : {
          perAgentBytes: Math.round(
            (r.checkpointBytes - measured[i - 1].checkpointBytes) / (r.agents - measured[i - 1].agents),
          ),
        }),
  }));
  return { floor, deploySimulation, state };
}

export function floorTarget(c: Comparison): Target {
  const largest = c.floor[c.floor.length - 1];
  const name = `Stars within ${FLOOR_RATIO_LIMIT}x the SDK floor (time and memory) at the largest size`;
  if (largest === undefined) return { name, met: false, detail: 'the floor was not measured' };
  return {
    name,
    met: largest.ratio.wall <= FLOOR_RATIO_LIMIT && largest.ratio.memory <= FLOOR_RATIO_LIMIT,
    detail: `${largest.agents} agents: ${largest.ratio.wall}x time, ${largest.ratio.memory}x memory`,
  };
}

export const minutes = (s: number): string =>
  `${Math.floor(s / 60)} min ${String(Math.round(s % 60)).padStart(2, '0')} s`;

/** A Markdown table, numbers right-aligned; the columns in `textColumns` left-aligned. */
export function table(header: string[], rows: string[][], textColumns: readonly number[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const left = (i: number): boolean => textColumns.includes(i);
  const line = (cells: string[]): string =>
    `| ${cells.map((c, i) => (left(i) ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const rule = widths.map((w, i) => (left(i) ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`));
  return [line(header), `|${rule.join('|')}|`, ...rows.map(line)].join('\n');
}

export function renderComparison(c: Comparison): string {
  return [
    'Stars against the SDK floor of the same shape (same mock runtime and entry mode):',
    table(
      ['agents', 'Stars s', 'floor s', 'time x', 'Stars MB', 'floor MB', 'memory x'],
      c.floor.map((r) => [
        String(r.agents),
        r.stars.wallSeconds.toFixed(2),
        r.floor.wallSeconds.toFixed(2),
        r.ratio.wall.toFixed(2),
        String(r.stars.peakRssMb),
        String(r.floor.peakRssMb),
        r.ratio.memory.toFixed(2),
      ]),
    ),
    '',
    'Simulated deployment from scratch (assumed step durations, README "Scale"):',
    table(
      ['agents', 'Stars (pulumi up)', 'seed (Ansible, 5 forks)', 'seed / Stars'],
      c.deploySimulation.map((r) => [
        String(r.agents),
        minutes(r.stars),
        minutes(r.ansible),
        r.ansibleOverStars.toFixed(1),
      ]),
    ),
    '',
    'Checkpoint the engine would write:',
    table(
      ['agents', 'MB', 'KB per added agent'],
      c.state.map((r) => [
        String(r.agents),
        (r.bytes / 1048576).toFixed(1),
        r.perAgentBytes === undefined ? '-' : (r.perAgentBytes / 1024).toFixed(1),
      ]),
    ),
  ].join('\n');
}

import {
  checkTargets,
  combineRuns,
  marginalCosts,
  renderTable,
  type SizeOutcome,
  type SizeResult,
} from '../../../../scripts/bench-targets';

const size = (agents: number, over: Partial<SizeResult> = {}): SizeResult => ({
  agents,
  totalResources: 94 + 12 * agents,
  resourcesPerAgent: { min: 12, max: 12 },
  resourcesPerMaster: { min: 19, max: 19 },
  clusterWideResources: 37,
  dependencyEdges: 300 + 20 * agents,
  dependenciesPerAgent: { min: 14, max: 14 },
  wallSeconds: 3 + 0.016 * agents,
  cpuSeconds: 5 + 0.02 * agents,
  peakRssMb: 250 + 2 * agents,
  criticalPathLength: 16,
  criticalPath: ['a', 'b'],
  deploySeconds: 900,
  ansibleSeconds: 600 + 80 * agents,
  checkpointBytes: 100_000 + 9_000 * agents,
  ...over,
});

const met = (outcomes: SizeOutcome[]): Record<string, boolean> =>
  Object.fromEntries(checkTargets(outcomes).map((t) => [t.name, t.met]));

describe('checkTargets', () => {
  test('a linear cluster meets every target', () => {
    const targets = checkTargets([size(10), size(100), size(1000)]);
    expect(targets.filter((t) => !t.met)).toEqual([]);
  });

  test('marginal cost is measured between successive sizes, so fixed start-up cost cannot hide growth', () => {
    expect(marginalCosts([size(100), size(10), size(1000)], (r) => r.wallSeconds)).toEqual([
      { from: 10, to: 100, perAgent: expect.closeTo(0.016, 6) },
      { from: 100, to: 1000, perAgent: expect.closeTo(0.016, 6) },
    ]);
  });

  test('superlinear growth misses even when the average cost per agent stays within bounds', () => {
    // The first measurement of this program: 0.55, 0.22 then 0.32 s per agent on average (within 1.5x of the
    // previous size), but one more agent cost 0.18 s between 10 and 100 agents and 0.33 s between 100 and 1000.
    const wall: Record<number, number> = { 10: 5.54, 100: 21.95, 1000: 320.15 };
    const outcomes = [10, 100, 1000].map((n) => size(n, { wallSeconds: wall[n] }));
    expect(wall[1000] / 1000).toBeLessThan(1.5 * (wall[100] / 100));
    const t = checkTargets(outcomes).find((x) => x.name === 'evaluation time grows linearly');
    expect(t).toMatchObject({ met: false, detail: '10->100: 0.18 s/agent, 100->1000: 0.33 s/agent' });
  });

  test('memory growth is checked the same way', () => {
    const outcomes = [size(10), size(100), size(1000, { peakRssMb: 3500 })];
    expect(met(outcomes)['evaluation memory grows linearly']).toBe(false);
  });

  test('dependencies per agent that grow with the cluster are fan-in', () => {
    const outcomes = [10, 100, 1000].map((n) =>
      size(n, { dependenciesPerAgent: { min: 20 + n, max: 20 + n } }),
    );
    const t = checkTargets(outcomes).find((x) => x.name.startsWith('dependencies per agent'));
    expect(t).toMatchObject({ met: false, detail: '10: 30, 100: 120, 1000: 1020' });
  });

  test('resource counts and critical path must not change with size', () => {
    const m = met([
      size(10),
      size(100, { resourcesPerAgent: { min: 12, max: 13 }, clusterWideResources: 38 }),
      size(1000, { criticalPathLength: 17 }),
    ]);
    expect(m['resources per agent stay constant']).toBe(false);
    expect(m['master and cluster-wide resources stay constant']).toBe(false);
    expect(m['critical path does not grow with agents']).toBe(false);
  });

  test.each([
    [20, 2252, true],
    [20.01, 2252, false],
    [20, 2253, false],
  ])(
    'the largest size must evaluate within 20 s and 2.2 GB (%s s, %s MB: %s)',
    (wallSeconds, peakRssMb, ok) => {
      const m = met([size(10), size(100), size(1000, { wallSeconds, peakRssMb })]);
      expect([m['1000-agent evaluation within 20 s'], m['1000-agent evaluation within 2.2 GB']]).toEqual([
        wallSeconds <= 20,
        peakRssMb <= 2252,
      ]);
      expect(m['1000-agent evaluation within 20 s'] && m['1000-agent evaluation within 2.2 GB']).toBe(ok);
    },
  );

  test('a size stopped by the time budget misses every target it is part of', () => {
    const targets = checkTargets([size(10), size(100), { agents: 1000, timedOutAfterSeconds: 250 }]);
    expect(targets.every((t) => !t.met)).toBe(true);
    expect(targets.find((t) => t.name === '1000-agent evaluation within 20 s')?.detail).toBe(
      'stopped after 250 s',
    );
  });

  test('fewer than three sizes cannot show linear growth', () => {
    expect(met([size(10), size(100)])['evaluation time grows linearly']).toBe(false);
  });
});

describe('renderTable', () => {
  test('one Markdown row per size, smallest first, timed-out sizes marked', () => {
    const table = renderTable([{ agents: 1000, timedOutAfterSeconds: 250 }, size(10)]).split('\n');
    expect(table).toHaveLength(4);
    expect(table[0]).toMatch(/^\| agents \| resources \| per agent \|/);
    expect(table[1]).toMatch(/^\|-+:\|/);
    expect(table[2]).toContain('|     10 |       214 |');
    expect(table[3]).toContain('>250');
  });
});

describe('combineRuns', () => {
  test('takes the run with the median wall time, the highest peak memory of all runs, and lists every run', () => {
    const runs = [
      size(1000, { wallSeconds: 41, cpuSeconds: 50, peakRssMb: 2100, criticalPath: ['slow'] }),
      size(1000, { wallSeconds: 28, cpuSeconds: 36, peakRssMb: 2300, criticalPath: ['median'] }),
      size(1000, { wallSeconds: 26, cpuSeconds: 34, peakRssMb: 2200, criticalPath: ['fast'] }),
    ];
    expect(combineRuns(runs)).toEqual({
      ...runs[1],
      peakRssMb: 2300,
      runs: [
        { wallSeconds: 41, cpuSeconds: 50, peakRssMb: 2100 },
        { wallSeconds: 28, cpuSeconds: 36, peakRssMb: 2300 },
        { wallSeconds: 26, cpuSeconds: 34, peakRssMb: 2200 },
      ],
    });
  });

  test.each([
    [[10], 10],
    [[30, 10], 10],
    [[30, 10, 20, 40], 20],
  ])(
    'wall times %j: the combined run is the one that took %d s (lower median for an even count)',
    (walls, wall) => {
      expect(combineRuns(walls.map((w) => size(10, { wallSeconds: w }))).wallSeconds).toBe(wall);
    },
  );

  test('no runs is an error, not an empty result', () => {
    expect(() => combineRuns([])).toThrow('combineRuns needs at least one run');
  });
});

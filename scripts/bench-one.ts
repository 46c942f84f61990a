import { writeFileSync } from 'fs';
import { join } from 'path';
import { performance } from 'perf_hooks';
import { benchConfig, type BenchChange } from './lib/bench-config';
import {
  inputDigests,
  measureScenario,
  SEED_FOR,
  steppedUrns,
  tenPercent,
  type ScenarioResult,
} from './lib/bench-scenarios';
import { checkpointBytes, simulate, simulateAnsible, stepsOf } from './lib/deploy-simulation';
import { floorShape } from './lib/floor-shape';
import { criticalPath, predecessors } from './lib/graph-metrics';
import { hostOf } from './lib/plan-output';
import { runProgram } from './lib/program-runner';

/**
 * One benchmark size in its own process, so peak memory belongs to this size alone. Writes its report as JSON to
 * the file it is given (a large report on standard output could be cut short by the exit). Runs compiled
 * (bin/scripts/bench-one.js) and evaluates bin/pulumi-main.js, the entry point the Pulumi CLI runs.
 *
 * `bench-one <agents> <report> [shape-file]` evaluates Stars and writes the shape of what it registered
 * (floor-shape.ts); `bench-one <agents> <report> --floor <shape-file>` evaluates the floor program (bench-floor.ts)
 * of that shape instead, under the same mock runtime and entry mode; `bench-one <agents> <report> --scenarios`
 * simulates the deployments of bench-scenarios.ts.
 */

/** The program for a generated cluster, from its compiled entry point. */
function runBench(agents: number, change: BenchChange = {}, deployedOutputs?: Record<string, unknown>) {
  return runProgram({
    stack: `bench-${agents}`,
    config: benchConfig(agents, change).config,
    programPath: join(__dirname, '..', 'pulumi-main.js'),
    idsFromInputs: true,
    ...(deployedOutputs === undefined ? {} : { deployedOutputs }),
  });
}

/** The first deploy, measured; what later deployments compare against is kept, the run itself is not. */
async function firstDeploy(agents: number): Promise<{
  result: ScenarioResult;
  previous: Map<string, string>;
  outputs: Record<string, unknown>;
}> {
  const first = await runBench(agents);
  const result = measureScenario(
    'first deploy',
    agents,
    first.resources,
    predecessors(first.resources),
    new Set(first.resources.map((r) => r.urn)),
    SEED_FOR.firstDeploy(benchConfig(agents).masters.length, agents),
  );
  return { result, previous: inputDigests(first.resources), outputs: { ...first.revealedOutputs } };
}

/** Each scenario from a fresh first deploy; only digests and outputs of a run are kept, so memory stays flat. */
async function scenarios(agents: number): Promise<ScenarioResult[]> {
  const { result, previous, outputs } = await firstDeploy(agents);
  const results = [result];
  const later = async (name: string, change: BenchChange, seed: number, maxDown?: number) => {
    const run = await runBench(agents, change, outputs);
    const stepped = steppedUrns(previous, run.resources);
    results.push(
      measureScenario(name, agents, run.resources, predecessors(run.resources), stepped, seed, maxDown),
    );
  };
  const added = Math.ceil(agents / 10);
  await later('add 10 % agents', { addedAgents: added }, SEED_FOR.addAgents(added));
  for (const maxAgentsDown of [...new Set([1, tenPercent(agents)])])
    await later(
      `replace every agent, ${maxAgentsDown} down`,
      { changeEveryAgent: true, maxAgentsDown },
      SEED_FOR.replaceAgents(agents),
      maxAgentsDown,
    );
  return results;
}

const range = (values: readonly number[]): { min: number; max: number } => ({
  min: Math.min(...values),
  max: Math.max(...values),
});

async function floor(agents: number, shapeFile: string, report: string): Promise<void> {
  process.env.STARS_FLOOR_SHAPE = shapeFile;
  const start = performance.now();
  const run = await runProgram({
    stack: `floor-${agents}`,
    config: {},
    programPath: join(__dirname, 'bench-floor.js'),
  });
  const wallMs = performance.now() - start;
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  writeFileSync(
    report,
    `${JSON.stringify({ agents, totalResources: run.resources.length, wallSeconds: Number((wallMs / 1000).toFixed(2)), peakRssMb })}\n`,
  );
}

async function main(): Promise<void> {
  const agents = Number(process.argv[2]);
  const report = process.argv[3] ?? '';
  if (!Number.isInteger(agents) || agents < 1 || report === '')
    throw new Error(
      'usage: bench-one <agents> <report-file> [--floor <shape-file> | --scenarios | shape-file]',
    );
  if (process.argv[4] === '--floor') return floor(agents, process.argv[5] ?? '', report);
  if (process.argv[4] === '--scenarios') {
    writeFileSync(report, `${JSON.stringify(await scenarios(agents))}\n`);
    return;
  }
  const { config, hosts, masters, agents: agentHosts } = benchConfig(agents);
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const run = await runProgram({
    stack: `bench-${agents}`,
    config,
    programPath: join(__dirname, '..', 'pulumi-main.js'),
  });
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  // Read now, so the analysis below does not count as program evaluation (Linux reports KiB).
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);

  const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
  const graph = predecessors(run.resources);
  const resourcesOf = new Map<string, number>(hosts.map((h) => [h, 0]));
  const edgesOf = new Map<string, number>(hosts.map((h) => [h, 0]));
  let clusterWide = 0;
  for (const r of run.resources) {
    const host = hostOf(r, byUrn, hosts);
    if (host === undefined) {
      clusterWide += 1;
      continue;
    }
    resourcesOf.set(host, (resourcesOf.get(host) ?? 0) + 1);
    edgesOf.set(host, (edgesOf.get(host) ?? 0) + (graph.get(r.urn)?.length ?? 0));
  }
  const path = criticalPath(run.resources, graph);
  const shapeFile = process.argv[4];
  if (shapeFile !== undefined) writeFileSync(shapeFile, JSON.stringify(floorShape(run.resources)));
  const steps = stepsOf(run.resources, graph);
  const result = {
    agents,
    masters: masters.length,
    totalResources: run.resources.length,
    resourcesPerAgent: range(agentHosts.map((h) => resourcesOf.get(h) ?? 0)),
    resourcesPerMaster: range(masters.map((h) => resourcesOf.get(h) ?? 0)),
    clusterWideResources: clusterWide,
    dependencyEdges: [...graph.values()].reduce((n, deps) => n + deps.length, 0),
    dependenciesPerAgent: range(agentHosts.map((h) => edgesOf.get(h) ?? 0)),
    wallSeconds: Number((wallMs / 1000).toFixed(2)),
    cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
    peakRssMb,
    criticalPathLength: path.length,
    criticalPath: path.map((urn) => urn.split('::').slice(2).join('::')),
    deploySeconds: simulate(steps),
    ansibleSeconds: simulateAnsible(masters.length, agentHosts.length),
    checkpointBytes: checkpointBytes(run.resources),
  };
  writeFileSync(report, `${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);

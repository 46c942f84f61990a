import { writeFileSync } from 'fs';
import { join } from 'path';
import { performance } from 'perf_hooks';
import { benchConfig } from './lib/bench-config';
import { checkpointBytes, simulate, simulateAnsible, stepsOf } from './lib/deploy-simulation';
import { floorShape } from './lib/floor-shape';
import { criticalPath, predecessors } from './lib/graph-metrics';
import { hostOf } from './lib/plan-output';
import { runProgram } from './lib/program-runner';

/**
 * One benchmark size in its own process, so peak memory belongs to this size alone. Prints one JSON line. Runs
 * compiled (bin/scripts/bench-one.js) and evaluates bin/pulumi-main.js, the entry point the Pulumi CLI runs.
 *
 * `bench-one <agents> [shape-file]` evaluates Stars and writes the shape of what it registered (floor-shape.ts);
 * `bench-one <agents> --floor <shape-file>` evaluates the floor program (bench-floor.ts) of that shape instead,
 * under the same mock runtime and entry mode.
 */

const range = (values: readonly number[]): { min: number; max: number } => ({
  min: Math.min(...values),
  max: Math.max(...values),
});

async function floor(agents: number, shapeFile: string): Promise<void> {
  process.env.STARS_FLOOR_SHAPE = shapeFile;
  const start = performance.now();
  const run = await runProgram({
    stack: `floor-${agents}`,
    config: {},
    programPath: join(__dirname, 'bench-floor.js'),
  });
  const wallMs = performance.now() - start;
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(
    `${JSON.stringify({ agents, totalResources: run.resources.length, wallSeconds: Number((wallMs / 1000).toFixed(2)), peakRssMb })}\n`,
  );
}

async function main(): Promise<void> {
  const agents = Number(process.argv[2]);
  if (!Number.isInteger(agents) || agents < 1)
    throw new Error('usage: bench-one <agents> [--floor] [shape-file]');
  if (process.argv[3] === '--floor') return floor(agents, process.argv[4] ?? '');
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
  const shapeFile = process.argv[3];
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
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);

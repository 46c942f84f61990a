import { performance } from 'perf_hooks';
import { benchConfig } from './lib/bench-config';
import { criticalPath } from './lib/graph-metrics';
import { summarize } from './lib/plan-output';
import { runProgram } from './lib/program-runner';

/** One benchmark size in its own process, so peak memory belongs to this size alone. Prints one JSON line. */
async function main(): Promise<void> {
  const agents = Number(process.argv[2]);
  if (!Number.isInteger(agents) || agents < 1) throw new Error('usage: bench-one <agents>');
  const { config, hosts, masters } = benchConfig(agents);
  const start = performance.now();
  const run = await runProgram({ stack: `bench-${agents}`, config });
  const wallMs = performance.now() - start;
  const summary = summarize(run.resources, hosts);
  const agentCounts = hosts.filter((h) => h.startsWith('a')).map((h) => summary.byHost[h]);
  const masterCounts = masters.map((h) => summary.byHost[h]);
  const path = criticalPath(run.resources);
  const result = {
    agents,
    masters: masters.length,
    totalResources: summary.total,
    resourcesPerAgent: { min: Math.min(...agentCounts), max: Math.max(...agentCounts) },
    resourcesPerMaster: { min: Math.min(...masterCounts), max: Math.max(...masterCounts) },
    clusterWideResources: summary.byHost['(cluster-wide)'],
    wallSeconds: Number((wallMs / 1000).toFixed(2)),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    criticalPathLength: path.length,
    criticalPath: path.map((urn) => urn.split('::').slice(2).join('::')),
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

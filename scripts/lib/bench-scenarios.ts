import { createHash } from 'crypto';
import type { Target } from '../bench-targets';
import { minutes, table } from './bench-compare';
import { SEED_PLAYS, simulate, simulateAnsible, stepsOf, type Step } from './deploy-simulation';
import type { RecordedResource } from './program-runner';

/**
 * The deployments `npm run bench` simulates per cluster size, each from the program's real graph: a first deploy,
 * adding 10 % more agents to the deployed cluster, and replacing every agent (each agent's container changes, as
 * an image change would change it) with `maxAgentsDown` 1 and 10 % of the agents. A later deployment is the
 * program run again with the first run's outputs as the stack's last outputs; a resource has a step when it is
 * new or its inputs changed (the mocked ids change with the inputs, so what reads a replaced resource's id
 * changes too), and every other resource takes no time. Pure, apart from hashing.
 */

export interface ScenarioResult {
  readonly scenario: string;
  /** Agents before the deployment. */
  readonly agents: number;
  readonly maxAgentsDown?: number;
  /** Resources with a step (created, updated or replaced). */
  readonly steps: number;
  /** Stepped resources on the longest chain that must run one after another. */
  readonly criticalPath: number;
  /** Simulated duration with the assumed step durations (deploy-simulation.ts). */
  readonly seconds: number;
  /** Agent replacements: the longest chain of up-steps, each the end of one drain round. */
  readonly drainRounds?: number;
  /** The seed's playbooks for the same change (Ansible, five forks). */
  readonly seedSeconds: number;
}

/** What decides a resource's step: its inputs as the engine sees them, secrets included (in memory only). */
export function inputDigests(resources: readonly RecordedResource[]): Map<string, string> {
  return new Map(
    resources.map((r) => [r.urn, createHash('sha256').update(JSON.stringify(r.revealed)).digest('hex')]),
  );
}

/** The resources of `next` with a step when it is deployed over what `previous` describes: new or changed. */
export function steppedUrns(
  previous: ReadonlyMap<string, string>,
  next: readonly RecordedResource[],
): Set<string> {
  const digests = inputDigests(next);
  return new Set(next.filter((r) => previous.get(r.urn) !== digests.get(r.urn)).map((r) => r.urn));
}

/** Custom resources as steps; the ones without a step take no time. */
export function scenarioSteps(
  resources: readonly RecordedResource[],
  graph: ReadonlyMap<string, readonly string[]>,
  stepped: ReadonlySet<string>,
): Step[] {
  return stepsOf(resources, graph).map((s) => (stepped.has(s.urn) ? s : { ...s, seconds: 0 }));
}

/** The most `counted` steps on one chain of dependencies. */
export function longestChain(steps: readonly Step[], counted: (urn: string) => boolean): number {
  return simulate(steps.map((s) => ({ ...s, seconds: counted(s.urn) ? 1 : 0 })));
}

const isUpStep = (urn: string): boolean =>
  /[:$]command:(remote|local):Command::[^:]*-mesos-agent-[^:]*-up$/.test(urn);

export function measureScenario(
  scenario: string,
  agents: number,
  resources: readonly RecordedResource[],
  graph: ReadonlyMap<string, readonly string[]>,
  stepped: ReadonlySet<string>,
  seedSeconds: number,
  maxAgentsDown?: number,
): ScenarioResult {
  const steps = scenarioSteps(resources, graph, stepped);
  const withStep = steps.filter((s) => stepped.has(s.urn));
  return {
    scenario,
    agents,
    ...(maxAgentsDown === undefined ? {} : { maxAgentsDown }),
    steps: withStep.length,
    criticalPath: longestChain(steps, (u) => stepped.has(u)),
    seconds: simulate(steps),
    ...(maxAgentsDown === undefined
      ? {}
      : { drainRounds: longestChain(steps, (u) => stepped.has(u) && isUpStep(u)) }),
    seedSeconds,
  };
}

/**
 * The seed's playbooks for each change: a first deploy runs every play on every host; adding agents runs the
 * plays for all hosts and for workers limited to the new ones (`--limit`, the kindest reading); replacing every
 * agent runs the workers play on every worker, which restarts them with no drain at all.
 */
export const SEED_FOR = {
  firstDeploy: (masters: number, agents: number): number => simulateAnsible(masters, agents),
  addAgents: (added: number): number =>
    simulateAnsible(
      0,
      added,
      SEED_PLAYS.filter((p) => p.hosts !== 'masters'),
    ),
  replaceAgents: (agents: number): number =>
    simulateAnsible(
      0,
      agents,
      SEED_PLAYS.filter((p) => p.hosts === 'workers'),
    ),
};

/** `maxAgentsDown` for "10 % of the agents", at least one and below the agent count (parse-rolling.ts). */
export const tenPercent = (agents: number): number =>
  Math.max(1, Math.min(agents - 1, Math.round(agents / 10)));

export function renderScenarios(results: readonly ScenarioResult[]): string {
  const header = ['agents', 'scenario', 'steps', 'critical path', 'drain rounds', 'Stars', 'seed (Ansible)'];
  const rows = results.map((r) => [
    String(r.agents),
    r.scenario,
    String(r.steps),
    String(r.criticalPath),
    r.drainRounds === undefined ? '-' : String(r.drainRounds),
    minutes(r.seconds),
    minutes(r.seedSeconds),
  ]);
  return table(header, rows, [1]);
}

/** The "done when" for the scenarios: flat critical paths while creating, exact drain rounds. */
export function scenarioTargets(results: readonly ScenarioResult[], sizes: readonly number[]): Target[] {
  const flat = (scenario: string): Target => {
    const of = results.filter((r) => r.scenario === scenario);
    const missing = sizes.filter((n) => !of.some((r) => r.agents === n));
    const detail = of.map((r) => `${r.agents}: ${r.criticalPath}`).join(', ');
    return {
      name: `${scenario}: the critical path is the same at every size`,
      met: missing.length === 0 && of.every((r) => r.criticalPath === of[0].criticalPath),
      detail: missing.length === 0 ? detail : `${detail}; not simulated for ${missing.join(', ')} agents`,
    };
  };
  const replaced = results.filter((r) => r.maxAgentsDown !== undefined);
  return [
    flat('first deploy'),
    flat('add 10 % agents'),
    {
      name: 'replace every agent: ceil(agents / maxAgentsDown) drain rounds',
      met:
        sizes.every((n) => replaced.some((r) => r.agents === n)) &&
        replaced.every((r) => r.drainRounds === Math.ceil(r.agents / (r.maxAgentsDown as number))),
      detail: replaced
        .map((r) => `${r.agents} agents, ${r.maxAgentsDown} down: ${r.drainRounds} rounds`)
        .join(', '),
    },
  ];
}

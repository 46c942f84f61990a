import { isDnsLabel } from '../model/read-values';
import { ROLES } from '../model/types';
import type { ContainerPlan, ServiceName } from './plan-platform';

/**
 * What the stack already runs, as the program can know it when it runs (preview and up alike): the `hosts`
 * output of the stack's last successful update, read back with the engine's `readStackOutputs` (deployed-stack.ts). Rolling order (one member behind the other's gate, agents drained at most
 * `maxAgentsDown` at a time) only protects members that are running; a member whose host was not deployed with
 * its role is being created, so it is created at once, with everything else being created.
 *
 * When the output cannot be read as this program wrote it, nothing is assumed new: every member rolls, as if all
 * were running (slower, never unsafe), and the reason is logged.
 */
export type Deployed =
  // A plain record, not a Map: with the leaders it travels inside Outputs, which copy plain data only.
  | { readonly kind: 'known'; readonly roles: Readonly<Record<string, readonly string[]>> }
  | { readonly kind: 'unknown'; readonly reason: string };

/** A stack with no outputs: its first update. */
export const NOTHING_DEPLOYED: Deployed = { kind: 'known', roles: {} };

/** No reading at all (a component used without the stack's knowledge): every member is treated as running. */
export const UNKNOWN_DEPLOYED: Deployed = { kind: 'unknown', reason: 'the deployed stack was not read' };

/** The host role whose hosts run a service (plan-services places every control-plane service on masters). */
export const SERVICE_ROLE: Readonly<Record<ServiceName, 'master' | 'agent'>> = {
  zookeeper: 'master',
  'mesos-master': 'master',
  marathon: 'master',
  chronos: 'master',
  'mesos-dns': 'master',
  'mesos-agent': 'agent',
};

const KNOWN_ROLES: ReadonlySet<string> = new Set(ROLES);

function problemOf(hosts: unknown): string | undefined {
  if (!Array.isArray(hosts)) return 'its `hosts` output is not a list';
  const seen = new Set<string>();
  for (const [i, h] of hosts.entries()) {
    const where = `its \`hosts\` output, entry ${i}`;
    if (h === null || typeof h !== 'object') return `${where} is not an object`;
    const { name, roles } = h as { name?: unknown; roles?: unknown };
    if (typeof name !== 'string' || !isDnsLabel(name)) return `${where} has no valid host name`;
    if (seen.has(name)) return `${where} repeats host ${name}`;
    seen.add(name);
    if (!Array.isArray(roles) || !roles.every((r) => typeof r === 'string' && KNOWN_ROLES.has(r)))
      return `${where} (${name}) has roles other than master and agent`;
  }
  return undefined;
}

/**
 * Reads the outputs of the stack's last update. No `hosts` output (a new stack, or one whose updates never
 * finished) means nothing runs yet; a `hosts` output that is not what this program exports means unknown.
 */
export function readDeployed(outputs: unknown): Deployed {
  if (outputs === undefined || outputs === null) return NOTHING_DEPLOYED;
  if (typeof outputs !== 'object' || Array.isArray(outputs))
    return { kind: 'unknown', reason: "the stack's outputs are not an object" };
  const hosts = (outputs as { hosts?: unknown }).hosts;
  if (hosts === undefined) return NOTHING_DEPLOYED;
  const problem = problemOf(hosts);
  if (problem !== undefined) return { kind: 'unknown', reason: `the stack's last update: ${problem}` };
  const list = hosts as { name: string; roles: string[] }[];
  return { kind: 'known', roles: Object.fromEntries(list.map((h) => [h.name, [...h.roles]])) };
}

/** Whether a planned member already runs: its host was deployed with the role that runs its service. */
export function isRunning(deployed: Deployed, c: Pick<ContainerPlan, 'host' | 'service'>): boolean {
  if (deployed.kind === 'unknown') return true;
  const roles = Object.hasOwn(deployed.roles, c.host) ? deployed.roles[c.host] : [];
  return roles.includes(SERVICE_ROLE[c.service]);
}

export const ALL_RUNNING_NOTE = 'every master and agent is running: changed members roll one after another';

/** One line for the log: what the roll treats as running, and why. */
export function describeDeployed(deployed: Deployed, containers: readonly ContainerPlan[]): string {
  if (deployed.kind === 'unknown')
    return `${deployed.reason}; every member is rolled as if it were running (slower, never unsafe)`;
  const members = containers.filter((c) => c.service === 'mesos-agent' || c.service === 'zookeeper');
  const created = [...new Set(members.filter((c) => !isRunning(deployed, c)).map((c) => c.host))];
  if (created.length === 0) return ALL_RUNNING_NOTE;
  const shown = created.sort().slice(0, 10).join(', ');
  const more = created.length > 10 ? ` and ${created.length - 10} more` : '';
  return `created at once, without rolling order (not deployed yet): ${shown}${more}`;
}

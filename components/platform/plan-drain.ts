import { PORTS } from '../plan/topology';
import { isRunning, UNKNOWN_DEPLOYED, type Deployed } from './plan-deployed';
import { rollOrder } from './plan-gates';
import type { ContainerPlan, PlatformPlan } from './plan-platform';

/**
 * Rolling replacement of Mesos agents through the master's maintenance primitives (facts:
 * tests/contract/upstream/gates/mesos-maintenance.json, apache/mesos 1.10.0): before an agent's container is
 * replaced its machine is scheduled (DRAINING) and brought DOWN, so the master shuts the agent down and its
 * frameworks relaunch its tasks elsewhere; after the new container starts the machine is brought UP and the
 * agent must register again. At most `maxAgentsDown` agents are out at once: each drain waits for the up-step of
 * the running agent that many places before it in the roll. Drains may run at once: the master keeps one schedule
 * and a POST replaces it whole, but it refuses a schedule that leaves out a machine that is DOWN, and a drain that
 * lost its window to another's write finds its machine-down refused and writes again (render-agent-drain.ts).
 *
 * Only running agents roll (plan-deployed.ts): an agent being created has no tasks to move, so its drain and
 * container wait for no other agent, and a first deploy or added agents are created all at once.
 */

/** A Mesos MachineID as the master builds it for an agent: its --hostname and its --ip, both required to match. */
export interface MachineId {
  readonly hostname: string;
  readonly ip: string;
}

export interface DrainPlan {
  /** The agent's host: its stable identity and its place in the roll. */
  readonly agent: string;
  readonly machine: MachineId;
  /** Every master's HTTP endpoint, in host-name order; the script asks each until the leader answers. */
  readonly masters: readonly { readonly address: string; readonly port: number }[];
  /** The operator's HTTP login (the maintenance endpoints sit in the read-write realm when auth is on). */
  readonly auth: boolean;
  readonly timeoutSeconds: number;
  /**
   * The most machines the drain lets be down or draining, itself included: `maxAgentsDown`, checked again on the
   * master, in case the graph's order was built from stale knowledge (plan-deployed.ts).
   */
  readonly maxDown: number;
  /** The unavailability the schedule announces: the drain and the replacement each get a timeout. */
  readonly windowSeconds: number;
}

export interface AgentRollStep {
  readonly agent: string;
  /** Undefined for a lone agent: its tasks have nowhere to move, so it is replaced without a drain. */
  readonly drain?: DrainPlan;
  /** Whether the agent runs already, so a change replaces it in the roll; false while it is being created. */
  readonly running: boolean;
  /** The running agent whose up-step this agent's drain waits for (`maxAgentsDown` places earlier), if any. */
  readonly after?: string;
}

function flag(c: ContainerPlan, name: string): string {
  const prefix = `--${name}=`;
  const value = c.args.find((a) => a.startsWith(prefix))?.slice(prefix.length);
  if (value === undefined)
    throw new Error(
      `the ${c.service} on ${c.host} has no ${prefix} flag, so its maintenance machine id is unknown`,
    );
  return value;
}

/** The agents in roll order (host name), each with its drain and the steps it waits for. */
export function planAgentRoll(plan: PlatformPlan, deployed: Deployed = UNKNOWN_DEPLOYED): AgentRollStep[] {
  const agents = rollOrder(plan.containers, 'mesos-agent');
  const rolling = agents.filter((c) => isRunning(deployed, c)).map((c) => c.host);
  const masters = rollOrder(plan.containers, 'mesos-master').map((m) => ({
    address: m.address,
    port: PORTS.mesosMaster,
  }));
  const drains = agents.length > 1;
  return agents.map((c) => {
    const place = rolling.indexOf(c.host);
    const after = drains && place >= 0 ? rolling[place - plan.maxAgentsDown] : undefined;
    const drain: DrainPlan = {
      agent: c.host,
      // The agent registers with these two flags' values; a schedule entry must carry both to match it.
      machine: { hostname: flag(c, 'hostname'), ip: flag(c, 'ip') },
      masters,
      auth: plan.authEnabled,
      timeoutSeconds: plan.gateTimeoutSeconds,
      maxDown: plan.maxAgentsDown,
      windowSeconds: 2 * plan.gateTimeoutSeconds,
    };
    return {
      agent: c.host,
      ...(drains ? { drain } : {}),
      running: place >= 0,
      ...(after === undefined ? {} : { after }),
    };
  });
}

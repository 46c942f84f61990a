import { isIPv4 } from 'net';
import { rollOrder } from './plan-gates';
import type { ContainerPlan, ServiceName } from './plan-platform';

/**
 * The current leader rolls last: replacing it forces an election, so it should happen once, after every follower
 * is back. Which member leads is only known on the running cluster; the leader look-up (leaders.ts, the probe in
 * render-leader-probe.ts) reads it when the program runs and reports one line per service. This module reads that
 * report and turns it into each service's roll order. Mesos-DNS has no leader: its members are independent.
 */

export const LEADER_SERVICES = ['zookeeper', 'mesos-master', 'marathon', 'chronos'] as const;
export type LeaderService = (typeof LEADER_SERVICES)[number];

/** The leading member of each service, by host name; absent where no leader was seen. */
export type Leaders = Readonly<Partial<Record<LeaderService, string>>>;

/** The provider function the look-up runs as (@pulumi/command's local.run); the offline plan answers it. */
export const LEADER_LOOKUP_TOKEN = 'command:local:run';

/** The report's first and last lines; anything else is not a report (a banner, a cut-off answer). */
export const REPORT_HEADER = 'stars-leaders 1';
export const REPORT_END = 'end';
/** What the look-up prints when no master answered: the reasons follow on the same line. */
export const REPORT_UNREACHABLE = 'stars-leaders unreachable';
/** The offline plan's answer (scripts/lib/program-runner.ts): nothing was reached, by design. */
export const REPORT_OFFLINE = 'stars-leaders offline';
/** Report values besides an address: no leader known, and no Mesos-DNS answered. */
export const NO_LEADER = '-';
export const NO_ANSWER = '?';

export interface LeaderNote {
  /** `warn` when the operator should look (the cluster did not answer as it should), `info` otherwise. */
  readonly level: 'info' | 'warn';
  readonly message: string;
}

export interface LeaderReading {
  readonly leaders: Leaders;
  readonly notes: readonly LeaderNote[];
}

const isLeaderService = (s: string): s is LeaderService => (LEADER_SERVICES as readonly string[]).includes(s);
const HOST_ORDER = 'rolls in host-name order';

/** The members of each service by address, from the plan: the only addresses a report may name. */
function membersByAddress(containers: readonly ContainerPlan[], service: ServiceName): Map<string, string> {
  return new Map(rollOrder(containers, service).map((c) => [c.address, c.host]));
}

function readLine(
  service: LeaderService,
  value: string,
  containers: readonly ContainerPlan[],
): { leader?: string; note?: LeaderNote } {
  if (value === NO_LEADER)
    return { note: { level: 'info', message: `${service}: no leader seen; ${HOST_ORDER}` } };
  if (value === NO_ANSWER)
    return {
      note: { level: 'warn', message: `${service}: no Mesos-DNS answered the leader look-up; ${HOST_ORDER}` },
    };
  const members = membersByAddress(containers, service);
  const host = isIPv4(value) ? members.get(value) : undefined;
  if (host !== undefined) return { leader: host };
  const known = [...members].map(([a, h]) => `${h} ${a}`).join(', ');
  return {
    note: {
      level: 'warn',
      message: `${service}: the leader look-up saw ${JSON.stringify(value)}, which is no member (${known}); ${HOST_ORDER}`,
    },
  };
}

/**
 * Reads the look-up's report. Nothing in it is trusted beyond naming a planned member: a value that is not one
 * of the service's member addresses is ignored with a note, so a garbled or hostile answer can change the order
 * of a roll but never what is rolled.
 */
export function parseLeaderReport(report: string, containers: readonly ContainerPlan[]): LeaderReading {
  const lines = report.split('\n').map((l) => l.trim());
  const first = lines[0] ?? '';
  if (first === REPORT_OFFLINE) return { leaders: {}, notes: [] };
  const everyService = `every service ${HOST_ORDER}`;
  if (first.startsWith(REPORT_UNREACHABLE))
    return {
      leaders: {},
      notes: [
        {
          level: 'warn',
          message: `no master answered the leader look-up (${first.slice(REPORT_UNREACHABLE.length).trim() || 'no reason given'}); ${everyService}`,
        },
      ],
    };
  const body = lines.slice(1).filter((l) => l !== '');
  if (first !== REPORT_HEADER || body.at(-1) !== REPORT_END) {
    const excerpt = JSON.stringify(report.slice(0, 80));
    return {
      leaders: {},
      notes: [
        { level: 'warn', message: `the leader look-up answered no report (${excerpt}); ${everyService}` },
      ],
    };
  }
  const leaders: Partial<Record<LeaderService, string>> = {};
  const notes: LeaderNote[] = [];
  for (const line of body.slice(0, -1)) {
    const [service = '', value = '', ...rest] = line.split(/\s+/);
    if (!isLeaderService(service) || rest.length > 0 || service in leaders) {
      notes.push({ level: 'warn', message: `the leader look-up's line ${JSON.stringify(line)} is ignored` });
      continue;
    }
    const read = readLine(service, value, containers);
    if (read.leader !== undefined) leaders[service] = read.leader;
    if (read.note !== undefined) notes.push(read.note);
  }
  return { leaders, notes };
}

/** Host names in roll order with the leader, when it is one of them, moved to the end. */
export function leaderLast(hosts: readonly string[], leader: string | undefined): string[] {
  if (leader === undefined || !hosts.includes(leader)) return [...hosts];
  return [...hosts.filter((h) => h !== leader), leader];
}

/** A service's members in the order they roll: host-name order, its current leader last. */
export function rollSequence(
  containers: readonly ContainerPlan[],
  service: ServiceName,
  leaders: Leaders,
): string[] {
  const hosts = rollOrder(containers, service).map((c) => c.host);
  return isLeaderService(service) ? leaderLast(hosts, leaders[service]) : hosts;
}

/** Whether the look-up is worth running: some service with a leader has more than one member to order. */
export function needsLeaderLookup(containers: readonly ContainerPlan[]): boolean {
  return LEADER_SERVICES.some((s) => rollOrder(containers, s).length > 1);
}

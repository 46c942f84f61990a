import { DEFAULT_HEALTH_GATE_TIMEOUT_SECONDS, DEFAULT_MAX_AGENTS_DOWN } from './config-keys';
import type { IssueList } from './issues';
import { readInteger, type Raw } from './read-values';
import type { HostSpec } from './types';

export interface RollingSpec {
  readonly healthGateTimeoutSeconds: number;
  readonly maxAgentsDown: number;
}

/**
 * How platform changes roll: the gate timeout, and how many agents may be drained and replaced at once. The
 * bound must leave an agent for the drained tasks to move to, so it stays below the number of agents (a lone
 * agent is replaced without a drain: its tasks have nowhere to go).
 */
export function parseRolling(
  issues: IssueList,
  value: (key: string) => Raw,
  hosts: readonly HostSpec[],
): RollingSpec {
  const timeout = readInteger(issues, 'healthGateTimeoutSeconds', value('healthGateTimeoutSeconds'));
  if (timeout !== undefined && (timeout < 10 || timeout > 3600))
    issues.add('healthGateTimeoutSeconds', `${timeout} is out of range; use 10 to 3600 seconds`);
  const maxDown = readInteger(issues, 'maxAgentsDown', value('maxAgentsDown'));
  const agents = hosts.filter((h) => h.roles.includes('agent')).length;
  if (maxDown !== undefined && maxDown < 1)
    issues.add('maxAgentsDown', `${maxDown} is out of range; use 1 or more (the default is 1)`);
  else if (maxDown !== undefined && agents > 1 && maxDown >= agents)
    issues.add(
      'maxAgentsDown',
      `${maxDown} of ${agents} agents out at once leaves drained tasks nowhere to go; use 1 to ${agents - 1}`,
    );
  return {
    healthGateTimeoutSeconds: timeout ?? DEFAULT_HEALTH_GATE_TIMEOUT_SECONDS,
    maxAgentsDown: maxDown ?? DEFAULT_MAX_AGENTS_DOWN,
  };
}

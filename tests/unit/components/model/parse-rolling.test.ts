import { ClusterSpecError, type SpecIssue } from '../../../../components/model/issues';
import { parseClusterSpec } from '../../../../components/model/parse-cluster-spec';

const agents = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ name: `a${i + 1}`, address: `10.0.1.${i + 1}`, roles: ['agent'] }));

const stack = (nAgents: number, extra: Record<string, unknown> = {}) => ({
  environment: 'staging',
  mode: 'onprem',
  adminCidrs: ['192.0.2.0/24'],
  hosts: [{ name: 'm1', address: '10.0.0.1', roles: ['master'] }, ...agents(nAgents)],
  ...extra,
});

function issuesOf(raw: Record<string, unknown>): SpecIssue[] {
  try {
    parseClusterSpec(raw, { stack: 'test' });
  } catch (err) {
    if (err instanceof ClusterSpecError) return err.issues.map(({ path, message }) => ({ path, message }));
    throw err;
  }
  return [];
}

describe('rolling settings', () => {
  test('defaults: 300 s per gate, one agent out at once', () => {
    const spec = parseClusterSpec(stack(3), { stack: 'test' });
    expect([spec.healthGateTimeoutSeconds, spec.maxAgentsDown]).toEqual([300, 1]);
  });

  test.each([
    [3, 2],
    [6, 5],
  ])('with %i agents, %i out at once is accepted', (n, maxDown) => {
    expect(parseClusterSpec(stack(n, { maxAgentsDown: maxDown }), { stack: 'test' }).maxAgentsDown).toBe(
      maxDown,
    );
  });

  test('a lone agent keeps the default bound: it is replaced without a drain', () => {
    expect(parseClusterSpec(stack(1), { stack: 'test' }).maxAgentsDown).toBe(1);
  });

  test.each([
    [
      'every agent out at once',
      stack(3, { maxAgentsDown: 3 }),
      {
        path: 'maxAgentsDown',
        message: '3 of 3 agents out at once leaves drained tasks nowhere to go; use 1 to 2',
      },
    ],
    [
      'no agent at all',
      stack(3, { maxAgentsDown: 0 }),
      { path: 'maxAgentsDown', message: '0 is out of range; use 1 or more (the default is 1)' },
    ],
    [
      'a fraction',
      stack(3, { maxAgentsDown: 1.5 }),
      { path: 'maxAgentsDown', message: '1.5 is not a whole number' },
    ],
    [
      'a gate timeout too short',
      stack(3, { healthGateTimeoutSeconds: 5 }),
      { path: 'healthGateTimeoutSeconds', message: '5 is out of range; use 10 to 3600 seconds' },
    ],
    [
      'a gate timeout too long',
      stack(3, { healthGateTimeoutSeconds: 7200 }),
      { path: 'healthGateTimeoutSeconds', message: '7200 is out of range; use 10 to 3600 seconds' },
    ],
  ])('refuses %s, naming the key and the range', (_what, raw, issue) => {
    expect(issuesOf(raw)).toEqual([issue]);
  });
});

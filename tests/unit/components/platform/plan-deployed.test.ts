import {
  describeDeployed,
  isRunning,
  NOTHING_DEPLOYED,
  readDeployed,
  UNKNOWN_DEPLOYED,
} from '../../../../components/platform/plan-deployed';
import { planPlatform } from '../../../../components/platform/plan-platform';
import { specWith } from './fixtures';

const host = (name: string, ...roles: string[]) => ({ name, roles, address: '10.0.0.9', sshUser: 'x' });

describe('readDeployed: the stack outputs of the last update', () => {
  test.each([
    ['no outputs at all (a new stack)', undefined],
    ['outputs without hosts (an update that never finished)', { environment: 'staging' }],
  ])('%s: nothing is deployed', (_what, outputs) => {
    expect(readDeployed(outputs)).toEqual(NOTHING_DEPLOYED);
  });

  test('the hosts output gives each host its roles (other fields are ignored)', () => {
    expect(
      readDeployed({ hosts: [host('m1', 'master'), host('a1', 'agent'), host('c1', 'master', 'agent')] }),
    ).toEqual({
      kind: 'known',
      roles: { m1: ['master'], a1: ['agent'], c1: ['master', 'agent'] },
    });
  });

  test.each([
    ['not an object', 'hosts', "the stack's outputs are not an object"],
    ['hosts not a list', { hosts: { m1: {} } }, "the stack's last update: its `hosts` output is not a list"],
    [
      'an entry not an object',
      { hosts: [null] },
      "the stack's last update: its `hosts` output, entry 0 is not an object",
    ],
    [
      'a name that is no host name',
      { hosts: [host('M 1', 'master')] },
      "the stack's last update: its `hosts` output, entry 0 has no valid host name",
    ],
    [
      'a repeated host',
      { hosts: [host('a1', 'agent'), host('a1', 'agent')] },
      "the stack's last update: its `hosts` output, entry 1 repeats host a1",
    ],
    [
      'an unknown role',
      { hosts: [host('a1', 'agent', 'root')] },
      "the stack's last update: its `hosts` output, entry 0 (a1) has roles other than master and agent",
    ],
    [
      'roles not a list',
      { hosts: [{ name: 'a1', roles: 'agent' }] },
      "the stack's last update: its `hosts` output, entry 0 (a1) has roles other than master and agent",
    ],
  ])('%s: unknown, with the reason', (_what, outputs, reason) => {
    expect(readDeployed(outputs)).toEqual({ kind: 'unknown', reason });
  });
});

describe('isRunning', () => {
  const deployed = readDeployed({ hosts: [host('m1', 'master'), host('a1', 'agent')] });
  test.each([
    ['zookeeper', 'm1', true],
    ['mesos-dns', 'm1', true],
    ['mesos-agent', 'm1', false],
    ['mesos-agent', 'a1', true],
    ['marathon', 'a1', false],
    ['mesos-agent', 'a2', false],
    ['mesos-agent', 'hasOwnProperty', false],
  ] as const)('%s on %s: %s', (service, h, expected) => {
    expect(isRunning(deployed, { service, host: h })).toBe(expected);
  });

  test('unknown: every member counts as running (it rolls)', () => {
    expect(isRunning(UNKNOWN_DEPLOYED, { service: 'mesos-agent', host: 'a9' })).toBe(true);
  });
});

describe('describeDeployed: the line the program logs', () => {
  test('names at most ten hosts, then counts the rest', () => {
    const hosts = Array.from({ length: 12 }, (_, i) => ({
      name: `a${i + 1}`,
      address: `10.0.1.${i + 1}`,
      roles: ['agent'],
    }));
    const many = planPlatform(
      specWith(3, {
        hosts: [
          ...['m1', 'm2', 'm3'].map((m, i) => ({ name: m, address: `10.0.0.${i + 1}`, roles: ['master'] })),
          ...hosts,
        ],
      }),
    ).containers;
    expect(describeDeployed(NOTHING_DEPLOYED, many)).toBe(
      'created at once, without rolling order (not deployed yet): a1, a10, a11, a12, a2, a3, a4, a5, a6, a7 and 5 more',
    );
  });

  const containers = planPlatform(specWith(3)).containers;
  test.each([
    [NOTHING_DEPLOYED, 'created at once, without rolling order (not deployed yet): a1, a2, m1, m2, m3'],
    [
      readDeployed({ hosts: ['m1', 'm2', 'm3'].map((m) => host(m, 'master')).concat([host('a1', 'agent')]) }),
      'created at once, without rolling order (not deployed yet): a2',
    ],
    [
      readDeployed({
        hosts: ['m1', 'm2', 'm3']
          .map((m) => host(m, 'master'))
          .concat(['a1', 'a2'].map((a) => host(a, 'agent'))),
      }),
      'every master and agent is running: changed members roll one after another',
    ],
    [
      readDeployed({ hosts: 7 }),
      "the stack's last update: its `hosts` output is not a list; every member is rolled as if it were running (slower, never unsafe)",
    ],
    [
      readDeployed({ hosts: [] }),
      'created at once, without rolling order (not deployed yet): a1, a2, m1, m2, m3',
    ],
  ])('%#', (deployed, line) => {
    expect(describeDeployed(deployed, containers)).toBe(line);
  });
});

import { clusterOnlyTaskPorts, portRules, rangesWithout } from '../../../../components/plan/port-matrix';
import { stackSpec } from '../hosts/stack-spec';

describe('rangesWithout', () => {
  test.each([
    [[], [[31000, 32000]]],
    [[31000], [[31001, 32000]]],
    [[32000], [[31000, 31999]]],
    [
      [31077, 31337],
      [
        [31000, 31076],
        [31078, 31336],
        [31338, 32000],
      ],
    ],
    [
      [31077, 31078],
      [
        [31000, 31076],
        [31079, 32000],
      ],
    ],
    [[30000, 40000], [[31000, 32000]]],
  ])('31000-32000 without %j is %j', (holes, expected) => {
    expect(rangesWithout(31000, 32000, holes).map((r) => [r.from, r.to])).toEqual(expected);
  });
});

describe('clusterOnlyTaskPorts: task ports that answer without a login never open to adminCidrs', () => {
  test.each([
    ['staging: dispatcher REST, shuffle service, Livy (no directory login)', {}, [31077, 31337, 31998]],
    ['no shuffle service', { 'stars:appSettings': { spark: { shuffleService: false } } }, [31077, 31998]],
    [
      'Livy checking logins against LDAP',
      {
        'stars:appSettings': {
          zeppelin: {
            auth: 'ldap',
            ldapUrl: 'ldap://ldap.example.org',
            ldapSearchBase: 'dc=example,dc=org',
            ldapBindUser: 'cn=stars',
          },
        },
      },
      [31077, 31337],
    ],
    ['no Spark, no Livy', { 'stars:apps': ['blazegraph'] }, []],
  ])('%s', (_what, overrides, expected) => {
    expect(clusterOnlyTaskPorts(stackSpec('staging', overrides))).toEqual(expected);
  });

  test('the admin rules of the task range skip exactly those ports; cluster rules keep the whole range', () => {
    const rules = portRules({ adminCidrs: ['192.0.2.0/24'], sshCidrs: [], clusterOnlyTaskPorts: [31077] });
    expect(
      rules
        .filter((r) => r.name.startsWith('agents-tasks'))
        .map((r) => `${r.name} ${r.fromPort}-${r.toPort}`),
    ).toEqual([
      'agents-tasks-31000-31076-from-192-0-2-0-24 31000-31076',
      'agents-tasks-31078-32000-from-192-0-2-0-24 31078-32000',
      'agents-tasks-from-agents 31000-32000',
      'agents-tasks-from-masters 31000-32000',
    ]);
  });
});

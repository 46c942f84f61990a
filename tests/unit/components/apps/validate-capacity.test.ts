import { planApps } from '../../../../components/apps/plan-apps';
import {
  agentOffers,
  DEFAULT_AGENT_OFFER,
  validateCapacity,
  validatePorts,
} from '../../../../components/apps/validate-capacity';
import { ClusterSpecError } from '../../../../components/model/issues';
import { appsSpec } from '../../../support/apps-spec';

describe('capacity check', () => {
  test('an over-committing app set fails planApps with the totals, the overage and every app', () => {
    const spec = appsSpec({ agents: [{ name: 'a1', address: '10.0.2.1', cpus: 4, memMb: 8192 }] });
    let err: unknown;
    try {
      planApps(spec);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ClusterSpecError);
    expect((err as ClusterSpecError).message).toBe(
      'stack config has 1 problem:\n' +
        '  - apps: the apps need 5.75 cpus and 15360 MB of memory but the 1 agent offers 4 cpus and 8192 MB ' +
        '(over by 1.75 cpus and 7168 MB; /blazegraph 1 cpus 5120 MB, /jupyter 1 cpus 2048 MB, /lightning 0.5 cpus 512 MB, ' +
        '/livy 1 cpus 2048 MB, /spark/dispatcher 0.5 cpus 1024 MB, /spark/history 0.5 cpus 1024 MB, ' +
        '/spark/shuffle 0.25 cpus 512 MB, /zeppelin 1 cpus 3072 MB); lower appSettings.<app>.cpus/memMb, ' +
        'remove apps from stars:apps, add agents, or declare hosts[].resources',
    );
  });

  test('instances multiply: the shuffle service counts once per agent', () => {
    const agents = ['a1', 'a2'].map((name, i) => ({
      name,
      address: `10.0.2.${i + 1}`,
      cpus: 1,
      memMb: 2048,
    }));
    const issues = validateCapacity(appsSpec({ agents, apps: ['spark'] }), [
      { id: '/spark/shuffle', cpus: 0.25, mem: 512, instances: 2 },
      { id: '/big', cpus: 1.75, mem: 3200 },
    ]);
    expect(issues).toEqual([
      {
        path: 'apps',
        message:
          'the apps need 2.25 cpus and 4224 MB of memory but the 2 agents offer 2 cpus and 4096 MB (over by 0.25 cpus and 128 MB; ' +
          '/spark/shuffle ×2 0.5 cpus 1024 MB, /big 1.75 cpus 3200 MB); lower appSettings.<app>.cpus/memMb, ' +
          'remove apps from stars:apps, add agents, or declare hosts[].resources',
      },
      {
        path: 'apps',
        message:
          '/big needs 1.75 cpus and 3200 MB in one task but the largest agent offers 1 cpus and 2048 MB',
      },
    ]);
  });

  test('apps pinned to one agent must fit that agent even when the cluster total fits', () => {
    const agents = ['a1', 'a2', 'a3'].map((name, i) => ({
      name,
      address: `10.0.2.${i + 1}`,
      cpus: 4,
      memMb: 8192,
    }));
    const spec = appsSpec({ agents });
    const issues = validateCapacity(spec, [
      { id: '/zeppelin', cpus: 1, mem: 4096, constraints: [['hostname', 'CLUSTER', '10.0.2.1']] },
      { id: '/blazegraph', cpus: 1, mem: 4096, constraints: [['hostname', 'CLUSTER', '10.0.2.1']] },
      { id: '/spark/shuffle', cpus: 0.25, mem: 512, instances: 3, constraints: [['hostname', 'UNIQUE']] },
      { id: '/livy', cpus: 1, mem: 2048 },
    ]);
    expect(issues).toEqual([
      {
        path: 'apps',
        message:
          'the apps pinned to agent a1 need 2.25 cpus and 8704 MB but it offers 4 cpus and 8192 MB (over by 0 cpus ' +
          'and 512 MB; /blazegraph 1 cpus 4096 MB, /spark/shuffle 0.25 cpus 512 MB, /zeppelin 1 cpus 4096 MB); ' +
          'give a1 more resources in hosts[].resources or lower appSettings.<app>.cpus/memMb',
      },
    ]);
    // The full catalog pins Zeppelin, Blazegraph, Jupyter, Lightning and the history server to the first
    // agent: the cluster has room (24576 MB) but a1 does not, and planApps says so instead of deploying a hang.
    expect(() => planApps(spec)).toThrow(
      /the apps pinned to agent a1 need 4\.25 cpus and 12288 MB but it offers 4 cpus and 8192 MB/,
    );
  });

  test('pinned apps that fit their agent raise nothing', () => {
    const issues = validateCapacity(appsSpec(), [
      { id: '/zeppelin', cpus: 1, mem: 4096, constraints: [['hostname', 'CLUSTER', '10.0.2.1']] },
    ]);
    expect(issues).toEqual([]);
  });

  test('agents without declared resources count with the documented default offer', () => {
    expect(agentOffers(appsSpec({ agents: [{ name: 'a1', address: '10.0.2.1' }] }))).toEqual([
      { host: 'a1', cpus: DEFAULT_AGENT_OFFER.cpus, memMb: DEFAULT_AGENT_OFFER.memMb },
    ]);
  });

  test('the default catalog fits the committed default agent offer', () => {
    expect(() =>
      planApps(
        appsSpec({
          agents: [{ name: 'a1', address: '10.0.2.1' }],
          apps: ['spark', 'zeppelin', 'livy', 'jupyter'],
        }),
      ),
    ).not.toThrow();
  });
});

describe('port check', () => {
  const spec = appsSpec();
  test.each([
    [
      'two apps on one port',
      [
        { id: '/a', cmd: 'x', portDefinitions: [{ port: 31500 }] },
        { id: '/b', cmd: 'x', portDefinitions: [{ port: 31500 }] },
      ],
      ['/b and /a both want host port 31500'],
    ],
    [
      'a port outside the offered range',
      [{ id: '/a', cmd: 'x', portDefinitions: [{ port: 8080 }] }],
      ['/a wants host port 8080, outside the ports agents offer (31000-32000)'],
    ],
    [
      'port 0 (assigned by Marathon) never collides',
      [{ id: '/a', cmd: 'x', portDefinitions: [{ port: 0 }, { port: 0 }] }],
      [],
    ],
  ])('%s', (_name, apps, messages) => {
    expect(validatePorts(spec, apps).map((i) => i.message)).toEqual(messages);
  });

  test('an app port that a platform service holds on an agent that is also a master is reported with the host', () => {
    const local = { ...spec, hosts: spec.hosts.map((h) => ({ ...h, roles: ['master', 'agent'] as const })) };
    expect(
      validatePorts(local, [{ id: '/web', cmd: 'x', portDefinitions: [{ port: 5050 }] }]).map(
        (i) => i.message,
      ),
    ).toEqual([
      '/web wants host port 5050, outside the ports agents offer (31000-32000)',
      '/web wants host port 5050 on a1, where mesos-master listens',
      '/web wants host port 5050 on m1, where mesos-master listens',
    ]);
  });
});

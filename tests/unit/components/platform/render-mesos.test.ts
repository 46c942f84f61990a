import { mesosMasterUrl, mesosQuorum } from '../../../../components/plan/topology';
import {
  agentAttributes,
  mesosAgentArgs,
  mesosMasterArgs,
  renderAgentCredential,
  renderAgentHttpCredentials,
  renderMesosAcls,
  renderMesosCredentials,
} from '../../../../components/platform/render-mesos';
import { specWith } from './fixtures';

const ZK: Record<number, string> = {
  1: 'zk://10.0.0.1:2181/mesos',
  3: 'zk://10.0.0.1:2181,10.0.0.2:2181,10.0.0.3:2181/mesos',
  5: 'zk://10.0.0.1:2181,10.0.0.2:2181,10.0.0.3:2181,10.0.0.4:2181,10.0.0.5:2181/mesos',
};

describe('mesosMasterArgs', () => {
  test.each([
    [1, 1],
    [3, 2],
    [5, 3],
  ])(
    '%i masters: exact flags with --quorum=%i, replicated log, authentication and the ZooKeeper URL from its file',
    (n, quorum) => {
      const spec = specWith(n);
      const m2 = spec.hosts.find((h) => h.name === 'm1');
      if (m2 === undefined) throw new Error('fixture has no m1');
      const args = mesosMasterArgs({
        host: m2,
        zkUrl: mesosMasterUrl(spec),
        quorum: mesosQuorum(n),
        clusterName: spec.clusterName,
        authEnabled: true,
      });
      expect(args).toEqual([
        '--zk=file:///etc/mesos/zk',
        `--quorum=${quorum}`,
        '--registry=replicated_log',
        '--cluster=stars',
        '--ip=10.0.0.1',
        '--advertise_ip=10.0.0.1',
        '--hostname=10.0.0.1',
        '--port=5050',
        '--work_dir=/var/lib/mesos/master',
        '--log_dir=/var/log/mesos/master',
        '--authenticate_frameworks',
        '--authenticate_agents',
        '--credentials=/etc/mesos/credentials.json',
        '--authenticate_http_readwrite',
        '--authenticate_http_readonly',
        '--authenticate_http_frameworks',
        '--http_framework_authenticators=basic',
        '--acls=/etc/mesos/acls.json',
      ]);
    },
  );

  test('without authentication no credential flags are passed', () => {
    const spec = specWith(3);
    const args = mesosMasterArgs({
      host: spec.hosts[2],
      zkUrl: mesosMasterUrl(spec),
      quorum: 2,
      clusterName: 'c',
      authEnabled: false,
    });
    expect(args.filter((a) => a.includes('authenticate') || a.includes('credentials'))).toEqual([]);
  });
});

describe('mesosAgentArgs', () => {
  const spec = specWith(3);
  const a1 = spec.hosts.find((h) => h.name === 'a1');
  const a2 = spec.hosts.find((h) => h.name === 'a2');
  if (a1 === undefined || a2 === undefined) throw new Error('fixture lacks agents');
  const base = { masterUrl: ZK[3], executorImage: 'stars/mesos:1.10.0-0123456789ab' };

  test('an agent with resources and attributes gets the exact flags, attributes sorted by name', () => {
    expect(mesosAgentArgs({ ...base, host: a1, authEnabled: true })).toEqual([
      `--master=${ZK[3]}`,
      '--ip=10.0.1.1',
      '--advertise_ip=10.0.1.1',
      '--hostname=10.0.1.1',
      '--port=5051',
      '--work_dir=/var/lib/mesos/agent',
      '--log_dir=/var/log/mesos/agent',
      '--containerizers=docker,mesos',
      '--docker_mesos_image=stars/mesos:1.10.0-0123456789ab',
      '--docker=/usr/local/lib/stars/stars-docker-guard',
      '--executor_registration_timeout=10mins',
      '--no-systemd_enable_support',
      '--launcher=posix',
      '--reconfiguration_policy=additive',
      '--resources=cpus:16;mem:65536;disk:400000;ports:[31000-32000]',
      '--attributes=rack:r1;zone:z1',
      '--credential=/etc/mesos/credential.json',
      '--authenticate_http_readwrite',
      '--authenticate_http_readonly',
      '--http_credentials=/etc/mesos/http-credentials.json',
    ]);
  });

  test('an agent without resources or attributes lets Mesos detect them, and auth off drops --credential', () => {
    const args = mesosAgentArgs({ ...base, host: a2, authEnabled: false });
    expect(args.some((a) => a.startsWith('--resources') || a.startsWith('--attributes'))).toBe(false);
    expect(args.some((a) => a.startsWith('--credential'))).toBe(false);
    expect(args).toHaveLength(14);
  });

  test('an attribute containing a separator is rejected naming the field', () => {
    expect(() => agentAttributes({ ...a1, attributes: { rack: 'r1;x' } })).toThrow(
      'hosts.a1.attributes.rack: ";" and ":" separate Mesos attributes; remove them',
    );
  });
});

describe('credential documents', () => {
  test('ACLs: nothing by default; frameworks register and run, agents register, Mesos-DNS and the operator see frameworks and tasks, the operator alone does the rest', () => {
    const acls = JSON.parse(renderMesosAcls()) as Record<string, unknown>;
    const operatorOnly = Object.entries(acls).filter(
      ([, rules]) =>
        JSON.stringify((rules as { principals?: unknown }[])[0]?.principals) === '{"values":["stars"]}',
    );
    expect({ ...acls, ...Object.fromEntries(operatorOnly.map(([k]) => [k, 'operator'])) }).toEqual({
      permissive: false,
      register_frameworks: [
        { principals: { values: ['chronos', 'frameworks', 'marathon'] }, roles: { type: 'ANY' } },
      ],
      run_tasks: [{ principals: { values: ['chronos', 'frameworks', 'marathon'] }, users: { type: 'ANY' } }],
      register_agents: [{ principals: { values: ['agent'] }, agents: { type: 'ANY' } }],
      view_frameworks: [{ principals: { values: ['mesos-dns', 'stars'] }, users: { type: 'ANY' } }],
      view_tasks: [{ principals: { values: ['mesos-dns', 'stars'] }, users: { type: 'ANY' } }],
      access_mesos_logs: 'operator',
      create_volumes: 'operator',
      deactivate_agents: 'operator',
      destroy_volumes: 'operator',
      drain_agents: 'operator',
      get_endpoints: 'operator',
      get_maintenance_schedules: 'operator',
      get_maintenance_statuses: 'operator',
      get_quotas: 'operator',
      mark_agents_gone: 'operator',
      reactivate_agents: 'operator',
      reserve_resources: 'operator',
      set_log_level: 'operator',
      start_maintenances: 'operator',
      stop_maintenances: 'operator',
      teardown_frameworks: 'operator',
      unreserve_resources: 'operator',
      update_maintenance_schedules: 'operator',
      update_quotas: 'operator',
      update_weights: 'operator',
      view_executors: 'operator',
      view_flags: 'operator',
      view_roles: 'operator',
    });
    expect(acls.teardown_frameworks).toEqual([
      { principals: { values: ['stars'] }, framework_principals: { type: 'ANY' } },
    ]);
  });

  test('the agent API login is the operator principal with a placeholder secret', () => {
    expect(JSON.parse(renderAgentHttpCredentials())).toEqual({
      credentials: [{ principal: 'stars', secret: '{{secret:mesos-http}}' }],
    });
  });

  test('the master credential list names every principal and the operator login (HTTP basic reads the same list)', () => {
    expect(renderMesosCredentials()).toBe(`{
  "credentials": [
    {
      "principal": "agent",
      "secret": "{{secret:mesos-agent}}"
    },
    {
      "principal": "chronos",
      "secret": "{{secret:mesos-chronos}}"
    },
    {
      "principal": "frameworks",
      "secret": "{{secret:mesos-frameworks}}"
    },
    {
      "principal": "marathon",
      "secret": "{{secret:mesos-marathon}}"
    },
    {
      "principal": "mesos-dns",
      "secret": "{{secret:mesos-dns}}"
    },
    {
      "principal": "stars",
      "secret": "{{secret:mesos-http}}"
    }
  ]
}
`);
  });

  test('the agent credential is the agent principal with its placeholder', () => {
    expect(renderAgentCredential()).toBe(
      '{\n  "principal": "agent",\n  "secret": "{{secret:mesos-agent}}"\n}\n',
    );
  });
});

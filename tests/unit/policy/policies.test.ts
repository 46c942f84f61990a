import {
  CONTAINER,
  REMOTE_IMAGE,
  exposedPorts,
  marathonHealthChecks,
  noPlainTextSecretEnv,
  noWorldOpenAdminPorts,
  pinnedImages,
  productionMasterCount,
  stackOfUrn,
  unpinnedReason,
} from '../../../policy/policies';
import { UNKNOWN, runResourcePolicy, runStackPolicy } from './policy-harness';

const MARATHON_APP = 'pulumi-nodejs:dynamic/stars:MarathonApp';

const masters = (
  n: number,
  service: string,
): { type: string; name: string; props: Record<string, unknown> }[] =>
  Array.from({ length: n }, (_, i) => ({
    type: CONTAINER,
    name: `platform-${service}-m${i + 1}`,
    props: { name: `stars-${service}`, image: 'zookeeper:3.8.4' },
  }));

describe('production-masters-3-or-5', () => {
  test.each([3, 5])('a production stack with %i masters passes', async (n) => {
    expect(
      await runStackPolicy(productionMasterCount, 'production', [
        ...masters(n, 'zookeeper'),
        ...masters(n, 'mesos-master'),
      ]),
    ).toEqual([]);
  });

  test.each([1, 2, 4])('a production stack with %i masters is a violation', async (n) => {
    expect(
      await runStackPolicy(productionMasterCount, 'production', [
        ...masters(n, 'zookeeper'),
        ...masters(n, 'mesos-master'),
      ]),
    ).toEqual([
      `production stack production runs ${n} mesos-master container(s); run 3 or 5 masters (a quorum of 2 of 3 or 3 of 5) by giving 3 or 5 hosts the master role`,
      `production stack production runs ${n} zookeeper container(s); run 3 or 5 masters (a quorum of 2 of 3 or 3 of 5) by giving 3 or 5 hosts the master role`,
    ]);
  });

  test('a dev stack with one master is not a production stack (not applicable)', async () => {
    expect(await runStackPolicy(productionMasterCount, 'dev', masters(1, 'mesos-master'))).toBe(
      'not applicable',
    );
  });

  test('the production stack names come from policy config', async () => {
    expect(
      await runStackPolicy(productionMasterCount, 'prod-eu', masters(1, 'mesos-master'), {
        productionStacks: ['prod-eu'],
      }),
    ).toHaveLength(1);
  });

  test('the stack name is read from the URN', () => {
    expect(stackOfUrn('urn:pulumi:production::stars::docker:index/container:Container::x')).toBe(
      'production',
    );
  });
});

describe('no-unpinned-images', () => {
  test.each([
    [REMOTE_IMAGE, { name: 'mesosphere/marathon:v1.10.26' }],
    [REMOTE_IMAGE, { name: 'registry.local:5000/team/zookeeper:3.8.4' }],
    [REMOTE_IMAGE, { name: `zookeeper@sha256:${'a'.repeat(64)}` }],
    [CONTAINER, { image: 'mesosphere/mesos-master:1.11.0' }],
    [CONTAINER, { image: UNKNOWN }],
    [MARATHON_APP, { app: { id: '/zeppelin', container: { docker: { image: 'apache/zeppelin:0.12.0' } } } }],
  ])('%s %j passes', async (type, props) => {
    expect(await runResourcePolicy(pinnedImages, { type, props })).toEqual([]);
  });

  test.each([
    [
      REMOTE_IMAGE,
      { name: 'mesosphere/marathon' },
      'image mesosphere/marathon has no tag (it means :latest); pin a version, e.g. mesosphere/marathon:1.2.3',
    ],
    [
      REMOTE_IMAGE,
      { name: 'registry.local:5000/zookeeper' },
      'image registry.local:5000/zookeeper has no tag (it means :latest); pin a version, e.g. registry.local:5000/zookeeper:1.2.3',
    ],
    [
      CONTAINER,
      { image: 'zookeeper:latest' },
      'image zookeeper:latest uses the moving tag "latest"; pin a version',
    ],
    [
      MARATHON_APP,
      { app: { id: '/x', container: { docker: { image: 'jupyter/pyspark-notebook:latest' } } } },
      'image jupyter/pyspark-notebook:latest uses the moving tag "latest"; pin a version',
    ],
  ])('%s %j is a violation', async (type, props, message) => {
    expect(await runResourcePolicy(pinnedImages, { type, props })).toEqual([message]);
  });

  test('unpinnedReason accepts a bare image id', () => {
    expect(unpinnedReason(`sha256:${'0'.repeat(64)}`)).toBeUndefined();
  });
});

describe('marathon-apps-have-health-checks', () => {
  test('an app with a health check passes', async () => {
    const props = { app: { id: '/zeppelin', healthChecks: [{ protocol: 'MESOS_HTTP', path: '/' }] } };
    expect(await runResourcePolicy(marathonHealthChecks, { type: MARATHON_APP, props })).toEqual([]);
  });

  test.each([[{ app: { id: '/zeppelin' } }], [{ app: { id: '/zeppelin', healthChecks: [] } }]])(
    '%j is a violation',
    async (props) => {
      expect(await runResourcePolicy(marathonHealthChecks, { type: MARATHON_APP, props })).toEqual([
        'Marathon app /zeppelin has no health check; add healthChecks (e.g. {"protocol":"MESOS_HTTP","path":"/","portIndex":0})',
      ]);
    },
  );

  test('Chronos jobs (dynamic resources without an app) are not checked', async () => {
    const props = { job: { name: 'nightly', command: 'x' } };
    expect(
      await runResourcePolicy(marathonHealthChecks, {
        type: 'pulumi-nodejs:dynamic/stars:ChronosJob',
        props,
      }),
    ).toEqual([]);
  });
});

describe('no-admin-ports-open-to-the-world', () => {
  test.each([
    [
      'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule',
      { fromPort: 8080, toPort: 8080, ipProtocol: 'tcp', cidrIpv4: '10.0.0.0/8' },
    ],
    [
      'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule',
      { fromPort: 443, toPort: 443, ipProtocol: 'tcp', cidrIpv4: '0.0.0.0/0' },
    ],
    [
      'aws:ec2/securityGroupRule:SecurityGroupRule',
      { type: 'egress', fromPort: 0, toPort: 0, protocol: '-1', cidrBlocks: ['0.0.0.0/0'] },
    ],
    [
      'aws:ec2/securityGroup:SecurityGroup',
      { ingress: [{ fromPort: 22, toPort: 22, protocol: 'tcp', cidrBlocks: ['203.0.113.0/24'] }] },
    ],
  ])('%s %j passes', async (type, props) => {
    expect(await runResourcePolicy(noWorldOpenAdminPorts, { type, name: 'sg', props })).toEqual([]);
  });

  test.each([
    [
      'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule',
      { fromPort: 5050, toPort: 5050, ipProtocol: 'tcp', cidrIpv4: '0.0.0.0/0' },
      'sg opens 5050 (Mesos master) to 0.0.0.0/0; allow only the admin CIDRs (stars:adminCidrs)',
    ],
    [
      'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule',
      { fromPort: 31000, toPort: 31010, ipProtocol: 'tcp', cidrIpv6: '::/0' },
      'sg opens 31000-31010 (app ports) to ::/0; allow only the admin CIDRs (stars:adminCidrs)',
    ],
    [
      'aws:ec2/securityGroupRule:SecurityGroupRule',
      { type: 'ingress', fromPort: 22, toPort: 22, protocol: 'tcp', cidrBlocks: ['0.0.0.0/0'] },
      'sg opens 22 (SSH) to 0.0.0.0/0; allow only the admin CIDRs (stars:adminCidrs)',
    ],
    [
      'aws:ec2/securityGroup:SecurityGroup',
      { ingress: [{ fromPort: 2181, toPort: 2181, protocol: 'tcp', cidrBlocks: ['0.0.0.0/0'] }] },
      'sg opens 2181 (ZooKeeper) to 0.0.0.0/0; allow only the admin CIDRs (stars:adminCidrs)',
    ],
  ])('%s %j is a violation', async (type, props, message) => {
    expect(await runResourcePolicy(noWorldOpenAdminPorts, { type, name: 'sg', props })).toEqual([message]);
  });

  test('an all-protocols rule open to the world exposes every admin port and both app ranges', () => {
    expect(exposedPorts({ from: 0, to: 0, protocol: '-1', cidrs: ['0.0.0.0/0'] })).toEqual([
      '22 (SSH)',
      '2181 (ZooKeeper)',
      '4400 (Chronos)',
      '5050 (Mesos master)',
      '5051 (Mesos agent)',
      '8080 (Marathon)',
      '8123 (Mesos-DNS HTTP)',
      '10000-20000 (app ports)',
      '31000-32000 (app ports)',
    ]);
  });
});

describe('no-plain-text-secrets-in-container-env', () => {
  test.each([
    [
      'a secret env declared via additionalSecretOutputs',
      { envs: ['MESOSPHERE_HTTP_CREDENTIALS=ops:pw'] },
      ['envs'],
    ],
    ['an env value not known yet (preview)', { envs: [UNKNOWN] }, []],
    ['a sensitive name without a value', { envs: ['DB_PASSWORD='] }, []],
    ['ordinary variables', { envs: ['LIBPROCESS_IP=10.0.0.1', 'PORT0=4400'] }, []],
  ])('%s passes', async (_what, props, additionalSecretOutputs) => {
    expect(
      await runResourcePolicy(noPlainTextSecretEnv, { type: CONTAINER, props, additionalSecretOutputs }),
    ).toEqual([]);
  });

  test.each([
    ['MESOSPHERE_HTTP_CREDENTIALS=ops:hunter2'],
    ['ZEPPELIN_PASSWORD=hunter2'],
    ['API_TOKEN=abc'],
    ['aws_secret_access_key=abc'],
  ])('a plain-text %s is a violation', async (entry) => {
    const name = entry.slice(0, entry.indexOf('='));
    expect(
      await runResourcePolicy(noPlainTextSecretEnv, { type: CONTAINER, props: { envs: ['A=1', entry] } }),
    ).toEqual([
      `container env ${name} holds a secret in plain text; pass it with pulumi.secret and set additionalSecretOutputs: ['envs'] (or mount it as a file)`,
    ]);
  });
});

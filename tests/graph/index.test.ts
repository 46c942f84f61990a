import { mockPublicKey, REDACTED, type ProgramRun } from '../../scripts/lib/program-runner';
import { validateOutputs } from '../../scripts/lib/stack-outputs';
import { runStack } from './harness';

jest.setTimeout(120_000);

const COMMON = [
  'appCredentials',
  'appUrls',
  'backupKey',
  'chronosUrl',
  'chronosUrls',
  'clusterName',
  'domain',
  'environment',
  'hosts',
  'marathonUrl',
  'marathonUrls',
  'mesosDnsServers',
  'mesosMaster',
  'mesosUiUrl',
  'mode',
  'zookeeperConnect',
];
const WITH_AUTH = [
  ...COMMON,
  'chronosCredentials',
  'edgeCaCertificate',
  'edgeCredentials',
  'marathonCredentials',
  'mesosCredentials',
].sort();

describe('the program under the mock runtime: the stack output contract', () => {
  const runs: Record<string, ProgramRun> = {};
  beforeAll(async () => {
    for (const stack of ['dev', 'staging', 'production']) runs[stack] = await runStack(stack);
  });

  test.each([
    ['dev', 'local', COMMON],
    ['staging', 'onprem', WITH_AUTH],
    ['production', 'aws', WITH_AUTH],
  ])('%s exports exactly the documented outputs, its environment and mode %s', (stack, mode, keys) => {
    const outputs = runs[stack].outputs;
    expect(Object.keys(outputs).filter((k) => outputs[k] !== undefined)).toEqual(keys);
    expect([outputs.environment, outputs.mode]).toEqual([stack, mode]);
  });

  test.each(['dev', 'staging', 'production'])(
    '%s: every credential output is secret, and the rest is accepted by the stars CLI as it reads outputs',
    (stack) => {
      const outputs = { ...runs[stack].outputs };
      for (const key of [
        'appCredentials',
        'marathonCredentials',
        'chronosCredentials',
        'mesosCredentials',
        'edgeCredentials',
        'backupKey',
      ]) {
        if (outputs[key] !== undefined) expect([key, outputs[key]]).toEqual([key, REDACTED]);
        delete outputs[key];
      }
      expect(JSON.stringify(outputs)).not.toContain(REDACTED);
      expect(validateOutputs(outputs, stack).hosts.length).toBeGreaterThan(0);
    },
  );

  test('staging hosts: name, roles, both addresses and the SSH login of each, sorted by name', () => {
    const host = (name: string, role: string, address: string) => ({
      name,
      roles: [role],
      address,
      publicAddress: address,
      sshUser: 'stars',
      sshPort: 22,
    });
    expect(runs.staging.outputs.hosts).toEqual([
      host('a1', 'agent', '10.20.2.21'),
      host('a2', 'agent', '10.20.2.22'),
      host('a3', 'agent', '10.20.2.23'),
      host('m1', 'master', '10.20.1.11'),
      host('m2', 'master', '10.20.1.12'),
      host('m3', 'master', '10.20.1.13'),
    ]);
  });

  test('dev: one local host that is master and agent; endpoints on loopback', () => {
    const o = runs.dev.outputs;
    expect(o.hosts).toEqual([
      {
        name: 'local',
        roles: ['master', 'agent'],
        address: '127.0.0.1',
        publicAddress: '127.0.0.1',
        sshUser: 'stars',
        sshPort: 22,
      },
    ]);
    expect([o.zookeeperConnect, o.mesosMaster, o.marathonUrl, o.chronosUrl, o.mesosUiUrl]).toEqual([
      '127.0.0.1:2181',
      'zk://127.0.0.1:2181/mesos',
      'http://127.0.0.1:8080',
      'http://127.0.0.1:4400',
      'http://127.0.0.1:5050',
    ]);
  });

  test('production hosts carry the host key they serve after the rotation (never the user data key), the public address and the SSH login', () => {
    const hosts = runs.production.outputs.hosts as {
      name: string;
      publicAddress: string;
      hostKey?: string;
    }[];
    expect(hosts.map((h) => [h.name, h.hostKey])).toEqual(
      hosts.map((h) => [h.name, mockPublicKey(`hosts-${h.name}-sshd-host-key`).trim()]),
    );
    expect(hosts.every((h) => h.publicAddress.startsWith('203.0.113.'))).toBe(true);
  });

  test('a jump host reaches the exported host as sshJumpHost (user@host:port)', async () => {
    const run = await runStack('staging', { 'stars:sshJumpHost': 'ops@bastion.example.org:2222' });
    const hosts = run.outputs.hosts as { sshJumpHost?: string }[];
    expect(new Set(hosts.map((h) => h.sshJumpHost))).toEqual(new Set(['ops@bastion.example.org:2222']));
  });
});

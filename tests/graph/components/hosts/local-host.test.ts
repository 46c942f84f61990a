import type { ProgramRun } from '../../../../scripts/lib/program-runner';
import { planHosts } from '../../../../components/hosts/plan-hosts';
import { stackSpec } from '../../../unit/components/hosts/stack-spec';
import { byType, find, runStack } from '../../harness';

jest.setTimeout(120_000);

/** Runs `work` with DOCKER_HOST set to `value` (unset for undefined), then puts the caller's back. */
async function withDockerHost<T>(value: string | undefined, work: () => Promise<T>): Promise<T> {
  const saved = process.env.DOCKER_HOST;
  if (value === undefined) delete process.env.DOCKER_HOST;
  else process.env.DOCKER_HOST = value;
  try {
    return await work();
  } finally {
    if (saved === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = saved;
  }
}

describe('dev: the local trial host', () => {
  let run: ProgramRun;
  beforeAll(async () => {
    // The default engine: as on a machine whose DOCKER_HOST is unset.
    run = await withDockerHost(undefined, () => runStack('dev'));
  });

  test('one LocalHost named after the host, and no SSH or cloud resources', () => {
    expect(byType(run, 'stars:hosts:LocalHost').map((r) => r.name)).toEqual(['hosts-local']);
    const types = new Set(run.resources.map((r) => r.type));
    for (const t of [
      'command:remote:Command',
      'command:remote:CopyToRemote',
      'pulumi:providers:aws',
      'aws:ec2/instance:Instance',
    ])
      expect(types.has(t)).toBe(false);
  });

  test('the bootstrap is only the local check script, run by bash and re-run when the script changes', () => {
    const script = planHosts(stackSpec('dev')).hosts[0].scripts[0];
    const check = find(run, 'command:local:Command', 'hosts-local-check');
    expect(check.parent).toBe(find(run, 'stars:hosts:LocalHost', 'hosts-local').urn);
    expect(check.inputs).toEqual({
      create: script.content,
      interpreter: ['/bin/bash', '-c'],
      triggers: [script.sha256],
    });
  });

  test.each([
    ['unix:///run/user/1000/docker.sock', 'a rootless engine'],
    ['tcp://127.0.0.1:2375', 'a TCP endpoint'],
  ])('with DOCKER_HOST=%s (%s) the Docker provider uses that engine, as the checks do', async (endpoint) => {
    const r = await withDockerHost(endpoint, () => runStack('dev'));
    expect(find(r, 'pulumi:providers:docker', 'hosts-local-docker').inputs.host).toBe(endpoint);
  });

  test('a DOCKER_HOST that is not a Docker endpoint is refused before any resource, naming the fix', async () => {
    await expect(withDockerHost('unix:///tmp/x; rm -rf /', () => runStack('dev'))).rejects.toThrow(
      '- DOCKER_HOST: "unix:///tmp/x; rm -rf /" (environment) is not a Docker endpoint; use unix:///path, tcp://host:port or ssh://[user@]host[:port], or unset it',
    );
  });

  test('the Docker provider uses the local socket (DOCKER_HOST unset) and waits for the check', () => {
    const provider = find(run, 'pulumi:providers:docker', 'hosts-local-docker');
    expect(provider.inputs.host).toBe('unix:///var/run/docker.sock');
    expect(provider.dependencies).toEqual([find(run, 'command:local:Command', 'hosts-local-check').urn]);
  });
});

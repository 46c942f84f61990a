import type { ProgramRun } from '../../../../scripts/lib/program-runner';
import { planHosts } from '../../../../components/hosts/plan-hosts';
import { stackSpec } from '../../../unit/components/hosts/stack-spec';
import { byType, find, runStack } from '../../harness';

jest.setTimeout(120_000);

describe('dev: the local trial host', () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runStack('dev');
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

  test('the Docker provider uses the local socket and waits for the check', () => {
    const provider = find(run, 'pulumi:providers:docker', 'hosts-local-docker');
    expect(provider.inputs.host).toBe('unix:///var/run/docker.sock');
    expect(provider.dependencies).toEqual([find(run, 'command:local:Command', 'hosts-local-check').urn]);
  });
});

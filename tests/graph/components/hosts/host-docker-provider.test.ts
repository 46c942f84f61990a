import * as docker from '@pulumi/docker';
import dockerPackage from '@pulumi/docker/package.json';
import { HostDockerProvider } from '../../../../components/hosts/host-docker-provider';
import type { ProgramRun } from '../../../../scripts/lib/program-runner';
import { registerForParity, registration, type Extra } from '../../parity';

jest.setTimeout(60_000);

describe('HostDockerProvider registers what docker.Provider registers', () => {
  let run: ProgramRun;
  let extra: Map<string, Extra>;
  beforeAll(async () => {
    ({ run, extra } = await registerForParity('provider-parity', () => {
      const args = {
        host: 'ssh://stars@10.0.0.1:22',
        sshOpts: ['-o', 'StrictHostKeyChecking=yes', '-o', 'UserKnownHostsFile=/tmp/known'],
      };
      new docker.Provider('sdk-class', args);
      new HostDockerProvider('lean', args);
      new docker.Provider('sdk-local', { host: 'unix:///var/run/docker.sock' });
      new HostDockerProvider('lean-local', { host: 'unix:///var/run/docker.sock' });
    }));
  });

  test.each([
    ['ssh', 'sdk-class', 'lean'],
    ['local socket', 'sdk-local', 'lean-local'],
  ])('%s: same type, inputs (sshOpts JSON-encoded) and plugin version', (_what, sdk, lean) => {
    expect(registration(run, extra, lean)).toEqual(registration(run, extra, sdk));
    expect(registration(run, extra, lean).type).toBe('pulumi:providers:docker');
    expect(registration(run, extra, lean).version).toBe(dockerPackage.version);
  });

  test('sshOpts reach the engine as the JSON text the provider plugin parses', () => {
    expect(registration(run, extra, 'lean').inputs.sshOpts).toBe(
      '["-o","StrictHostKeyChecking=yes","-o","UserKnownHostsFile=/tmp/known"]',
    );
  });
});

import * as docker from '@pulumi/docker';
import * as pulumi from '@pulumi/pulumi';
import dockerPackage from '@pulumi/docker/package.json';
import type { ProgramRun } from '../../../../scripts/lib/program-runner';
import { registerForParity, registration, type Extra } from '../../parity';
import { DOCKER_CONTAINER_TYPE, PlatformContainer } from '../../../../components/platform/platform-container';

jest.setTimeout(60_000);

// The same container, once through @pulumi/docker's class and once through PlatformContainer, on one explicit provider.
function registerBoth() {
  return registerForParity('container-parity', () => {
    const provider = new docker.Provider('engine', { host: 'ssh://stars@10.0.0.1:22' });
    const args: docker.ContainerArgs = {
      name: 'mesos-agent',
      image: 'mesosphere/mesos-slave:1.10.0',
      command: ['--master=zk://10.0.0.1:2181/mesos'],
      envs: [pulumi.secret('MESOS_CREDENTIAL=secret')],
      volumes: [{ hostPath: '/var/lib/mesos', containerPath: '/var/lib/mesos', readOnly: false }],
      uploads: [{ file: '/etc/mesos/credential', content: pulumi.secret('{"principal":"agent"}') }],
      networkMode: 'host',
      restart: 'always',
      privileged: true,
      mustRun: true,
    };
    const opts = { provider, deleteBeforeReplace: true, additionalSecretOutputs: ['envs', 'uploads'] };
    new docker.Container('sdk-class', args, opts);
    new PlatformContainer('platform', args, opts);
  });
}

describe('PlatformContainer registers what docker.Container registers', () => {
  let run: ProgramRun;
  let extra: Map<string, Extra>;
  beforeAll(async () => {
    ({ run, extra } = await registerBoth());
  });

  const pick = (name: string) => registration(run, extra, name);

  test('same type token, provider, options, plugin version, secret outputs and inputs (secrets still secret)', () => {
    expect(pick('platform')).toEqual(pick('sdk-class'));
    expect(pick('platform').type).toBe(DOCKER_CONTAINER_TYPE);
    expect(pick('platform').version).toBe(dockerPackage.version);
    expect(pick('platform').inputs.envs).toEqual(['[secret]']);
  });
});

import * as docker from '@pulumi/docker';
import * as pulumi from '@pulumi/pulumi';
import dockerPackage from '@pulumi/docker/package.json';
import { runProgram, type ProgramRun } from '../../../../scripts/lib/program-runner';
import { DOCKER_CONTAINER_TYPE, PlatformContainer } from '../../../../components/platform/platform-container';

jest.setTimeout(60_000);

/** What the engine receives beyond the recorded resource: the plugin version and the secret outputs. */
interface Extra {
  readonly version: string;
  readonly additionalSecretOutputs: string[];
}

// The same container, once through @pulumi/docker's class and once through PlatformContainer, on one explicit provider.
async function registerBoth(): Promise<{ run: ProgramRun; extra: Map<string, Extra> }> {
  const extra = new Map<string, Extra>();
  const run = await runProgram({
    stack: 'container-parity',
    config: {},
    load: () => {
      const monitor = pulumi.runtime.getMonitor() as unknown as {
        registerResource(req: RegisterRequest, cb: unknown): unknown;
      };
      const register = monitor.registerResource.bind(monitor);
      monitor.registerResource = (req: RegisterRequest, cb: unknown) => {
        extra.set(req.getName(), {
          version: req.getVersion(),
          additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        });
        return register(req, cb);
      };
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
      return {};
    },
  });
  return { run, extra };
}

interface RegisterRequest {
  getName(): string;
  getVersion(): string;
  getAdditionalsecretoutputsList(): string[];
}

describe('PlatformContainer registers what docker.Container registers', () => {
  let run: ProgramRun;
  let extra: Map<string, Extra>;
  beforeAll(async () => {
    ({ run, extra } = await registerBoth());
  });

  const pick = (name: string) => {
    const r = run.resources.find((x) => x.name === name)!;
    return {
      type: r.type,
      custom: r.custom,
      provider: r.provider,
      dependencies: r.dependencies,
      deleteBeforeReplace: r.deleteBeforeReplace,
      inputs: r.inputs,
      revealed: r.revealed,
      ...extra.get(name),
    };
  };

  test('same type token, provider, options, plugin version, secret outputs and inputs (secrets still secret)', () => {
    expect(pick('platform')).toEqual(pick('sdk-class'));
    expect(pick('platform').type).toBe(DOCKER_CONTAINER_TYPE);
    expect(pick('platform').version).toBe(dockerPackage.version);
    expect(pick('platform').inputs.envs).toEqual(['[secret]']);
  });
});

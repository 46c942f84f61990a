import * as docker from '@pulumi/docker';
import dockerPackage from '@pulumi/docker/package.json';
import * as pulumi from '@pulumi/pulumi';
import { DOCKER_REMOTE_IMAGE_TYPE, HostImage } from '../../../../components/platform/host-image';
import { runProgram, type ProgramRun } from '../../../../scripts/lib/program-runner';

jest.setTimeout(60_000);

interface RegisterRequest {
  getName(): string;
  getVersion(): string;
}

describe('HostImage registers what docker.RemoteImage registers', () => {
  let run: ProgramRun;
  const versions = new Map<string, string>();
  const read = new Map<string, unknown>();
  beforeAll(async () => {
    run = await runProgram({
      stack: 'image-parity',
      config: {},
      load: () => {
        const monitor = pulumi.runtime.getMonitor() as unknown as {
          registerResource(req: RegisterRequest, cb: unknown): unknown;
        };
        const register = monitor.registerResource.bind(monitor);
        monitor.registerResource = (req: RegisterRequest, cb: unknown) => {
          versions.set(req.getName(), req.getVersion());
          return register(req, cb);
        };
        const provider = new docker.Provider('engine', { host: 'ssh://stars@10.0.0.1:22' });
        const args: docker.RemoteImageArgs = {
          name: 'stars/mesos:1.10.0-abc',
          keepLocally: true,
          build: { context: '/srv/images/mesos', buildArgs: { MESOS_VERSION: '1.10.0' } },
        };
        const opts = { provider, dependsOn: [provider] };
        const sdk = new docker.RemoteImage('sdk-class', args, opts);
        const lean = new HostImage('lean', args, opts);
        sdk.name.apply((n) => read.set('sdk-class', n));
        lean.name.apply((n) => read.set('lean', n));
        return {};
      },
    });
  });

  const pick = (name: string) => {
    const r = run.resources.find((x) => x.name === name);
    if (r === undefined) throw new Error(`no ${name}`);
    const { type, custom, provider, dependencies, deleteBeforeReplace, inputs, revealed } = r;
    return {
      type,
      custom,
      provider,
      dependencies,
      deleteBeforeReplace,
      inputs,
      revealed,
      version: versions.get(name),
    };
  };

  test('same type token, provider, options, plugin version and inputs; the name output reads back the same', () => {
    expect(pick('lean')).toEqual(pick('sdk-class'));
    expect(pick('lean').type).toBe(DOCKER_REMOTE_IMAGE_TYPE);
    expect(pick('lean').version).toBe(dockerPackage.version);
    expect(read.get('lean')).toBe(read.get('sdk-class'));
    expect(read.get('lean')).toBe('stars/mesos:1.10.0-abc');
  });
});

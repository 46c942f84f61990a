import * as docker from '@pulumi/docker';
import dockerPackage from '@pulumi/docker/package.json';
import { DOCKER_REMOTE_IMAGE_TYPE, HostImage } from '../../../../components/platform/host-image';
import type { ProgramRun } from '../../../../scripts/lib/program-runner';
import { registerForParity, registration, type Extra } from '../../parity';

jest.setTimeout(60_000);

describe('HostImage registers what docker.RemoteImage registers', () => {
  let run: ProgramRun;
  let extra: Map<string, Extra>;
  const read = new Map<string, unknown>();
  beforeAll(async () => {
    ({ run, extra } = await registerForParity('image-parity', () => {
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
    }));
  });

  const pick = (name: string) => registration(run, extra, name);

  test('same type token, provider, options, plugin version and inputs; the name output reads back the same', () => {
    expect(pick('lean')).toEqual(pick('sdk-class'));
    expect(pick('lean').type).toBe(DOCKER_REMOTE_IMAGE_TYPE);
    expect(pick('lean').version).toBe(dockerPackage.version);
    expect(read.get('lean')).toBe(read.get('sdk-class'));
    expect(read.get('lean')).toBe('stars/mesos:1.10.0-abc');
  });
});

import { loadStackConfig } from '../../../../scripts/lib/stack-config';
import {
  REDACTED,
  runProgram,
  type ProgramRun,
  type RecordedResource,
} from '../../../../scripts/lib/program-runner';
import { PROJECT_DIR, byType, find, runStack } from '../../harness';

/**
 * The platform layer inside the real program (index.ts) for each committed stack, under the mock runtime.
 */

const CONTAINER = 'docker:index/container:Container';
const IMAGE = 'docker:index/remoteImage:RemoteImage';
const COMMAND = 'command:remote:Command';
const PASSWORD = 'random:index/randomPassword:RandomPassword';

/**
 * runStack with the mock runtime's secret support switched on. program-runner calls setMockOptions after
 * setMocks, which resets the runtime's `supportsSecrets` flag, so secret inputs would otherwise be recorded in
 * plain text; the store flag is set again just before the program is loaded.
 */
async function runStackWithSecrets(stack: string): Promise<ProgramRun> {
  const cfg = loadStackConfig(PROJECT_DIR, stack);
  return runProgram({
    project: cfg.project,
    stack,
    config: cfg.values,
    secretKeys: cfg.secretKeys,
    load: (programPath) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the runtime's internal store
      const state = require('@pulumi/pulumi/runtime/state') as { getStore(): { supportsSecrets: boolean } };
      state.getStore().supportsSecrets = true;
      let loaded: Record<string, unknown> = {};
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading the program under test by path
        loaded = require(programPath) as Record<string, unknown>;
      });
      return loaded;
    },
  });
}

const platformContainers = (run: ProgramRun): RecordedResource[] =>
  byType(run, CONTAINER).filter((r) => r.name.startsWith('platform-'));

/** `service@host` for every platform container, sorted. */
function placement(run: ProgramRun, hosts: readonly string[]): string[] {
  return platformContainers(run)
    .map((r) => {
      const host = hosts.find((h) => r.name.endsWith(`-${h}`));
      return `${r.name.slice('platform-'.length, r.name.length - (host?.length ?? 0) - 1)}@${host ?? '?'}`;
    })
    .sort();
}

const args = (r: RecordedResource): string[] => r.inputs.command as string[];
const uploadContent = (r: RecordedResource, file: string): unknown =>
  (r.inputs.uploads as { file: string; content: unknown }[]).find((u) => u.file === file)?.content;
const CONTROL = ['chronos', 'marathon', 'mesos-dns', 'mesos-master', 'zookeeper'];

let dev: ProgramRun;
let staging: ProgramRun;
let production: ProgramRun;

beforeAll(async () => {
  dev = await runStack('dev');
  staging = await runStackWithSecrets('staging');
  production = await runStackWithSecrets('production');
}, 120_000);

describe('placement', () => {
  test('dev runs every service on the one local host', () => {
    expect(placement(dev, ['local'])).toEqual([...CONTROL, 'mesos-agent'].sort().map((s) => `${s}@local`));
  });

  test('staging runs the control plane on m1-m3 and an agent on a1-a3', () => {
    expect(placement(staging, ['m1', 'm2', 'm3', 'a1', 'a2', 'a3'])).toEqual(
      [
        ...['m1', 'm2', 'm3'].flatMap((h) => CONTROL.map((s) => `${s}@${h}`)),
        ...['a1', 'a2', 'a3'].map((h) => `mesos-agent@${h}`),
      ].sort(),
    );
  });

  test('production runs the control plane on the 3 masters and agents on the 6 agents', () => {
    const masters = ['master-1', 'master-2', 'master-3'];
    const agents = ['agent-1', 'agent-2', 'agent-3', 'agent-4', 'agent-5', 'agent-6'];
    expect(placement(production, [...masters, ...agents])).toEqual(
      [
        ...masters.flatMap((h) => CONTROL.map((s) => `${s}@${h}`)),
        ...agents.map((h) => `mesos-agent@${h}`),
      ].sort(),
    );
  });

  test.each(['dev', 'staging', 'production'])(
    '%s: every container runs on its own host engine with host networking, a restart policy and delete-before-replace',
    (stack) => {
      const run = { dev, staging, production }[stack as 'dev'];
      for (const c of platformContainers(run)) {
        const host = c.name.replace(
          /^platform-(zookeeper|mesos-master|marathon|chronos|mesos-dns|mesos-agent)-/,
          '',
        );
        expect(c.provider?.endsWith(`::hosts-${host}-docker`)).toBe(true);
        expect([c.inputs.networkMode, c.inputs.restart, c.deleteBeforeReplace]).toEqual([
          'host',
          'unless-stopped',
          true,
        ]);
        // Mesos and Mesos-DNS run from the project images built on this host; the others from their pinned
        // upstream image.
        const image = /^platform-mesos-(master|agent)-/.test(c.name)
          ? `platform-images-mesos-${host}`
          : c.name.startsWith('platform-mesos-dns-')
            ? `platform-images-mesos-dns-${host}`
            : `${c.name}-image`;
        expect(c.dependencies).toContain(find(run, IMAGE, image).urn);
      }
    },
  );
});

describe('images, arguments and environment', () => {
  test('staging images are the catalog pins, pulled with keepLocally', () => {
    const images = Object.fromEntries(
      byType(staging, IMAGE)
        .filter((r) => r.name.startsWith('platform-') && /-(m1|a1)-image$/.test(r.name))
        .map((r) => [r.name, [r.inputs.name, r.inputs.keepLocally]]),
    );
    expect(images).toEqual({
      'platform-zookeeper-m1-image': ['zookeeper:3.9.5', true],
      'platform-marathon-m1-image': ['mesosphere/marathon:v1.10.26', true],
      'platform-chronos-m1-image': ['mesosphere/chronos:v3.0.2', true],
    });
    expect(find(staging, CONTAINER, 'platform-marathon-m2').inputs.image).toBe(
      'mesosphere/marathon:v1.10.26',
    );
  });

  test.each([
    ['dev', 'platform-mesos-master-local', '--quorum=1'],
    ['production', 'platform-mesos-master-master-1', '--quorum=2'],
    ['production', 'platform-mesos-master-master-3', '--quorum=2'],
  ])('%s %s runs with %s and the replicated log', (stack, name, quorum) => {
    const a = args(find({ dev, production }[stack as 'dev'], CONTAINER, name));
    expect(a).toContain(quorum);
    expect(a).toContain('--registry=replicated_log');
  });

  test('production masters authenticate frameworks and agents and log in to ZooKeeper (Mesos, Marathon); dev (auth off) does not', () => {
    expect(args(find(production, CONTAINER, 'platform-mesos-master-master-2'))).toEqual(
      expect.arrayContaining([
        '--authenticate_frameworks',
        '--authenticate_agents',
        '--credentials=/etc/mesos/credentials.json',
        '--authenticate_http_readwrite',
        '--zk=file:///etc/mesos/zk',
      ]),
    );
    // The URL with the masters' ZooKeeper login, in a root-only file: never on a command line.
    const uploads = find(production, CONTAINER, 'platform-mesos-master-master-2').revealed.uploads as {
      file: string;
      content: string;
    }[];
    expect(uploads.find((u) => u.file === '/etc/mesos/zk')?.content).toBe(
      'zk://mesos:mock-password-platform-credentials-zookeeper-mesos@10.42.0.10:2181,10.42.16.10:2181,10.42.32.10:2181/mesos',
    );
    // Marathon's login arrives as MARATHON_ZK, a secret env entry, not as --zk.
    const marathon = find(production, CONTAINER, 'platform-marathon-master-2');
    expect(args(marathon)).not.toContain('--zk');
    expect(marathon.revealed.envs as string[]).toContain(
      'MARATHON_ZK=zk://marathon:mock-password-platform-credentials-zookeeper-marathon@10.42.0.10:2181,10.42.16.10:2181,10.42.32.10:2181/marathon',
    );
    expect(args(find(dev, CONTAINER, 'platform-mesos-master-local')).join(' ')).not.toMatch(
      /authenticat|credential/,
    );
  });

  test('staging agents carry their resources and attributes; Chronos gets PORT0/PORT1', () => {
    expect(args(find(staging, CONTAINER, 'platform-mesos-agent-a3'))).toEqual(
      expect.arrayContaining([
        '--resources=cpus:16;mem:65536;disk:400000;ports:[31000-32000]',
        '--attributes=rack:r2',
        '--containerizers=docker,mesos',
        // Executors run from the same entrypoint-less project image the agent runs (as mesos-agent).
        `--docker_mesos_image=${find(staging, IMAGE, 'platform-images-mesos-a3').inputs.name as string}`,
        '--launcher=posix',
      ]),
    );
    expect(find(dev, CONTAINER, 'platform-chronos-local').inputs.envs).toEqual([
      'LIBPROCESS_IP=127.0.0.1',
      'PORT0=4400',
      'PORT1=4401',
    ]);
  });

  test('the local host is not reconfigured: its containers resolve through Mesos-DNS via dns settings', () => {
    expect(byType(dev, COMMAND).filter((r) => r.name.startsWith('platform-'))).toEqual([]);
    for (const c of platformContainers(dev)) expect(c.inputs.dns).toEqual(['127.0.0.1', '8.8.8.8']);
  });
});

test('the Marathon secret upload is mode 0400 and owned by nobody, the user Marathon runs as', () => {
  const uploads = find(production, CONTAINER, 'platform-marathon-master-1').revealed.uploads as {
    file: string;
    owner?: string;
    group?: string;
    permissions?: string;
  }[];
  const secret = uploads.find((u) => u.file === '/etc/marathon/mesos-secret');
  expect([secret?.owner, secret?.group, secret?.permissions]).toEqual(['65534', '65534', '0400']);
});

describe('dependency order ZooKeeper -> masters -> Marathon/Chronos/Mesos-DNS -> agents', () => {
  const urns = (run: ProgramRun, prefix: string): string[] =>
    platformContainers(run)
      .filter((r) => r.name.startsWith(prefix))
      .map((r) => r.urn);

  test.each([
    ['platform-mesos-master-m2', 'platform-zookeeper-'],
    ['platform-marathon-m1', 'platform-mesos-master-'],
    ['platform-chronos-m3', 'platform-mesos-master-'],
    ['platform-mesos-dns-m2', 'platform-mesos-master-'],
    ['platform-mesos-agent-a1', 'platform-marathon-'],
    ['platform-mesos-agent-a1', 'platform-chronos-'],
    ['platform-mesos-agent-a2', 'platform-mesos-dns-'],
  ])('staging %s depends on every %s container', (name, prefix) => {
    const deps = find(staging, CONTAINER, name).dependencies;
    const upstream = urns(staging, prefix);
    expect(upstream).toHaveLength(3);
    expect(deps).toEqual(expect.arrayContaining(upstream));
  });

  test('ZooKeeper depends only on its host being ready and its image', () => {
    const deps = find(staging, CONTAINER, 'platform-zookeeper-m1').dependencies;
    expect(deps.filter((d) => d.includes('platform-'))).toEqual([
      find(staging, IMAGE, 'platform-zookeeper-m1-image').urn,
    ]);
    expect(deps.some((d) => d.includes('hosts-m1-'))).toBe(true);
  });

  test('each staging host gets a resolver command, after every Mesos-DNS container, re-run on script change', () => {
    const commands = byType(staging, COMMAND).filter((r) => r.name.startsWith('platform-resolvers-'));
    expect(commands.map((r) => r.name).sort()).toEqual(
      ['a1', 'a2', 'a3', 'm1', 'm2', 'm3'].map((h) => `platform-resolvers-${h}-resolver`),
    );
    for (const c of commands) {
      expect(c.dependencies).toEqual(expect.arrayContaining(urns(staging, 'platform-mesos-dns-')));
      expect(c.inputs.triggers).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/)]);
      expect(c.inputs.create).toMatch(/\| base64 -d \| sudo sh -s$/);
    }
  });
});

describe('secrets', () => {
  test('production generates one random password per secret and the backup key; dev (auth off) only the backup key', () => {
    expect(
      byType(production, PASSWORD)
        .map((r) => r.name)
        .filter((n) => n.startsWith('platform-'))
        .sort(),
    ).toEqual(
      [
        'backup-key',
        'chronos-http',
        'marathon-http',
        'mesos-agent',
        'mesos-chronos',
        'mesos-dns',
        'mesos-frameworks',
        'mesos-http',
        'mesos-marathon',
        'zookeeper-marathon',
        'zookeeper-mesos',
      ].map((s) => `platform-credentials-${s}`),
    );
    expect(
      byType(dev, PASSWORD)
        .filter((r) => r.name.startsWith('platform-'))
        .map((r) => r.name),
    ).toEqual(['platform-credentials-backup-key']);
  });

  /** The recorded (redacted) env entry whose real value sets MESOSPHERE_HTTP_CREDENTIALS; it must exist. */
  const credentialsEnv = (r: RecordedResource): unknown => {
    const i = (r.revealed.envs as string[]).findIndex((e) => e.startsWith('MESOSPHERE_HTTP_CREDENTIALS='));
    expect(i).toBeGreaterThanOrEqual(0);
    return (r.inputs.envs as unknown[])[i];
  };

  test.each([
    [
      'platform-marathon-master-1',
      'MESOSPHERE_HTTP_CREDENTIALS env',
      (r: RecordedResource) => credentialsEnv(r),
    ],
    [
      'platform-chronos-master-2',
      'MESOSPHERE_HTTP_CREDENTIALS env',
      (r: RecordedResource) => credentialsEnv(r),
    ],
    [
      'platform-marathon-master-1',
      'Mesos secret file',
      (r: RecordedResource) => uploadContent(r, '/etc/marathon/mesos-secret'),
    ],
    [
      'platform-chronos-master-2',
      'Mesos secret file',
      (r: RecordedResource) => uploadContent(r, '/etc/chronos/mesos-secret'),
    ],
    [
      'platform-mesos-master-master-3',
      'credentials.json upload',
      (r: RecordedResource) => uploadContent(r, '/etc/mesos/credentials.json'),
    ],
    [
      'platform-mesos-agent-agent-4',
      'credential.json upload',
      (r: RecordedResource) => uploadContent(r, '/etc/mesos/credential.json'),
    ],
  ])('production %s records its %s as [secret]', (name, _what, pick) => {
    expect(pick(find(production, CONTAINER, name))).toBe(REDACTED);
  });

  test('non-secret inputs stay readable: the Marathon LIBPROCESS_IP env and the zoo.cfg upload', () => {
    expect(find(production, CONTAINER, 'platform-marathon-master-1').inputs.envs as unknown[]).toContain(
      'LIBPROCESS_IP=10.42.0.10',
    );
    expect(
      uploadContent(find(production, CONTAINER, 'platform-zookeeper-master-2'), '/conf/zoo.cfg'),
    ).toMatch(/^server\.2=10\.42\.16\.10:2888:3888$/m);
  });

  test('no recorded input anywhere holds an unfilled secret placeholder or the HTTP credentials in clear', () => {
    const text = JSON.stringify(production.resources);
    expect(text).not.toContain('{{secret:');
    expect(text).not.toContain('MESOSPHERE_HTTP_CREDENTIALS=');
  });

  test('credential outputs are secret; connection strings are plain', () => {
    expect([production.outputs.marathonCredentials, production.outputs.chronosCredentials]).toEqual([
      REDACTED,
      REDACTED,
    ]);
    expect(production.outputs.zookeeperConnect).toBe('10.42.0.10:2181,10.42.16.10:2181,10.42.32.10:2181');
    expect(production.outputs.mesosMaster).toBe(
      'zk://10.42.0.10:2181,10.42.16.10:2181,10.42.32.10:2181/mesos',
    );
    expect(dev.outputs.marathonCredentials).toBeUndefined();
  });

  test('staging outputs point at the TLS edge of every master', () => {
    expect(staging.outputs.marathonUrls).toEqual([
      'https://10.20.1.11:9441',
      'https://10.20.1.12:9441',
      'https://10.20.1.13:9441',
    ]);
    expect(staging.outputs.chronosUrl).toBe('https://10.20.1.11:9442');
    expect(staging.outputs.mesosUiUrl).toBe('https://10.20.1.11:9440');
    expect(staging.outputs.mesosDnsServers).toEqual(['10.20.1.11', '10.20.1.12', '10.20.1.13']);
  });
});

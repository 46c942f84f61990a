import type { ProgramRun, RecordedResource } from '../../../../scripts/lib/program-runner';
import { byType, childrenOf, find, runStack } from '../../harness';
import { jupyterPasswordHash } from '../../../../components/apps/render-notebooks';

const MARATHON_APP = 'pulumi-nodejs:dynamic/stars:MarathonApp';
const CHRONOS_JOB = 'pulumi-nodejs:dynamic/stars:ChronosJob';

let staging: ProgramRun;
let dev: ProgramRun;
beforeAll(async () => {
  // Every app, lightning from a site image (no published Lightning image is on record).
  staging = await runStack('staging', {
    'stars:apps': ['spark', 'zeppelin', 'livy', 'blazegraph', 'lightning', 'jupyter'],
    'stars:appSettings': { lightning: { image: 'registry.example.org/lightning:1.3.0' } },
  });
  dev = await runStack('dev');
}, 120_000);

const app = (run: ProgramRun, name: string): RecordedResource => find(run, MARATHON_APP, name);
const appInput = (r: RecordedResource): Record<string, unknown> => r.inputs.app as Record<string, unknown>;

describe('catalog components (staging: every app enabled)', () => {
  test.each([
    ['stars:apps:Spark', 'apps-spark', ['apps-spark-dispatcher', 'apps-spark-history', 'apps-spark-shuffle']],
    ['stars:apps:Zeppelin', 'apps-zeppelin', ['apps-zeppelin-notebook']],
    ['stars:apps:Livy', 'apps-livy', ['apps-livy-server']],
    ['stars:apps:Blazegraph', 'apps-blazegraph', ['apps-blazegraph-sparql']],
    ['stars:apps:Lightning', 'apps-lightning', ['apps-lightning-server']],
    ['stars:apps:Jupyter', 'apps-jupyter', ['apps-jupyter-notebook']],
  ])('%s %s manages its Marathon apps %j', (type, name, children) => {
    const component = find(staging, type, name);
    expect(component.parent).toBe(find(staging, 'stars:apps:Apps', 'apps').urn);
    expect(childrenOf(staging, component).map((c) => [c.type, c.name])).toEqual(
      children.map((c) => [MARATHON_APP, c]),
    );
  });

  test('maintenance jobs: one Docker cleanup per agent and the backup chain', () => {
    const jobs = childrenOf(staging, find(staging, 'stars:apps:MaintenanceJobs', 'apps-maintenance'));
    expect(jobs.map((j) => j.name).sort()).toEqual([
      'apps-maintenance-chronos-backup',
      'apps-maintenance-docker-cleanup-a1',
      'apps-maintenance-docker-cleanup-a2',
      'apps-maintenance-docker-cleanup-a3',
      'apps-maintenance-marathon-backup',
    ]);
    expect(jobs.every((j) => j.type === CHRONOS_JOB)).toBe(true);
    const chronosBackup = find(staging, CHRONOS_JOB, 'apps-maintenance-chronos-backup');
    expect(chronosBackup.dependencies).toContain(
      find(staging, CHRONOS_JOB, 'apps-maintenance-marathon-backup').urn,
    );
  });

  test('every app and job waits for Marathon and Chronos on every master', () => {
    const ready = ['m1', 'm2', 'm3'].flatMap((m) => [
      find(staging, 'docker:index/container:Container', `platform-marathon-${m}`).urn,
      find(staging, 'docker:index/container:Container', `platform-chronos-${m}`).urn,
    ]);
    for (const r of [...byType(staging, MARATHON_APP), ...byType(staging, CHRONOS_JOB)]) {
      expect(r.dependencies).toEqual(expect.arrayContaining(ready));
    }
  });

  test.each([
    ['apps-zeppelin-notebook', 'apps-spark-dispatcher'],
    ['apps-livy-server', 'apps-spark-dispatcher'],
    ['apps-jupyter-notebook', 'apps-livy-server'],
  ])('%s is deployed after %s', (later, earlier) => {
    expect(app(staging, later).dependencies).toContain(app(staging, earlier).urn);
  });

  test('Marathon and Chronos passwords are secret inputs; the username is plain', () => {
    for (const r of [...byType(staging, MARATHON_APP), ...byType(staging, CHRONOS_JOB)]) {
      expect(r.inputs.password).toBe('[secret]');
      expect(typeof r.inputs.username).toBe('string');
    }
  });

  test('no app or job definition carries a secret: what Marathon and Chronos serve is readable, passwords excluded', () => {
    for (const r of [...byType(staging, MARATHON_APP), ...byType(staging, CHRONOS_JOB)]) {
      const definition = r.revealed.app ?? r.revealed.job;
      expect([r.name, r.inputs.app ?? r.inputs.job]).toEqual([r.name, definition]);
      expect([r.name, JSON.stringify(definition)]).toEqual([
        r.name,
        expect.not.stringMatching(/mock-password/),
      ]);
    }
  });

  test('the secrets go to one writer container per agent, as secret uploads the apps wait for', () => {
    const writers = byType(staging, 'docker:index/container:Container').filter((c) =>
      c.name.startsWith('apps-secret-files-'),
    );
    expect(writers.map((w) => [w.name, w.inputs.name, w.inputs.wait, w.inputs.networkMode])).toEqual([
      ['apps-secret-files-a1', 'stars-app-secrets', true, 'none'],
      ['apps-secret-files-a2', 'stars-app-secrets', true, 'none'],
      ['apps-secret-files-a3', 'stars-app-secrets', true, 'none'],
    ]);
    // Healthy (and so done, for `wait`) only after the planned script ran to its end.
    const [sh, flag, script] = writers[0].inputs.entrypoints as string[];
    expect([sh, flag]).toEqual(['/bin/sh', '-c']);
    expect(script.startsWith('# Rendered by Stars (components/apps/render-secret-files.ts)')).toBe(true);
    expect(script).toContain('\nput zeppelin shiro.ini 1000\n');
    expect((writers[0].inputs.healthcheck as { tests: string[] }).tests).toEqual([
      'CMD',
      'test',
      '-e',
      '/run/stars-app-secrets.done',
    ]);
    expect(script).toContain('touch "$1.done"\n');
    expect(
      (writers[0].inputs.uploads as { file: string; content: string }[]).map((u) => [u.file, u.content]),
    ).toEqual(
      [
        'backups/chronos.curlrc',
        'backups/marathon.curlrc',
        'jupyter/jupyter_server_config.json',
        'lightning/lightning-password',
        'livy/framework-secret',
        'spark/framework-secret',
        'zeppelin/framework-secret',
        'zeppelin/shiro.ini',
      ].map((f) => [`/run/stars-app-secrets/${f}`, '[secret]']),
    );
    for (const w of writers) expect(app(staging, 'apps-zeppelin-notebook').dependencies).toContain(w.urn);
  });

  test('an app without secrets keeps a readable definition with its URL port and pinned image', () => {
    const blazegraph = appInput(app(staging, 'apps-blazegraph-sparql'));
    expect(blazegraph.id).toBe('/blazegraph');
    expect(blazegraph.portDefinitions).toEqual([{ name: 'http', port: 31999, protocol: 'tcp' }]);
    expect((blazegraph.container as { docker: { image: string } }).docker.image).toMatch(
      /^stars\/blazegraph:2\.1\.5-[0-9a-f]{12}$/,
    );
    expect(app(staging, 'apps-blazegraph-sparql').inputs.providerVersion).toBe('1');
  });

  test('generated passwords come from random.RandomPassword and the exported credentials are secret', () => {
    expect(
      byType(staging, 'random:index/randomPassword:RandomPassword')
        .filter((r) => r.name.startsWith('apps-'))
        .map((r) => r.name)
        .sort(),
    ).toEqual(['apps-jupyter-password', 'apps-lightning-password', 'apps-zeppelin-password-admin']);
    expect(staging.outputs.appCredentials).toBe('[secret]');
  });

  test('app URLs are https on the edge of the first master, one edge port per app', () => {
    expect(staging.outputs.appUrls).toEqual({
      blazegraph: 'https://10.20.1.11:9448/blazegraph/sparql',
      jupyter: 'https://10.20.1.11:9447/lab',
      lightning: 'https://10.20.1.11:9449/',
      livy: 'https://10.20.1.11:9446/ui',
      'spark-dispatcher': 'https://10.20.1.11:9443/',
      'spark-history': 'https://10.20.1.11:9444/',
      zeppelin: 'https://10.20.1.11:9445/',
    });
  });
});

describe('dev (no auth, default apps)', () => {
  test('without the edge, on the one local host, app URLs are that host and the fixed ports (the browser is there)', () => {
    expect(dev.outputs.appUrls).toEqual({
      jupyter: 'http://127.0.0.1:31888/lab',
      livy: 'http://127.0.0.1:31998/ui',
      'spark-dispatcher': 'http://127.0.0.1:31081/',
      'spark-history': 'http://127.0.0.1:31880/',
      zeppelin: 'http://127.0.0.1:31890/',
    });
  });

  test('only the default apps run, without credentials', () => {
    expect(
      byType(dev, MARATHON_APP)
        .map((r) => r.name)
        .sort(),
    ).toEqual([
      'apps-jupyter-notebook',
      'apps-livy-server',
      'apps-spark-dispatcher',
      'apps-spark-history',
      'apps-spark-shuffle',
      'apps-zeppelin-notebook',
    ]);
    for (const r of byType(dev, MARATHON_APP)) expect(r.inputs.password).toBeUndefined();
  });

  test('without auth the dispatcher has no secret, so its definition stays readable', () => {
    expect(appInput(app(dev, 'apps-spark-dispatcher')).id).toBe('/spark/dispatcher');
  });
});

describe('plan-time failures', () => {
  test('apps that do not fit the agents stop the program with the capacity error', async () => {
    await expect(runStack('dev', { 'stars:appSettings': { zeppelin: { memMb: 65536 } } })).rejects.toThrow(
      /the apps need 4\.25 cpus and 72192 MB of memory but the 1 agent offers 8 cpus and 15360 MB \(over by 0 cpus and 56832 MB/,
    );
  });
});

/** What the writer on the first agent puts in `<app>/<name>`. */
function secretFile(run: ProgramRun, path: string): string {
  const writer = byType(run, 'docker:index/container:Container').find((c) =>
    c.name.startsWith('apps-secret-files-'),
  );
  const uploads = (writer?.revealed.uploads ?? []) as { file: string; content: string }[];
  return uploads.find((u) => u.file === `/run/stars-app-secrets/${path}`)?.content ?? '';
}

describe('Zeppelin logins', () => {
  const shiroOf = (run: ProgramRun): string => secretFile(run, 'zeppelin/shiro.ini');
  const credentialNames = (run: ProgramRun): string[] =>
    Object.keys(run.revealedOutputs.appCredentials as Record<string, unknown>).sort();

  test('without stars:zeppelinUsers the generated login is the one in shiro.ini (no admin role: none is named) and the one advertised', () => {
    expect(shiroOf(staging)).toContain('\nadmin = mock-password-apps-zeppelin-password-admin\n');
    expect(credentialNames(staging)).toEqual([
      'jupyter-password',
      'lightning-password',
      'zeppelin-password-admin',
    ]);
  });

  test('an empty stars:zeppelinUsers (the unset secret) still gives the generated login, never no login', async () => {
    const run = await runStack(
      'staging',
      { 'stars:zeppelinUsers': '' },
      { secretOverrides: ['stars:zeppelinUsers'] },
    );
    expect(shiroOf(run)).toContain('\nadmin = mock-password-apps-zeppelin-password-admin\n');
    expect(credentialNames(run)).toContain('zeppelin-password-admin');
  });

  test('configured users replace the generated login, which is then not advertised', async () => {
    const run = await runStack(
      'staging',
      { 'stars:zeppelinUsers': 'alice:S3cret-1, bob:pa:ss' },
      {
        secretOverrides: ['stars:zeppelinUsers'],
      },
    );
    expect(shiroOf(run)).toContain('\nalice = S3cret-1\nbob = pa:ss\n');
    expect(shiroOf(run)).not.toContain('mock-password-apps-zeppelin-password-admin');
    expect(credentialNames(run)).toEqual(['jupyter-password', 'lightning-password']);
  });

  test("only the users named in appSettings.zeppelin.admins get Zeppelin's admin role", async () => {
    const run = await runStack(
      'staging',
      {
        'stars:zeppelinUsers': 'alice:S3cret-1, bob:pa:ss',
        'stars:appSettings': { zeppelin: { users: ['alice', 'bob'], admins: ['bob'] } },
      },
      { secretOverrides: ['stars:zeppelinUsers'] },
    );
    expect(shiroOf(run)).toContain('\nalice = S3cret-1\nbob = pa:ss, admin\n');
  });
});

describe('Jupyter login', () => {
  test('the container gets only the salted hash, in a config file; the password itself stays in appCredentials', () => {
    const jupyter = app(staging, 'apps-jupyter-notebook');
    expect(JSON.parse(secretFile(staging, 'jupyter/jupyter_server_config.json'))).toEqual({
      PasswordIdentityProvider: {
        hashed_password: jupyterPasswordHash('mock-password-apps-jupyter-password'),
      },
    });
    expect(JSON.stringify(jupyter.revealed)).not.toContain('mock-password-apps-jupyter-password');
    expect((jupyter.revealed.app as { cmd: string }).cmd).toContain(
      '--config=/run/secrets/stars/jupyter_server_config.json',
    );
    const creds = staging.revealedOutputs.appCredentials as Record<string, { password: string }>;
    expect(creds['jupyter-password'].password).toBe('mock-password-apps-jupyter-password');
  });
});

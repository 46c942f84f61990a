import { createHash } from 'crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { ChronosClient } from '../../../components/apps/api/chronos-client';
import { HttpClient } from '../../../components/apps/api/http';
import { MarathonClient } from '../../../components/apps/api/marathon-client';
import { normalizeChronosJob, normalizeMarathonApp } from '../../../components/apps/api/normalize';
import { stableJson } from '../../../components/plan/documents';
import { main } from '../../../scripts/stars';
import { ChronosDouble } from '../../support/chronos-double';
import { MarathonDouble } from '../../support/marathon-double';
import type { Reply } from '../../support/http-double';
import { captureIo, type CapturedIo } from '../../support/capture-io';

/**
 * backup -> damage -> restore against the loopback Marathon and Chronos doubles (with basic auth on, as in
 * staging and production), comparing the normalised API listings before and after.
 */
jest.setTimeout(60_000);

const CREDS = { username: 'ops', password: 's3cret-pass' };

/** The shared double plus the rolling-restart route `restart --app` uses. */
class RestartableMarathon extends MarathonDouble {
  protected handle(method: string, url: URL, body: unknown): Reply {
    const m = /^\/v2\/apps(\/.+)\/restart$/.exec(url.pathname);
    if (m === null || method !== 'POST') return super.handle(method, url, body);
    if (!this.apps.has(m[1])) return { status: 404, body: { message: `App '${m[1]}' does not exist` } };
    const id = this.lockApp(m[1], 2);
    return {
      status: 200,
      headers: { 'Marathon-Deployment-Id': id },
      body: { deploymentId: id, version: 'v' },
    };
  }
}

let marathon: RestartableMarathon;
let chronos: ChronosDouble;
let work: string;
let outputsFile: string;

const capture = (): CapturedIo => captureIo(true);

async function listing(): Promise<string> {
  const m = new MarathonClient(new HttpClient({ baseUrls: [marathon.url], ...CREDS }));
  const c = new ChronosClient(new HttpClient({ baseUrls: [chronos.url], ...CREDS }));
  const apps = (await m.listApps())
    .map((a) => normalizeMarathonApp(a))
    .sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));
  const jobs = (await c.listJobs()).map((j): Record<string, unknown> => ({
    ...normalizeChronosJob(j),
    schedule: j.schedule,
  }));
  return stableJson({ apps, jobs: jobs.sort((a, b) => (String(a.name) < String(b.name) ? -1 : 1)) });
}

const writes = (): string[] =>
  [...marathon.requests, ...chronos.requests]
    .filter((r) => r.method !== 'GET')
    .map((r) => `${r.method} ${r.url}`);

const BACKUP_KEY = 'Backupkey0'.repeat(5);

beforeEach(async () => {
  marathon = await new RestartableMarathon({ credentials: CREDS }).start();
  chronos = await new ChronosDouble({ credentials: CREDS }).start();
  work = mkdtempSync(path.join(tmpdir(), 'stars-backup-'));
  outputsFile = path.join(work, 'outputs.json');
  writeFileSync(
    outputsFile,
    JSON.stringify({
      environment: 'staging',
      hosts: [],
      marathonUrl: marathon.url,
      chronosUrl: chronos.url,
      marathonCredentials: CREDS,
      chronosCredentials: CREDS,
      backupKey: BACKUP_KEY,
    }),
  );
  marathon.apps.set('/zeppelin', {
    id: '/zeppelin',
    container: { type: 'DOCKER', docker: { image: 'apache/zeppelin:0.12.0' } },
    mem: 2048,
    cpus: 1,
    healthChecks: [{ protocol: 'MESOS_HTTP', path: '/api/version', portIndex: 0 }],
    version: '2026-01-01T00:00:00.000Z',
  });
  marathon.apps.set('/data/etl', { id: '/data/etl', cmd: 'run-etl --daily', instances: 2, version: 'x' });
  marathon.apps.set('/livy', { id: '/livy', cmd: 'livy-server', mem: 1024, version: 'x' });
  chronos.jobs.set('nightly', {
    name: 'nightly',
    command: 'etl.sh',
    schedule: 'R/2026-01-01T02:00:00.000Z/P1D',
  });
  chronos.jobs.set('report', { name: 'report', command: 'report.sh', parents: ['nightly'] });
  chronos.jobs.set('vacuum', {
    name: 'vacuum',
    command: 'vacuum.sh',
    schedule: 'R/2026-01-01T04:00:00.000Z/PT6H',
    cpus: 0.5,
  });
});

afterEach(async () => {
  await marathon.stop();
  await chronos.stop();
  rmSync(work, { recursive: true, force: true });
});

async function backup(): Promise<string> {
  const dir = path.join(work, 'backup');
  const io = capture();
  const code = await main(['backup', '--outputs-file', outputsFile, '--out', dir], io);
  expect(io.stderr).toEqual([]);
  expect(code).toBe(0);
  return dir;
}

describe('stars backup', () => {
  test('writes one normalised file per app and job and a manifest with counts and checksums', async () => {
    const dir = await backup();
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
      counts: unknown;
      files: Record<string, string>;
      stack: string;
    };
    expect(manifest.stack).toBe('staging');
    // Definitions can carry credentials (app env), so only the operator may read them.
    expect(statSync(path.join(dir, 'marathon/livy.json')).mode & 0o777).toBe(0o600);
    expect(manifest.counts).toEqual({ marathonApps: 3, chronosJobs: 3 });
    expect(Object.keys(manifest.files)).toEqual([
      'chronos/nightly.json',
      'chronos/report.json',
      'chronos/vacuum.json',
      'marathon/data/etl.json',
      'marathon/livy.json',
      'marathon/zeppelin.json',
    ]);
    expect(readFileSync(path.join(dir, 'chronos/report.json'), 'utf8')).toBe(
      '{\n  "command": "report.sh",\n  "name": "report",\n  "parents": [\n    "nightly"\n  ]\n}\n',
    );
    expect(readFileSync(path.join(dir, 'marathon/data/etl.json'), 'utf8')).toBe(
      stableJson({
        cmd: 'run-etl --daily',
        id: '/data/etl',
        instances: 2,
        portDefinitions: [{ name: 'default', port: 10000 }],
      }),
    );
  });

  test('refuses to write into a non-empty directory', async () => {
    const dir = await backup();
    const io = capture();
    expect(await main(['backup', '--outputs-file', outputsFile, '--out', dir], io)).toBe(1);
    expect(io.stderr[0]).toBe(`error: ${dir} already exists and is not empty; choose another --out`);
  });
});

describe('stars restore', () => {
  test('round trip: after deleting and altering apps and jobs, restore leaves the API state identical', async () => {
    const before = await listing();
    const dir = await backup();
    marathon.apps.delete('/livy');
    marathon.apps.set('/zeppelin', { ...marathon.apps.get('/zeppelin'), id: '/zeppelin', mem: 512 });
    chronos.jobs.delete('report');
    chronos.jobs.delete('nightly');
    chronos.jobs.set('vacuum', {
      name: 'vacuum',
      command: 'rm -rf /',
      schedule: 'R/2026-01-01T04:00:00.000Z/PT6H',
    });
    marathon.requests.length = 0;
    chronos.requests.length = 0;

    const io = capture();
    const code = await main(['restore', dir, '--outputs-file', outputsFile], io);
    expect(io.stderr).toEqual([]);
    expect(code).toBe(0);
    expect(await listing()).toBe(before);
    expect(io.stdout).toContain('apps: 1 to create, 1 to update, 1 unchanged, 0 not in the backup');
    expect(io.stdout).toContain('jobs: 2 to create, 1 to update, 0 unchanged, 0 not in the backup');
    // Parents before dependants: nightly must exist when report is posted.
    expect(writes().filter((w) => w.startsWith('POST'))).toEqual([
      'POST /v1/scheduler/iso8601',
      'POST /v1/scheduler/dependency',
      'POST /v1/scheduler/iso8601',
    ]);
    expect(
      chronos.requests.filter((r) => r.method === 'POST').map((r) => (r.body as { name: string }).name),
    ).toEqual(['nightly', 'report', 'vacuum']);
    expect(io.stdout[io.stdout.length - 1]).toBe('restore verified: 5 changed, 1 unchanged, 0 deleted');
  });

  test('a second restore changes nothing and reports everything unchanged', async () => {
    const dir = await backup();
    expect(await main(['restore', dir, '--outputs-file', outputsFile], capture())).toBe(0);
    marathon.requests.length = 0;
    chronos.requests.length = 0;
    const io = capture();
    expect(await main(['restore', dir, '--outputs-file', outputsFile], io)).toBe(0);
    expect(writes()).toEqual([]);
    expect(io.stdout).toContain('  unchanged: /data/etl, /livy, /zeppelin');
    expect(io.stdout).toContain('  unchanged: nightly, report, vacuum');
    expect(io.stdout[io.stdout.length - 1]).toBe('restore verified: 0 changed, 6 unchanged, 0 deleted');
  });

  test('extras are kept and listed without --prune, deleted with it (dependants first)', async () => {
    const before = await listing();
    const dir = await backup();
    marathon.apps.set('/extra', { id: '/extra', cmd: 'sleep 1000', version: 'x' });
    chronos.jobs.set('extra-parent', {
      name: 'extra-parent',
      command: 'a',
      schedule: 'R/2026-01-01T00:00:00Z/PT1H',
    });
    chronos.jobs.set('extra-child', { name: 'extra-child', command: 'b', parents: ['extra-parent'] });

    const keep = capture();
    expect(await main(['restore', dir, '--outputs-file', outputsFile], keep)).toBe(0);
    expect(keep.stdout).toContain('  extra: /extra');
    expect(keep.stdout).toContain('  extra: extra-child, extra-parent');
    expect(marathon.apps.has('/extra')).toBe(true);

    chronos.requests.length = 0;
    const prune = capture();
    expect(await main(['restore', dir, '--outputs-file', outputsFile, '--prune'], prune)).toBe(0);
    expect(await listing()).toBe(before);
    expect(chronos.requests.filter((r) => r.method === 'DELETE').map((r) => r.url)).toEqual([
      '/v1/scheduler/job/extra-child',
      '/v1/scheduler/job/extra-parent',
    ]);
    expect(prune.stdout[prune.stdout.length - 1]).toBe('restore verified: 0 changed, 6 unchanged, 3 deleted');
  });

  test.each([
    [
      'a changed byte',
      (dir: string) => writeFileSync(path.join(dir, 'marathon/livy.json'), '{"id":"/livy","cmd":"evil"}\n'),
      'error: backup file marathon/livy.json does not match its checksum in the manifest (changed or corrupted)',
    ],
    [
      'a missing file',
      (dir: string) => rmSync(path.join(dir, 'chronos/report.json')),
      /^error: backup file chronos\/report\.json is missing \(listed in the manifest\)$/,
    ],
    [
      'an unlisted file',
      (dir: string) => writeFileSync(path.join(dir, 'chronos/sneaky.json'), '{}'),
      /^error: backup .* has files the manifest does not list: chronos\/sneaky\.json$/,
    ],
    [
      'a changed app whose plain sha256 was recomputed (no key)',
      (dir: string) => {
        const content = '{"id":"/livy","cmd":"evil"}\n';
        writeFileSync(path.join(dir, 'marathon/livy.json'), content);
        const m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
          files: Record<string, string>;
        };
        m.files['marathon/livy.json'] = createHash('sha256').update(content).digest('hex');
        writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m));
      },
      /^error: .*manifest\.json is not sealed with this stack's backupKey: it was changed, or it belongs to another stack$/,
    ],
    [
      'a symbolic link out of the backup',
      (dir: string) => {
        rmSync(path.join(dir, 'marathon/livy.json'));
        symlinkSync('/etc/hostname', path.join(dir, 'marathon/livy.json'));
      },
      'error: backup has a symbolic link at marathon/livy.json; a backup holds only regular files (remove it)',
    ],
    [
      'a null manifest',
      (dir: string) => writeFileSync(path.join(dir, 'manifest.json'), 'null'),
      /^error: .*manifest\.json must be a JSON object \(the manifest `stars backup` writes\)$/,
    ],
  ])('a backup with %s is refused before anything is applied', async (_what, damage, message) => {
    const dir = await backup();
    marathon.apps.delete('/livy');
    damage(dir);
    marathon.requests.length = 0;
    chronos.requests.length = 0;
    const io = capture();
    expect(await main(['restore', dir, '--outputs-file', outputsFile], io)).toBe(1);
    expect(io.stderr[0]).toMatch(message);
    expect([...marathon.requests, ...chronos.requests]).toEqual([]);
    expect(marathon.apps.has('/livy')).toBe(false);
  });

  test('an app locked by a running deployment fails the restore (exit 1) unless --force overrides it', async () => {
    const before = await listing();
    const dir = await backup();
    marathon.apps.set('/zeppelin', { ...marathon.apps.get('/zeppelin'), id: '/zeppelin', mem: 512 });
    const blocking = marathon.lockApp('/zeppelin');
    const io = capture();
    expect(await main(['restore', dir, '--outputs-file', outputsFile], io)).toBe(1);
    expect(io.stderr[0]).toMatch(
      new RegExp(
        `^error: PUT .*/v2/apps/zeppelin.* failed with 409: .*Blocking deployment\\(s\\): ${blocking}\\.`,
      ),
    );
    const forced = capture();
    expect(await main(['restore', dir, '--outputs-file', outputsFile, '--force'], forced)).toBe(0);
    expect(await listing()).toBe(before);
  });

  test('--dry-run reports the plan and changes nothing', async () => {
    const dir = await backup();
    marathon.apps.delete('/livy');
    const io = capture();
    expect(await main(['restore', dir, '--outputs-file', outputsFile, '--dry-run'], io)).toBe(0);
    expect(io.stdout).toContain('  create: /livy');
    expect(io.stdout[io.stdout.length - 1]).toBe('dry run: nothing changed');
    expect(writes()).toEqual([]);
    expect(existsSync(path.join(dir, 'manifest.json'))).toBe(true);
  });

  test('an unreachable Marathon is an operational error (exit 1) naming the URL', async () => {
    const dir = await backup();
    await marathon.stop();
    const io = capture();
    expect(await main(['restore', dir, '--outputs-file', outputsFile], io)).toBe(1);
    expect(io.stderr[0]).toMatch(new RegExp(`^error: GET ${marathon.url}/v2/apps failed: `));
  });
});

describe('stars restart --app', () => {
  test('asks Marathon for a rolling restart and waits until the deployment is gone', async () => {
    const io = capture();
    expect(await main(['restart', '--outputs-file', outputsFile, '--app', 'zeppelin'], io)).toBe(0);
    expect(writes()).toEqual(['POST /v2/apps/zeppelin/restart']);
    expect(marathon.requests.filter((r) => r.url === '/v2/deployments').length).toBeGreaterThanOrEqual(2);
    expect(io.stdout[io.stdout.length - 1]).toBe('restarted /zeppelin');
  });

  test('an unknown app is an operational error', async () => {
    const io = capture();
    expect(await main(['restart', '--outputs-file', outputsFile, '--app', '/nope'], io)).toBe(1);
    expect(io.stderr).toEqual(['error: Marathon has no app /nope']);
  });
});

/**
 * The nightly Marathon backup job's command, run for real by `sh` and Debian's curl against the Marathon
 * double (loopback; no Marathon can run here), with its login in the curl config the secret writer puts on the
 * agent. Only the container paths differ: /backups and the secret directory are scratch directories and the
 * Mesos-DNS name is the double's address.
 */
import { spawn, spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { backupSecretFiles, renderJobs } from '../../../components/apps/render-jobs';
import { APP_SECRETS_MOUNT } from '../../../components/apps/render-secret-files';
import { appContext } from '../../../components/apps/render-common';
import { appsSpec } from '../../support/apps-spec';
import { MarathonDouble } from '../../support/marathon-double';
import { reportSkip } from '../../support/skips';

const CREDS = { username: 'stars', password: 'Backup0Secret0' };
const haveCurl = spawnSync('sh', ['-c', 'command -v curl']).status === 0;
if (!haveCurl) reportSkip('backup job test: curl is not installed');
const describeIf = haveCurl ? describe : describe.skip;

describeIf('marathon-backup job command', () => {
  let marathon: MarathonDouble;
  let work: string;
  let secrets: string;
  beforeEach(async () => {
    marathon = await new MarathonDouble({ credentials: CREDS }).start();
    marathon.apps.set('/livy', { id: '/livy', cmd: 'livy-server', version: 'x' });
    work = mkdtempSync(path.join(tmpdir(), 'stars-backup-job-'));
    secrets = mkdtempSync(path.join(tmpdir(), 'stars-backup-secrets-'));
  });
  afterEach(async () => {
    await marathon.stop();
    rmSync(work, { recursive: true, force: true });
    rmSync(secrets, { recursive: true, force: true });
  });

  /** The curl config as the writer leaves it: the planned template with the login filled in, mode 0400. */
  const login = (password: string): void => {
    const file = backupSecretFiles(true, 'mesos').find((f) => f.name === 'marathon.curlrc');
    if (file === undefined) throw new Error('no marathon.curlrc');
    const content = file.content
      .replace('{{value:marathon-username}}', CREDS.username)
      .replace('{{secret:marathon-password}}', password)
      .replace('http://marathon.mesos:8080', marathon.url);
    mkdirSync(secrets, { recursive: true });
    writeFileSync(path.join(secrets, file.name), content, { mode: 0o400 });
  };

  const command = (): string => {
    const job = renderJobs(appContext(appsSpec())).find((j) => j.name === 'marathon-backup');
    if (job === undefined) throw new Error('no marathon-backup job');
    return job.command
      .replaceAll('/backups', work)
      .replaceAll(APP_SECRETS_MOUNT, secrets)
      .replace('http://marathon.mesos:8080', marathon.url);
  };
  // Asynchronous: the double answers from this process's event loop, which spawnSync would block.
  const run = (env: Record<string, string> = {}): Promise<number> =>
    new Promise((resolve) => {
      const child = spawn('sh', ['-c', command()], {
        env: { PATH: process.env.PATH ?? '', ...env },
        stdio: 'ignore',
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve(code ?? -1);
      });
    });

  test('logs in with the curl config from its secret file, never on a command line or in its env, and writes 0600 in 0700', async () => {
    expect(command()).not.toMatch(/curl[^|;]* (-u|--user) /);
    login(CREDS.password);
    expect(await run()).toBe(0);
    expect(marathon.requests.map((r) => [r.method, r.url, r.authorization])).toEqual([
      ['GET', '/v2/apps', `Basic ${Buffer.from(`${CREDS.username}:${CREDS.password}`).toString('base64')}`],
    ]);
    const [day] = readdirSync(work);
    expect(statSync(path.join(work, day)).mode & 0o777).toBe(0o700);
    const file = path.join(work, day, 'marathon-apps.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8')).apps.map((a: { id: string }) => a.id)).toEqual(['/livy']);
  });

  test('a wrong password fails the job (non-zero exit, so Chronos retries and reports it)', async () => {
    login('wrong');
    expect(await run()).not.toBe(0);
  });
});

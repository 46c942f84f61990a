/**
 * The nightly Marathon backup job's command, run for real by `sh` and Debian's curl against the Marathon
 * double (loopback; no Marathon can run here). Only the container paths differ: /backups is a scratch
 * directory and the Mesos-DNS name is the double's address.
 */
import { spawn, spawnSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { renderJobs } from '../../../components/apps/render-jobs';
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
  beforeEach(async () => {
    marathon = await new MarathonDouble({ credentials: CREDS }).start();
    marathon.apps.set('/livy', { id: '/livy', cmd: 'livy-server', version: 'x' });
    work = mkdtempSync(path.join(tmpdir(), 'stars-backup-job-'));
  });
  afterEach(async () => {
    await marathon.stop();
    rmSync(work, { recursive: true, force: true });
  });

  const command = (): string => {
    const job = renderJobs(appContext(appsSpec())).find((j) => j.name === 'marathon-backup');
    if (job === undefined) throw new Error('no marathon-backup job');
    return job.command.replaceAll('/backups', work).replace('http://marathon.mesos:8080', marathon.url);
  };
  // Asynchronous: the double answers from this process's event loop, which spawnSync would block.
  const run = (env: Record<string, string>): Promise<number> =>
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

  test('logs in with the credentials from its environment, never on a command line, and writes 0600 in 0700', async () => {
    expect(command()).not.toMatch(/curl[^|;]* (-u|--user) /);
    expect(await run({ MARATHON_USERNAME: CREDS.username, MARATHON_PASSWORD: CREDS.password })).toBe(0);
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
    expect(await run({ MARATHON_USERNAME: CREDS.username, MARATHON_PASSWORD: 'wrong' })).not.toBe(0);
  });
});

/**
 * components/hosts/scripts/data-backup.sh with a real restic (Debian's) on repositories this test makes: on disk,
 * and over SFTP to a real sshd on loopback. An app's data is backed up, restored elsewhere byte-identical, backed
 * up again incrementally and thinned by retention; a wrong password and a damaged repository are refused with
 * restic's reason, and neither a failed nor a refused restore touches what was there.
 */
import { spawnSync } from 'child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startSshd, type SshdFixture } from '../scripts/sshd-fixture';
import { reportSkip } from '../../support/skips';

const SCRIPT = path.resolve(__dirname, '../../../components/hosts/scripts/data-backup.sh');
const haveRestic = spawnSync('restic', ['version']).status === 0;
if (!haveRestic) reportSkip('data backup tests: restic is not installed (apt-get install restic), as in CI');
const withRestic = haveRestic ? describe : describe.skip;

let work: string;
beforeEach(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'stars-data-backup-'));
  writeFileSync(path.join(work, 'password'), 'correct horse battery staple\n', { mode: 0o600 });
  mkdirSync(path.join(work, 'metrics'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: work,
    RESTIC_CACHE_DIR: path.join(work, 'cache'),
    RESTIC_REPOSITORY: path.join(work, 'repo'),
    RESTIC_PASSWORD_FILE: path.join(work, 'password'),
    STARS_HOST: 'a1',
    STARS_METRICS_DIR: path.join(work, 'metrics'),
    STARS_CHECK_SUBSET: '1/1',
    ...extra,
  };
}
const run = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
  spawnSync('sh', [SCRIPT, ...args], { encoding: 'utf8', env: env(extra), timeout: 60_000 });

/** An app's data directory: a nested file, an executable and an empty file. */
function appData(dir: string): string {
  mkdirSync(path.join(dir, 'notebook', 'n1'), { recursive: true });
  writeFileSync(path.join(dir, 'notebook', 'n1', 'note.json'), JSON.stringify({ paragraphs: [1, 2, 3] }));
  writeFileSync(path.join(dir, 'run.sh'), '#!/bin/sh\n');
  chmodSync(path.join(dir, 'run.sh'), 0o750);
  writeFileSync(path.join(dir, 'empty'), '');
  return dir;
}

/** Every file below `dir` with its mode and content, to compare trees byte for byte. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      const p = path.join(rel, name);
      const st = statSync(path.join(dir, p));
      if (st.isDirectory()) walk(p);
      else out.push(`${p} ${(st.mode & 0o777).toString(8)} ${readFileSync(path.join(dir, p), 'base64')}`);
    }
  };
  walk('');
  return out;
}

const summary = (stdout: string) => /backed up as snapshot ([0-9a-f]{8}) \((\d+) bytes added\)/.exec(stdout);
const metric = (name: string, app: string) =>
  new RegExp(`^${name}\\{name="${app}"\\} (\\S+)$`, 'm').exec(
    readFileSync(path.join(work, 'metrics', `stars-data-backup-${app}.prom`), 'utf8'),
  )?.[1];

test('the script passes shellcheck as POSIX sh (busybox runs it in the restic image)', () => {
  const r = spawnSync('shellcheck', ['-s', 'sh', SCRIPT], { encoding: 'utf8' });
  expect([r.stdout, r.status]).toEqual(['', 0]);
});

withRestic('data-backup.sh on a repository on disk', () => {
  test('init makes the repository once; a second init leaves it', () => {
    expect(run(['init']).stdout).toBe(`stars data-backup: made repository ${path.join(work, 'repo')}\n`);
    expect(run(['init']).stdout).toBe(`stars data-backup: repository ${path.join(work, 'repo')} exists\n`);
  });

  test('back up, restore on another host byte-identical; the second backup adds less; retention keeps one a day', () => {
    const data = appData(path.join(work, 'a1', 'zeppelin'));
    expect(run(['init']).status).toBe(0);
    const first = run(['backup', 'zeppelin', data]);
    expect([first.status, first.stderr]).toEqual([0, '']);
    const second = run(['backup', 'zeppelin', data]);
    expect(Number(summary(second.stdout)?.[2])).toBeLessThan(Number(summary(first.stdout)?.[2]));
    expect(metric('stars_data_backup_last_run_success', 'zeppelin')).toBe('1');
    expect(Number(metric('stars_data_backup_last_success_timestamp_seconds', 'zeppelin'))).toBeGreaterThan(
      Date.now() / 1000 - 120,
    );
    // keep-daily 7: two backups on one day leave one snapshot.
    const list = spawnSync('restic', ['snapshots', '--json'], { encoding: 'utf8', env: env() });
    expect((JSON.parse(list.stdout) as unknown[]).length).toBe(1);
    // The first host is gone; the data goes to a third one.
    rmSync(path.join(work, 'a1'), { recursive: true, force: true });
    const target = path.join(work, 'a3', 'zeppelin');
    mkdirSync(path.dirname(target));
    const restore = run(['restore', 'zeppelin', 'latest', target], { STARS_HOST: 'a3' });
    expect([restore.status, restore.stderr]).toEqual([0, '']);
    expect(restore.stdout).toMatch(/^stars data-backup: restored zeppelin snapshot [0-9a-f]{8} \(.+\) to /);
    expect(tree(target)).toEqual(tree(appData(path.join(work, 'expected'))));
    expect(existsSync(`${target}.restoring`)).toBe(false);
  });

  test('a restore over newer data is refused without --yes; with it, the newer data is kept beside', () => {
    const data = appData(path.join(work, 'a1', 'zeppelin'));
    expect(run(['init']).status).toBe(0);
    expect(run(['backup', 'zeppelin', data]).status).toBe(0);
    const later = path.join(data, 'notebook', 'n1', 'note.json');
    writeFileSync(later, 'edited after the backup');
    const future = Date.now() / 1000 + 60;
    utimesSync(later, future, future);
    const refused = run(['restore', 'zeppelin', 'latest', data]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`${data} has data newer than snapshot`);
    expect(refused.stderr).toContain('pass --yes to replace it');
    expect(readFileSync(later, 'utf8')).toBe('edited after the backup');
    const forced = run(['restore', 'zeppelin', 'latest', data, '--yes']);
    expect(forced.status).toBe(0);
    const kept = /kept the previous .* at (\S+)\n/.exec(forced.stdout)?.[1] ?? '';
    expect(readFileSync(path.join(kept, 'notebook', 'n1', 'note.json'), 'utf8')).toBe(
      'edited after the backup',
    );
    expect(readFileSync(later, 'utf8')).toBe(JSON.stringify({ paragraphs: [1, 2, 3] }));
  });

  test('a wrong password is refused with restic reason; the metrics say failed and keep the last success', () => {
    const data = appData(path.join(work, 'data'));
    expect(run(['init']).status).toBe(0);
    expect(run(['backup', 'zeppelin', data]).status).toBe(0);
    const good = metric('stars_data_backup_last_success_timestamp_seconds', 'zeppelin');
    writeFileSync(path.join(work, 'wrong'), 'not the password\n');
    const r = run(['backup', 'zeppelin', data], { RESTIC_PASSWORD_FILE: path.join(work, 'wrong') });
    expect([r.status, r.stderr]).toEqual([
      1,
      'stars data-backup: restic backup failed: Fatal: wrong password or no key found \n',
    ]);
    expect(metric('stars_data_backup_last_run_success', 'zeppelin')).toBe('0');
    expect(metric('stars_data_backup_last_success_timestamp_seconds', 'zeppelin')).toBe(good);
    // init never makes a repository over one it cannot open.
    const init = run(['init'], { RESTIC_PASSWORD_FILE: path.join(work, 'wrong') });
    expect(init.stderr).toContain('restic cat config failed: Fatal: wrong password or no key found');
  });

  test('a damaged repository fails the backup loudly, and a restore from it leaves the target as it was', () => {
    const data = appData(path.join(work, 'data'));
    expect(run(['init']).status).toBe(0);
    expect(run(['backup', 'zeppelin', data]).status).toBe(0);
    const packs = path.join(work, 'repo', 'data');
    for (const sub of readdirSync(packs))
      for (const pack of readdirSync(path.join(packs, sub))) {
        const file = path.join(packs, sub, pack);
        const bytes = readFileSync(file);
        bytes[20] ^= 0xff;
        chmodSync(file, 0o600);
        writeFileSync(file, bytes);
      }
    const backup = run(['backup', 'zeppelin', data]);
    expect(backup.status).toBe(1);
    expect(backup.stderr).toMatch(/^stars data-backup: restic (backup|check) failed: /);
    expect(metric('stars_data_backup_last_run_success', 'zeppelin')).toBe('0');
    const target = appData(path.join(work, 'target'));
    const before = tree(target);
    const restore = run(['restore', 'zeppelin', 'latest', target, '--yes']);
    expect(restore.status).toBe(1);
    expect(restore.stderr).toMatch(/^stars data-backup: restic (snapshots|restore) failed: /);
    expect(tree(target)).toEqual(before);
    expect(existsSync(`${target}.restoring`)).toBe(false);
  });

  test.each([
    [['backup', 'Zeppelin', '/tmp'], 'Zeppelin is not a backup name (a-z, 0-9, -)'],
    [['backup', 'zeppelin', '/nonexistent/dir'], '/nonexistent/dir is not a directory'],
    [['restore', 'zeppelin', 'HEAD~1', '/tmp/x'], 'HEAD~1 is not a snapshot id or latest'],
    [['restore', 'zeppelin', 'latest', 'relative/dir'], 'relative/dir is not an absolute path'],
    [['restore', 'zeppelin', 'latest', '/tmp/x', '--force'], '--force is not --yes'],
    [['prune'], 'usage: data-backup.sh init | backup NAME DIR | restore NAME SNAPSHOT TARGET [--yes]'],
  ])('refuses %j before restic runs', (args, message) => {
    const r = run(args);
    expect([r.status, r.stderr]).toEqual([1, `stars data-backup: ${message}\n`]);
  });

  test.each([
    [{ STARS_KEEP_DAILY: '1001' }, 'STARS_KEEP_DAILY 1001 is not 0-1000'],
    [{ STARS_KEEP_WEEKLY: '-1' }, 'STARS_KEEP_WEEKLY -1 is not 0-1000'],
    [{ STARS_CHECK_SUBSET: '1/0; rm -rf /' }, 'STARS_CHECK_SUBSET 1/0; rm -rf / is not n/t'],
    [{ STARS_HOST: 'A1 B' }, 'STARS_HOST A1 B is not a host name'],
  ])('refuses the setting %j with its name and range', (extra, message) => {
    const data = appData(path.join(work, 'data'));
    expect(run(['init']).status).toBe(0);
    const r = run(['backup', 'zeppelin', data], extra);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`stars data-backup: ${message}\n`);
  });
});

withRestic('data-backup.sh over SFTP to another host (a real sshd on loopback)', () => {
  let sshd: SshdFixture;
  beforeAll(async () => {
    sshd = await startSshd({ sftp: true });
  });
  afterAll(async () => sshd.stop());

  test('backs up to the remote repository and restores from it byte-identical', () => {
    const repoDir = path.join(sshd.dir, 'repo');
    const ssh = `ssh -p ${sshd.port} -i ${sshd.identityFile} -o UserKnownHostsFile=${sshd.knownHostsFile} -o BatchMode=yes ${sshd.user}@127.0.0.1 -s sftp`;
    // The repository host's key is pinned in the ssh command restic runs (STARS_SFTP_COMMAND).
    const over = {
      RESTIC_REPOSITORY: `sftp:${sshd.user}@127.0.0.1:${repoDir}`,
      STARS_SFTP_COMMAND: ssh,
    };
    const data = appData(path.join(work, 'data'));
    expect(run(['init'], over).status).toBe(0);
    expect(existsSync(path.join(repoDir, 'config'))).toBe(true);
    const backup = run(['backup', 'blazegraph', data], over);
    expect([backup.status, backup.stderr]).toEqual([0, '']);
    const target = path.join(work, 'elsewhere', 'blazegraph');
    mkdirSync(path.dirname(target));
    expect(run(['restore', 'blazegraph', 'latest', target], over).status).toBe(0);
    expect(tree(target)).toEqual(tree(data));
  });
});

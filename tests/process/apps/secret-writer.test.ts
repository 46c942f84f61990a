/**
 * The app secret writer's script, run for real by `sh` as root exactly as the writer container runs it
 * (`sh -c SCRIPT stars-app-secrets IN OUT`), with the uploads' directory and the agent's directory as scratch
 * directories: owners, modes, atomic replacement, stale files removed, and each app's user (and only it) reads
 * its own file.
 */
import { spawn, spawnSync } from 'child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { planApps } from '../../../components/apps/plan-apps';
import {
  renderSecretWriter,
  writerProgram,
  type SecretFile,
} from '../../../components/apps/render-secret-files';
import { appsSpec } from '../../support/apps-spec';
import { reportSkip } from '../../support/skips';

const root = process.getuid?.() === 0;
if (!root) reportSkip('secret writer test: needs root (it sets owners)');
const suite = root ? describe : describe.skip;

let work: string;
const dirs = (): { input: string; out: string } => ({
  input: path.join(work, 'in'),
  out: path.join(work, 'out'),
});

/** The uploads as the docker provider leaves them in the writer container: root's, 0400. */
function upload(files: readonly SecretFile[], content: (f: SecretFile) => string): void {
  rmSync(dirs().input, { recursive: true, force: true });
  for (const f of files) {
    mkdirSync(path.join(dirs().input, f.app), { recursive: true });
    writeFileSync(path.join(dirs().input, f.app, f.name), content(f), { mode: 0o400 });
  }
}

function write(script: string): { status: number; stdout: string; stderr: string } {
  const r = spawnSync('sh', ['-c', script, 'stars-app-secrets', dirs().input, dirs().out], {
    encoding: 'utf8',
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const modeOf = (p: string): [number, number] => {
  const st = statSync(p);
  return [st.uid, st.mode & 0o7777];
};
const readAs = (uid: number, file: string): number =>
  spawnSync('setpriv', [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', 'cat', file], {
    stdio: 'ignore',
  }).status ?? -1;

const plan = planApps(appsSpec());

suite('the app secret writer', () => {
  beforeEach(() => {
    work = mkdtempSync(path.join(tmpdir(), 'stars-secret-writer-'));
    chmodSync(work, 0o755);
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  test('puts every planned file in place, 0400 to its app user, each app directory 0500 to it, the root 0711', () => {
    upload(plan.secretFiles, (f) => `value of ${f.app}/${f.name}\n`);
    const r = write(plan.secretWriter);
    expect(r).toEqual({
      status: 0,
      stdout: `stars: ${plan.secretFiles.length} app secret file(s) in place\n`,
      stderr: '',
    });
    const { out } = dirs();
    expect(modeOf(out)).toEqual([0, 0o711]);
    for (const f of plan.secretFiles) {
      const file = path.join(out, f.app, f.name);
      expect([f.app, f.name, ...modeOf(file)]).toEqual([f.app, f.name, f.uid, 0o400]);
      expect(modeOf(path.join(out, f.app))).toEqual([f.uid, 0o500]);
      expect(readFileSync(file, 'utf8')).toBe(`value of ${f.app}/${f.name}\n`);
    }
    expect(readdirSync(out).sort()).toEqual([...new Set(plan.secretFiles.map((f) => f.app))].sort());
  });

  test("an app's user reads its own file; another app's user cannot", () => {
    upload(plan.secretFiles, () => 'x\n');
    expect(write(plan.secretWriter).status).toBe(0);
    const spark = path.join(dirs().out, 'spark', 'framework-secret');
    const zeppelin = path.join(dirs().out, 'zeppelin', 'shiro.ini');
    expect([readAs(185, spark), readAs(1000, spark), readAs(1000, zeppelin), readAs(185, zeppelin)]).toEqual([
      0, 1, 0, 1,
    ]);
  });

  test('a second run replaces changed contents and removes what the plan no longer names', () => {
    upload(plan.secretFiles, () => 'old\n');
    expect(write(plan.secretWriter).status).toBe(0);
    const { out } = dirs();
    writeFileSync(path.join(out, 'zeppelin', 'stray'), 'left behind');
    writeFileSync(path.join(out, 'zeppelin', '.shiro.ini.new'), 'half written');
    mkdirSync(path.join(out, 'retired-app'));
    const fewer = plan.secretFiles.filter((f) => f.app !== 'lightning' && f.name !== 'framework-secret');
    upload(fewer, () => 'new\n');
    expect(write(renderSecretWriter(fewer)).status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['backups', 'jupyter', 'zeppelin']);
    expect(readdirSync(path.join(out, 'zeppelin')).sort()).toEqual(['shiro.ini']);
    expect(readFileSync(path.join(out, 'zeppelin', 'shiro.ini'), 'utf8')).toBe('new\n');
  });

  test('a missing upload fails the run (non-zero), so the deployment stops before any app starts', () => {
    upload(plan.secretFiles.slice(1), () => 'x\n');
    const r = write(plan.secretWriter);
    expect(r.status).not.toBe(0);
    expect(existsSync(path.join(dirs().out, plan.secretFiles[0].app, plan.secretFiles[0].name))).toBe(false);
  });

  test('the container program marks success for the healthcheck, then idles until docker stop ends it (exit 0)', async () => {
    upload(plan.secretFiles, () => 'x\n');
    const child = spawn(
      'sh',
      ['-c', writerProgram(plan.secretWriter), 'stars-app-secrets', dirs().input, dirs().out],
      {
        stdio: 'ignore',
      },
    );
    const marker = `${dirs().input}.done`;
    for (let i = 0; i < 100 && !existsSync(marker); i++) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(marker)).toBe(true);
    expect(child.exitCode).toBeNull();
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    rmSync(marker, { force: true });
  });

  test('a failed copy never sets the marker: the container exits and stays unhealthy', () => {
    upload(plan.secretFiles.slice(1), () => 'x\n');
    const r = spawnSync(
      'sh',
      ['-c', writerProgram(plan.secretWriter), 'stars-app-secrets', dirs().input, dirs().out],
      {
        encoding: 'utf8',
        timeout: 10_000,
      },
    );
    expect(r.status).not.toBe(0);
    expect(existsSync(`${dirs().input}.done`)).toBe(false);
  });

  test('the script and the container program are shellcheck clean (POSIX sh)', () => {
    const program = spawnSync('shellcheck', ['-s', 'sh', '-'], {
      input: writerProgram(plan.secretWriter),
      encoding: 'utf8',
    });
    expect([program.status, program.stdout]).toEqual([0, '']);
    const r = spawnSync('shellcheck', ['-s', 'sh', '-'], { input: plan.secretWriter, encoding: 'utf8' });
    expect([r.status, r.stdout]).toEqual([0, '']);
  });
});

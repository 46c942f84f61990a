/**
 * images/mesos/bundle-curl.sh on this machine's real curl: the bundle answers a MESOS_HTTP health check exactly
 * as Mesos runs it (apache/mesos 1.10.0 src/checks/checker_process.cpp:1005-1019, the flags below), and it runs
 * in a root holding nothing but the bundle, so the Stars Mesos image's older C library never matters. The check
 * targets an HTTP server this test starts on loopback.
 */
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { reportSkip } from '../../support/skips';

const BUNDLE = path.resolve(__dirname, '../../../images/mesos/bundle-curl.sh');
const MESOS_FLAGS = ['-s', '-S', '-L', '-k', '-w', '%{http_code}', '-o', '/dev/null', '-g'];
const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const capable = process.getuid?.() === 0 && has('curl') && has('chroot');
if (!capable) reportSkip('curl bundle tests: they need root (chroot) and curl');
const when = capable ? describe : describe.skip;

let work: string;
let server: http.Server;
let port: number;
beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'stars-curl-'));
  server = http.createServer((req, res) => {
    if (req.url === '/moved') res.writeHead(302, { Location: '/health' }).end();
    else res.writeHead(req.url === '/health' ? 200 : 503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(work, { recursive: true, force: true });
});

/** Runs a command without blocking the event loop, so the loopback server can answer it. */
function run(
  cmd: string,
  args: string[],
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child: ChildProcess = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

when('bundle-curl.sh', () => {
  test.each([
    ['a healthy endpoint answers 200', '/health', 0, '200'],
    ['a redirect is followed (-L)', '/moved', 0, '200'],
    ['an unhealthy endpoint answers its status', '/other', 0, '503'],
  ])('through bin/curl, with the flags Mesos passes: %s', async (_claim, urlPath, status, code) => {
    const dir = path.join(work, 'here');
    expect(spawnSync('sh', [BUNDLE, dir], { encoding: 'utf8' }).status).toBe(0);
    const r = await run(path.join(dir, 'bin', 'curl'), [
      ...MESOS_FLAGS,
      `http://127.0.0.1:${port}${urlPath}`,
    ]);
    expect([r.status, r.stdout]).toEqual([status, code]);
  });

  test('a closed port: exit 7 and 000, which Mesos reads as a failed check', async () => {
    const dir = path.join(work, 'closed');
    expect(spawnSync('sh', [BUNDLE, dir]).status).toBe(0);
    const r = await run(path.join(dir, 'bin', 'curl'), [...MESOS_FLAGS, 'http://127.0.0.1:9/']);
    expect([r.status, r.stdout]).toEqual([7, '000']);
  });

  test('in a root holding only the bundle (no C library of its own), the check still answers 200', async () => {
    const root = path.join(work, 'root');
    const at = '/opt/stars/curl';
    const made = spawnSync('sh', [BUNDLE, path.join(root, at), at], { encoding: 'utf8' });
    expect(made.stderr).toBe('');
    mkdirSync(path.join(root, 'dev'));
    expect(readFileSync(path.join(root, at, 'bin', 'curl'), 'utf8')).toBe(
      `#!/bin/sh\nexec ${at}/lib/ld.so --library-path ${at}/lib ${at}/curl "$@"\n`,
    );
    const r = await run('chroot', [
      root,
      `${at}/lib/ld.so`,
      '--library-path',
      `${at}/lib`,
      `${at}/curl`,
      ...MESOS_FLAGS,
      `http://127.0.0.1:${port}/health`,
    ]);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '200', '']);
  });

  test('without curl in the source image the build stops, naming why', () => {
    const r = spawnSync('/bin/sh', [BUNDLE, path.join(work, 'none')], {
      encoding: 'utf8',
      env: { PATH: path.join(work, 'empty-path') },
    });
    expect([r.status, r.stderr]).toEqual([
      1,
      'bundle-curl.sh: no curl in the image the bundle is taken from\n',
    ]);
  });
});

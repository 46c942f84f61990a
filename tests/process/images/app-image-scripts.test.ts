/**
 * The scripts that build the app images (images/livy, blazegraph, lightning, and the server check in
 * images/mesos), run for real on this machine against files this test makes and serves from disk (file:// URLs):
 * each download is refused unless it matches its pin, and the build's server check passes only for a server that
 * answers. (The images themselves are not built here: no registry is reachable for their upstream bases.)
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'fs';
import * as os from 'os';
import * as path from 'path';

const IMAGES = path.resolve(__dirname, '..', '..', '..', 'images');
const VERIFY = path.join(IMAGES, 'mesos', 'verify-server.sh');

let work: string;
beforeEach(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'stars-app-images-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string) =>
  spawnSync(cmd, args, {
    encoding: 'utf8',
    cwd,
    timeout: 60_000,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work, ...env },
  });
const sha = (kind: 'sha256' | 'sha512', file: string) =>
  createHash(kind).update(readFileSync(file)).digest('hex');

/** A zip with one top directory holding bin/livy-server, made by Python's zipfile (no zip tool needed). */
function livyZip(): string {
  const zip = path.join(work, 'apache-livy-x_2.12-bin.zip');
  const py = [
    'import sys, zipfile',
    'z = zipfile.ZipFile(sys.argv[1], "w")',
    'i = zipfile.ZipInfo("apache-livy-x_2.12-bin/bin/livy-server")',
    'i.external_attr = 0o100755 << 16',
    'z.writestr(i, "#!/bin/sh\\n")',
    'z.writestr("apache-livy-x_2.12-bin/conf/livy.conf.template", "")',
    'z.close()',
  ].join('\n');
  expect(run('python3', ['-c', py, zip]).status).toBe(0);
  return zip;
}

describe('livy/fetch-livy.sh', () => {
  const fetchLivy = (zip: string, env: NodeJS.ProcessEnv) =>
    run('sh', [path.join(IMAGES, 'livy', 'fetch-livy.sh'), path.join(work, 'opt', 'livy')], {
      LIVY_URL: `file://${zip}`,
      ...env,
    });

  test('a pinned SHA-512 that matches: the release is unpacked with its server executable', () => {
    const zip = livyZip();
    const r = fetchLivy(zip, { LIVY_SHA512: sha('sha512', zip) });
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toBe('stars livy image: apache-livy-x_2.12-bin.zip (SHA-512 from the catalog)\n');
    expect(statSync(path.join(work, 'opt', 'livy', 'bin', 'livy-server')).mode & 0o777).toBe(0o755);
  });

  test.each([
    ['shasum -a 512 (0.9.0)', (h: string) => `${h}  apache-livy-x_2.12-bin.zip\n`],
    [
      'gpg --print-md SHA512 (0.8.0)',
      (h: string) => {
        const groups = (h.toUpperCase().match(/.{8}/g) ?? []).join(' ');
        return `apache-livy-x_2.12-bin.zip: ${groups.slice(0, 71)}\n${' '.repeat(28)}${groups.slice(72)}\n`;
      },
    ],
  ])('no pin: the .sha512 published beside the zip, written by %s, is checked', (_format, write) => {
    const zip = livyZip();
    writeFileSync(`${zip}.sha512`, write(sha('sha512', zip)));
    const r = fetchLivy(zip, {});
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain(`(SHA-512 from file://${zip}.sha512)`);
  });

  test.each([
    [
      'a pinned value that differs',
      { LIVY_SHA512: 'a'.repeat(128) },
      'does not have the SHA-512 in the catalog',
    ],
    ['a published file without a hash', { LIVY_SHA512: '' }, 'no SHA-512 in file://'],
  ])('%s stops the build before anything is unpacked', (_claim, env, message) => {
    const zip = livyZip();
    writeFileSync(`${zip}.sha512`, 'not a checksum\n');
    const r = fetchLivy(zip, env);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`stars livy image: `);
    expect(r.stderr).toContain(message);
    expect(existsSync(path.join(work, 'opt', 'livy'))).toBe(false);
  });
});

describe('blazegraph/fetch-jar.sh', () => {
  const jar = () => {
    const file = path.join(work, 'blazegraph.jar');
    writeFileSync(file, 'PK not really a jar');
    return file;
  };
  const fetchJar = (env: NodeJS.ProcessEnv) =>
    run(
      'sh',
      [path.join(IMAGES, 'blazegraph', 'fetch-jar.sh'), path.join(work, 'opt', 'blazegraph.jar')],
      env,
    );

  test('the jar is kept only when its sha256 is the pinned one', () => {
    const file = jar();
    const ok = fetchJar({ BLAZEGRAPH_URL: `file://${file}`, BLAZEGRAPH_SHA256: sha('sha256', file) });
    expect([ok.status, ok.stderr]).toEqual([0, '']);
    expect(readFileSync(path.join(work, 'opt', 'blazegraph.jar'), 'utf8')).toBe('PK not really a jar');
  });

  test.each([
    ['another sha256', 'b'.repeat(64), 'does not have the sha256 the catalog pins'],
    ['no sha256 at all', '', 'build argument BLAZEGRAPH_SHA256 is not a sha256'],
  ])('%s stops the build and leaves no jar', (_claim, pin, message) => {
    const r = fetchJar({ BLAZEGRAPH_URL: `file://${jar()}`, BLAZEGRAPH_SHA256: pin });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(message);
    expect(existsSync(path.join(work, 'opt', 'blazegraph.jar'))).toBe(false);
  });
});

describe('lightning/fetch-source.sh', () => {
  /** A release-shaped repository: an executable, and a tracked file its own .gitignore names. */
  function archive(): { url: string; tree: string } {
    const repo = path.join(work, 'repo');
    mkdirSync(path.join(repo, 'public'), { recursive: true });
    mkdirSync(path.join(repo, 'bin'));
    writeFileSync(path.join(repo, '.gitignore'), 'public\n');
    writeFileSync(path.join(repo, 'public', 'app.js'), 'built();\n');
    writeFileSync(path.join(repo, 'bin', 'server.js'), '#!/usr/bin/env node\n');
    chmodSync(path.join(repo, 'bin', 'server.js'), 0o755);
    const git = (...args: string[]) => run('git', args, { GIT_CONFIG_NOSYSTEM: '1' }, repo);
    expect(git('init', '-q').status).toBe(0);
    expect(git('add', '-A', '-f').status).toBe(0);
    expect(
      git('-c', 'user.name=t', '-c', 'user.email=t@example.org', 'commit', '-qm', 'release').status,
    ).toBe(0);
    const tree = git('rev-parse', 'HEAD^{tree}').stdout.trim();
    const tarball = path.join(work, 'source.tar.gz');
    expect(git('archive', '--prefix=lightning-abc/', '-o', tarball, 'HEAD').status).toBe(0);
    return { url: `file://${tarball}`, tree };
  }
  const fetchSource = (env: NodeJS.ProcessEnv) =>
    run('sh', [path.join(IMAGES, 'lightning', 'fetch-source.sh'), path.join(work, 'app')], env);

  test("the source is kept when git computes the release commit's tree over it, ignored files and modes included", () => {
    const { url, tree } = archive();
    const r = fetchSource({ LIGHTNING_URL: url, LIGHTNING_TREE: tree });
    expect([r.status, r.stderr, r.stdout]).toEqual([0, '', `stars lightning image: source tree ${tree}\n`]);
    expect(readFileSync(path.join(work, 'app', 'public', 'app.js'), 'utf8')).toBe('built();\n');
    expect(statSync(path.join(work, 'app', 'bin', 'server.js')).mode & 0o100).toBe(0o100);
    expect(existsSync(path.join(work, 'app', '.git'))).toBe(false);
  });

  test('another tree stops the build, naming both', () => {
    const { url, tree } = archive();
    const r = fetchSource({ LIGHTNING_URL: url, LIGHTNING_TREE: '0'.repeat(40) });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `stars lightning image: the source at ${url} has git tree ${tree}, the catalog pins ${'0'.repeat(40)}\n`,
    );
  });
});

describe('lightning/registry-only.js', () => {
  const GITHUB_ONLY = [
    'lightning-circle',
    'lightning-image-poly',
    'lightning-scatter-3',
    'lightning-vega-lite',
    'lightning-volume',
  ];
  /** Our own stand-ins shaped like Lightning's package.json and config/config.js default list. */
  function app(names: readonly string[]): string {
    const dir = path.join(work, 'app');
    mkdirSync(path.join(dir, 'config'), { recursive: true });
    const deps = Object.fromEntries(['lightning-line', ...names].map((n) => [n, '0.0.1']));
    writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({ name: 'stand-in', dependencies: deps, devDependencies: { gulp: '1' } }),
    );
    const list = ['lightning-line', ...names].map((n) => `    '${n}',`).join('\n');
    writeFileSync(path.join(dir, 'config', 'config.js'), `var d = [\n${list}\n];\nmodule.exports = d;\n`);
    return dir;
  }

  test('the GitHub-only visualizations leave the dependencies and the default list; the build tools go too', () => {
    const dir = app(GITHUB_ONLY);
    const r = run('node', [path.join(IMAGES, 'lightning', 'registry-only.js'), dir]);
    expect([r.status, r.stderr]).toEqual([0, '']);
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect([pkg.dependencies, pkg.devDependencies]).toEqual([{ 'lightning-line': '0.0.1' }, undefined]);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(require(path.join(dir, 'config', 'config.js'))).toEqual(['lightning-line']);
  });

  test('a source without one of them stops the build, naming it', () => {
    const dir = app(GITHUB_ONLY.slice(1));
    const r = run('node', [path.join(IMAGES, 'lightning', 'registry-only.js'), dir]);
    expect([r.status, r.stderr]).toEqual([
      1,
      'stars lightning image: package.json has no dependency lightning-circle\n',
    ]);
  });
});

describe('mesos/verify-server.sh', () => {
  const PORT = 38000 + (process.pid % 1000);
  const server = ['python3', '-m', 'http.server', String(PORT), '--bind', '127.0.0.1', '--directory'];

  test('passes once the server answers the status asked for, and stops it', () => {
    writeFileSync(path.join(work, 'index.html'), 'ok');
    const r = run(VERIFY, ['test', String(PORT), '/index.html', '200', '20', ...server, work]);
    expect([r.status, r.stdout]).toEqual([0, 'stars test image: the server answers 200 on /index.html\n']);
    expect(run('bash', ['-c', `exec 3<>/dev/tcp/127.0.0.1/${PORT}`]).status).not.toBe(0);
  });

  test('fails with the server output when it exits before answering', () => {
    const r = run(VERIFY, ['test', String(PORT), '/', '200', '10', 'sh', '-c', 'echo cannot start; exit 3']);
    expect([r.status, r.stderr]).toEqual([
      1,
      `stars test image: the server exited before it answered on port ${PORT}: cannot start\n`,
    ]);
  });

  test('fails naming the last answer when the status never comes', () => {
    const r = run(VERIFY, ['test', String(PORT), '/missing', '200', '2', ...server, work]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `stars test image: no 200 on port ${PORT}/missing within 2s (last answer: 404)`,
    );
  });

  test.each([
    [['test', '0', '/', '200', '5', 'true'], 'port 0 is not 1-65535'],
    [['test', '80', 'x', '200', '5', 'true'], 'path x is not an absolute URL path'],
    [['test', '80', '/', '20', '5', 'true'], 'status 20 is not an HTTP status'],
    [['test', '80', '/', '200', '0', 'true'], 'seconds 0 is not 1-9999'],
  ])('refuses %j before starting anything', (args, message) => {
    const r = run(VERIFY, args);
    expect([r.status, r.stderr]).toEqual([1, `stars test image: ${message}\n`]);
  });
});

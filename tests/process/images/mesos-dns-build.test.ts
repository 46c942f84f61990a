/**
 * images/mesos-dns: the tree checksum the build compares against the catalog, run for real on trees this test
 * makes, and the build script's refusals that need no network. (The build itself downloads Go and the source,
 * which this workplace cannot reach; the catalog's tree sha256 was computed with the same script over
 * `git archive` of the pinned commit.)
 */
import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MESOS_DNS_SOURCES, VERSION_CATALOG } from '../../../components/model/catalog';

const DIR = path.resolve(__dirname, '../../../images/mesos-dns');
const treeSha = (dir: string): string =>
  spawnSync('sh', [path.join(DIR, 'tree-sha256.sh'), dir], { encoding: 'utf8' }).stdout.trim();

let work: string;
beforeEach(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'stars-mesos-dns-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

function tree(name: string, files: Readonly<Record<string, string>>): string {
  const root = path.join(work, name);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
  return root;
}

test('both scripts pass shellcheck as POSIX sh', () => {
  const r = spawnSync(
    'shellcheck',
    ['-s', 'sh', path.join(DIR, 'tree-sha256.sh'), path.join(DIR, 'build-mesos-dns.sh')],
    { encoding: 'utf8' },
  );
  expect(r.stdout + r.stderr).toBe('');
});

describe('tree-sha256.sh', () => {
  const files = { 'main.go': 'package main\n', 'vendor/a/b.go': 'package b\n', 'records/config.go': 'x\n' };

  test('the same files give the same checksum whatever order they were written in', () => {
    const reversed = Object.fromEntries(Object.entries(files).reverse());
    expect(treeSha(tree('a', files))).toBe(treeSha(tree('b', reversed)));
    expect(treeSha(tree('c', files))).toMatch(/^[0-9a-f]{64}$/);
  });

  test.each([
    ['one byte changed', { ...files, 'main.go': 'package main \n' }],
    [
      'a file renamed',
      { 'main2.go': 'package main\n', 'vendor/a/b.go': 'package b\n', 'records/config.go': 'x\n' },
    ],
    ['a file added', { ...files, 'extra.go': '' }],
  ])('%s changes the checksum', (_claim, other) => {
    expect(treeSha(tree('x', other))).not.toBe(treeSha(tree('y', files)));
  });
});

describe('build-mesos-dns.sh', () => {
  test('a missing build argument stops the build, naming it, before anything is downloaded', () => {
    const r = spawnSync('sh', [path.join(DIR, 'build-mesos-dns.sh'), path.join(work, 'out')], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        GO_URL: 'https://go.example/go.tgz',
        GO_VERSION: '1.11.5',
      },
    });
    expect([r.status, r.stderr]).toEqual([1, 'stars mesos-dns image: build argument GO_SHA256 is not set\n']);
  });

  test('the catalog pins a source for every supported Mesos-DNS version, by its release commit', () => {
    expect(VERSION_CATALOG.mesosDns.supported.map((v) => [v, MESOS_DNS_SOURCES[v]?.tag])).toEqual(
      VERSION_CATALOG.mesosDns.supported.map((v) => [v, `v${v}`]),
    );
  });
});

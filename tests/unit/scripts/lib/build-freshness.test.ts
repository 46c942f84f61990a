import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { assertBuildFresh, programSources, staleSources } from '../../../../scripts/lib/build-freshness';

// A project tree in a temp dir: sources at times t, compiled files at times given per test.
let root: string;
const T = new Date('2026-01-01T00:00:00Z');
const later = (seconds: number): Date => new Date(T.getTime() + seconds * 1000);

function file(rel: string, at: Date): void {
  const p = path.join(root, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, '');
  utimesSync(p, at, at);
}

const SOURCES = [
  'components/a.ts',
  'components/deep/b.ts',
  'index.ts',
  'pulumi-main.ts',
  'scripts/lib/build-freshness.ts',
];

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'stars-build-'));
  for (const s of SOURCES) file(s, T);
  file('components/deep/types.d.ts', later(100));
  file('components/notes.md', later(100));
  file('scripts/other.ts', later(100));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const buildAll = (at: Date): void => SOURCES.forEach((s) => file(`bin/${s.replace(/\.ts$/, '.js')}`, at));

describe('programSources', () => {
  test('the entry points, every .ts under components/ and the freshness check itself, sorted; declarations and other files are not sources', () => {
    expect(programSources(root)).toEqual(SOURCES);
  });
});

describe('staleSources', () => {
  test('a build newer than every source is fresh', () => {
    buildAll(later(10));
    expect(staleSources(root, path.join(root, 'bin'))).toEqual([]);
  });

  test.each([
    [
      'a source edited after the build',
      () => file('components/deep/b.ts', later(20)),
      ['components/deep/b.ts'],
    ],
    ['a new source never built', () => file('components/c.ts', later(5)), ['components/c.ts']],
    ['a compiled file removed', () => rmSync(path.join(root, 'bin/index.js')), ['index.ts']],
    [
      'the freshness check edited after the build',
      () => file('scripts/lib/build-freshness.ts', later(20)),
      ['scripts/lib/build-freshness.ts'],
    ],
  ])('%s is stale', (_claim, change, stale) => {
    buildAll(later(10));
    change();
    expect(staleSources(root, path.join(root, 'bin'))).toEqual(stale);
  });
});

describe('assertBuildFresh', () => {
  test('passes on a fresh build', () => {
    buildAll(later(10));
    expect(() => assertBuildFresh(root, path.join(root, 'bin'))).not.toThrow();
  });

  test('names the stale sources and the fix', () => {
    buildAll(later(10));
    file('index.ts', later(20));
    expect(() => assertBuildFresh(root, path.join(root, 'bin'))).toThrow(
      'the compiled program in bin/ is older than its sources (index.ts); run `npm run build` and try again',
    );
  });

  test('with no build at all, names the first five sources and counts the rest', () => {
    for (const n of [1, 2, 3]) file(`components/x${n}.ts`, T);
    expect(() => assertBuildFresh(root, path.join(root, 'bin'))).toThrow(
      'the compiled program in bin/ is older than its sources (components/a.ts, components/deep/b.ts, ' +
        'components/x1.ts, components/x2.ts, components/x3.ts and 3 more); run `npm run build` and try again',
    );
  });
});

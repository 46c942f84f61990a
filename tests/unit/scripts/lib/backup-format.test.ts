import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import {
  appFile,
  backupTimestamp,
  jobFile,
  readBackup,
  renderBackup,
  sha256,
} from '../../../../scripts/lib/backup-format';

const APPS = [
  { id: '/zeppelin', cmd: 'z' },
  { id: '/data/etl', cmd: 'e' },
];
const JOBS = [{ name: 'nightly', command: 'n', schedule: 'R/2026-01-01T00:00:00Z/P1D' }];
const WHEN = new Date('2026-11-25T06:30:00.123Z');

function writeBackup(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'backup-'));
  for (const d of renderBackup('staging', WHEN, APPS, JOBS).documents) {
    mkdirSync(path.dirname(path.join(dir, d.path)), { recursive: true });
    writeFileSync(path.join(dir, d.path), d.content);
  }
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
  test('writes sorted stableJson files and a manifest with counts and sha256 of each file, manifest last', () => {
    const { documents, manifest } = renderBackup('staging', WHEN, APPS, JOBS);
    expect(documents.map((d) => d.path)).toEqual([
      'chronos/nightly.json',
      'marathon/data/etl.json',
      'marathon/zeppelin.json',
      'manifest.json',
    ]);
    expect(documents[2].content).toBe('{\n  "cmd": "z",\n  "id": "/zeppelin"\n}\n');
    expect(manifest).toEqual({
      formatVersion: 1,
      stack: 'staging',
      createdAt: '2026-11-25T06:30:00.123Z',
      counts: { marathonApps: 2, chronosJobs: 1 },
      files: {
        'chronos/nightly.json': sha256(documents[0].content),
        'marathon/data/etl.json': sha256(documents[1].content),
        'marathon/zeppelin.json': sha256(documents[2].content),
      },
    });
  });
});

describe('readBackup verifies before returning anything', () => {
  test('a good backup reads back the same definitions', () => {
    const { apps, jobs, manifest } = readBackup(writeBackup());
    expect(apps).toEqual([APPS[1], APPS[0]]);
    expect(jobs).toEqual(JOBS);
    expect(manifest.stack).toBe('staging');
  });

  test.each<[string, (dir: string) => void, string | RegExp]>([
    [
      'a manifest that is not JSON',
      (d) => writeFileSync(path.join(d, 'manifest.json'), 'not json'),
      /manifest\.json is not valid JSON/,
    ],
    [
      'another format version',
      (d) => {
        const m = JSON.parse(readFileSync(path.join(d, 'manifest.json'), 'utf8'));
        writeFileSync(path.join(d, 'manifest.json'), JSON.stringify({ ...m, formatVersion: 2 }));
      },
      /unsupported formatVersion 2 \(expected 1\)$/,
    ],
    [
      'a wrong count',
      (d) => {
        const m = JSON.parse(readFileSync(path.join(d, 'manifest.json'), 'utf8'));
        writeFileSync(
          path.join(d, 'manifest.json'),
          JSON.stringify({ ...m, counts: { marathonApps: 3, chronosJobs: 1 } }),
        );
      },
      /the manifest counts 3 apps and 1 jobs, the files hold 2 and 1$/,
    ],
    [
      'a file holding another app than its name says',
      (d) => {
        const content = '{"cmd":"z","id":"/other"}\n';
        writeFileSync(path.join(d, 'marathon/zeppelin.json'), content);
        const m = JSON.parse(readFileSync(path.join(d, 'manifest.json'), 'utf8'));
        m.files['marathon/zeppelin.json'] = sha256(content);
        writeFileSync(path.join(d, 'manifest.json'), JSON.stringify(m));
      },
      'backup file marathon/zeppelin.json holds app "/other", not the app its path names',
    ],
    [
      'a corrupted file',
      (d) => writeFileSync(path.join(d, 'chronos/nightly.json'), '{}\n'),
      /^backup file chronos\/nightly\.json is corrupted: sha256 /,
    ],
  ])('%s is refused', (_what, damage, message) => {
    const dir = writeBackup();
    damage(dir);
    expect(() => readBackup(dir)).toThrow(message);
  });

  test('a directory without manifest.json is not a backup', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'empty-'));
    expect(() => readBackup(dir)).toThrow(`${dir} is not a backup: manifest.json is missing`);
  });
});

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { claimStateDir, removeState, STATE_FILES, STATE_MARKER } from '../../../../../scripts/lib/lab/lab';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'lab-state-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const fill = (dir: string, files: readonly string[]): void => {
  mkdirSync(dir, { recursive: true });
  for (const f of files) writeFileSync(path.join(dir, f), 'x');
};

describe('the lab state directory: up claims it, down removes only what up wrote', () => {
  test('up makes a new directory and marks it with the lab name', () => {
    const dir = path.join(root, 's');
    claimStateDir(dir, 'lab1');
    expect(readFileSync(path.join(dir, STATE_MARKER), 'utf8')).toBe('lab1\n');
  });

  test('up refuses a non-empty directory the lab did not make (e.g. ~/.ssh), and writes nothing into it', () => {
    const dir = path.join(root, 'dotssh');
    fill(dir, ['known_hosts', 'id_ed25519']);
    expect(() => claimStateDir(dir, 'lab1')).toThrow(
      `${dir} is not empty and was not made by the lab (no ${STATE_MARKER}); pass a new --state-dir`,
    );
    expect(readdirSync(dir).sort()).toEqual(['id_ed25519', 'known_hosts']);
  });

  test("up refuses another lab's directory", () => {
    const dir = path.join(root, 's');
    claimStateDir(dir, 'lab1');
    expect(() => claimStateDir(dir, 'lab2')).toThrow(
      `${dir} belongs to the lab lab1; pass --name lab1 or another --state-dir`,
    );
  });

  test('down removes the files up wrote and the directory they leave empty', () => {
    const dir = path.join(root, 's');
    claimStateDir(dir, 'lab1');
    fill(
      dir,
      STATE_FILES.filter((f) => f !== STATE_MARKER),
    );
    const log: string[] = [];
    removeState(dir, 'lab1', (l) => log.push(l));
    expect([existsSync(dir), log]).toEqual([false, []]);
  });

  test('down keeps files it did not write, and says so', () => {
    const dir = path.join(root, 's');
    claimStateDir(dir, 'lab1');
    fill(dir, ['known_hosts', 'notes.md']);
    const log: string[] = [];
    removeState(dir, 'lab1', (l) => log.push(l));
    expect([readdirSync(dir), log]).toEqual([
      ['notes.md'],
      [`left ${dir}: it holds files the lab did not write`],
    ]);
  });

  test.each([
    ['a directory without the marker', undefined, `no ${STATE_MARKER} says the lab made it`],
    ["another lab's directory", 'lab2', 'it belongs to the lab lab2'],
  ])('down never deletes %s', (_what, owner, reason) => {
    const dir = path.join(root, 'precious');
    fill(dir, ['id_ed25519', 'thesis.tex']);
    if (owner !== undefined) writeFileSync(path.join(dir, STATE_MARKER), `${owner}\n`);
    const log: string[] = [];
    removeState(dir, 'lab1', (l) => log.push(l));
    expect(
      readdirSync(dir)
        .filter((f) => f !== STATE_MARKER)
        .sort(),
    ).toEqual(['id_ed25519', 'thesis.tex']);
    expect(log).toEqual([`left ${dir} alone: ${reason}`]);
  });
});

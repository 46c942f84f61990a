import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { findChromium } from '../../../../scripts/lib/graph-svg';

describe('findChromium', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'find-chromium-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'chromium-browser'), '', { mode: 0o755 });

  test('STARS_CHROMIUM wins when it exists', () => {
    expect(findChromium({ STARS_CHROMIUM: path.join(dir, 'chromium-browser'), PATH: '' })).toBe(
      path.join(dir, 'chromium-browser'),
    );
  });

  test('a STARS_CHROMIUM that does not exist is named', () => {
    expect(() => findChromium({ STARS_CHROMIUM: '/nope/chromium', PATH: dir })).toThrow(
      'STARS_CHROMIUM=/nope/chromium does not exist',
    );
  });

  test('otherwise the first Chromium or Chrome on PATH', () => {
    expect(findChromium({ PATH: `/nonexistent:${dir}` })).toBe(path.join(dir, 'chromium-browser'));
  });

  test('none at all says how to get one, and that graph.mmd needs none', () => {
    expect(() => findChromium({ PATH: '/nonexistent' })).toThrow(
      '--svg needs a Chromium or Chrome (none on PATH); install one (Debian: apt-get install chromium) or set STARS_CHROMIUM to its path. graph.mmd needs no browser: paste it into any Mermaid viewer',
    );
  });
});

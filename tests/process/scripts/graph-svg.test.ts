import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { findChromium } from '../../../scripts/lib/graph-svg';
import { reportSkip } from '../../support/skips';

/** `npm run plan -- --svg`: graph.mmd drawn by Mermaid's renderer in this machine's headless Chromium. */

const ROOT = path.resolve(__dirname, '..', '..', '..');
let browser: string | undefined;
try {
  browser = findChromium();
} catch {
  reportSkip('tests/process/scripts/graph-svg: needs Chromium (Debian chromium; .ci/run installs it)');
}
const describeIfBrowser = browser === undefined ? describe.skip : describe;

jest.setTimeout(180_000);

function plan(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(
    process.execPath,
    [require.resolve('ts-node/dist/bin.js'), '--transpile-only', 'scripts/plan.ts', ...args],
    { cwd: ROOT, encoding: 'utf8', env: { ...env, PULUMI_CONFIG_PASSPHRASE: '' } },
  );
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const fresh = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), 'plan-svg-'));
  dirs.push(d);
  return path.join(d, 'out');
};

describeIfBrowser('npm run plan -- --svg', () => {
  test('draws graph.svg beside graph.mmd, with every component and the legend, and owns it in the marker', () => {
    const out = fresh();
    const r = plan(['--stack', 'dev', '--out', out, '--svg']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const svg = readFileSync(path.join(out, 'graph.svg'), 'utf8');
    expect(svg.startsWith('<svg ')).toBe(true);
    for (const label of ['platform-zookeeper', 'apps-jupyter', 'legend', 'is created before'])
      expect(svg).toContain(label);
    expect(readFileSync(path.join(out, '.stars-plan'), 'utf8').split('\n')).toContain('graph.svg');
  });
});

describe('npm run plan -- --svg without a browser', () => {
  test('fails before anything is planned or written, saying how to get one', () => {
    const out = fresh();
    const r = plan(['--stack', 'dev', '--out', out, '--svg'], {
      ...process.env,
      PATH: '/usr/bin/no-such-dir',
      STARS_CHROMIUM: '',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error: --svg needs a Chromium or Chrome (none on PATH)');
    expect(existsSync(out)).toBe(false);
  });
});

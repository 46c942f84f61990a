import { spawnSync } from 'child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, utimesSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { PROJECT_DIR, runStack } from '../graph/harness';

/**
 * The Pulumi CLI runs the compiled bin/pulumi-main.js (Pulumi.yaml `main`). This builds a copy of the project with
 * the real `tsc -p tsconfig.build.json` (what `npm run build` runs), then checks for every stack that the compiled
 * entry registers exactly the resources and outputs index.ts does, and that it refuses to run once a source is
 * newer than its build.
 */

jest.setTimeout(300_000);

let copy: string;
beforeAll(() => {
  copy = mkdtempSync(path.join(tmpdir(), 'stars-build-'));
  for (const item of [
    'index.ts',
    'pulumi-main.ts',
    'tsconfig.json',
    'tsconfig.build.json',
    'components',
    'scripts',
    // The project root as the Pulumi CLI runs it: the program reads the image build contexts from images/.
    'Pulumi.yaml',
    'images',
  ])
    cpSync(path.join(PROJECT_DIR, item), path.join(copy, item), { recursive: true });
  symlinkSync(path.join(PROJECT_DIR, 'node_modules'), path.join(copy, 'node_modules'));
  const tsc = spawnSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: copy,
      encoding: 'utf8',
    },
  );
  if (tsc.status !== 0) throw new Error(`tsc failed:\n${tsc.stdout}${tsc.stderr}`);
});
afterAll(() => rmSync(copy, { recursive: true, force: true }));

const entry = (): string => path.join(copy, 'bin', 'pulumi-main.js');

test.each(['dev', 'staging', 'production'])(
  '%s: the compiled entry point registers the same resources and outputs as index.ts',
  async (stack) => {
    const compiled = await runStack(stack, {}, { programPath: entry() });
    const source = await runStack(stack);
    expect(compiled.resources.length).toBeGreaterThan(0);
    expect(JSON.stringify(compiled.resources, null, 1)).toBe(JSON.stringify(source.resources, null, 1));
    expect(compiled.outputs).toEqual(source.outputs);
  },
);

test('a source edited after the build stops the compiled entry point with the fix, before any resource', async () => {
  const edited = path.join(copy, 'components', 'config.ts');
  const future = new Date(Date.now() + 60_000);
  utimesSync(edited, future, future);
  await expect(runStack('staging', {}, { programPath: entry() })).rejects.toThrow(
    'the compiled program in bin/ is older than its sources (components/config.ts); run `npm run build` and try again',
  );
});

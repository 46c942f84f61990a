import { existsSync } from 'fs';
import * as path from 'path';
import { reportSkip } from '../../support/skips';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS hooks jest runs
const hooks = require('../../support/skip-report') as { setup(): Promise<void>; teardown(): Promise<void> };

describe('skips are listed once at the end of the run', () => {
  const saved = process.env.STARS_SKIP_LOG;
  afterEach(() => {
    process.env.STARS_SKIP_LOG = saved;
    jest.restoreAllMocks();
  });

  test('each reason once, after the run, and the log is removed', async () => {
    await hooks.setup();
    const log = process.env.STARS_SKIP_LOG as string;
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    reportSkip('host firewall tests: they need root');
    reportSkip('host firewall tests: they need root');
    reportSkip('backup job test: curl is not installed');
    const written: string[] = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    await hooks.teardown();
    expect(written.join('')).toBe(
      '\nSKIPPED on this machine (2):\n  - host firewall tests: they need root\n  - backup job test: curl is not installed\n\n',
    );
    expect(existsSync(path.dirname(log))).toBe(false);
  });

  test('nothing is printed when nothing was skipped', async () => {
    await hooks.setup();
    const written: string[] = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    await hooks.teardown();
    expect(written).toEqual([]);
  });
});

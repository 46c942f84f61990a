import { spawnSync } from 'child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

/**
 * graph.mmd drawn as SVG by Mermaid's own renderer (@mermaid-js/mermaid-cli, pinned), in a headless Chromium the
 * machine already has: Puppeteer is told never to download one (.puppeteerrc.cjs), so the plan stays offline.
 */

export class GraphRenderError extends Error {}

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** The browser to draw with: `$STARS_CHROMIUM`, else the first Chromium or Chrome on PATH. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const given = env.STARS_CHROMIUM;
  if (given !== undefined && given !== '') {
    if (!existsSync(given)) throw new GraphRenderError(`STARS_CHROMIUM=${given} does not exist`);
    return given;
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    for (const name of CANDIDATES) {
      const candidate = path.join(dir, name);
      if (dir !== '' && existsSync(candidate)) return candidate;
    }
  }
  throw new GraphRenderError(
    '--svg needs a Chromium or Chrome (none on PATH); install one (Debian: apt-get install chromium) or set ' +
      'STARS_CHROMIUM to its path. graph.mmd needs no browser: paste it into any Mermaid viewer',
  );
}

const MMDC = path.join(__dirname, '..', '..', 'node_modules', '@mermaid-js', 'mermaid-cli', 'src', 'cli.js');

/** The renderer's command line: input, output, the Puppeteer launch options file, no progress output. */
export function mmdcArgs(mmd: string, svg: string, puppeteerConfig: string): string[] {
  return ['--quiet', '-i', mmd, '-o', svg, '-p', puppeteerConfig];
}

/** Puppeteer launch options: the machine's browser; its sandbox off only as root, where Chromium refuses it. */
export function puppeteerLaunchOptions(
  browser: string,
  root: boolean,
): { executablePath: string; args: string[] } {
  return { executablePath: browser, args: root ? ['--no-sandbox', '--disable-gpu'] : ['--disable-gpu'] };
}

/** Renders `mmd` to `svg` with `browser`; a failed render names the renderer's own message. */
export function renderGraphSvg(mmd: string, svg: string, browser: string): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'stars-mmdc-'));
  try {
    const config = path.join(dir, 'puppeteer.json');
    const root = typeof process.getuid === 'function' && process.getuid() === 0;
    writeFileSync(config, JSON.stringify(puppeteerLaunchOptions(browser, root)));
    const r = spawnSync(process.execPath, [MMDC, ...mmdcArgs(mmd, svg, config)], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (r.status !== 0 || !existsSync(svg))
      throw new GraphRenderError(
        `drawing ${mmd} with ${browser} failed: ${(r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').slice(-3).join(' ')}`,
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

import { existsSync, readdirSync, statSync } from 'fs';
import * as path from 'path';

/**
 * The Pulumi CLI runs the compiled program (bin/, from `npm run build`); these checks keep it from running a build
 * older than the TypeScript it came from.
 */

/**
 * The program's sources, relative to the project root and sorted: the entry points, everything in components/ and
 * this module (the entry point imports it).
 */
export function programSources(root: string): string[] {
  const found: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = path.posix.join(rel, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) found.push(child);
    }
  };
  walk('components');
  return ['index.ts', 'pulumi-main.ts', 'scripts/lib/build-freshness.ts', ...found]
    .filter((f) => existsSync(path.join(root, f)))
    .sort();
}

/** Sources whose compiled file in `outDir` is missing or older than the source. */
export function staleSources(root: string, outDir: string): string[] {
  return programSources(root).filter((source) => {
    const built = path.join(outDir, source.replace(/\.ts$/, '.js'));
    return !existsSync(built) || statSync(built).mtimeMs < statSync(path.join(root, source)).mtimeMs;
  });
}

/** Throws, naming the stale sources and the fix, when the build in `outDir` does not match the sources in `root`. */
export function assertBuildFresh(root: string, outDir: string): void {
  const stale = staleSources(root, outDir);
  if (stale.length === 0) return;
  const shown = stale.slice(0, 5).join(', ') + (stale.length > 5 ? ` and ${stale.length - 5} more` : '');
  throw new Error(
    `the compiled program in ${path.relative(root, outDir) || '.'}/ is older than its sources (${shown}); ` +
      'run `npm run build` and try again',
  );
}

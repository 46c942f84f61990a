import { createHash } from 'crypto';
import { existsSync, readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { PROJECT_IMAGE_NAMES } from '../model/catalog';
import { projectDir } from '../plan/project-dir';
import type { ImageSourceFile, ImageSources } from './plan-images';

/**
 * Reads the build contexts under `images/` (the only file reading the planners depend on): each file's path
 * and content hash, so an image's tag changes exactly when its own files do.
 */

function filesUnder(root: string, dir = ''): ImageSourceFile[] {
  const out: ImageSourceFile[] = [];
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...filesUnder(root, rel));
    else if (entry.isFile()) {
      const sha256 = createHash('sha256')
        .update(readFileSync(path.join(root, rel)))
        .digest('hex');
      out.push({ path: rel, sha256 });
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

export function readImageSources(root: string = projectDir()): ImageSources {
  const sources: Partial<Record<(typeof PROJECT_IMAGE_NAMES)[number], ImageSourceFile[]>> = {};
  for (const name of PROJECT_IMAGE_NAMES) {
    const dir = path.join(root, 'images', name);
    if (!existsSync(path.join(dir, 'Dockerfile'))) throw new Error(`images/${name}/Dockerfile is missing`);
    sources[name] = filesUnder(dir);
  }
  return sources as ImageSources;
}

let cached: ImageSources | undefined;
/** The committed build contexts, read once per process. */
export function committedImageSources(): ImageSources {
  cached ??= readImageSources();
  return cached;
}

let lockedNpm: number | undefined;
/** How many packages the Lightning image's npm lock installs (the air-gapped mirror list names the count). */
export function lockedNpmPackages(root: string = projectDir()): number {
  if (lockedNpm === undefined) {
    const lock = JSON.parse(
      readFileSync(path.join(root, 'images', 'lightning', 'npm-shrinkwrap.json'), 'utf8'),
    ) as {
      dependencies?: Record<string, { bundled?: boolean; dependencies?: unknown }>;
    };
    let count = 0;
    const walk = (deps: Record<string, { bundled?: boolean; dependencies?: unknown }> | undefined): void => {
      for (const d of Object.values(deps ?? {})) {
        if (d.bundled !== true) count += 1;
        walk(d.dependencies as Record<string, { bundled?: boolean; dependencies?: unknown }> | undefined);
      }
    };
    walk(lock.dependencies);
    lockedNpm = count;
  }
  return lockedNpm;
}

import { existsSync, readFileSync } from 'fs';
import * as path from 'path';

/**
 * Host scripts kept as files of their own (components/hosts/scripts/), so shellcheck and the process tests run
 * them as they are; the renderers install their text on the hosts. Found from this module upwards, so the
 * compiled program (bin/) reads the same files.
 */
const cache = new Map<string, string>();

export function committedHostScript(name: 'data-backup.sh'): string {
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const rel = path.join('components', 'hosts', 'scripts', name);
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, rel);
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8');
      cache.set(name, text);
      return text;
    }
    if (path.dirname(dir) === dir) throw new Error(`${rel} not found above ${__dirname}`);
  }
}

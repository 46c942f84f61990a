import { readFileSync } from 'fs';
import * as path from 'path';
import { projectDir } from '../plan/project-dir';

/**
 * Host scripts kept as files of their own (components/hosts/scripts/), so shellcheck and the process tests run
 * them as they are; the renderers install their text on the hosts. Read once per process.
 */
const cache = new Map<string, string>();

export function committedHostScript(name: 'data-backup.sh'): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(path.join(projectDir(), 'components', 'hosts', 'scripts', name), 'utf8');
    cache.set(name, text);
  }
  return text;
}

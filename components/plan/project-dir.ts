import { existsSync } from 'fs';
import * as path from 'path';

/**
 * The project root: the nearest directory above `from` with `Pulumi.yaml` and `images/`, so the program finds its
 * committed files (image build contexts, host scripts) from the sources and from the compiled bin/ alike.
 */
export function projectDir(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'Pulumi.yaml')) && existsSync(path.join(dir, 'images'))) return dir;
    if (path.dirname(dir) === dir) {
      throw new Error(`no project directory (with Pulumi.yaml and images/) above ${from}`);
    }
  }
}

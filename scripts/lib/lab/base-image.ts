import { createHash } from 'crypto';
import { readFileSync } from 'fs';
import * as path from 'path';
import { docker, dockerOk, lastLine, run } from './docker';
import { LabError } from './lab-plan';

/**
 * The lab's host image, built once per content: its tag is a hash of the files that make it and the base it
 * starts from, so a changed setup script builds a new image and an unchanged one is reused. From the registry's
 * `debian:12` (or `--base-image`) with images/lab-host/Dockerfile; where that image cannot be had and the base is
 * the default, from Debian's packages with debootstrap (scripts/lab/build-base-image.sh), as on CI here.
 */

const ROOT = path.resolve(__dirname, '..', '..', '..');
export const DEFAULT_BASE_IMAGE = 'debian:12';
const CONTEXT = path.join(ROOT, 'images', 'lab-host');
const DEBOOTSTRAP_SCRIPT = path.join(ROOT, 'scripts', 'lab', 'build-base-image.sh');
const INPUTS = [path.join(CONTEXT, 'Dockerfile'), path.join(CONTEXT, 'host-setup.sh'), DEBOOTSTRAP_SCRIPT];

export function hostImageTag(baseImage: string): string {
  const h = createHash('sha256').update(baseImage);
  for (const f of INPUTS) h.update('\0').update(readFileSync(f));
  return `stars-lab-host:${h.digest('hex').slice(0, 12)}`;
}

const exists = async (image: string): Promise<boolean> =>
  (await docker(['image', 'inspect', '--format', '{{.Id}}', image])).code === 0;

export interface ImageOptions {
  /** `--base-image`; unset means debian:12, with the debootstrap fallback. */
  readonly baseImage?: string;
  readonly debianMirror?: string;
  readonly log: (line: string) => void;
}

export async function ensureHostImage(o: ImageOptions): Promise<string> {
  const base = o.baseImage ?? DEFAULT_BASE_IMAGE;
  const tag = hostImageTag(base);
  if (await exists(tag)) {
    o.log(`host image ${tag} is built already`);
    return tag;
  }
  let haveBase = await exists(base);
  if (!haveBase) {
    o.log(`pulling ${base}`);
    const pull = await docker(['pull', base], { timeoutMs: 600_000 });
    haveBase = pull.code === 0;
    if (!haveBase) {
      if (o.baseImage !== undefined)
        throw new LabError(`--base-image ${base} is not here and cannot be pulled: ${lastLine(pull)}`);
      o.log(
        `no registry answers for ${base} (${lastLine(pull)}); building from Debian packages with debootstrap`,
      );
    }
  }
  if (haveBase) {
    o.log(`building ${tag} from ${base}`);
    await dockerOk(
      'building the lab host image',
      ['build', '--build-arg', `BASE=${base}`, '-t', tag, CONTEXT],
      {
        timeoutMs: 1_800_000,
      },
    );
    return tag;
  }
  const args = [DEBOOTSTRAP_SCRIPT, tag, ...(o.debianMirror === undefined ? [] : [o.debianMirror])];
  const r = await run('bash', args, { timeoutMs: 1_800_000 });
  if (r.code !== 0) throw new LabError(`building the lab host image with debootstrap failed: ${lastLine(r)}`);
  o.log(`built ${tag} with debootstrap`);
  return tag;
}

import { createHash } from 'crypto';
import { agentsOf, mastersOf } from '../plan/topology';
import { PROJECT_IMAGES, PROJECT_IMAGE_NAMES, type ProjectImageName } from '../model/catalog';
import type { ClusterSpec } from '../model/types';
import { IMAGE_FROM, imageArgs, proxyArgs } from './plan-image-args';

/**
 * The images the project builds (`images/<name>/Dockerfile`) as plain data: what each is built from, its
 * reference and on which hosts it is needed. The tag carries a hash of the image's own files and build
 * arguments, and the arguments name the images it is built from, so a version change rebuilds exactly the
 * images it reaches (a new Mesos rebuilds Spark and Zeppelin, a new Zeppelin nothing else).
 */

/** One file of an image's build context: its path inside `images/<name>/` and the sha256 of its content. */
export interface ImageSourceFile {
  readonly path: string;
  readonly sha256: string;
}
export type ImageSources = Readonly<Record<ProjectImageName, readonly ImageSourceFile[]>>;

export interface ProjectImagePlan {
  readonly name: ProjectImageName;
  readonly version: string;
  /** What containers and Marathon apps run: `[registry/]stars/<name>:<version>-<hash>`. */
  readonly ref: string;
  /** Build context, relative to the project root (where the Pulumi CLI runs the program). */
  readonly context: string;
  /** What is built: bases, versions, checksums (in the tag's hash). */
  readonly buildArgs: Readonly<Record<string, string>>;
  /** Where the build downloads from: the site's mirrors, index and registry (not in the hash). */
  readonly fetchArgs: Readonly<Record<string, string>>;
  /** Project images this one is built FROM; they must exist on the same engine first. */
  readonly from: readonly ProjectImageName[];
  /** Hosts that run it, sorted. */
  readonly hosts: readonly string[];
}

export interface ImagesPlan {
  /** Registry the images are pushed to (built once, pulled by every host), or undefined: built on each host. */
  readonly registry?: string;
  /** Docker's predefined proxy arguments for every build (the login as a placeholder), or none. */
  readonly proxyArgs: Readonly<Record<string, string>>;
  /** Only the images some host needs, in build order. */
  readonly images: readonly ProjectImagePlan[];
}

/**
 * Hosts that run each image, sorted. An image's bases are on the same hosts without being added: every host
 * runs Mesos, and Zeppelin needs Spark enabled (parse rule), so its agent is one of Spark's.
 */
function needs(spec: ClusterSpec): Record<ProjectImageName, string[]> {
  const enabled = new Set(spec.apps.enabled);
  const agents = agentsOf(spec).map((h) => h.name);
  const driverApps = enabled.has('spark') || enabled.has('livy') || enabled.has('zeppelin');
  // The stateful apps keep their data in a hostPath, so they run on the first agent only (render-common `pinned`).
  const pinned = (on: boolean): string[] => (on ? agents.slice(0, 1) : []);
  return {
    mesos: spec.hosts.map((h) => h.name).sort(),
    'mesos-dns': mastersOf(spec)
      .map((h) => h.name)
      .sort(),
    spark: driverApps ? agents : [],
    zeppelin: pinned(enabled.has('zeppelin')),
    livy: enabled.has('livy') ? agents : [],
    blazegraph: pinned(enabled.has('blazegraph')),
    jupyter: pinned(enabled.has('jupyter')),
    // A site's own Lightning image (appSettings.lightning.image) replaces the project's.
    lightning: pinned(enabled.has('lightning') && spec.apps.lightning.image === undefined),
  };
}

export function planImages(spec: ClusterSpec, sources: ImageSources): ImagesPlan {
  const v = spec.versions;
  const wanted = needs(spec);
  const refs: Partial<Record<ProjectImageName, string>> = {};
  const images: ProjectImagePlan[] = [];
  for (const name of PROJECT_IMAGE_NAMES) {
    const version = v[PROJECT_IMAGES[name].component];
    const from = [...IMAGE_FROM[name]];
    const base = (n: ProjectImageName): string => {
      const ref = refs[n];
      if (ref === undefined) throw new Error(`image ${name} is built from ${n}, which is planned after it`);
      return ref;
    };
    const { pinned: buildArgs, fetch: fetchArgs } = imageArgs(name, spec, base);
    const hash = createHash('sha256')
      .update(JSON.stringify({ files: [...sources[name]].sort(byPath), buildArgs }))
      .digest('hex')
      .slice(0, 12);
    const ref = `${spec.imageRegistry === undefined ? '' : `${spec.imageRegistry}/`}stars/${name}:${version}-${hash}`;
    refs[name] = ref;
    images.push({
      name,
      version,
      ref,
      context: `images/${name}`,
      buildArgs,
      fetchArgs,
      from,
      hosts: wanted[name],
    });
  }
  return {
    ...(spec.imageRegistry === undefined ? {} : { registry: spec.imageRegistry }),
    proxyArgs: proxyArgs(spec),
    images: images.filter((i) => i.hosts.length > 0),
  };
}

const byPath = (a: ImageSourceFile, b: ImageSourceFile): number =>
  a.path < b.path ? -1 : a.path > b.path ? 1 : 0;

/** The reference of a planned image; an image no host needs has none. */
export function imageRef(plan: ImagesPlan, name: ProjectImageName): string {
  const image = plan.images.find((i) => i.name === name);
  if (image === undefined) throw new Error(`no host needs the ${name} image, so it has no reference`);
  return image.ref;
}

import { createHash } from 'crypto';
import { agentsOf, mastersOf } from '../plan/topology';
import {
  CURL_IMAGE,
  DOCKER_CLI_IMAGES,
  MESOS_DNS_SOURCES,
  MESOS_PACKAGE_IMAGES,
  PROJECT_IMAGES,
  PROJECT_IMAGE_NAMES,
  SPARK_BASE_IMAGES,
  ZEPPELIN_BASE_IMAGES,
  type ProjectImageName,
} from '../model/catalog';
import type { ClusterSpec } from '../model/types';

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
  readonly buildArgs: Readonly<Record<string, string>>;
  /** Project images this one is built FROM; they must exist on the same engine first. */
  readonly from: readonly ProjectImageName[];
  /** Hosts that run it, sorted. */
  readonly hosts: readonly string[];
}

export interface ImagesPlan {
  /** Registry the images are pushed to (built once, pulled by every host), or undefined: built on each host. */
  readonly registry?: string;
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
  // Zeppelin keeps its notebooks in a hostPath, so it runs on the first agent only (render-common `pinned`).
  return {
    mesos: spec.hosts.map((h) => h.name).sort(),
    'mesos-dns': mastersOf(spec)
      .map((h) => h.name)
      .sort(),
    spark: driverApps ? agents : [],
    zeppelin: enabled.has('zeppelin') ? agents.slice(0, 1) : [],
  };
}

function buildArgsFor(
  name: ProjectImageName,
  spec: ClusterSpec,
  base: (n: ProjectImageName) => string,
): Record<string, string> {
  const v = spec.versions;
  switch (name) {
    case 'mesos':
      return {
        CURL_IMAGE,
        DOCKER_CLI_IMAGE: required(DOCKER_CLI_IMAGES, v.docker, 'Docker CLI image'),
        MESOS_PACKAGE_IMAGE: required(MESOS_PACKAGE_IMAGES, v.mesos, 'Mesos package image'),
        MESOS_VERSION: v.mesos,
      };
    case 'mesos-dns': {
      const source = MESOS_DNS_SOURCES[v.mesosDns];
      if (source === undefined)
        throw new Error(`the catalog names no Mesos-DNS source for version ${v.mesosDns}`);
      return {
        BUILD_IMAGE: CURL_IMAGE,
        GO_SHA256: source.goSha256,
        GO_VERSION: source.goVersion,
        MESOS_DNS_COMMIT: source.commit,
        MESOS_DNS_TREE_SHA256: source.treeSha256,
        MESOS_DNS_VERSION: source.tag,
      };
    }
    case 'spark':
      return { MESOS_IMAGE: base('mesos'), SPARK_IMAGE: required(SPARK_BASE_IMAGES, v.spark, 'Spark image') };
    case 'zeppelin':
      return {
        SPARK_IMAGE: base('spark'),
        ZEPPELIN_IMAGE: required(ZEPPELIN_BASE_IMAGES, v.zeppelin, 'Zeppelin image'),
      };
  }
}

/** Project images each one is built FROM. */
const FROM: Readonly<Record<ProjectImageName, ProjectImageName[]>> = {
  mesos: [],
  'mesos-dns': [],
  spark: ['mesos'],
  zeppelin: ['spark'],
};

function required(table: Readonly<Record<string, string>>, version: string, what: string): string {
  const image = table[version];
  if (image === undefined) throw new Error(`the catalog names no ${what} for version ${version}`);
  return image;
}

export function planImages(spec: ClusterSpec, sources: ImageSources): ImagesPlan {
  const v = spec.versions;
  const wanted = needs(spec);
  const refs: Partial<Record<ProjectImageName, string>> = {};
  const images: ProjectImagePlan[] = [];
  for (const name of PROJECT_IMAGE_NAMES) {
    const version = v[PROJECT_IMAGES[name].component];
    const from: ProjectImageName[] = FROM[name];
    const base = (n: ProjectImageName): string => {
      const ref = refs[n];
      if (ref === undefined) throw new Error(`image ${name} is built from ${n}, which is planned after it`);
      return ref;
    };
    const buildArgs = buildArgsFor(name, spec, base);
    const hash = createHash('sha256')
      .update(JSON.stringify({ files: [...sources[name]].sort(byPath), buildArgs }))
      .digest('hex')
      .slice(0, 12);
    const ref = `${spec.imageRegistry === undefined ? '' : `${spec.imageRegistry}/`}stars/${name}:${version}-${hash}`;
    refs[name] = ref;
    images.push({ name, version, ref, context: `images/${name}`, buildArgs, from, hosts: wanted[name] });
  }
  return {
    ...(spec.imageRegistry === undefined ? {} : { registry: spec.imageRegistry }),
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

import {
  BLAZEGRAPH_JRE_IMAGE,
  BLAZEGRAPH_RELEASES,
  DEFAULT_NPM_REGISTRY,
  DEFAULT_PYPI_INDEX,
  DOWNLOAD_IMAGE,
  JUPYTER_BASE_IMAGES,
  LIGHTNING_NODE_IMAGES,
  LIGHTNING_SOURCES,
  LIVY_RELEASES,
  SPARKMAGIC_VERSION,
  downloadUrl,
  type Artefact,
} from '../model/artefacts';
import {
  CURL_IMAGE,
  DOCKER_CLI_IMAGES,
  MESOS_DNS_SOURCES,
  MESOS_PACKAGE_IMAGES,
  SPARK_BASE_IMAGES,
  ZEPPELIN_BASE_IMAGES,
  type ProjectImageName,
} from '../model/catalog';
import type { ClusterSpec } from '../model/types';
import { noProxyList, proxyVariables } from '../hosts/render-package-sources';

/**
 * The build arguments of each project image, in two kinds. `pinned` names what is built (bases, versions,
 * checksums) and goes into the image's tag, so changing it rebuilds; `fetch` names where the build gets it (the
 * site's mirrors, package index and registry) and does not, since the checksums make every source equal.
 */
export interface ImageArgs {
  readonly pinned: Readonly<Record<string, string>>;
  readonly fetch: Readonly<Record<string, string>>;
}

/** Project images each one is built FROM (the Mesos image also lends the app images its server check). */
export const IMAGE_FROM: Readonly<Record<ProjectImageName, readonly ProjectImageName[]>> = {
  mesos: [],
  'mesos-dns': [],
  spark: ['mesos'],
  zeppelin: ['spark'],
  livy: ['spark'],
  blazegraph: ['mesos'],
  jupyter: ['mesos'],
  lightning: ['mesos'],
};

function required<T>(table: Readonly<Record<string, T>>, version: string, what: string): T {
  const value = table[version];
  if (value === undefined) throw new Error(`the catalog names no ${what} for version ${version}`);
  return value;
}

function checksum(artefact: Artefact, kind: 'sha256' | 'sha512', what: string): string {
  const value = artefact[kind];
  if (value === undefined) throw new Error(`the catalog records no ${kind} for ${what}`);
  return value;
}

/** What each image's build downloads from upstream, by the build argument that names its URL. */
export function imageDownloads(
  name: ProjectImageName,
  spec: ClusterSpec,
): Readonly<Record<string, Artefact>> {
  const v = spec.versions;
  switch (name) {
    case 'mesos-dns': {
      const source = required(MESOS_DNS_SOURCES, v.mesosDns, 'Mesos-DNS source');
      return {
        GO_URL: {
          url: `https://dl.google.com/go/go${source.goVersion}.linux-amd64.tar.gz`,
          sha256: source.goSha256,
        },
        MESOS_DNS_SOURCE_URL: {
          url: `https://github.com/mesosphere/mesos-dns/archive/${source.commit}.tar.gz`,
          treeSha256: source.treeSha256,
        },
      };
    }
    case 'livy':
      return { LIVY_URL: required(LIVY_RELEASES, v.livy, 'Livy release') };
    case 'blazegraph':
      return { BLAZEGRAPH_URL: required(BLAZEGRAPH_RELEASES, v.blazegraph, 'Blazegraph release') };
    case 'lightning':
      return { LIGHTNING_URL: required(LIGHTNING_SOURCES, v.lightning, 'Lightning source') };
    default:
      return {};
  }
}

/** Where each image's build gets what it downloads and installs: the site's mirror, index and registry. */
function fetchArgs(name: ProjectImageName, spec: ClusterSpec): Record<string, string> {
  const sources = spec.packageSources;
  const files = Object.fromEntries(
    Object.entries(imageDownloads(name, spec)).map(([arg, a]) => [
      arg,
      downloadUrl(a, sources.downloadMirror),
    ]),
  );
  if (name === 'jupyter') return { ...files, PIP_INDEX_URL: sources.pypiIndex ?? DEFAULT_PYPI_INDEX };
  if (name === 'lightning') return { ...files, NPM_REGISTRY: sources.npmRegistry ?? DEFAULT_NPM_REGISTRY };
  return files;
}

function pinnedArgs(
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
      const source = required(MESOS_DNS_SOURCES, v.mesosDns, 'Mesos-DNS source');
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
    case 'livy':
      // Empty: no SHA-512 is on record, and the build checks the one the release publishes (artefacts.ts).
      return {
        DOWNLOAD_IMAGE,
        LIVY_SHA512: required(LIVY_RELEASES, v.livy, 'Livy release').sha512 ?? '',
        SPARK_IMAGE: base('spark'),
      };
    case 'blazegraph': {
      const jar = required(BLAZEGRAPH_RELEASES, v.blazegraph, 'Blazegraph release');
      return {
        BLAZEGRAPH_SHA256: checksum(jar, 'sha256', `Blazegraph ${v.blazegraph}`),
        JRE_IMAGE: BLAZEGRAPH_JRE_IMAGE,
        MESOS_IMAGE: base('mesos'),
      };
    }
    case 'jupyter':
      return {
        JUPYTER_IMAGE: required(JUPYTER_BASE_IMAGES, v.jupyter, 'JupyterLab base image'),
        MESOS_IMAGE: base('mesos'),
        SPARKMAGIC_VERSION,
      };
    case 'lightning': {
      const node = required(LIGHTNING_NODE_IMAGES, v.lightning, 'Node.js image');
      const source = required(LIGHTNING_SOURCES, v.lightning, 'Lightning source');
      if (source.gitTree === undefined)
        throw new Error(`the catalog records no git tree for Lightning ${v.lightning}`);
      return {
        LIGHTNING_TREE: source.gitTree,
        MESOS_IMAGE: base('mesos'),
        NODE_BUILD_IMAGE: node.build,
        NODE_IMAGE: node.run,
      };
    }
  }
}

export function imageArgs(
  name: ProjectImageName,
  spec: ClusterSpec,
  base: (n: ProjectImageName) => string,
): ImageArgs {
  return { pinned: pinnedArgs(name, spec, base), fetch: fetchArgs(name, spec) };
}

/**
 * Docker's predefined proxy arguments for every build's downloads (not declared in the Dockerfiles, and kept out
 * of the image's history by Docker); the login, when the proxy takes one, is a placeholder filled at deploy time.
 */
export function proxyArgs(spec: ClusterSpec): Record<string, string> {
  return Object.fromEntries(proxyVariables(spec.packageSources, noProxyList(spec)));
}

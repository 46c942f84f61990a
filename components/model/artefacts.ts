import { CURL_IMAGE } from './catalog';

/**
 * What the project images download while they are built, pinned by version, with how the build verifies each
 * file. Nothing here is fetched when a task starts: apps run from images that already hold their server. Each
 * value stands on a fixture in tests/contract/upstream/ (the contract tests hold them equal).
 */

/** A file an image build downloads from upstream and how it checks what arrived. */
export interface Artefact {
  /** Where upstream publishes it (https). A site's download mirror serves it at `<mirror>/<host>/<path>`. */
  readonly url: string;
  readonly sha256?: string;
  readonly sha512?: string;
  /**
   * A source archive: the git tree id of the release commit, recomputed by the build over what it unpacked
   * (git's own object names, SHA-1 with collision detection).
   */
  readonly gitTree?: string;
  /** A source archive: the sha256 of its file tree (images/mesos-dns/tree-sha256.sh), recomputed by the build. */
  readonly treeSha256?: string;
  /**
   * No checksum is on record: the build checks the file against the `.sha512` upstream publishes beside it
   * (on the same mirror). The closing note of issue 29 says why; a recorded value replaces this.
   */
  readonly publishedSha512?: true;
}

/** Apache Livy binary releases (the Scala 2.12 zip; no release image exists). */
export const LIVY_RELEASES: Readonly<Record<string, Artefact>> = {
  '0.8.0-incubating': {
    url: 'https://archive.apache.org/dist/incubator/livy/0.8.0-incubating/apache-livy-0.8.0-incubating_2.12-bin.zip',
    publishedSha512: true,
  },
  '0.9.0-incubating': {
    url: 'https://archive.apache.org/dist/incubator/livy/0.9.0-incubating/apache-livy-0.9.0-incubating_2.12-bin.zip',
    publishedSha512: true,
  },
};

/** Blazegraph's executable jar from its GitHub release. */
export const BLAZEGRAPH_RELEASES: Readonly<Record<string, Artefact>> = {
  '2.1.5': {
    url: 'https://github.com/blazegraph/database/releases/download/BLAZEGRAPH_RELEASE_2_1_5/blazegraph.jar',
    sha256: 'fbaeae7e1b3af71f57cfc4da58b9c52a9ae40502d431c76bafa5d5570d737610',
  },
};

/** Lightning's source at its release commit (it was never published to a package registry). */
export const LIGHTNING_SOURCES: Readonly<Record<string, Artefact>> = {
  '1.3.0': {
    url: 'https://github.com/lightning-viz/lightning/archive/ea9402271f205fedc2c719f59ef524b55d3674a7.tar.gz',
    gitTree: 'cef6265aa109287451b0f6157dd30f1e178fd289',
  },
};

/**
 * The Node.js images Lightning is built and run on. 1.3.0's dependency tree (sqlite3 3.1.13) builds on Node 8
 * and not on Node 10 (tried here: issue 29's closing note); the full image has the compilers, the slim one runs.
 */
export const LIGHTNING_NODE_IMAGES: Readonly<
  Record<string, { readonly build: string; readonly run: string }>
> = {
  '1.3.0': { build: 'node:8.17.0-stretch', run: 'node:8.17.0-stretch-slim' },
};

/** A busybox image with curl, sha256sum, sha512sum and unzip (alpine): where builds download and unpack. */
export const DOWNLOAD_IMAGE = 'curlimages/curl:8.11.1';

/** A Java 8 runtime for Blazegraph 2.1.5 (it predates Java 9): the image the Mesos image takes curl from. */
export const BLAZEGRAPH_JRE_IMAGE = CURL_IMAGE;

/** The docker-stacks image the Stars JupyterLab image adds sparkmagic to, by catalog version. */
export const JUPYTER_BASE_IMAGES: Readonly<Record<string, string>> = {
  '2026-07-28': 'quay.io/jupyter/pyspark-notebook:2026-07-28',
};

/** sparkmagic and the two packages of its repository it needs, all released together at one version. */
export const SPARKMAGIC_VERSION = '0.23.0';
export const SPARKMAGIC_PACKAGES = ['autovizwidget', 'hdijupyterutils', 'sparkmagic'] as const;

/** The Python package index builds install from unless the site names its own (packageSources.pypiIndex). */
export const DEFAULT_PYPI_INDEX = 'https://pypi.org/simple';
/** The npm registry builds install from unless the site names its own (packageSources.npmRegistry). */
export const DEFAULT_NPM_REGISTRY = 'https://registry.npmjs.org/';

/** The URL a build downloads from: upstream's, or the same path under the site's download mirror. */
export function downloadUrl(artefact: Artefact, mirror?: string): string {
  if (mirror === undefined) return artefact.url;
  return `${mirror.replace(/\/+$/, '')}/${artefact.url.replace(/^https:\/\//, '')}`;
}

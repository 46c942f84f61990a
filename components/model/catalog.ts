import type { ComponentName } from './types';

/**
 * The one version catalog. Every image and package the program deploys is pinned here; stack config may
 * choose another version only from `supported`. Each version stands on upstream evidence: an image published
 * upstream names where its tag is recorded (`evidence`), and an image the project builds names its folder
 * under `images/` (`build`). The facts behind both are fixtures in `tests/contract/upstream/`, and the
 * contract tests fail for a supported version without them (README "Platform decisions").
 */
export interface CatalogEntry {
  readonly default: string;
  readonly supported: readonly string[];
  /** Upstream container image repository, when the component runs from a published image. */
  readonly image?: string;
  /** How a version becomes an image tag (Marathon and Chronos tags carry a `v`). */
  readonly tagPrefix?: string;
  /** …and what follows it (Jenkins' LTS tags name their JDK). */
  readonly tagSuffix?: string;
  /** Verified `sha256:` digests by version. */
  readonly digests?: Readonly<Record<string, string>>;
  /** Where upstream records that `image:<tag>` was published, per supported version. */
  readonly evidence?: Readonly<Record<string, readonly string[]>>;
  /** The project builds this component's image from `images/<build>/` (see PROJECT_IMAGES). */
  readonly build?: ProjectImageName;
  readonly note: string;
}

export const PROJECT_IMAGE_NAMES = [
  'mesos',
  'mesos-dns',
  'spark',
  'zeppelin',
  'livy',
  'blazegraph',
  'jupyter',
  'lightning',
] as const;
/** The label every project image carries (LABEL in images/<name>/Dockerfile), which Docker cleanups spare. */
export const PROJECT_IMAGE_LABEL = 'stars.project-image';
export type ProjectImageName = (typeof PROJECT_IMAGE_NAMES)[number];

const OFFICIAL_IMAGES = 'docker-library/official-images';

export const VERSION_CATALOG: Readonly<Record<ComponentName, CatalogEntry>> = {
  docker: {
    default: '27.5.1',
    supported: ['27.5.1', '28.5.2'],
    note:
      'Docker Engine (docker-ce) on every host, from the vendor apt/dnf repository or the distribution ' +
      '(stars:dockerEngineSource). The Mesos image carries the matching static Docker CLI (DOCKER_CLI_IMAGES).',
  },
  zookeeper: {
    default: '3.9.5',
    supported: ['3.8.6', '3.9.5'],
    image: 'zookeeper',
    evidence: {
      '3.8.6': [`${OFFICIAL_IMAGES}@37079fb3:library/zookeeper (3.8.6 -> 31z4/zookeeper-docker@52a83649)`],
      '3.9.5': [`${OFFICIAL_IMAGES}@37079fb3:library/zookeeper (3.9.5 -> 31z4/zookeeper-docker@3f6430f6)`],
    },
    note:
      'Docker official image from 31z4/zookeeper-docker; its entrypoint keeps a mounted /conf/zoo.cfg and an ' +
      'existing /data/myid, and drops to uid 1000 after chowning /data and /datalog.',
  },
  mesos: {
    default: '1.10.0',
    supported: ['1.10.0'],
    build: 'mesos',
    note:
      'No Mesos image at 1.8 or later is on record upstream (mesosphere/mesos-* stop at 1.7.1). images/mesos ' +
      'takes the Mesos 1.10.0 package that mesosphere/marathon:v1.10.26 is built on (the Mesos that Marathon ' +
      '1.10 was released against) and adds a static Docker CLI; masters, agents and Docker executors use it.',
  },
  marathon: {
    default: '1.10.26',
    supported: ['1.10.26'],
    image: 'mesosphere/marathon',
    tagPrefix: 'v',
    evidence: {
      '1.10.26': [
        'mesosphere/marathon@v1.10.26:tools/packager/Makefile:205 (tags mesosphere/marathon:v<version>)',
        'mesosphere/marathon@v1.10.26:ci/pipeline:291 (versioned images pushed since 1.10.18)',
      ],
    },
    note:
      'Last Marathon release (1.10.19 is no git tag). Needs Mesos >= 1.5 (LibMesos.scala:21) and names Mesos ' +
      '1.8-1.10 as supported (LibMesos.scala:14); runs as nobody on debian:stretch-slim with OpenJDK 8.',
  },
  chronos: {
    default: '3.0.2',
    supported: ['3.0.2'],
    image: 'mesosphere/chronos',
    tagPrefix: 'v',
    evidence: {
      '3.0.2': ['mesos/chronos@v3.0.2:build-release.sh (tags mesosphere/chronos:<git describe>)'],
    },
    note: 'Last Chronos release; API under /v1/scheduler; bin/start.sh maps PORT0/PORT1; runs as root.',
  },
  mesosDns: {
    default: '0.7.0-rc2',
    supported: ['0.7.0-rc2'],
    build: 'mesos-dns',
    note:
      'Built by the project from source (images/mesos-dns, MESOS_DNS_SOURCES): 0.6.0, the last final release, ' +
      'polls /master/state.json, which Mesos removed in 1.8 (MESOS-4509), so it builds no records against the ' +
      'pinned Mesos; v0.7.0-rc2 polls /master/state and reads every 0.6.0 key. No final 0.7.0 exists.',
  },
  spark: {
    default: '3.5.6',
    supported: ['3.5.4', '3.5.5', '3.5.6'],
    build: 'spark',
    note:
      'Spark 3.5.x is the last line with Mesos support (removed in 4.0, SPARK-44442). images/spark adds ' +
      'libmesos and its libraries to the official apache/spark:<version> image (apache/spark-docker ' +
      'versions.json), which has none.',
  },
  zeppelin: {
    default: '0.12.0',
    supported: ['0.11.2', '0.12.0'],
    build: 'zeppelin',
    note:
      'images/zeppelin adds Spark (from images/spark, with libmesos) to apache/zeppelin:<version>, which has ' +
      'neither; Zeppelin 0.11.2-0.12.x accept Spark 3.3 up to 4.0 (exclusive).',
  },
  livy: {
    default: '0.9.0-incubating',
    supported: ['0.8.0-incubating', '0.9.0-incubating'],
    build: 'livy',
    note:
      'No release image exists; images/livy adds the Apache binary release (_2.12 zip, LIVY_RELEASES) to the ' +
      'Stars Spark image at build time. 0.9.0 targets Spark 3.5.6.',
  },
  blazegraph: {
    default: '2.1.5',
    supported: ['2.1.5'],
    build: 'blazegraph',
    note:
      'images/blazegraph puts blazegraph.jar from the GitHub release BLAZEGRAPH_RELEASE_2_1_5 (checked by ' +
      'sha256, BLAZEGRAPH_RELEASES) on a pinned Java 8 JRE image (BLAZEGRAPH_JRE_IMAGE); the jar has no CORS ' +
      'filter (no jetty-servlets).',
  },
  lightning: {
    default: '1.3.0',
    supported: ['1.3.0'],
    build: 'lightning',
    note:
      'Last Lightning release (2016), never published as an image or npm package: images/lightning builds it ' +
      'from the release commit (checked by git tree id, LIGHTNING_SOURCES) with a locked npm tree on Node 8 ' +
      '(LIGHTNING_NODE_IMAGES), its SQLite database on the app data volume.',
  },
  jupyter: {
    default: '2026-07-28',
    supported: ['2026-07-28'],
    build: 'jupyter',
    note:
      'images/jupyter adds sparkmagic (SPARKMAGIC_VERSION, from the package index at build time) and its kernels ' +
      'to the dated docker-stacks pyspark-notebook image on Quay.io (JUPYTER_BASE_IMAGES); sparkmagic talks to ' +
      'Livy, so the image’s own Spark (4.x, no Mesos) is not used for cluster jobs.',
  },
  jenkins: {
    default: '2.568.2',
    supported: ['2.568.2'],
    image: 'jenkins/jenkins',
    tagSuffix: '-lts-jdk21',
    evidence: {
      '2.568.2': [
        'jenkinsci/docker@2.568.2:docker-bake.hcl:381 (the Debian LTS build pushes <version>-lts-jdk<jdk>, jdk 21 built: :2-3)',
      ],
    },
    note:
      'Optional catalog app: the Jenkins LTS controller, Debian, JDK 21; runs as jenkins (1000:1000) with its home ' +
      'in /var/jenkins_home; jenkins.sh passes JENKINS_OPTS to the war and JAVA_OPTS to the JVM.',
  },
  httpd: {
    default: '2.4.68',
    supported: ['2.4.68'],
    image: 'httpd',
    evidence: {
      '2.4.68': [`${OFFICIAL_IMAGES}@37079fb3:library/httpd (2.4.68 -> docker-library/httpd@4da43810)`],
    },
    note:
      'The TLS edge (components/edge): the Docker official Apache httpd image, built with every module ' +
      '(--enable-mods-shared=reallyall) and apr-util LDAP, so mod_ssl, mod_proxy_http (websockets) and ' +
      'mod_authnz_ldap are all present; server root /usr/local/apache2, children run as www-data.',
  },
};

/**
 * Images the project builds from `images/<name>/Dockerfile`. Each starts from pinned upstream images (the
 * build arguments), and its tag carries a hash of its folder and arguments, so a version change rebuilds only
 * the images it reaches.
 */
export interface ProjectImageSpec {
  readonly name: ProjectImageName;
  /** The catalog component whose version the image carries in its tag. */
  readonly component: ComponentName;
}

export const PROJECT_IMAGES: Readonly<Record<ProjectImageName, ProjectImageSpec>> = {
  mesos: { name: 'mesos', component: 'mesos' },
  'mesos-dns': { name: 'mesos-dns', component: 'mesosDns' },
  spark: { name: 'spark', component: 'spark' },
  zeppelin: { name: 'zeppelin', component: 'zeppelin' },
  livy: { name: 'livy', component: 'livy' },
  blazegraph: { name: 'blazegraph', component: 'blazegraph' },
  jupyter: { name: 'jupyter', component: 'jupyter' },
  lightning: { name: 'lightning', component: 'lightning' },
};

/** The published image whose Mesos package `images/mesos` takes, by Mesos version. */
export const MESOS_PACKAGE_IMAGES: Readonly<Record<string, string>> = {
  '1.10.0': 'mesosphere/marathon:v1.10.26',
};

/**
 * The image the Stars Mesos image takes curl from (images/mesos/bundle-curl.sh): the Eclipse Temurin JRE that
 * Blazegraph runs on, whose Dockerfile installs curl "for historical reasons" (adoptium/containers@0062d796
 * 8/jre/ubuntu/jammy/Dockerfile, issue 255); its tag's evidence is tests/contract/upstream/runtime/images.json.
 */
export const CURL_IMAGE = 'eclipse-temurin:8u502-b07-jre-jammy';

/**
 * Mesos-DNS source by version, built in images/mesos-dns. The commit is the release tag's; `treeSha256` is the
 * sha256 of `find . -type f -exec sha256sum {} + | LC_ALL=C sort -k2` run in that commit's tree, which the
 * build recomputes over the downloaded archive before compiling. Go is the release upstream's CI built it with,
 * with the checksum go.dev publishes (also in docker-library/golang's 1.11.5 Dockerfile).
 */
export interface MesosDnsSource {
  readonly tag: string;
  readonly commit: string;
  readonly treeSha256: string;
  readonly goVersion: string;
  readonly goSha256: string;
}
export const MESOS_DNS_SOURCES: Readonly<Record<string, MesosDnsSource>> = {
  '0.7.0-rc2': {
    tag: 'v0.7.0-rc2',
    commit: '7135fd6922de2eee6dfc9a2535d5223083e3db38',
    treeSha256: '941414c27bf265dde94be73445dda89e1b4eb2cf7ca056ac5242372b1203e375',
    goVersion: '1.11.5',
    goSha256: 'ff54aafedff961eb94792487e827515da683d61a5f9482f668008832631e5d25',
  },
};

/** Official Docker CLI images (a static `docker` binary) by Docker Engine version. */
export const DOCKER_CLI_IMAGES: Readonly<Record<string, string>> = {
  '27.5.1': 'docker:27.5.1-cli',
  '28.5.2': 'docker:28.5.2-cli',
};

/** Official Spark images by Spark version: the Java 11 + Python 3 Ubuntu variant (apache/spark-docker). */
export const SPARK_BASE_IMAGES: Readonly<Record<string, string>> = {
  '3.5.4': 'apache/spark:3.5.4',
  '3.5.5': 'apache/spark:3.5.5',
  '3.5.6': 'apache/spark:3.5.6',
};

/** Official Zeppelin images by Zeppelin version. */
export const ZEPPELIN_BASE_IMAGES: Readonly<Record<string, string>> = {
  '0.11.2': 'apache/zeppelin:0.11.2',
  '0.12.0': 'apache/zeppelin:0.12.0',
};

/** Full image reference for a component at a version: `repo:tag`, plus `@sha256:…` when a digest is known. */
export function imageFor(component: ComponentName, version: string, repository?: string): string {
  const entry = VERSION_CATALOG[component];
  const repo = repository ?? entry.image;
  if (repo === undefined) {
    throw new Error(
      `${component} has no published image in the version catalog` +
        (entry.build === undefined ? '' : `; the project builds it from images/${entry.build}`),
    );
  }
  const digest = entry.digests?.[version];
  const tag = `${entry.tagPrefix ?? ''}${version}${entry.tagSuffix ?? ''}`;
  return `${repo}:${tag}${digest === undefined ? '' : `@${digest}`}`;
}

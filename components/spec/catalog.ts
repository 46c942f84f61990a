import type { ComponentName } from './types';

/**
 * The one version catalog. Every image and package the program deploys is pinned here; stack config may
 * choose another version only from `supported`. Digests are recorded only where they were verified; none
 * could be verified offline yet, so images are pinned by exact tag (see README "Versions").
 */
export interface CatalogEntry {
  readonly default: string;
  readonly supported: readonly string[];
  /** Container image repository, when the component runs from an image. */
  readonly image?: string;
  /** How a version becomes an image tag (Marathon and Chronos tags carry a `v`). */
  readonly tagPrefix?: string;
  /** Verified `sha256:` digests by version. */
  readonly digests?: Readonly<Record<string, string>>;
  readonly note: string;
}

export const VERSION_CATALOG: Readonly<Record<ComponentName, CatalogEntry>> = {
  docker: {
    default: '27.5.1',
    supported: ['27.5.1', '28.5.2'],
    note: 'Docker Engine (docker-ce) installed on every host from the vendor apt/dnf repository.',
  },
  zookeeper: {
    default: '3.9.5',
    supported: ['3.8.6', '3.9.5'],
    image: 'zookeeper',
    note: 'Docker official image built from 31z4/zookeeper-docker.',
  },
  mesos: {
    default: '1.10.0',
    supported: ['1.7.0', '1.10.0'],
    image: 'mesosphere/mesos',
    note:
      'mesosphere/mesos-master and mesosphere/mesos-slave share this tag, and agents run Docker executors from ' +
      'the base image mesosphere/mesos at the same tag; Marathon 1.10 is built against 1.10.0.',
  },
  marathon: {
    default: '1.10.26',
    supported: ['1.10.19', '1.10.26'],
    image: 'mesosphere/marathon',
    tagPrefix: 'v',
    note: 'Last Marathon release; needs Mesos >= 1.5.',
  },
  chronos: {
    default: '3.0.2',
    supported: ['3.0.2'],
    image: 'mesosphere/chronos',
    tagPrefix: 'v',
    note: 'Last Chronos release; API under /v1/scheduler.',
  },
  mesosDns: {
    default: '0.6.0',
    supported: ['0.6.0'],
    image: 'mesosphere/mesos-dns',
    tagPrefix: 'v',
    note: 'Last final Mesos-DNS release.',
  },
  spark: {
    default: '3.5.6',
    supported: ['3.5.4', '3.5.5', '3.5.6'],
    image: 'apache/spark',
    note: 'Spark 3.5.x is the last line with Mesos support (removed in 4.0, SPARK-44442).',
  },
  zeppelin: {
    default: '0.12.0',
    supported: ['0.11.2', '0.12.0'],
    image: 'apache/zeppelin',
    note: 'Spark interpreter built with the spark-3.5 profile.',
  },
  livy: {
    default: '0.9.0-incubating',
    supported: ['0.8.0-incubating', '0.9.0-incubating'],
    note: 'No release image exists; the Apache binary release is fetched into the Spark image.',
  },
  blazegraph: {
    default: '2.1.5',
    supported: ['2.1.5'],
    note: 'blazegraph.jar from the 2.1.5 release, run on a pinned JRE image.',
  },
  lightning: {
    default: '1.3.0',
    supported: ['1.3.0'],
    image: 'lightningviz/lightning',
    note: 'Last Lightning release.',
  },
  jupyter: {
    default: '2026-07-28',
    supported: ['2026-07-28'],
    image: 'quay.io/jupyter/pyspark-notebook',
    note: 'docker-stacks images are dated tags on Quay.io; sparkmagic is installed at a pinned version.',
  },
};

/** Full image reference for a component at a version: `repo:tag`, plus `@sha256:…` when a digest is known. */
export function imageFor(component: ComponentName, version: string, repository?: string): string {
  const entry = VERSION_CATALOG[component];
  const repo = repository ?? entry.image;
  if (repo === undefined) {
    throw new Error(`${component} has no container image in the version catalog`);
  }
  const digest = entry.digests?.[version];
  return `${repo}:${entry.tagPrefix ?? ''}${version}${digest === undefined ? '' : `@${digest}`}`;
}

import type { AppsPlan } from './apps/plan-apps';
import type { EdgePlan } from './edge/plan-edge';
import type { ClusterSpec } from './model/types';
import type { PlatformPlan } from './platform/plan-platform';
import {
  DEFAULT_NPM_REGISTRY,
  DEFAULT_PYPI_INDEX,
  SPARKMAGIC_PACKAGES,
  SPARKMAGIC_VERSION,
  downloadUrl,
  type Artefact,
} from './model/artefacts';
import { imageDownloads } from './platform/plan-image-args';

/**
 * What a site without the internet must serve its hosts for one stack, from the plan alone (so from the catalog
 * and the stack's versions and apps): the images the engines pull, the files the image builds download (at
 * `<downloadMirror>/<host>/<path>`), and the packages they install. `npm run plan -- --out` writes it as
 * mirror-list.md; README "Air-gapped install" holds it for the staging example (`npm run render:mirror-list`), and
 * a test keeps the two equal.
 */

/** The parts of the cluster plan the list reads. */
export interface MirrorInputs {
  readonly spec: ClusterSpec;
  readonly platform: PlatformPlan;
  readonly apps: AppsPlan;
  readonly edge: EdgePlan;
}

export interface MirroredImage {
  readonly ref: string;
  /** The registry that publishes it: Docker Hub (registryMirrors serve it) or another one. */
  readonly registry: string;
}

export interface MirroredFile {
  readonly url: string;
  /** Where the site's download mirror serves it, relative to `packageSources.downloadMirror`. */
  readonly mirrorPath: string;
  /** How the build checks it. */
  readonly check: string;
}

export interface MirrorList {
  readonly images: readonly MirroredImage[];
  readonly files: readonly MirroredFile[];
  /** pip requirements the JupyterLab image installs (their dependencies resolve on the index too). */
  readonly python: readonly string[];
  /** Whether the Lightning image is built (its locked npm tree then comes from the registry). */
  readonly npm: boolean;
}

const DOCKER_HUB = 'docker.io';

/** The registry of an image reference: its first part when that names a host, else Docker Hub. */
export function registryOf(ref: string): string {
  const first = ref.split('/')[0];
  return ref.includes('/') && /[.:]/.test(first) ? first : DOCKER_HUB;
}

function checkOf(a: Artefact): string {
  if (a.sha256 !== undefined) return `sha256 ${a.sha256}`;
  if (a.sha512 !== undefined) return `SHA-512 ${a.sha512}`;
  if (a.gitTree !== undefined) return `git tree ${a.gitTree}`;
  if (a.treeSha256 !== undefined) return `sha256 of its file tree ${a.treeSha256}`;
  return 'the `.sha512` published beside it (mirror that file too)';
}

function file(a: Artefact): MirroredFile {
  return { url: a.url, mirrorPath: downloadUrl(a, '').replace(/^\//, ''), check: checkOf(a) };
}

/** What the planned image builds download, each once. */
function filesOf(plan: MirrorInputs): MirroredFile[] {
  return plan.platform.images.images
    .flatMap((i) => Object.values(imageDownloads(i.name, plan.spec)))
    .map(file)
    .sort((a, b) => (a.url < b.url ? -1 : 1));
}

export function mirrorList(plan: MirrorInputs): MirrorList {
  const built = plan.platform.images.images;
  const builtRefs = new Set(built.map((i) => i.ref));
  const upstream = [
    ...plan.platform.containers.map((c) => c.image),
    ...plan.apps.apps.map((a) => a.definition.container?.docker?.image ?? ''),
    ...plan.apps.jobs.map((j) => j.definition.container?.image ?? ''),
    ...(plan.edge.enabled ? [plan.edge.image] : []),
    ...(plan.spec.dataBackup === undefined ? [] : [plan.spec.dataBackup.image]),
    ...built.flatMap((i) =>
      Object.entries(i.buildArgs)
        .filter(([k]) => k.endsWith('_IMAGE'))
        .map(([, ref]) => ref),
    ),
  ].filter((ref) => ref !== '' && !builtRefs.has(ref));
  const images = [...new Set(upstream)].sort().map((ref) => ({ ref, registry: registryOf(ref) }));
  const jupyter = built.some((i) => i.name === 'jupyter');
  return {
    images,
    files: filesOf(plan),
    python: jupyter ? SPARKMAGIC_PACKAGES.map((p) => `${p}==${SPARKMAGIC_VERSION}`) : [],
    npm: built.some((i) => i.name === 'lightning'),
  };
}

/** The list as Markdown; `npmPackages` is how many packages images/lightning/npm-shrinkwrap.json locks. */
export function renderMirrorList(list: MirrorList, npmPackages: number): string {
  const lines = [
    '| what | where from | how to serve it |',
    '|---|---|---|',
    ...list.images.map(
      (i) =>
        `| image \`${i.ref}\` | ${i.registry} | ${
          i.registry === DOCKER_HUB
            ? '`registryMirrors` (a Docker Hub pull-through cache)'
            : `the proxy: Docker's registry-mirrors serve Docker Hub only`
        } |`,
    ),
    ...list.files.map(
      (f) => `| file \`${f.url}\` | upstream | \`<downloadMirror>/${f.mirrorPath}\`, checked by ${f.check} |`,
    ),
    ...list.python.map(
      (p) =>
        `| Python package \`${p}\` and its dependencies | ${DEFAULT_PYPI_INDEX} | \`pypiIndex\` (a PyPI mirror or proxy) |`,
    ),
    ...(list.npm
      ? [
          `| the ${npmPackages} npm packages locked in \`images/lightning/npm-shrinkwrap.json\` | ${DEFAULT_NPM_REGISTRY} | \`npmRegistry\` (checked by their integrity hashes) |`,
        ]
      : []),
  ];
  return `${lines.join('\n')}\n`;
}

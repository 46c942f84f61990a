import type { ClusterSpec, HostSpec } from './model/types';
import { planHosts, type HostsPlan } from './hosts/plan-hosts';
import { planPlatform, type PlatformPlan } from './platform/plan-platform';
import { planApps, type AppsPlan } from './apps/plan-apps';
import { planEdge, type EdgePlan } from './edge/plan-edge';
import { committedImageSources, lockedNpmPackages } from './platform/image-sources';
import { mirrorList, renderMirrorList } from './mirror-list';
import { planImages, type ImageSources } from './platform/plan-images';
import { sortDocuments, type RenderedDocument } from './plan/documents';

/**
 * The whole deployment as plain data, computed from the spec alone: which host runs what, and every rendered
 * document. Components turn this into resources; `npm run plan` writes it out. Layer planners add their part.
 */
export interface ClusterPlan {
  readonly spec: ClusterSpec;
  readonly masters: readonly HostSpec[];
  readonly agents: readonly HostSpec[];
  readonly hosts: HostsPlan;
  readonly platform: PlatformPlan;
  readonly apps: AppsPlan;
  readonly edge: EdgePlan;
  readonly documents: readonly RenderedDocument[];
}

export function planCluster(
  spec: ClusterSpec,
  imageSources: ImageSources = committedImageSources(),
): ClusterPlan {
  const masters = spec.hosts.filter((h) => h.roles.includes('master'));
  const agents = spec.hosts.filter((h) => h.roles.includes('agent'));
  const hosts = planHosts(spec);
  const images = planImages(spec, imageSources);
  const platform = planPlatform(spec, images);
  const apps = planApps(spec, images);
  const edge = planEdge(spec, apps);
  const documents: RenderedDocument[] = [
    ...hosts.documents,
    ...platform.documents,
    ...apps.documents,
    ...edge.documents,
    {
      path: 'mirror-list.md',
      content: renderMirrorList(mirrorList({ spec, platform, apps, edge }), lockedNpmPackages()),
    },
  ];
  return { spec, masters, agents, hosts, platform, apps, edge, documents: sortDocuments(documents) };
}

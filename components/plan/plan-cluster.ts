import type { ClusterSpec, HostSpec } from '../spec/types';
import { sortDocuments, type RenderedDocument } from './documents';

/**
 * The whole deployment as plain data, computed from the spec alone: which host runs what, and every rendered
 * document. Components turn this into resources; `npm run plan` writes it out. Layer planners add their part.
 */
export interface ClusterPlan {
  readonly spec: ClusterSpec;
  readonly masters: readonly HostSpec[];
  readonly agents: readonly HostSpec[];
  readonly documents: readonly RenderedDocument[];
}

export function planCluster(spec: ClusterSpec): ClusterPlan {
  const masters = spec.hosts.filter((h) => h.roles.includes('master'));
  const agents = spec.hosts.filter((h) => h.roles.includes('agent'));
  const documents: RenderedDocument[] = [];
  return { spec, masters, agents, documents: sortDocuments(documents) };
}

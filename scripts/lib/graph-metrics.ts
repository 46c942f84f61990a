import type { RecordedResource } from './program-runner';

/**
 * The deployment graph as the engine orders it: for every custom resource, the custom resources whose create
 * must finish before its own can start. That is
 * - its dependencies (`dependsOn` and the resources behind its input Outputs); a dependency on a component
 *   stands for every custom resource inside it, as the engine waits for the whole component;
 * - its provider (a resource cannot be created before its provider is configured);
 * - a custom parent (the SDK needs the parent's URN, which a custom resource has only once it is created).
 * A component parent adds no wait: registering a component completes at once.
 */
export function predecessors(resources: readonly RecordedResource[]): Map<string, string[]> {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const descendants = new Map<string, string[]>();
  for (const r of resources) {
    if (!r.custom) continue;
    for (let p = r.parent; p !== undefined; p = byUrn.get(p)?.parent) {
      const list = descendants.get(p);
      if (list === undefined) descendants.set(p, [r.urn]);
      else list.push(r.urn);
    }
  }
  const graph = new Map<string, string[]>();
  for (const r of resources) {
    if (!r.custom) continue;
    const out = new Set<string>();
    const add = (urn: string | undefined): void => {
      const dep = urn === undefined ? undefined : byUrn.get(urn);
      if (dep === undefined) return;
      if (dep.custom) out.add(dep.urn);
      else for (const x of descendants.get(dep.urn) ?? []) out.add(x);
    };
    for (const d of r.dependencies) add(d);
    add(r.provider);
    const parent = r.parent === undefined ? undefined : byUrn.get(r.parent);
    if (parent?.custom === true) out.add(parent.urn);
    out.delete(r.urn);
    graph.set(r.urn, [...out].sort());
  }
  return graph;
}

/**
 * The critical path of a deployment: the longest chain of custom resources in the `predecessors` graph, where
 * each must wait for the previous one. Its length is the number of create steps that cannot overlap.
 */
export function criticalPath(
  resources: readonly RecordedResource[],
  graph: ReadonlyMap<string, readonly string[]> = predecessors(resources),
): string[] {
  const memo = new Map<string, string[]>();
  const longest = (urn: string, visiting: Set<string>): string[] => {
    const known = memo.get(urn);
    if (known !== undefined) return known;
    if (visiting.has(urn)) throw new Error(`dependency cycle through ${urn}`);
    visiting.add(urn);
    let best: string[] = [];
    for (const d of graph.get(urn) ?? []) {
      const chain = longest(d, visiting);
      if (chain.length > best.length) best = chain;
    }
    visiting.delete(urn);
    const result = [...best, urn];
    memo.set(urn, result);
    return result;
  };
  let path: string[] = [];
  for (const r of resources) {
    if (!r.custom) continue;
    const chain = longest(r.urn, new Set());
    if (chain.length > path.length) path = chain;
  }
  return path;
}

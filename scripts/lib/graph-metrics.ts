import type { RecordedResource } from './program-runner';

/**
 * The critical path of a deployment: the longest chain of custom resources where each must wait for the
 * previous one. A dependency on a component stands for all custom resources inside it, as the engine waits
 * for the whole component.
 */
export function criticalPath(resources: readonly RecordedResource[]): string[] {
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
  const customDeps = (r: RecordedResource): string[] => {
    const out = new Set<string>();
    for (const d of r.dependencies) {
      const dep = byUrn.get(d);
      if (dep === undefined) continue;
      if (dep.custom) out.add(d);
      else for (const x of descendants.get(d) ?? []) out.add(x);
    }
    out.delete(r.urn);
    return [...out];
  };
  const memo = new Map<string, string[]>();
  const longest = (urn: string, visiting: Set<string>): string[] => {
    const known = memo.get(urn);
    if (known !== undefined) return known;
    if (visiting.has(urn)) throw new Error(`dependency cycle through ${urn}`);
    visiting.add(urn);
    let best: string[] = [];
    for (const d of customDeps(byUrn.get(urn) as RecordedResource)) {
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

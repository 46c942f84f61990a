/** A file the program renders: written by `npm run plan --out` and delivered to hosts or APIs on deploy. */
export interface RenderedDocument {
  /** Relative path in the plan output, e.g. `hosts/m1/zookeeper/zoo.cfg` or `marathon/zeppelin.json`. */
  readonly path: string;
  readonly content: string;
}

export function sortDocuments(docs: readonly RenderedDocument[]): RenderedDocument[] {
  const seen = new Set<string>();
  for (const d of docs) {
    if (seen.has(d.path)) throw new Error(`two rendered documents share the path ${d.path}`);
    seen.add(d.path);
  }
  return [...docs].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Deterministic JSON: keys sorted at every level, two-space indent, trailing newline. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value as Record<string, unknown>).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

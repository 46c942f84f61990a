import type { RecordedResource } from './program-runner';

/**
 * The shape of a program's resources, for the benchmark's floor program (scripts/bench-floor.ts): the same
 * count of components and custom resources, each at the same nesting depth under the same parent, with an input
 * property for property of the same serialized size, and the same dependencies, in an order where parents and dependencies come first.
 */
export interface ShapeEntry {
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  /** Index of the parent entry. */
  readonly parent?: number;
  readonly dependsOn: readonly number[];
  /** Bytes of each top-level input's serialized value: the SDK's work grows with the number of properties. */
  readonly inputs: Readonly<Record<string, number>>;
}

export function floorShape(resources: readonly RecordedResource[]): ShapeEntry[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const index = new Map<string, number>();
  const out: ShapeEntry[] = [];
  const visiting = new Set<string>();
  const place = (r: RecordedResource): number => {
    const known = index.get(r.urn);
    if (known !== undefined) return known;
    if (visiting.has(r.urn)) throw new Error(`dependency cycle through ${r.urn}`);
    visiting.add(r.urn);
    const parentRes = r.parent === undefined ? undefined : byUrn.get(r.parent);
    const parent = parentRes === undefined ? undefined : place(parentRes);
    const dependsOn = r.dependencies
      .map((d) => byUrn.get(d))
      .filter((d): d is RecordedResource => d !== undefined && d.urn !== r.urn)
      .map(place);
    visiting.delete(r.urn);
    const i = out.length;
    out.push({
      type: r.type,
      name: r.name,
      custom: r.custom,
      ...(parent === undefined ? {} : { parent }),
      dependsOn: [...new Set(dependsOn)].sort((a, b) => a - b),
      inputs: Object.fromEntries(
        Object.entries(r.inputs).map(([k, v]) => [k, Buffer.byteLength(JSON.stringify(v) ?? '')]),
      ),
    });
    index.set(r.urn, i);
    return i;
  };
  for (const r of resources) place(r);
  return out;
}

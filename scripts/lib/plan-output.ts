import type { RecordedResource } from './program-runner';

/** Pure renderers for `npm run plan`: the resource tree, the summary and the Mermaid component graph. */

export function renderTree(resources: readonly RecordedResource[]): string {
  const known = new Set(resources.map((r) => r.urn));
  const children = new Map<string, RecordedResource[]>();
  for (const r of resources) {
    // A parent that was not recorded (the stack itself) makes the resource a root.
    const key = r.parent !== undefined && known.has(r.parent) ? r.parent : '';
    children.set(key, [...(children.get(key) ?? []), r]);
  }
  const lines: string[] = [];
  const walk = (parent: string, depth: number): void => {
    for (const r of children.get(parent) ?? []) {
      const kept = [r.protect ? 'protect' : '', r.retainOnDelete ? 'retainOnDelete' : ''].filter((f) => f);
      lines.push(`${'  '.repeat(depth)}${r.type} ${r.name}${kept.length > 0 ? ` [${kept.join(', ')}]` : ''}`);
      walk(r.urn, depth + 1);
    }
  };
  walk('', 0);
  return `${lines.join('\n')}\n`;
}

/** A resource belongs to a host when its name, or an ancestor's, has the host name as a dash-delimited part. */
export function hostOf(
  resource: RecordedResource,
  byUrn: ReadonlyMap<string, RecordedResource>,
  hosts: readonly string[],
): string | undefined {
  for (
    let r: RecordedResource | undefined = resource;
    r !== undefined;
    r = r.parent === undefined ? undefined : byUrn.get(r.parent)
  ) {
    const padded = `-${r.name}-`;
    const match = hosts.filter((h) => padded.includes(`-${h}-`)).sort((a, b) => b.length - a.length)[0];
    if (match !== undefined) return match;
  }
  return undefined;
}

export interface PlanSummary {
  readonly total: number;
  readonly byType: Readonly<Record<string, number>>;
  readonly byHost: Readonly<Record<string, number>>;
}

export function summarize(resources: readonly RecordedResource[], hosts: readonly string[]): PlanSummary {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const byType: Record<string, number> = {};
  const byHost: Record<string, number> = Object.fromEntries([...hosts].sort().map((h) => [h, 0]));
  let cluster = 0;
  for (const r of resources) {
    byType[r.type] = (byType[r.type] ?? 0) + 1;
    const host = hostOf(r, byUrn, hosts);
    if (host === undefined) cluster += 1;
    else byHost[host] += 1;
  }
  return {
    total: resources.length,
    byType: Object.fromEntries(Object.entries(byType).sort(([a], [b]) => (a < b ? -1 : 1))),
    byHost: { ...byHost, '(cluster-wide)': cluster },
  };
}

export function renderSummary(summary: PlanSummary): string {
  const width = Math.max(
    ...Object.keys(summary.byType).map((t) => t.length),
    ...Object.keys(summary.byHost).map((h) => h.length),
    10,
  );
  const rows = (o: Readonly<Record<string, number>>): string[] =>
    Object.entries(o).map(([k, v]) => `  ${k.padEnd(width)}  ${v}`);
  return [
    `${summary.total} resources`,
    'by type:',
    ...rows(summary.byType),
    'by host:',
    ...rows(summary.byHost),
    '',
  ].join('\n');
}

const mermaidId = (urn: string, ids: Map<string, string>): string => {
  let id = ids.get(urn);
  if (id === undefined) {
    id = `n${ids.size}`;
    ids.set(urn, id);
  }
  return id;
};

/** Components (not custom resources) as boxes; parent links solid, dependencies between components dashed. */
/** Layers in the order the program builds them, so the picture reads top-down as the deployment does. */
const LAYER_ORDER = ['hosts', 'platform', 'edge', 'apps'];
const naturally = new Intl.Collator('en', { numeric: true });

function componentOrder(a: RecordedResource, b: RecordedResource): number {
  const layer = (r: RecordedResource): number => {
    const i = LAYER_ORDER.indexOf(r.type.split(':')[1] ?? '');
    return i < 0 ? LAYER_ORDER.length : i;
  };
  return layer(a) - layer(b) || naturally.compare(a.name, b.name);
}

/** What the two kinds of arrow mean, drawn beside the graph. */
const LEGEND = [
  '  subgraph legend["legend"]',
  '    direction LR',
  '    legendParent["component"] -->|"contains"| legendChild["child component"]',
  '    legendFirst["A"] -.->|"is created before"| legendThen["B, which depends on A"]',
  '  end',
];

export function renderMermaid(resources: readonly RecordedResource[]): string {
  const components = resources
    .filter((r) => !r.custom && !r.type.startsWith('pulumi:providers:'))
    .sort(componentOrder);
  const componentUrns = new Set(components.map((c) => c.urn));
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const owner = (urn: string): string | undefined => {
    for (
      let r = byUrn.get(urn);
      r !== undefined;
      r = r.parent === undefined ? undefined : byUrn.get(r.parent)
    ) {
      if (componentUrns.has(r.urn)) return r.urn;
    }
    return undefined;
  };
  const ids = new Map<string, string>();
  const lines = [
    'flowchart TD',
    '  %% Solid arrows: a component and its children. Dashed arrows: dependencies between unrelated',
    '  %% components, drawn from the one created first to the one that waits for it.',
    ...LEGEND,
  ];
  for (const c of components)
    lines.push(`  ${mermaidId(c.urn, ids)}["${c.name}<br/><small>${c.type}</small>"]`);
  for (const c of components) {
    if (c.parent !== undefined && componentUrns.has(c.parent))
      lines.push(`  ${mermaidId(c.parent, ids)} --> ${mermaidId(c.urn, ids)}`);
  }
  const edges = new Set<string>();
  for (const r of resources) {
    const from = owner(r.urn);
    for (const dep of r.dependencies) {
      const to = owner(dep);
      if (from === undefined || to === undefined || from === to) continue;
      // Only edges between sibling-level components say something the parent tree does not.
      if (isAncestor(from, to, byUrn) || isAncestor(to, from, byUrn)) continue;
      edges.add(`  ${mermaidId(to, ids)} -.-> ${mermaidId(from, ids)}`);
    }
  }
  lines.push(...[...edges].sort());
  return `${lines.join('\n')}\n`;
}

function isAncestor(ancestor: string, urn: string, byUrn: ReadonlyMap<string, RecordedResource>): boolean {
  for (
    let r = byUrn.get(urn);
    r !== undefined;
    r = r.parent === undefined ? undefined : byUrn.get(r.parent)
  ) {
    if (r.parent === ancestor) return true;
  }
  return false;
}

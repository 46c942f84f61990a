/**
 * docs/interactions.md, rendered from the interaction table (a round-trip test keeps the committed file equal).
 * Write it anew with `npx ts-node --transpile-only tests/contract/interactions/render-doc.ts --write`.
 */
import { writeFileSync } from 'fs';
import * as path from 'path';
import { INTERACTIONS, type Evidence, type Interaction } from './table';

export const DOC_PATH = path.resolve(__dirname, '../../../docs/interactions.md');

const cell = (s: string): string => s.replace(/\|/g, '\\|');
const ports = (i: Interaction): string =>
  i.ports.map((r) => (r.from === r.to ? String(r.from) : `${r.from}-${r.to}`)).join(', ');
const evidence = (e: Evidence): string =>
  'read' in e ? e.read : `${e.fixture} \`${e.fact}\`${e.includes ? ` (${e.includes.join(', ')})` : ''}`;
const only = (i: Interaction): string =>
  [i.edge === undefined ? '' : i.edge ? 'edge on' : 'edge off', i.mode ?? '']
    .filter((x) => x !== '')
    .join(', ');

export function renderInteractionsDoc(): string {
  const rows = INTERACTIONS.map((i) =>
    [
      i.id,
      `${i.client} → ${i.server}${i.callback ? ' (callback)' : ''}`,
      `${i.from.join(', ')} → ${i.to}`,
      `${i.protocol}/${ports(i)}`,
      i.what,
      i.credential,
      only(i),
      `${evidence(i.clientEvidence)}; ${evidence(i.serverEvidence)}`,
    ]
      .map(cell)
      .join(' | '),
  );
  return [
    '# Interactions',
    '',
    'Every conversation between two parts of a Stars cluster, rendered from',
    '`tests/contract/interactions/table.ts`. The contract tests beside it hold the program to this table: every',
    'port the plan emits has a row, every path a client asks for is one the pinned server routes, and the port',
    'matrix (nftables on-prem, security groups on AWS) lets every row between hosts through and opens nothing else.',
    'Evidence names a fixture under `tests/contract/upstream/` and its fact, or a source line read at the tag.',
    '`local` is the same host (loopback); `admin` is `stars:adminCidrs`; `external` is outside the cluster.',
    '',
    '| id | client → server | from → to | port | what | credential | only | evidence (client; server) |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r} |`),
    '',
  ].join('\n');
}

if (require.main === module && process.argv.includes('--write')) {
  writeFileSync(DOC_PATH, renderInteractionsDoc());
  console.log(`wrote ${path.relative(process.cwd(), DOC_PATH)}`);
}

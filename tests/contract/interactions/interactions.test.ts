/**
 * The interaction contract (table.ts) against the program and upstream, for the three committed stacks:
 * - every entry stands on evidence for both ends, and a fixture fact it names says what the entry claims;
 * - every path a client asks for is one the pinned server routes;
 * - every port the plan emits (URLs, host:port, *port settings) is a port some entry's server listens on;
 * - the port matrix (nftables on-prem, security groups on AWS) lets every needed path through and opens no path
 *   that no entry needs.
 */
import { readFileSync } from 'fs';
import { firewallRules } from '../../../components/hosts/render-firewall';
import { planAwsNetwork } from '../../../components/hosts/plan-aws-network';
import { planCluster } from '../../../components/plan-cluster';
import type { PortRule, RoleGroup } from '../../../components/plan/port-matrix';
import type { ClusterSpec } from '../../../components/model/types';
import { stackSpec } from '../../unit/components/hosts/stack-spec';
import { facts } from '../support/upstream-facts';
import { DOC_PATH, renderInteractionsDoc } from './render-doc';
import { INTERACTIONS, type FactRef, type Interaction, type PortRange } from './table';

const STACKS = ['dev', 'staging', 'production'] as const;
const specs = Object.fromEntries(STACKS.map((s) => [s, stackSpec(s)])) as Record<
  (typeof STACKS)[number],
  ClusterSpec
>;

function factText(ref: FactRef): string {
  const [component, version] = ref.fixture.split('/');
  const fact = facts(component, version).facts[ref.fact];
  if (fact === undefined) throw new Error(`${ref.fixture} has no fact ${ref.fact}`);
  return JSON.stringify(fact.values ?? fact.value);
}

describe('every interaction stands on upstream evidence for both ends', () => {
  test('ids are unique', () => {
    const ids = INTERACTIONS.map((i) => i.id);
    expect(ids.filter((id, n) => ids.indexOf(id) !== n)).toEqual([]);
  });

  test.each(INTERACTIONS.map((i) => [i.id, i]))('%s', (_id, i) => {
    for (const e of [i.clientEvidence, i.serverEvidence]) {
      if ('read' in e) {
        expect(e.read.length).toBeGreaterThan(5);
        continue;
      }
      const text = factText(e);
      for (const claim of e.includes ?? []) expect(text).toContain(claim);
    }
  });
});

/** `/v1/hosts/{host}` matches `/v1/hosts/leader.mesos`; a served entry may name its method first. */
function routed(path: string, served: readonly string[]): boolean {
  return served.some((route) => {
    const pattern = route.replace(/^[A-Z]+ /, '').replace(/\{[^}]+\}/g, '[^/]+');
    return new RegExp(`^${pattern}$`).test(path);
  });
}

describe('what each client asks for, the pinned server serves', () => {
  test.each(INTERACTIONS.filter((i) => i.requests !== undefined).map((i) => [i.id, i]))('%s', (_id, i) => {
    const served = JSON.parse(factText(i.requests?.served as FactRef)) as string[];
    expect((i.requests?.paths ?? []).filter((p) => !routed(p, served))).toEqual([]);
  });

  test('Mesos-DNS 0.6.0, the last final release, asked for a route Mesos 1.10 does not serve (why it is built)', () => {
    const served = JSON.parse(factText({ fixture: 'mesos/1.10.0', fact: 'masterRoutes' })) as string[];
    expect(routed('/master/state.json', served)).toBe(false);
    expect(routed('/master/state', served)).toBe(true);
  });
});

/** Ports a plan emits: in URLs and host:port pairs, and as the value of a setting whose name ends in port. */
function emittedPorts(spec: ClusterSpec): Map<number, string> {
  const plan = planCluster(spec);
  const texts = [
    ...plan.documents.map((d) => d.content),
    ...plan.platform.containers.flatMap((c) => [
      ...c.args,
      ...Object.values(c.env),
      ...c.files.map((f) => f.content),
    ]),
  ];
  const hostPort =
    /(?:(?:https?|zk|mesos|tcp):\/\/[^\s"',/]*?|\b\d{1,3}(?:\.\d{1,3}){3}|\}\}|\blocalhost|\.mesos|\$HOST):(\d{2,5})\b/gi;
  const setting = /\b[\w.]*port\d?["']?\s*[:=]\s*["']?(\d{2,5})\b/gi;
  const found = new Map<number, string>();
  for (const text of texts)
    for (const m of [...text.matchAll(hostPort), ...text.matchAll(setting)])
      if (!found.has(Number(m[1]))) found.set(Number(m[1]), m[0]);
  return found;
}

const inRanges = (port: number, ranges: readonly PortRange[]): boolean =>
  ranges.some((r) => r.from <= port && port <= r.to);

describe.each(STACKS)('%s: every port the plan emits belongs to an interaction', (stack) => {
  test('no emitted port without an entry', () => {
    const ports = emittedPorts(specs[stack]);
    const unexplained = [...ports.entries()].filter(([p]) => !INTERACTIONS.some((i) => inRanges(p, i.ports)));
    expect(unexplained.map(([p, where]) => `${p} (${where})`)).toEqual([]);
    expect(ports.size).toBeGreaterThan(10);
  });
});

const applies = (i: Interaction, spec: ClusterSpec): boolean =>
  (i.edge === undefined || i.edge === spec.edge.enabled) && (i.mode === undefined || i.mode === spec.mode);
const overlaps = (r: PortRule, ranges: readonly PortRange[]): boolean =>
  ranges.some((x) => x.from <= r.toPort && r.fromPort <= x.to);

/** The rules each stack deploys: the on-prem hosts' nftables rules, or the AWS security groups. */
function deployedRules(stack: 'staging' | 'production'): readonly PortRule[] {
  const spec = specs[stack];
  if (stack === 'production') {
    if (spec.aws === undefined) throw new Error('production is an AWS stack');
    return planAwsNetwork(spec, spec.aws).rules;
  }
  const byName = new Map<string, PortRule>();
  for (const host of spec.hosts) for (const r of firewallRules(spec, host)) byName.set(r.name, r);
  return [...byName.values()];
}

describe.each(['staging', 'production'] as const)(
  '%s: the port matrix and the interactions agree',
  (stack) => {
    const spec = specs[stack];
    const rules = deployedRules(stack);
    const needed = INTERACTIONS.filter((i) => applies(i, spec));

    test('every needed path between hosts, and from the operators, is let through', () => {
      const blocked: string[] = [];
      for (const i of needed) {
        if (i.to !== 'masters' && i.to !== 'agents') continue;
        for (const from of i.from) {
          if (from !== 'masters' && from !== 'agents' && from !== 'admin') continue;
          for (const range of i.ports) {
            const open = rules.some(
              (r) =>
                r.group === (i.to as RoleGroup) &&
                r.protocol === i.protocol &&
                r.fromPort <= range.from &&
                range.to <= r.toPort &&
                (from === 'admin' ? r.cidr !== undefined : r.sourceGroup === from),
            );
            if (!open) blocked.push(`${i.id}: ${from} -> ${i.to} ${i.protocol}/${range.from}-${range.to}`);
          }
        }
      }
      expect(blocked).toEqual([]);
    });

    test('no rule opens a path that no interaction needs', () => {
      const unneeded = rules.filter(
        (r) =>
          !needed.some(
            (i) =>
              i.to === r.group &&
              i.protocol === r.protocol &&
              overlaps(r, i.ports) &&
              i.from.includes(r.sourceGroup ?? 'admin'),
          ),
      );
      expect(unneeded.map((r) => r.name)).toEqual([]);
    });
  },
);

test('docs/interactions.md is rendered from the table (write it anew with render-doc.ts --write)', () => {
  expect(readFileSync(DOC_PATH, 'utf8')).toBe(renderInteractionsDoc());
});

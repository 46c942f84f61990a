import { existsSync, readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { VERSION_CATALOG } from '../../../components/model/catalog';
import type { ClusterSpec, ComponentName } from '../../../components/model/types';
import { stackSpec } from '../../unit/components/hosts/stack-spec';

/**
 * Upstream facts, read from each component's source at the tag the catalog pins and committed as fixtures under
 * tests/contract/upstream/<component>/<version>.json (repository, tag, and per fact the path it came from).
 */

export const UPSTREAM_DIR = path.resolve(__dirname, '..', 'upstream');

/** The official schemas (Marathon, the Pulumi project file, the providers' packages): ../shared/schemas. */
export const SCHEMAS_DIR =
  process.env.STARS_SCHEMAS_DIR ?? path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'schemas');

export interface Fact {
  readonly source: string | readonly string[];
  readonly values?: readonly string[];
  readonly value?: unknown;
}

export interface FactFile {
  readonly component: string;
  readonly version: string;
  readonly repository: string;
  readonly tag: string;
  readonly facts: Readonly<Record<string, Fact>>;
}

export function factFilePath(component: string, version: string): string {
  return path.join(UPSTREAM_DIR, component, `${version}.json`);
}

const cache = new Map<string, FactFile>();

export function facts(component: string, version: string): FactFile {
  const file = factFilePath(component, version);
  const hit = cache.get(file);
  if (hit !== undefined) return hit;
  if (!existsSync(file)) {
    throw new Error(
      `no upstream facts for ${component} ${version}: add ${path.relative(process.cwd(), file)} ` +
        '(read the facts from upstream source at that tag)',
    );
  }
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as FactFile;
  cache.set(file, parsed);
  return parsed;
}

/** The `values` of one fact as a set; a fact without values is a fixture error. */
export function factValues(component: string, version: string, fact: string): ReadonlySet<string> {
  const f = facts(component, version).facts[fact];
  if (f?.values === undefined) throw new Error(`${component} ${version} has no list fact ${fact}`);
  return new Set(f.values);
}

/** Every fixture file, for the checks that apply to all of them. */
export function allFactFiles(): string[] {
  return readdirSync(UPSTREAM_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(path.join(UPSTREAM_DIR, d.name))
        .filter((f) => f.endsWith('.json'))
        .map((f) => path.join(UPSTREAM_DIR, d.name, f)),
    )
    .sort();
}

/** Flag names in an argument list: `--name=value`, `--name value`, `--no-name`, `-name=value`. */
export function flagNames(args: readonly string[]): string[] {
  return args.filter((a) => a.startsWith('-')).map((a) => a.replace(/^--?/, '').split('=')[0]);
}

/**
 * Each committed stack with each supported version of each named component, one varied at a time (the
 * others at their defaults), plus `extra` config: `[label, spec]` for describe.each.
 */
export function versionedStackSpecs(
  components: readonly ComponentName[],
  extra: Readonly<Record<string, unknown>> = {},
): [string, ClusterSpec][] {
  return (['dev', 'staging', 'production'] as const).flatMap((stack) =>
    components.flatMap((component) =>
      VERSION_CATALOG[component].supported.map((version): [string, ClusterSpec] => [
        `${stack}, ${component} ${version}`,
        stackSpec(stack, { ...extra, [`stars:${component}Version`]: version }),
      ]),
    ),
  );
}

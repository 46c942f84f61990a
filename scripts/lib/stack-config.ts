import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import {
  isAlias,
  isMap,
  isNode,
  isPair,
  isScalar,
  LineCounter,
  parse,
  parseDocument,
  visit,
  type Document,
} from 'yaml';
import {
  engineStackValue,
  fullKey,
  isSecureValue,
  validateProjectConfig,
  validateStackConfig,
  type ProjectConfigType,
  type StackValue,
} from './engine-config';

/**
 * Reads Pulumi.yaml and a stack file the way the Pulumi CLI would hand them to the program: project defaults
 * first, stack values over them, every value as a string (objects and lists as JSON). Encrypted (`secure:`)
 * values cannot be decrypted offline; they become a placeholder and are listed as secret keys.
 */
export interface StackConfig {
  readonly project: string;
  /** The stack file the values came from. */
  readonly file: string;
  readonly values: Record<string, string>;
  readonly secretKeys: string[];
}

export const SECRET_PLACEHOLDER = '[secret: not decrypted offline]';

export class StackConfigError extends Error {}

export function loadStackConfig(projectDir: string, stack: string, configFile?: string): StackConfig {
  const projectFile = path.join(projectDir, 'Pulumi.yaml');
  const project = readYaml(projectFile) as { name?: string; config?: Record<string, unknown> };
  const name = project.name ?? 'stars';
  const values: Record<string, string> = {};
  const secretKeys: string[] = [];

  for (const [key, decl] of Object.entries(project.config ?? {})) {
    const full = fullKey(name, key);
    if (decl !== null && typeof decl === 'object' && 'default' in decl) {
      const d = (decl as { default: unknown }).default;
      if (d !== null && d !== undefined) values[full] = toConfigString(d);
    }
  }

  const file = configFile ?? path.join(projectDir, `Pulumi.${stack}.yaml`);
  if (!existsSync(file))
    throw new StackConfigError(
      configFile === undefined
        ? `no stack config at ${file}; create Pulumi.${stack}.yaml (copy Pulumi.staging.yaml and replace its hosts and CIDRs) or pass --config-file`
        : `no stack config at ${file}; check the path (a relative --config-file is read from the directory you ran npm in) or create the file (copy Pulumi.staging.yaml and replace its hosts and CIDRs)`,
    );
  const stackDoc = readStackFile(file);
  refuseWhatTheEngineRefuses(name, stack, file, project.config ?? {}, stackDoc?.config ?? {});
  for (const [key, value] of Object.entries(stackDoc?.config ?? {})) {
    const full = fullKey(name, key);
    if (isSecureValue(value)) {
      values[full] = SECRET_PLACEHOLDER;
      secretKeys.push(full);
    } else {
      values[full] = toConfigString(value);
    }
  }
  return { project: name, file, values, secretKeys: secretKeys.sort() };
}

/** The engine checks Pulumi.yaml and the stack before the program runs (engine-config.ts); so does the plan. */
function refuseWhatTheEngineRefuses(
  project: string,
  stack: string,
  file: string,
  declared: Readonly<Record<string, unknown>>,
  config: Readonly<Record<string, unknown>>,
): void {
  const decls: Record<string, ProjectConfigType> = {};
  for (const [key, decl] of Object.entries(declared)) {
    // A shorthand `key: value` declares a default (own namespace) or a value (another namespace).
    const own = !key.includes(':') || key.startsWith(`${project}:`);
    decls[key] =
      decl !== null && typeof decl === 'object' && !Array.isArray(decl)
        ? (decl as ProjectConfigType)
        : own
          ? { default: decl }
          : { value: decl };
  }
  const values: Record<string, StackValue> = {};
  for (const [key, value] of Object.entries(config)) {
    values[fullKey(project, key)] = { value: engineStackValue(value), secure: isSecureValue(value) };
  }
  const problems = [
    ...validateProjectConfig(project, decls),
    ...validateStackConfig(project, stack, decls, values),
  ];
  if (problems.length > 0)
    throw new StackConfigError(
      `the Pulumi engine refuses ${file} before the program runs:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
}

/** Top-level keys of a Pulumi stack file (Pulumi's workspace.ProjectStack). */
const STACK_FILE_KEYS = new Set([
  'config',
  'secretsprovider',
  'encryptedkey',
  'encryptionsalt',
  'environment',
]);

/**
 * Anchors, aliases and merge keys are refused: the engine's YAML reader applies `<<` merges that this one reads as
 * a key named "<<", so the two would plan different configs, and an alias can multiply a value without bound.
 */
function refuseYamlReferences(file: string, doc: Document, lines: LineCounter): void {
  const at = (range: readonly number[] | null | undefined): number =>
    range ? lines.linePos(range[0]).line : 0;
  visit(doc, (_key, node) => {
    if (isAlias(node))
      throw new StackConfigError(
        `${file}:${at(node.range)}: the alias *${node.source} repeats another value; write the value out (stack files take no anchors or aliases)`,
      );
    if (isPair(node) && isScalar(node.key) && node.key.value === '<<')
      throw new StackConfigError(
        `${file}:${at(node.key.range)}: "<<" merges another mapping, which Pulumi's engine and this tool read differently; write the keys out`,
      );
    if (isNode(node) && !isAlias(node) && node.anchor !== undefined)
      throw new StackConfigError(
        `${file}:${at(node.range)}: this value carries the anchor &${node.anchor}, which is for aliases; stack files take neither, so remove it and write values out`,
      );
    return undefined;
  });
}

/**
 * A stack file whose settings are not under `config:` would be planned with the defaults: refused, naming the
 * line and the fix.
 */
function readStackFile(file: string): { config?: Record<string, unknown> } | null {
  let doc: Document;
  const lines = new LineCounter();
  try {
    doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lines });
  } catch (err) {
    throw new StackConfigError(`cannot read ${file}: ${(err as Error).message}`);
  }
  if (doc.errors.length > 0) throw new StackConfigError(`cannot read ${file}: ${doc.errors[0].message}`);
  refuseYamlReferences(file, doc, lines);
  const contents = doc.contents;
  if (contents === null) return null;
  if (!isMap(contents))
    throw new StackConfigError(`${file}: a stack file is a mapping with the settings under config:`);
  for (const item of contents.items) {
    const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
    if (!STACK_FILE_KEYS.has(key)) {
      const line = isScalar(item.key) && item.key.range ? lines.linePos(item.key.range[0]).line : 0;
      throw new StackConfigError(
        `${file}:${line}: "${key}" is not a stack file setting; put the stack's settings under "config:" ` +
          '(indented below it, as in Pulumi.staging.yaml)',
      );
    }
  }
  const config = contents.get('config');
  if (config !== undefined && config !== null && !isMap(config))
    throw new StackConfigError(`${file}: "config:" must be a mapping of key: value`);
  return doc.toJS() as { config?: Record<string, unknown> } | null;
}

function readYaml(file: string): unknown {
  try {
    return parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new StackConfigError(`cannot read ${file}: ${(err as Error).message}`);
  }
}

function toConfigString(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

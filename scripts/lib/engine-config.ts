/**
 * The Pulumi engine's own checks of a project's `config:` declarations and a stack's values, so `npm run plan`
 * and the mock runs refuse what `pulumi preview` would refuse before the program starts. Ported (not copied)
 * from pulumi/pulumi at the CLI version `package.json` pins; the facts, with file and line, are in
 * tests/contract/upstream/pulumi/ and tests/contract/engine/ proves the messages and rules against them.
 */

/** One entry of Pulumi.yaml `config:` (workspace.ProjectConfigType). */
export interface ProjectConfigType {
  readonly type?: string;
  readonly items?: ProjectConfigItems;
  readonly description?: string;
  readonly default?: unknown;
  readonly value?: unknown;
  readonly secret?: boolean;
}
export interface ProjectConfigItems {
  readonly type: string;
  readonly items?: ProjectConfigItems;
}

/** A stack value as the engine holds it: scalars as strings, mappings and lists as decoded JSON. */
export interface StackValue {
  readonly value: unknown;
  /** Stored encrypted (`secure:`); offline it cannot be decrypted, so only its presence is checked. */
  readonly secure: boolean;
}

/** The engine's parseConfigKey: a key without a namespace belongs to the project. */
export const fullKey = (project: string, key: string): string =>
  key.includes(':') ? key : `${project}:${key}`;

/** A stack value stored encrypted (`secure:` in the stack file). */
export const isSecureValue = (value: unknown): boolean =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && 'secure' in value;
const namespaceOf = (key: string): string => key.split(':')[0];

/** `array<array<string>>` for nested items, as the engine names a type in its messages. */
export function fullTypeName(type: string, items?: ProjectConfigItems): string {
  return items === undefined ? type : `array<${fullTypeName(items.type, items.items)}>`;
}

/** workspace.ValidateConfigValue: whether a value (default or stack value) is of a declared type. */
export function validateConfigValue(
  type: string,
  items: ProjectConfigItems | undefined,
  value: unknown,
): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      if (typeof value === 'number') return Number.isInteger(value);
      // strconv.Atoi: an optional sign and decimal digits, nothing else.
      return typeof value === 'string' && /^[+-]?\d+$/.test(value);
    case 'boolean':
      return typeof value === 'boolean' || value === 'true' || value === 'false';
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    default:
      return (
        Array.isArray(value) &&
        items !== undefined &&
        value.every((v) => validateConfigValue(items.type, items.items, v))
      );
  }
}

/** Project.Validate: the declarations themselves (a default of the wrong type, other namespaces' rules). */
export function validateProjectConfig(
  project: string,
  config: Readonly<Record<string, ProjectConfigType>>,
): string[] {
  const problems: string[] = [];
  for (const [key, decl] of Object.entries(config)) {
    if (
      decl.default !== undefined &&
      decl.default !== null &&
      decl.value !== undefined &&
      decl.value !== null
    )
      problems.push(`project config '${key}' cannot have both a 'default' and 'value' attribute`);
    if (namespaceOf(fullKey(project, key)) === project) {
      if (decl.type === 'array' && decl.items === undefined)
        problems.push(
          `The configuration key '${key}' declares an array but does not specify the underlying type via the 'items' attribute`,
        );
      else if (
        decl.type !== undefined &&
        decl.default !== undefined &&
        decl.default !== null &&
        !validateConfigValue(decl.type, decl.items, decl.default)
      )
        problems.push(
          `The default value specified for configuration key '${key}' is not of the expected type '${fullTypeName(decl.type, decl.items)}'`,
        );
    } else if (decl.type !== undefined)
      problems.push(
        `Configuration key '${key}' is not namespaced by the project and should not define a type`,
      );
    else if (decl.default !== undefined && decl.default !== null)
      problems.push(
        `Configuration key '${key}' is not namespaced by the project and should not define a default value. Did you mean to use the 'value' attribute instead of 'default'?`,
      );
    else if (decl.value === undefined || decl.value === null)
      problems.push(`Configuration key '${key}' is namespaced and must provide an attribute 'value'`);
  }
  return problems;
}

/** `'a', 'b' and 'c'`, sorted, as the engine lists missing keys. */
function formatMissingKeys(keys: readonly string[]): string {
  const quoted = [...keys].sort().map((k) => `'${k}'`);
  return quoted.length === 1
    ? quoted[0]
    : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

/**
 * workspace.ValidateStackConfigAndApplyProjectConfig: a project key with no default and no value that the
 * stack does not set is missing (a nil default, `default: null`, counts as none); a typed key's stack value
 * must be encrypted when declared secret and be of its type. Every problem is returned (the engine stops at the
 * first type error), each worded as the engine words it.
 */
export function validateStackConfig(
  project: string,
  stack: string,
  config: Readonly<Record<string, ProjectConfigType>>,
  values: Readonly<Record<string, StackValue>>,
): string[] {
  const missing: string[] = [];
  const problems: string[] = [];
  for (const key of Object.keys(config).sort()) {
    const decl = config[key];
    const full = fullKey(project, key);
    const onStack = values[full];
    const hasDefault = decl.default !== undefined && decl.default !== null;
    const hasValue = decl.value !== undefined && decl.value !== null;
    if (onStack === undefined) {
      if (!hasDefault && !hasValue && namespaceOf(full) === project) missing.push(key);
      continue;
    }
    if (decl.type === undefined) continue;
    if (decl.secret === true && !onStack.secure)
      problems.push(`Stack '${stack}' with configuration key '${key}' must be encrypted as it's secret`);
    else if (!onStack.secure && !validateConfigValue(decl.type, decl.items, onStack.value))
      problems.push(
        `Stack '${stack}' with configuration key '${key}' must be of type '${fullTypeName(decl.type, decl.items)}'`,
      );
  }
  if (missing.length > 0)
    return [
      `Stack '${stack}' is missing configuration ${missing.length === 1 ? 'value' : 'values'} ${formatMissingKeys(missing)}`,
    ];
  return problems;
}

/** object.MarshalString: how the engine stores a scalar stack value (YAML booleans and numbers as text). */
export function engineStackValue(v: unknown): unknown {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return v;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

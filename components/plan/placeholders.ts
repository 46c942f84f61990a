/**
 * The one placeholder mechanism of rendered documents: `{{secret:name}}` for a secret and `{{value:name}}` for a
 * plain value known only at deploy time. Plans and reviews carry the placeholders; components fill them inside
 * resource inputs (platform/fill-inputs.ts), so a written-out plan never holds a secret.
 */

export type PlaceholderKind = 'secret' | 'value';

const PLACEHOLDER = /\{\{(secret|value):([a-z0-9-]+)\}\}/g;

export const secretRef = (name: string): string => `{{secret:${name}}}`;
export const valueRef = (name: string): string => `{{value:${name}}}`;

/** The names of one kind a text (or, as JSON, a document) refers to, sorted and without repeats. */
export function placeholdersIn(text: unknown, kind: PlaceholderKind): string[] {
  const s = typeof text === 'string' ? text : JSON.stringify(text);
  const found = new Set<string>();
  for (const m of s.matchAll(PLACEHOLDER)) if (m[1] === kind) found.add(m[2]);
  return [...found].sort();
}

export interface PlaceholderValues {
  readonly secret?: Readonly<Record<string, string | undefined>>;
  readonly value?: Readonly<Record<string, string | undefined>>;
}

/**
 * Replaces every placeholder, each value passed through `encode` (e.g. escaped for a JSON string); a missing
 * value is an error rather than a silently empty secret.
 */
export function fillPlaceholders(
  text: string,
  values: PlaceholderValues,
  encode: (v: string) => string = (v) => v,
): string {
  return text.replace(PLACEHOLDER, (whole, kind: PlaceholderKind, name: string) => {
    const v = values[kind]?.[name];
    if (v === undefined) throw new Error(`no value for ${kind} placeholder ${whole}`);
    return encode(v);
  });
}

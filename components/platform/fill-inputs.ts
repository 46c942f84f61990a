import * as pulumi from '@pulumi/pulumi';
import { fillPlaceholders, placeholdersIn, type PlaceholderKind } from '../plan/placeholders';

/** What fills a template: secrets as (secret) Outputs, plain values as strings. */
export interface PlaceholderInputs {
  readonly secrets: Readonly<Record<string, pulumi.Input<string> | undefined>>;
  readonly values?: Readonly<Record<string, string>>;
}

export interface FillOptions {
  /** The error for a placeholder nothing provides, naming what needs it and how to provide it. */
  readonly missing: (kind: PlaceholderKind, name: string) => string;
  /** How a value is written into the template (e.g. escaped for a JSON string); as is by default. */
  readonly encode?: (v: string) => string;
}

/**
 * Fills the placeholders of a rendered document inside a resource input (the one way the platform and the
 * apps do it): every placeholder must have a provider before anything is created; without secrets the result
 * is plain text, with them a secret Output, and a secret that resolves to no value fails the deployment
 * rather than writing a placeholder into a live file.
 */
export function fillInputs(
  template: string,
  inputs: PlaceholderInputs,
  o: FillOptions,
): pulumi.Input<string> {
  const secretNames = placeholdersIn(template, 'secret');
  const values = inputs.values ?? {};
  for (const kind of ['secret', 'value'] as const)
    for (const name of placeholdersIn(template, kind))
      if ((kind === 'secret' ? inputs.secrets[name] : values[name]) === undefined)
        throw new Error(o.missing(kind, name));
  if (secretNames.length === 0) return fillPlaceholders(template, { value: values }, o.encode);
  return pulumi.secret(
    pulumi.all(secretNames.map((n) => inputs.secrets[n])).apply((resolved) => {
      const empty = secretNames.filter((_, i) => typeof resolved[i] !== 'string');
      if (empty.length > 0) throw new Error(`secret ${empty.join(', ')} resolved to no value`);
      const secret = Object.fromEntries(secretNames.map((n, i) => [n, resolved[i] as string]));
      return fillPlaceholders(template, { secret, value: values }, o.encode);
    }),
  );
}

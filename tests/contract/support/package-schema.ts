import { readFileSync } from 'fs';
import * as path from 'path';
import { REDACTED, UNKNOWN } from '../../../scripts/lib/program-runner';
import { SCHEMAS_DIR } from './upstream-facts';

/**
 * A Pulumi package schema (pulumi/pulumi `pkg/codegen/schema`, the format of `schema.json` in each provider) as
 * far as resource inputs go: property names, types, `$ref`s to object types and enums, and required inputs.
 */
interface TypeSpec {
  readonly type?: string;
  readonly $ref?: string;
  readonly items?: TypeSpec;
  readonly additionalProperties?: TypeSpec;
  readonly oneOf?: readonly TypeSpec[];
}
interface ObjectTypeSpec {
  readonly type?: string;
  readonly properties?: Readonly<Record<string, TypeSpec>>;
  readonly required?: readonly string[];
  readonly enum?: readonly { readonly value: unknown }[];
}
export interface PackageSchema {
  readonly name: string;
  readonly version?: string;
  readonly resources: Readonly<
    Record<
      string,
      { readonly inputProperties?: Record<string, TypeSpec>; readonly requiredInputs?: readonly string[] }
    >
  >;
  readonly types?: Readonly<Record<string, ObjectTypeSpec>>;
}

export function loadPackageSchema(file: string): PackageSchema {
  return JSON.parse(readFileSync(path.join(SCHEMAS_DIR, 'pulumi-providers', file), 'utf8')) as PackageSchema;
}

/** Values a mock run cannot know (computed outputs, redacted secrets) fit any type. */
const isOpaque = (v: unknown): boolean => v === UNKNOWN || v === REDACTED;

/** Every problem with `inputs` for resource `token`, each as `path: what`; [] when the inputs fit. */
export function checkResourceInputs(
  schema: PackageSchema,
  token: string,
  inputs: Readonly<Record<string, unknown>>,
): string[] {
  const resource = schema.resources[token];
  if (resource === undefined) return [`${token}: no such resource in ${schema.name}`];
  const props = resource.inputProperties ?? {};
  const problems: string[] = [];
  for (const required of resource.requiredInputs ?? []) {
    if (inputs[required] === undefined) problems.push(`${required}: required input missing`);
  }
  for (const [name, value] of Object.entries(inputs)) {
    const spec = props[name];
    if (spec === undefined) problems.push(`${name}: not an input of ${token}`);
    else problems.push(...checkValue(schema, spec, value, name));
  }
  return problems;
}

function checkValue(schema: PackageSchema, spec: TypeSpec, value: unknown, at: string): string[] {
  if (value === undefined || value === null || isOpaque(value)) return [];
  if (spec.oneOf !== undefined) {
    const fits = spec.oneOf.some((alt) => checkValue(schema, alt, value, at).length === 0);
    return fits ? [] : [`${at}: fits none of oneOf`];
  }
  if (spec.$ref !== undefined) return checkRef(schema, spec.$ref, value, at);
  switch (spec.type) {
    case 'string':
      return typeof value === 'string' ? [] : [`${at}: ${JSON.stringify(value)} is not a string`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at}: ${JSON.stringify(value)} is not a boolean`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${at}: ${JSON.stringify(value)} is not an integer`];
    case 'number':
      return typeof value === 'number' ? [] : [`${at}: ${JSON.stringify(value)} is not a number`];
    case 'array':
      if (!Array.isArray(value)) return [`${at}: is not an array`];
      return value.flatMap((v, i) => (spec.items ? checkValue(schema, spec.items, v, `${at}[${i}]`) : []));
    case 'object':
      if (typeof value !== 'object' || Array.isArray(value)) return [`${at}: is not an object`];
      return Object.entries(value).flatMap(([k, v]) =>
        spec.additionalProperties ? checkValue(schema, spec.additionalProperties, v, `${at}.${k}`) : [],
      );
    default:
      return [`${at}: the schema names no type`];
  }
}

function checkRef(schema: PackageSchema, ref: string, value: unknown, at: string): string[] {
  // pulumi.json#/Any, /Asset, /Archive, /Json: the engine's own types, open by definition.
  if (ref.startsWith('pulumi.json#/')) return [];
  const token = decodeURIComponent(ref.replace(/^#\/types\//, ''));
  const type = schema.types?.[token];
  if (type === undefined) return [`${at}: ${ref} is not a type of ${schema.name}`];
  if (type.enum !== undefined) {
    const allowed = type.enum.map((e) => e.value);
    return allowed.includes(value)
      ? []
      : [`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(allowed)}`];
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: is not an object`];
  const o = value as Record<string, unknown>;
  const problems = (type.required ?? [])
    .filter((r) => o[r] === undefined)
    .map((r) => `${at}.${r}: required property missing`);
  for (const [k, v] of Object.entries(o)) {
    const p = type.properties?.[k];
    if (p === undefined) problems.push(`${at}.${k}: not a property of ${token}`);
    else problems.push(...checkValue(schema, p, v, `${at}.${k}`));
  }
  return problems;
}

import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

/**
 * Reads Pulumi.yaml and a stack file the way the Pulumi CLI would hand them to the program: project defaults
 * first, stack values over them, every value as a string (objects and lists as JSON). Encrypted (`secure:`)
 * values cannot be decrypted offline; they become a placeholder and are listed as secret keys.
 */
export interface StackConfig {
  readonly project: string;
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
    const full = key.includes(':') ? key : `${name}:${key}`;
    if (decl !== null && typeof decl === 'object' && 'default' in decl) {
      const d = (decl as { default: unknown }).default;
      if (d !== null && d !== undefined) values[full] = toConfigString(d);
    }
  }

  const file = configFile ?? path.join(projectDir, `Pulumi.${stack}.yaml`);
  if (!existsSync(file))
    throw new StackConfigError(
      `no stack config at ${file}; create Pulumi.${stack}.yaml or pass --config-file`,
    );
  const stackDoc = readYaml(file) as { config?: Record<string, unknown> } | null;
  for (const [key, value] of Object.entries(stackDoc?.config ?? {})) {
    const full = key.includes(':') ? key : `${name}:${key}`;
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'secure' in value) {
      values[full] = SECRET_PLACEHOLDER;
      secretKeys.push(full);
    } else {
      values[full] = toConfigString(value);
    }
  }
  return { project: name, values, secretKeys: secretKeys.sort() };
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

import * as pulumi from '@pulumi/pulumi';
import { NAMESPACE, SECRET_KEYS } from './spec/config-keys';
import { parseClusterSpec } from './spec/parse-cluster-spec';
import { rawConfigFromEngine } from './spec/raw-config';
import type { ClusterSpec } from './spec/types';

/** Secret config values as secret Outputs; a key that is not set is undefined. */
export type ConfigSecrets = Readonly<Record<string, pulumi.Output<string> | undefined>>;

export interface LoadedConfig {
  readonly spec: ClusterSpec;
  readonly secrets: ConfigSecrets;
}

// Where the engine lists which config keys hold secrets (sdk/nodejs/runtime/config.ts).
const SECRET_KEYS_ENTRY = 'PULUMI_CONFIG_SECRET_KEYS';

/**
 * The only reader of Pulumi config. Hands the `stars:*` values to the pure `parseClusterSpec` (which throws
 * one error listing every problem) and returns secret keys as secret Outputs, so they never enter the spec.
 */
export function loadClusterSpec(): LoadedConfig {
  const values = { ...pulumi.runtime.allConfig() };
  const listed = values[SECRET_KEYS_ENTRY];
  delete values[SECRET_KEYS_ENTRY];
  const { raw, secretKeys } = rawConfigFromEngine({ values, secretKeys: parseKeyList(listed) });
  const spec = parseClusterSpec(raw, { stack: pulumi.getStack(), secretKeys });

  const config = new pulumi.Config(NAMESPACE);
  const secrets: Record<string, pulumi.Output<string> | undefined> = {};
  for (const key of SECRET_KEYS) secrets[key] = config.getSecret(key);
  return { spec, secrets };
}

function parseKeyList(listed: string | undefined): string[] {
  if (listed === undefined) return [];
  try {
    const keys: unknown = JSON.parse(listed);
    return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : [];
  } catch {
    return [];
  }
}

import * as pulumi from '@pulumi/pulumi';
import { NAMESPACE, SECRET_KEYS } from './model/config-keys';
import { parseClusterSpec } from './model/parse-cluster-spec';
import { rawConfigFromEngine } from './model/raw-config';
import type { ClusterSpec } from './model/types';

/** Secret config values as secret Outputs; a key that is not set is undefined. */
export type ConfigSecrets = Readonly<Record<string, pulumi.Output<string> | undefined>>;

export interface LoadedConfig {
  readonly spec: ClusterSpec;
  readonly secrets: ConfigSecrets;
}

// The SDK knows which keys the engine delivered encrypted; the function is marked internal, hence the cast.
const isConfigSecret = (pulumi.runtime as unknown as { isConfigSecret(key: string): boolean }).isConfigSecret;

/**
 * The only reader of Pulumi config. Hands the `stars:*` values to the pure `parseClusterSpec` (which throws
 * one error listing every problem) and returns secret keys as secret Outputs, so they never enter the spec.
 */
export function loadClusterSpec(): LoadedConfig {
  const values = pulumi.runtime.allConfig();
  const { raw, secretKeys } = rawConfigFromEngine({
    values,
    secretKeys: Object.keys(values).filter((k) => isConfigSecret(k)),
  });
  // The one environment variable the program reads: the local mode's engine, as the docker CLI finds it.
  const dockerHost = process.env.DOCKER_HOST;
  const spec = parseClusterSpec(raw, {
    stack: pulumi.getStack(),
    secretKeys,
    ...(dockerHost === undefined ? {} : { dockerHost }),
  });

  const config = new pulumi.Config(NAMESPACE);
  const secrets: Record<string, pulumi.Output<string> | undefined> = {};
  for (const key of SECRET_KEYS) secrets[key] = config.getSecret(key);
  return { spec, secrets };
}

import { EMPTY_MEANS_UNSET_KEYS, NAMESPACE, SECRET_KEYS } from './config-keys';
import { distance as levenshtein } from 'fastest-levenshtein';

/**
 * A namespace one or two edits from ours (`star:mode`, `Stars:mode`) is a typo, not another provider's config:
 * its keys are kept under their full name so the parser reports them instead of the program running on defaults.
 */
export function isMisspeltNamespace(namespace: string): boolean {
  return namespace !== NAMESPACE && levenshtein(namespace.toLowerCase(), NAMESPACE) <= 2;
}

/** Config as the Pulumi engine hands it over: `stars:key` → string, plus which full keys are secret. */
export interface EngineConfig {
  readonly values: Readonly<Record<string, string>>;
  readonly secretKeys: readonly string[];
}

export interface RawConfig {
  /** Values by key without namespace; secret values are replaced by "" so they never reach the spec. */
  readonly raw: Readonly<Record<string, string>>;
  /** Keys (without namespace) whose values were stored encrypted. */
  readonly secretKeys: readonly string[];
}

/** Picks the `stars:` keys out of the engine's config map. Shared by the program and `npm run plan`. */
export function rawConfigFromEngine(config: EngineConfig): RawConfig {
  const prefix = `${NAMESPACE}:`;
  const raw: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const fullKey of Object.keys(config.values).sort()) {
    if (!fullKey.startsWith(prefix)) {
      const namespace = fullKey.split(':')[0];
      if (fullKey.includes(':') && isMisspeltNamespace(namespace)) raw[fullKey] = config.values[fullKey];
      continue;
    }
    const key = fullKey.slice(prefix.length);
    // "" is the declared default of an optional key (a secret, the image registry): treat it as unset.
    if (EMPTY_MEANS_UNSET_KEYS.includes(key) && config.values[fullKey] === '') continue;
    if (config.secretKeys.includes(fullKey)) secretKeys.push(key);
    raw[key] = SECRET_KEYS.includes(key) ? '' : config.values[fullKey];
  }
  return { raw, secretKeys };
}

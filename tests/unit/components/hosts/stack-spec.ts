import * as path from 'path';
import { loadStackConfig } from '../../../../scripts/lib/stack-config';
import { parseClusterSpec } from '../../../../components/model/parse-cluster-spec';
import { rawConfigFromEngine } from '../../../../components/model/raw-config';
import type { ClusterSpec } from '../../../../components/model/types';

const PROJECT_DIR = path.resolve(__dirname, '..', '..', '..', '..');

/** The validated spec of a committed stack, the way the program builds it, with `stars:key` overrides. */
export function stackSpec(stack: string, overrides: Readonly<Record<string, unknown>> = {}): ClusterSpec {
  const cfg = loadStackConfig(PROJECT_DIR, stack);
  const values = { ...cfg.values };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete values[k];
    else values[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  const { raw, secretKeys } = rawConfigFromEngine({ values, secretKeys: cfg.secretKeys });
  return parseClusterSpec(raw, { stack, secretKeys });
}

import type { MarathonAppDefinition } from './marathon-types';

/** Time allowed for image pulls and executor registration before any health check can run. */
export const START_MARGIN_SECONDS = 600;

/**
 * How long a deployment may take before the provider gives up, derived from the app's first health check:
 *
 *   perWave = gracePeriodSeconds + intervalSeconds × maxConsecutiveFailures + timeoutSeconds
 *   waves   = ceil(instances / max(1, ceil(instances × maximumOverCapacity)))   (1 with the default {1, 1})
 *   timeout = START_MARGIN_SECONDS + perWave × waves
 *
 * With Marathon's defaults (300, 60, 3, 20) one wave is 500 s, so a single-instance app waits 1100 s. An app
 * without health checks only needs its tasks running: START_MARGIN_SECONDS × waves.
 */
export function deploymentTimeoutSeconds(app: MarathonAppDefinition): number {
  const instances = Math.max(1, app.instances ?? 1);
  const over = app.upgradeStrategy?.maximumOverCapacity ?? 1;
  const waves = Math.ceil(instances / Math.max(1, Math.ceil(instances * over)));
  const hc = app.healthChecks?.[0];
  if (hc === undefined) return START_MARGIN_SECONDS * waves;
  const perWave =
    (hc.gracePeriodSeconds ?? 300) +
    (hc.intervalSeconds ?? 60) * (hc.maxConsecutiveFailures ?? 3) +
    (hc.timeoutSeconds ?? 20);
  return START_MARGIN_SECONDS + perWave * waves;
}

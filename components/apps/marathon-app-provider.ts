import type * as dynamic from '@pulumi/pulumi/dynamic';
import { HttpClient } from './api/http';
import { absoluteId, MarathonClient } from './api/marathon-client';
import type { MarathonAppDefinition } from './api/marathon-types';
import { changedFields, equal, normalizeMarathonApp } from './api/normalize';
import { deploymentTimeoutSeconds } from './api/timeouts';
import { formatDefinitionIssues, validateMarathonApp } from './validate-marathon-app';

/**
 * The dynamic provider behind `MarathonApp`: one app managed through Marathon's REST API. Pulumi serializes
 * this object into the state (closure serialization), so it references only module-level imports of plain,
 * Pulumi-free modules, and nothing from `@pulumi/pulumi` at run time.
 *
 * Bump PROVIDER_VERSION when this code changes: it is an input, so existing resources see a diff and the
 * engine stores the new serialized provider with them.
 */
export const MARATHON_PROVIDER_VERSION = '1';

/** What the provider receives (Pulumi hands secrets over unwrapped). */
export interface MarathonAppProps {
  readonly marathonUrls: readonly string[];
  readonly username?: string;
  readonly password?: string;
  /** PEM of the CA that signed the edge's certificate, for https URLs. */
  readonly caCertificate?: string;
  readonly app: MarathonAppDefinition;
  readonly force?: boolean;
  /** Overrides the derived deployment timeout (see api/timeouts.ts). */
  readonly waitTimeoutSeconds?: number;
  readonly pollIntervalMs?: number;
  readonly retries?: number;
  readonly retryBackoffMs?: number;
  readonly providerVersion: string;
}

export interface MarathonAppState extends MarathonAppProps {
  readonly appId: string;
  readonly deploymentId: string;
  readonly version?: string;
}

function clientFor(p: MarathonAppProps): MarathonClient {
  return new MarathonClient(
    new HttpClient({
      baseUrls: p.marathonUrls,
      ...(p.caCertificate !== undefined && p.caCertificate !== '' ? { ca: p.caCertificate } : {}),
      ...(p.username !== undefined && p.username !== ''
        ? { username: p.username, password: p.password ?? '' }
        : {}),
      ...(p.retries !== undefined ? { retries: p.retries } : {}),
      ...(p.retryBackoffMs !== undefined ? { backoffMs: p.retryBackoffMs } : {}),
    }),
  );
}

function hasHealthChecks(app: MarathonAppDefinition): boolean {
  return (app.healthChecks ?? []).length > 0;
}

/** PUT (full replace) then wait until the deployment is gone and every instance is healthy. */
async function apply(p: MarathonAppProps): Promise<MarathonAppState> {
  const client = clientFor(p);
  const app = { ...p.app, id: absoluteId(p.app.id) };
  const result = await client.putApp(app, { force: p.force === true });
  const timeoutMs = (p.waitTimeoutSeconds ?? deploymentTimeoutSeconds(app)) * 1000;
  await client.waitForApp(app.id, result.deploymentId, app.instances ?? 1, hasHealthChecks(app), {
    timeoutMs,
    ...(p.pollIntervalMs !== undefined ? { pollMs: p.pollIntervalMs } : {}),
  });
  return {
    ...p,
    appId: app.id,
    deploymentId: result.deploymentId,
    ...(result.version !== undefined ? { version: result.version } : {}),
  };
}

/** Connection settings that are state, not the app: a change updates the state without touching Marathon's app. */
const CONNECTION = [
  'marathonUrls',
  'caCertificate',
  'username',
  'password',
  'force',
  'waitTimeoutSeconds',
  'pollIntervalMs',
] as const;

export const marathonAppProvider: dynamic.ResourceProvider<MarathonAppProps, MarathonAppState> = {
  async check(_olds, news) {
    const failures: { property: string; reason: string }[] = [];
    if (news.app !== undefined) {
      const issues = validateMarathonApp(news.app as unknown as Record<string, unknown>);
      if (issues.length > 0) {
        failures.push({
          property: 'app',
          reason: formatDefinitionIssues(`Marathon app ${String(news.app.id)}`, issues),
        });
      }
    }
    if (Array.isArray(news.marathonUrls) && news.marathonUrls.length === 0) {
      failures.push({ property: 'marathonUrls', reason: 'needs at least one Marathon URL' });
    }
    return { inputs: news, ...(failures.length > 0 ? { failures } : {}) };
  },

  async diff(_id, olds, news) {
    const replaces: string[] = [];
    if (absoluteId(String(olds.app?.id)) !== absoluteId(String(news.app?.id))) replaces.push('app');
    const before = normalizeMarathonApp(olds.app ?? {});
    const after = normalizeMarathonApp(news.app ?? {});
    const appChanged = changedFields(before, after).length > 0;
    const other =
      CONNECTION.some((k) => !equal(olds[k], news[k])) || olds.providerVersion !== news.providerVersion;
    return {
      changes: appChanged || other || replaces.length > 0,
      replaces,
      // A new id is a different app; the old one is deleted after the new one is healthy.
      deleteBeforeReplace: false,
    };
  },

  async create(inputs) {
    const outs = await apply(inputs);
    return { id: outs.appId, outs };
  },

  async update(_id, _olds, news) {
    return { outs: await apply(news) };
  },

  async delete(id, props) {
    const client = clientFor(props);
    const result = await client.deleteApp(id, { force: props.force === true });
    if (result === undefined) return;
    const timeoutMs = (props.waitTimeoutSeconds ?? deploymentTimeoutSeconds(props.app)) * 1000;
    await client.waitForDeployment(result.deploymentId, {
      timeoutMs,
      ...(props.pollIntervalMs !== undefined ? { pollMs: props.pollIntervalMs } : {}),
    });
  },

  /**
   * For `pulumi refresh` and drift: the app as Marathon has it, normalised into the inputs shape, so an
   * unchanged app refreshes to exactly the definition that was applied. A missing app reads as deleted.
   */
  async read(id, props) {
    if (props === undefined)
      throw new Error(`cannot read Marathon app ${id} without its connection settings`);
    const actual = await clientFor(props).getApp(id);
    if (actual === undefined) return {};
    const app = normalizeMarathonApp(actual) as unknown as MarathonAppDefinition;
    const state: MarathonAppState = { ...props, app, appId: absoluteId(id) };
    const inputs: Record<string, unknown> = { ...state };
    for (const k of ['appId', 'deploymentId', 'version']) delete inputs[k];
    return { id, props: state, inputs: inputs as unknown as MarathonAppState };
  },
};

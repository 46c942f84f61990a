import type * as dynamic from '@pulumi/pulumi/dynamic';
import { ChronosClient } from './api/chronos-client';
import { HttpClient } from './api/http';
import type { ChronosJobDefinition } from './api/marathon-types';
import { changedFields, equal, normalizeChronosJob } from './api/normalize';
import { formatDefinitionIssues, validateChronosJob } from './validate-marathon-app';

/**
 * The dynamic provider behind `ChronosJob` (Chronos 3, /v1/scheduler). Serialized by Pulumi like
 * marathon-app-provider.ts: only module-level imports of Pulumi-free modules. Bump the version on change.
 */
export const CHRONOS_PROVIDER_VERSION = '1';

export interface ChronosJobProps {
  readonly chronosUrls: readonly string[];
  readonly username?: string;
  readonly password?: string;
  /** PEM of the CA that signed the edge's certificate, for https URLs. */
  readonly caCertificate?: string;
  readonly job: ChronosJobDefinition;
  readonly retries?: number;
  readonly retryBackoffMs?: number;
  readonly providerVersion: string;
}

function clientFor(p: ChronosJobProps): ChronosClient {
  return new ChronosClient(
    new HttpClient({
      baseUrls: p.chronosUrls,
      ...(p.caCertificate !== undefined && p.caCertificate !== '' ? { ca: p.caCertificate } : {}),
      ...(p.username !== undefined && p.username !== ''
        ? { username: p.username, password: p.password ?? '' }
        : {}),
      ...(p.retries !== undefined ? { retries: p.retries } : {}),
      ...(p.retryBackoffMs !== undefined ? { backoffMs: p.retryBackoffMs } : {}),
    }),
  );
}

/** Upsert, then read back so a job Chronos silently dropped fails here rather than at the next refresh. */
async function apply(p: ChronosJobProps): Promise<ChronosJobProps> {
  const client = clientFor(p);
  await client.putJob(p.job);
  if ((await client.getJob(p.job.name)) === undefined) {
    throw new Error(`Chronos accepted job ${p.job.name} but does not list it afterwards`);
  }
  return p;
}

const CONNECTION = ['chronosUrls', 'caCertificate', 'username', 'password'] as const;

export const chronosJobProvider: dynamic.ResourceProvider<ChronosJobProps, ChronosJobProps> = {
  async check(_olds, news) {
    if (news.job === undefined) return { inputs: news };
    const issues = validateChronosJob(news.job as unknown as Record<string, unknown>);
    return issues.length === 0
      ? { inputs: news }
      : {
          inputs: news,
          failures: [
            {
              property: 'job',
              reason: formatDefinitionIssues(`Chronos job ${String(news.job.name)}`, issues),
            },
          ],
        };
  },

  async diff(_id, olds, news) {
    const replaces = olds.job?.name !== news.job?.name ? ['job'] : [];
    const jobChanged =
      changedFields(normalizeChronosJob(olds.job ?? {}), normalizeChronosJob(news.job ?? {})).length > 0;
    const other =
      CONNECTION.some((k) => !equal(olds[k], news[k])) || olds.providerVersion !== news.providerVersion;
    // Chronos keys jobs by name: the old name must go before a job could take it back, so delete first.
    return {
      changes: jobChanged || other || replaces.length > 0,
      replaces,
      deleteBeforeReplace: replaces.length > 0,
    };
  },

  async create(inputs) {
    const outs = await apply(inputs);
    return { id: outs.job.name, outs };
  },

  async update(_id, _olds, news) {
    return { outs: await apply(news) };
  },

  async delete(id, props) {
    await clientFor(props).deleteJob(id);
  },

  async read(id, props) {
    if (props === undefined) throw new Error(`cannot read Chronos job ${id} without its connection settings`);
    const actual = await clientFor(props).getJob(id);
    if (actual === undefined) return {};
    const state: ChronosJobProps = {
      ...props,
      job: normalizeChronosJob(actual) as unknown as ChronosJobDefinition,
    };
    return { id, props: state, inputs: state };
  },
};

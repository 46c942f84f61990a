import { expectStatus, HttpClient, serverMessage } from './http';
import type { ChronosJobDefinition } from './marathon-types';

/**
 * Chronos 3 REST client; every path is under /v1/scheduler (ChronosRestModule.scala). Non-leaders redirect
 * (307) to the leader; HttpClient follows that.
 */
export const CHRONOS_PREFIX = '/v1/scheduler';

/** A job Chronos rejected (400); a plain Error with the status (see http.ts on why). */
export interface ChronosError extends Error {
  readonly status: number;
}

function chronosError(message: string, status: number): ChronosError {
  const e = new Error(message) as Error & { status: number };
  e.name = 'ChronosError';
  e.status = status;
  return e;
}

const enc = encodeURIComponent;

export class ChronosClient {
  constructor(readonly http: HttpClient) {}

  async listJobs(): Promise<ChronosJobDefinition[]> {
    const res = expectStatus('GET', await this.http.request('GET', `${CHRONOS_PREFIX}/jobs`), [200]);
    return Array.isArray(res.json) ? (res.json as ChronosJobDefinition[]) : [];
  }

  /** GET /job/{name}; when that route is missing (404 without the job) falls back to jobs/search. */
  async getJob(name: string): Promise<ChronosJobDefinition | undefined> {
    const res = await this.http.request('GET', `${CHRONOS_PREFIX}/job/${enc(name)}`);
    if (res.status === 200 && isJob(res.json, name)) return res.json as ChronosJobDefinition;
    if (res.status !== 404 && res.status !== 400) expectStatus('GET', res, [200]);
    const search = await this.http.request('GET', `${CHRONOS_PREFIX}/jobs/search`, { query: { name } });
    if (search.status === 404) return undefined;
    expectStatus('GET', search, [200]);
    const found = Array.isArray(search.json) ? (search.json as ChronosJobDefinition[]) : [];
    return found.find((j) => j.name === name);
  }

  /** Create or update (Chronos upserts by name): /iso8601 for scheduled jobs, /dependency for jobs with parents. */
  async putJob(job: ChronosJobDefinition): Promise<void> {
    const route = job.parents !== undefined && job.parents.length > 0 ? 'dependency' : 'iso8601';
    const res = await this.http.request('POST', `${CHRONOS_PREFIX}/${route}`, { body: job });
    if (res.status === 400) {
      throw chronosError(
        `POST ${res.url} rejected job ${job.name} (400): ${serverMessage(res) || 'bad request'}`,
        400,
      );
    }
    expectStatus('POST', res, [200, 201, 204]);
  }

  /** Deletes the job; false when it did not exist. */
  async deleteJob(name: string): Promise<boolean> {
    const res = await this.http.request('DELETE', `${CHRONOS_PREFIX}/job/${enc(name)}`);
    if (res.status === 404 || res.status === 400) return false;
    expectStatus('DELETE', res, [200, 204]);
    return true;
  }

  /** Runs the job now (manual trigger). */
  async runJob(name: string, args?: string): Promise<void> {
    const res = await this.http.request('PUT', `${CHRONOS_PREFIX}/job/${enc(name)}`, {
      query: { arguments: args },
    });
    expectStatus('PUT', res, [200, 204]);
  }
}

function isJob(json: unknown, name: string): boolean {
  return json !== null && typeof json === 'object' && (json as { name?: unknown }).name === name;
}

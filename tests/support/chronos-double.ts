/**
 * A double of the Chronos 3 REST API (/v1/scheduler) on 127.0.0.1 only (ephemeral port), because no real
 * Chronos can run in this environment. It enforces the documented behaviour (platform-apis.md §3,
 * docs/docs/api.md): POST /iso8601 and /dependency upsert by name (204), 400 with a message for a bad
 * schedule or name, GET /jobs, GET /job/{name} (404 when missing), jobs/search?name=, DELETE (204),
 * PUT /job/{name} runs now (204). GET adds the read-only status fields and defaults Chronos fills in.
 */
import { HttpDouble, type Reply } from './http-double';

type Job = Record<string, unknown> & { name: string };

const P = '/v1/scheduler';
const NAME = /^[\w.-]+$/;
const SCHEDULE = /^R\d*\/[^/]*\/P(?=\d|T\d)[0-9YMWDTHS.]+$/;

export class ChronosDouble extends HttpDouble {
  readonly jobs = new Map<string, Job>();
  readonly runs: string[] = [];

  protected handle(method: string, url: URL, body: unknown): Reply {
    const p = url.pathname;
    if (method === 'GET' && p === `${P}/jobs`)
      return { status: 200, body: [...this.jobs.values()].map(readBack) };
    if (method === 'GET' && p === `${P}/jobs/search`) {
      const name = url.searchParams.get('name') ?? '';
      return {
        status: 200,
        body: [...this.jobs.values()].filter((j) => j.name.includes(name)).map(readBack),
      };
    }
    if (method === 'POST' && (p === `${P}/iso8601` || p === `${P}/dependency`)) {
      const job = (body ?? {}) as Job;
      const error = this.check(job, p.endsWith('dependency'));
      if (error !== undefined) return { status: 400, body: { message: error } };
      this.jobs.set(job.name, { ...job });
      return { status: 204 };
    }
    const m = new RegExp(`^${P}/job/([^/]+)$`).exec(p);
    if (m !== null) {
      const name = decodeURIComponent(m[1]);
      const job = this.jobs.get(name);
      if (job === undefined) return { status: 404, body: { message: `Job '${name}' not found` } };
      if (method === 'GET') return { status: 200, body: readBack(job) };
      if (method === 'DELETE') {
        this.jobs.delete(name);
        return { status: 204 };
      }
      if (method === 'PUT') {
        this.runs.push(name);
        return { status: 204 };
      }
    }
    return { status: 404, body: { message: `no route ${method} ${p}` } };
  }

  private check(job: Job, dependent: boolean): string | undefined {
    if (typeof job.name !== 'string' || !NAME.test(job.name)) return "the job's name is invalid";
    if (typeof job.command !== 'string' || job.command === '') return 'command is required';
    if (dependent) {
      const parents = job.parents;
      if (!Array.isArray(parents) || parents.length === 0) return 'a dependent job needs parents';
      const missing = parents.filter((x) => !this.jobs.has(String(x)));
      if (missing.length > 0) return `parent job(s) not found: ${missing.join(', ')}`;
      return undefined;
    }
    if (typeof job.schedule !== 'string' || !SCHEDULE.test(job.schedule))
      return `Cannot parse schedule '${String(job.schedule)}'`;
    return undefined;
  }
}

function readBack(job: Job): Record<string, unknown> {
  return {
    shell: true,
    retries: 2,
    disabled: false,
    concurrent: false,
    softError: false,
    highPriority: false,
    dataProcessingJobType: false,
    executor: '',
    executorFlags: '',
    taskInfoData: '',
    description: '',
    owner: '',
    ownerName: '',
    mem: 128,
    disk: 256,
    arguments: [],
    constraints: [],
    environmentVariables: [],
    fetch: [],
    uris: [],
    ...job,
    successCount: 3,
    errorCount: 1,
    lastSuccess: '2026-01-02T03:00:05.000Z',
    lastError: '2026-01-01T03:00:05.000Z',
    errorsSinceLastSuccess: 0,
  };
}

import { expectStatus, HttpClient, httpError, serverMessage, type HttpResponse } from './http';
import type { MarathonAppDefinition, MarathonDeployment, MarathonTask } from './marathon-types';

/**
 * Marathon v2 REST client (raml-v1.10.26/v2/apps.raml, deployments.raml). Any Marathon instance proxies to
 * the leader, so the base URLs may list every master.
 */

/** 409: the app is locked by running deployments (plain Error with fields; see http.ts on why). */
export interface MarathonConflictError extends Error {
  readonly deploymentIds: readonly string[];
}

/** 422 (or 400 with details): the definition was rejected; `details` lists each path and its errors. */
export interface MarathonValidationError extends Error {
  readonly details: readonly { readonly path: string; readonly errors: readonly string[] }[];
}

export interface DeploymentTimeoutError extends Error {
  readonly deploymentId: string;
  readonly unhealthyTasks: readonly string[];
}

function fail<T extends object>(name: string, message: string, fields: T): Error & T {
  const e = new Error(message);
  e.name = name;
  return Object.assign(e, fields);
}

export interface DeploymentResult {
  readonly deploymentId: string;
  readonly version?: string;
  /** 201: the app did not exist before. */
  readonly created: boolean;
}

export interface AppHealth {
  readonly instances: number;
  readonly running: number;
  readonly healthy: number;
  /** `taskId on host: cause` for every task that is not running and healthy. */
  readonly unhealthy: readonly string[];
}

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly pollMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** `/a/b` for `a/b` or `/a/b`; Marathon ids are absolute paths. */
export function absoluteId(id: string): string {
  return id.startsWith('/') ? id : `/${id}`;
}

export class MarathonClient {
  constructor(readonly http: HttpClient) {}

  async getApp(id: string): Promise<MarathonAppDefinition | undefined> {
    const res = await this.http.request('GET', `/v2/apps${absoluteId(id)}`);
    if (res.status === 404) return undefined;
    expectStatus('GET', res, [200]);
    const app = (res.json as { app?: MarathonAppDefinition } | undefined)?.app;
    if (app === undefined) throw new Error(`GET ${res.url} answered without an "app" object`);
    return app;
  }

  async listApps(): Promise<MarathonAppDefinition[]> {
    const res = expectStatus('GET', await this.http.request('GET', '/v2/apps'), [200]);
    return ((res.json as { apps?: MarathonAppDefinition[] } | undefined)?.apps ?? []).slice();
  }

  /** Create-or-replace: `partialUpdate=false` so fields left out are reset, not kept (the default is PATCH-like). */
  async putApp(
    app: MarathonAppDefinition,
    options: { readonly force?: boolean } = {},
  ): Promise<DeploymentResult> {
    const id = absoluteId(app.id);
    const res = await this.http.request('PUT', `/v2/apps${id}`, {
      body: { ...app, id },
      query: { partialUpdate: false, force: options.force === true ? true : undefined },
    });
    this.throwForDeployable('PUT', res);
    return { ...deploymentOf('PUT', res), created: res.status === 201 };
  }

  /**
   * Destroys the app; undefined when it did not exist. `force` is always sent: on DELETE Marathon's code
   * defaults it to true (AppsResource.scala:333-336, although traits.raml documents false), so leaving it
   * out would silently cancel a running deployment.
   */
  async deleteApp(
    id: string,
    options: { readonly force?: boolean } = {},
  ): Promise<DeploymentResult | undefined> {
    const res = await this.http.request('DELETE', `/v2/apps${absoluteId(id)}`, {
      query: { force: options.force === true },
    });
    if (res.status === 404) return undefined;
    this.throwForDeployable('DELETE', res);
    return { ...deploymentOf('DELETE', res), created: false };
  }

  async listDeployments(): Promise<MarathonDeployment[]> {
    const res = expectStatus('GET', await this.http.request('GET', '/v2/deployments'), [200]);
    return Array.isArray(res.json) ? (res.json as MarathonDeployment[]) : [];
  }

  async tasks(id: string): Promise<MarathonTask[]> {
    const res = await this.http.request('GET', `/v2/apps${absoluteId(id)}/tasks`);
    if (res.status === 404) return [];
    expectStatus('GET', res, [200]);
    return ((res.json as { tasks?: MarathonTask[] } | undefined)?.tasks ?? []).slice();
  }

  /** Running and healthy counts; a task with health checks is healthy only when every result is alive. */
  async health(id: string, instances: number, hasHealthChecks: boolean): Promise<AppHealth> {
    const tasks = await this.tasks(id);
    let running = 0;
    let healthy = 0;
    const unhealthy: string[] = [];
    for (const t of [...tasks].sort((a, b) => (a.id < b.id ? -1 : 1))) {
      const isRunning = t.state === undefined ? t.startedAt !== undefined : t.state === 'TASK_RUNNING';
      const results = t.healthCheckResults ?? [];
      const ok = isRunning && (!hasHealthChecks || (results.length > 0 && results.every((r) => r.alive)));
      if (isRunning) running++;
      if (ok) healthy++;
      else {
        const cause = !isRunning
          ? (t.state ?? 'not started')
          : (results.find((r) => !r.alive)?.lastFailureCause ?? 'no passing health check yet');
        unhealthy.push(`${t.id}${t.host ? ` on ${t.host}` : ''}: ${cause}`);
      }
    }
    return { instances, running, healthy, unhealthy };
  }

  /** Polls /v2/deployments until the id is gone (the documented way to know a deployment finished). */
  async waitForDeployment(deploymentId: string, options: WaitOptions): Promise<void> {
    const { now, sleep, pollMs } = clock(options);
    const deadline = now() + options.timeoutMs;
    for (;;) {
      const running = await this.listDeployments();
      if (!running.some((d) => d.id === deploymentId)) return;
      if (now() >= deadline) {
        throw fail(
          'DeploymentTimeoutError',
          `Marathon deployment ${deploymentId} did not finish within ${+(options.timeoutMs / 1000).toFixed(1)}s`,
          { deploymentId, unhealthyTasks: [] as string[] },
        );
      }
      await sleep(pollMs);
    }
  }

  /**
   * Waits until the deployment is gone and `instances` tasks are running and healthy. On timeout the error
   * names the deployment (still running or not) and every unhealthy task.
   */
  async waitForApp(
    id: string,
    deploymentId: string,
    instances: number,
    hasHealthChecks: boolean,
    options: WaitOptions,
  ): Promise<AppHealth> {
    const { now, sleep, pollMs } = clock(options);
    const deadline = now() + options.timeoutMs;
    for (;;) {
      const deploying = (await this.listDeployments()).some((d) => d.id === deploymentId);
      const health = await this.health(id, instances, hasHealthChecks);
      if (!deploying && health.healthy >= instances) return health;
      if (now() >= deadline) {
        const state = deploying ? 'is still running' : 'finished';
        const tasks = health.unhealthy.length === 0 ? 'none reported' : health.unhealthy.join('; ');
        throw fail(
          'DeploymentTimeoutError',
          `app ${absoluteId(id)} did not become healthy within ${+(options.timeoutMs / 1000).toFixed(1)}s: ` +
            `deployment ${deploymentId} ${state}; ${health.healthy}/${instances} instances healthy; ` +
            `unhealthy tasks: ${tasks}`,
          { deploymentId, unhealthyTasks: health.unhealthy },
        );
      }
      await sleep(pollMs);
    }
  }

  private throwForDeployable(method: string, res: HttpResponse): void {
    if (res.status === 409) {
      const ids = ((res.json as { deployments?: { id: string }[] } | undefined)?.deployments ?? []).map(
        (d) => d.id,
      );
      throw fail(
        'MarathonConflictError',
        `${method} ${res.url} failed with 409: ${serverMessage(res)} Blocking deployment(s): ${
          ids.join(', ') || 'unknown'
        }. Wait for it, cancel it (DELETE /v2/deployments/<id>), or set force: true.`,
        { deploymentIds: ids },
      );
    }
    if (res.status === 422 || (res.status === 400 && hasDetails(res.json))) {
      const details = ((res.json as { details?: { path?: string; errors?: string[] }[] }).details ?? []).map(
        (d) => ({ path: d.path ?? '/', errors: d.errors ?? [] }),
      );
      const list = details.map((d) => `${d.path}: ${d.errors.join(', ')}`).join('; ');
      throw fail(
        'MarathonValidationError',
        `${method} ${res.url} failed with ${res.status}: ${serverMessage(res)}${list ? ` — ${list}` : ''}`,
        { details },
      );
    }
    expectStatus(method, res, [200, 201]);
  }
}

function hasDetails(json: unknown): boolean {
  return json !== null && typeof json === 'object' && Array.isArray((json as { details?: unknown }).details);
}

function deploymentOf(method: string, res: HttpResponse): { deploymentId: string; version?: string } {
  const body = (res.json ?? {}) as {
    deploymentId?: string;
    version?: string;
    deployments?: { id: string }[];
  };
  const id = res.headers['marathon-deployment-id'] ?? body.deploymentId ?? body.deployments?.[0]?.id;
  if (id === undefined) {
    throw httpError(`${method} ${res.url} answered ${res.status} without a deployment id`, method, res.url);
  }
  return { deploymentId: id, ...(body.version !== undefined ? { version: body.version } : {}) };
}

function clock(o: WaitOptions): { now: () => number; sleep: (ms: number) => Promise<void>; pollMs: number } {
  return {
    now: o.now ?? Date.now,
    sleep: o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    pollMs: o.pollMs ?? 2_000,
  };
}

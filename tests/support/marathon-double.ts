/**
 * A double of Marathon's v2 REST API on 127.0.0.1 only (ephemeral port), because no real Marathon can run in
 * this environment. It enforces the documented behaviour the providers rely on (platform-apis.md §2,
 * raml-v1.10.26): `{"app": …}` envelope on GET, read-only fields and defaults added on read, PUT as
 * create-or-update (201/200 + Marathon-Deployment-Id), deployments that stay listed in /v2/deployments for a
 * configurable number of polls, 409 with `deployments:[{id}]` while one runs (unless force=true), 422 with
 * details for invalid apps, 404 messages, DELETE, tasks with health results. Faults are injectable.
 */
import { DoubleOptions, HttpDouble, type Reply } from './http-double';

type App = Record<string, unknown> & { id: string };

interface Deployment {
  readonly id: string;
  readonly affectedApps: string[];
  remainingPolls: number;
}

export interface MarathonDoubleOptions extends DoubleOptions {
  /** How many GET /v2/deployments a new deployment stays listed for (Infinity: never finishes). */
  readonly deploymentPolls?: number;
}

const ID = /^(\/?((\.{2})|([a-z0-9][a-z0-9\-.]*[a-z0-9]+)|([a-z0-9]*))($|\/))+$/;

export class MarathonDouble extends HttpDouble {
  readonly apps = new Map<string, App>();
  readonly deployments: Deployment[] = [];
  deploymentPolls: number;
  private readonly unhealthy = new Set<string>();
  private seq = 0;
  private versionSeq = 0;

  constructor(options: MarathonDoubleOptions = {}) {
    super(options);
    this.deploymentPolls = options.deploymentPolls ?? 1;
  }

  /** Tasks of the app fail their health checks (or pass again with false). */
  setUnhealthy(id: string, unhealthy = true): void {
    if (unhealthy) this.unhealthy.add(id);
    else this.unhealthy.delete(id);
  }

  /** Starts a deployment on the app from outside, as another client would. */
  lockApp(id: string, polls = Infinity): string {
    return this.newDeployment(id, polls);
  }

  protected handle(method: string, url: URL, body: unknown): Reply {
    const p = url.pathname;
    if (p === '/v2/deployments' && method === 'GET') {
      const listed = this.deployments.filter((d) => d.remainingPolls > 0);
      const out = listed.map((d) => ({
        id: d.id,
        affectedApps: d.affectedApps,
        currentStep: 1,
        totalSteps: 1,
      }));
      for (const d of listed) d.remainingPolls--;
      this.prune();
      return { status: 200, body: out };
    }
    if (p === '/v2/apps' && method === 'GET') {
      return { status: 200, body: { apps: [...this.apps.values()].map((a) => this.readBack(a)) } };
    }
    const tasks = /^\/v2\/apps(\/.+)\/tasks$/.exec(p);
    if (tasks !== null && method === 'GET') {
      const app = this.apps.get(tasks[1]);
      if (app === undefined) return notFound(tasks[1]);
      return { status: 200, body: { tasks: this.tasksOf(app) } };
    }
    const m = /^\/v2\/apps(\/.+)$/.exec(p);
    if (m === null) return { status: 404, body: { message: `The requested resource ${p} was not found` } };
    const id = m[1].replace(/\/+$/, '');
    const force = url.searchParams.get('force') === 'true';
    switch (method) {
      case 'GET': {
        const app = this.apps.get(id);
        return app === undefined ? notFound(id) : { status: 200, body: { app: this.readBack(app) } };
      }
      case 'PUT': {
        const given = (body ?? {}) as Record<string, unknown>;
        const candidate = {
          ...(url.searchParams.get('partialUpdate') === 'false' ? {} : (this.apps.get(id) ?? {})),
          ...given,
          id,
        } as App;
        const details = validate(candidate);
        if (details.length > 0) return { status: 422, body: { message: 'Object is not valid', details } };
        const locked = this.lockedBy(id);
        if (locked.length > 0 && !force) return conflict(locked);
        if (force) this.cancel(id);
        const existed = this.apps.has(id);
        this.apps.set(id, { ...candidate, version: this.nextVersion() });
        const dep = this.newDeployment(id, this.deploymentPolls);
        return {
          status: existed ? 200 : 201,
          headers: { 'Marathon-Deployment-Id': dep, ...(existed ? {} : { Location: `/v2/apps${id}` }) },
          body: { deploymentId: dep, version: this.apps.get(id)?.version },
        };
      }
      case 'DELETE': {
        if (!this.apps.has(id)) return notFound(id);
        const locked = this.lockedBy(id);
        // DELETE's force defaults to true in the code (AppsResource.scala:333-336).
        if (locked.length > 0 && url.searchParams.get('force') === 'false') return conflict(locked);
        this.cancel(id);
        this.apps.delete(id);
        const dep = this.newDeployment(id, this.deploymentPolls);
        return {
          status: 200,
          headers: { 'Marathon-Deployment-Id': dep },
          body: { deploymentId: dep, version: this.nextVersion() },
        };
      }
      default:
        return { status: 405, body: { message: `${method} not allowed` } };
    }
  }

  private readBack(app: App): Record<string, unknown> {
    const hcs = (app.healthChecks as Record<string, unknown>[] | undefined) ?? [];
    const tasks = this.tasksOf(app);
    const running = this.deployments.filter((d) => d.remainingPolls > 0 && d.affectedApps.includes(app.id));
    return {
      cpus: 1,
      mem: 128,
      disk: 0,
      gpus: 0,
      instances: 1,
      backoffSeconds: 1,
      backoffFactor: 1.15,
      maxLaunchDelaySeconds: 300,
      requirePorts: false,
      killSelection: 'YOUNGEST_FIRST',
      upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 1 },
      unreachableStrategy: { inactiveAfterSeconds: 0, expungeAfterSeconds: 0 },
      networks: [{ mode: 'host' }],
      executor: '',
      role: '*',
      constraints: [],
      env: {},
      labels: {},
      fetch: [],
      dependencies: [],
      portDefinitions: [{ port: 10000, protocol: 'tcp', name: 'default', labels: {} }],
      ...app,
      ...readBackContainer(app),
      ...(Array.isArray(app.fetch)
        ? {
            // Artifact defaults are always written back (v2/types/artifact.raml).
            fetch: (app.fetch as Record<string, unknown>[]).map((a) => ({
              extract: true,
              executable: false,
              cache: false,
              ...a,
            })),
          }
        : {}),
      ...(Array.isArray(app.portDefinitions)
        ? {
            portDefinitions: (app.portDefinitions as Record<string, unknown>[]).map((p) => ({
              protocol: 'tcp',
              labels: {},
              ...p,
            })),
          }
        : {}),
      cmd: app.cmd ?? null,
      args: app.args ?? null,
      ipAddress: null,
      healthChecks: hcs.map((hc) => ({
        gracePeriodSeconds: 300,
        intervalSeconds: 60,
        timeoutSeconds: 20,
        maxConsecutiveFailures: 3,
        delaySeconds: 15,
        ...(hc.port === undefined && hc.protocol !== 'COMMAND' ? { portIndex: 0 } : {}),
        ...(/HTTP/.test(String(hc.protocol ?? 'HTTP')) ? { path: '/', ignoreHttp1xx: false } : {}),
        ...hc,
      })),
      versionInfo: { lastScalingAt: app.version, lastConfigChangeAt: app.version },
      tasksStaged: 0,
      tasksRunning: tasks.length,
      tasksHealthy: hcs.length > 0 && !this.unhealthy.has(app.id) ? tasks.length : 0,
      tasksUnhealthy: hcs.length > 0 && this.unhealthy.has(app.id) ? tasks.length : 0,
      deployments: running.map((d) => ({ id: d.id })),
    };
  }

  private tasksOf(app: App): Record<string, unknown>[] {
    const n = typeof app.instances === 'number' ? app.instances : 1;
    const hasChecks = Array.isArray(app.healthChecks) && app.healthChecks.length > 0;
    const alive = !this.unhealthy.has(app.id);
    const name = app.id.slice(1).split('/').reverse().join('.');
    return Array.from({ length: n }, (_, i) => ({
      id: `${name}.instance-${i}`,
      appId: app.id,
      host: `agent-${i}`,
      ports: [31000 + i],
      state: 'TASK_RUNNING',
      startedAt: '2026-01-01T00:00:00.000Z',
      version: app.version,
      ...(hasChecks
        ? {
            healthCheckResults: [
              {
                alive,
                consecutiveFailures: alive ? 0 : 3,
                ...(alive ? {} : { lastFailureCause: 'HTTP 503' }),
              },
            ],
          }
        : {}),
    }));
  }

  private lockedBy(id: string): string[] {
    return this.deployments
      .filter((d) => d.remainingPolls > 0 && d.affectedApps.includes(id))
      .map((d) => d.id);
  }

  private cancel(id: string): void {
    for (const d of this.deployments) if (d.affectedApps.includes(id)) d.remainingPolls = 0;
    this.prune();
  }

  private prune(): void {
    for (let i = this.deployments.length - 1; i >= 0; i--) {
      if (this.deployments[i].remainingPolls <= 0) this.deployments.splice(i, 1);
    }
  }

  private newDeployment(id: string, polls: number): string {
    const dep = `00000000-0000-4000-8000-${String(++this.seq).padStart(12, '0')}`;
    this.deployments.push({ id: dep, affectedApps: [id], remainingPolls: polls });
    return dep;
  }

  private nextVersion(): string {
    return new Date(Date.UTC(2026, 0, 1, 0, 0, ++this.versionSeq)).toISOString();
  }
}

/**
 * The container as GET returns it (ContainerConversion.scala, 1.5+): `docker.network` is not written back
 * (it became the app's `networks`), the Docker defaults and `portMappings: []` are filled in.
 */
function readBackContainer(app: App): Record<string, unknown> {
  const c = app.container as Record<string, unknown> | undefined;
  if (c === undefined || c === null) return {};
  const docker = c.docker as Record<string, unknown> | undefined;
  const { network, ...dockerRest } = docker ?? {};
  const mode = network === 'BRIDGE' ? 'container/bridge' : network === 'USER' ? 'container' : 'host';
  return {
    container: {
      volumes: [],
      portMappings: [],
      ...c,
      ...(docker !== undefined
        ? { docker: { forcePullImage: false, privileged: false, parameters: [], ...dockerRest } }
        : {}),
    },
    networks: (app.networks as unknown) ?? [{ mode }],
  };
}

function notFound(id: string): Reply {
  return { status: 404, body: { message: `App '${id}' does not exist` } };
}

function conflict(ids: string[]): Reply {
  return {
    status: 409,
    body: {
      message: `App is locked by one or more deployments. Override with the option '?force=true'. View details at '/v2/deployments/${ids[0]}'.`,
      deployments: ids.map((id) => ({ id })),
    },
  };
}

/** The checks the double enforces (AppDefinition.json and the Scala validators), with Marathon's paths. */
function validate(app: App): { path: string; errors: string[] }[] {
  const out: { path: string; errors: string[] }[] = [];
  if (!ID.test(app.id))
    out.push({
      path: '/id',
      errors: [
        "must fully match regular expression '^(([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])\\.)*([a-z0-9]|[a-z0-9][a-z0-9\\-]*[a-z0-9])|(\\.|\\.\\.)$'",
      ],
    });
  if (app.cmd !== undefined && app.args !== undefined)
    out.push({
      path: '/',
      errors: ["AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'."],
    });
  if (app.cmd === undefined && app.args === undefined && app.container === undefined)
    out.push({
      path: '/',
      errors: ["AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'."],
    });
  for (const k of ['cpus', 'mem', 'disk']) {
    if (app[k] !== undefined && typeof app[k] !== 'number')
      out.push({ path: `/${k}`, errors: ['error.expected.jsnumber'] });
    else if (typeof app[k] === 'number' && (app[k] as number) < 0)
      out.push({ path: `/${k}`, errors: ['got -1, expected 0 or more'] });
  }
  if (app.instances !== undefined && !Number.isInteger(app.instances))
    out.push({ path: '/instances', errors: ['error.expected.jsnumber'] });
  return out;
}

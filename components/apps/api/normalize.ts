/**
 * Normal forms so desired and actual definitions compare cleanly: both sides go through the same function,
 * which drops what the server adds on read (status fields) and values equal to the documented defaults
 * (platform-apis.md §2 "What GET returns that a diff must ignore or normalise"; §3 for Chronos). Keys are
 * sorted at every level so the result is deterministic.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = Record<string, unknown>;

/** Added by Marathon on read (AppInfo in v2/types/app.raml); never part of a definition. */
export const MARATHON_READ_ONLY = [
  'version',
  'versionInfo',
  'tasksStaged',
  'tasksRunning',
  'tasksHealthy',
  'tasksUnhealthy',
  'deployments',
  'tasks',
  'lastTaskFailure',
  'readinessCheckResults',
  'taskStats',
  'tasksStats',
  'counts',
] as const;

/** App defaults (type App in app.raml 1.10; AppDefinition.scala). */
const MARATHON_DEFAULTS: Readonly<Record<string, Json>> = {
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
  upgradeStrategy: { maximumOverCapacity: 1, minimumHealthCapacity: 1 },
  unreachableStrategy: { expungeAfterSeconds: 0, inactiveAfterSeconds: 0 },
  networks: [{ mode: 'host' }],
  executor: '',
  role: '*',
  constraints: [],
  env: {},
  labels: {},
  healthChecks: [],
  readinessChecks: [],
  fetch: [],
  dependencies: [],
  storeUrls: [],
  secrets: {},
  args: [],
  uris: [],
  ports: [],
};

const HEALTH_CHECK_DEFAULTS: Readonly<Record<string, Json>> = {
  gracePeriodSeconds: 300,
  intervalSeconds: 60,
  timeoutSeconds: 20,
  maxConsecutiveFailures: 3,
  delaySeconds: 15,
  ignoreHttp1xx: false,
};

const DOCKER_DEFAULTS: Readonly<Record<string, Json>> = {
  privileged: false,
  forcePullImage: false,
  parameters: [],
};

export function normalizeMarathonApp(app: Readonly<Obj>): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(app)) {
    if (v === null || v === undefined) continue;
    if ((MARATHON_READ_ONLY as readonly string[]).includes(k)) continue;
    if (k in MARATHON_DEFAULTS && equal(v, MARATHON_DEFAULTS[k])) continue;
    out[k] = v;
  }
  if (typeof out.id === 'string' && !out.id.startsWith('/')) out.id = `/${out.id}`;
  if (Array.isArray(out.healthChecks)) out.healthChecks = out.healthChecks.map(normalizeHealthCheck);
  if (Array.isArray(out.portDefinitions)) out.portDefinitions = out.portDefinitions.map(normalizePort);
  if (Array.isArray(out.fetch)) {
    out.fetch = out.fetch.map((a) => (isObj(a) ? dropDefaults(a, ARTIFACT_DEFAULTS) : a));
  }
  if (isObj(out.container)) {
    // Marathon 1.5+ moves the deprecated `container.docker.network` into the app's `networks` and never
    // returns it on GET (ContainerConversion: DockerContainer is written without `network`).
    const docker = out.container.docker;
    if (isObj(docker) && typeof docker.network === 'string') {
      const { network, ...rest } = docker;
      out.container = { ...out.container, docker: rest };
      const mode = DOCKER_NETWORK_MODES[network as string];
      if (out.networks === undefined && mode !== undefined && mode !== 'host') out.networks = [{ mode }];
    }
    out.container = normalizeContainer(out.container as Obj);
  }
  return sortKeys(out) as Obj;
}

/** `container.docker.network` → the `networks[].mode` Marathon stores instead (NetworkNormalization). */
const DOCKER_NETWORK_MODES: Readonly<Record<string, string>> = {
  HOST: 'host',
  BRIDGE: 'container/bridge',
  USER: 'container',
};

/** Artifact defaults (v2/types/artifact.raml); GET always returns all three. */
const ARTIFACT_DEFAULTS: Readonly<Record<string, Json>> = {
  extract: true,
  executable: false,
  cache: false,
};

function normalizeHealthCheck(hc: unknown): unknown {
  if (!isObj(hc)) return hc;
  const out = dropDefaults(hc, HEALTH_CHECK_DEFAULTS);
  const protocol = typeof out.protocol === 'string' ? out.protocol : 'HTTP';
  out.protocol = protocol;
  // Checks without `port` get portIndex 0 (AppNormalization.scala); HTTP checks get path "/".
  if (out.port === undefined && out.portIndex === 0) delete out.portIndex;
  if (/HTTP/.test(protocol) && out.path === '/') delete out.path;
  if (protocol === 'COMMAND') delete out.portIndex;
  return out;
}

function normalizePort(p: unknown): unknown {
  if (!isObj(p)) return p;
  const out = dropDefaults(p, { protocol: 'tcp', labels: {} });
  return out;
}

function normalizeContainer(c: Obj): Obj {
  const out = dropDefaults(c, { volumes: [], portMappings: [] });
  if (isObj(out.docker)) out.docker = dropDefaults(out.docker, DOCKER_DEFAULTS);
  return out;
}

/** Read-only status fields Chronos adds to every job. */
export const CHRONOS_READ_ONLY = [
  'successCount',
  'errorCount',
  'lastSuccess',
  'lastError',
  'errorsSinceLastSuccess',
  // 2.x-only fields the 3.x scheduler ignores (commit 23667531).
  'epsilon',
  'async',
] as const;

const CHRONOS_DEFAULTS: Readonly<Record<string, Json>> = {
  shell: true,
  retries: 2,
  disabled: false,
  concurrent: false,
  softError: false,
  highPriority: false,
  dataProcessingJobType: false,
  mem: 128,
  disk: 256,
  executor: '',
  executorFlags: '',
  taskInfoData: '',
  description: '',
  owner: '',
  ownerName: '',
  scheduleTimeZone: '',
  maxCompletionTime: 0,
  arguments: [],
  constraints: [],
  environmentVariables: [],
  fetch: [],
  uris: [],
  parents: [],
};

/**
 * Chronos moves a schedule's start forward after each run (and counts `Rn` down), so only the period is
 * compared: `R/<start>/PT1H` becomes `R/PT1H`. A changed start alone therefore is not drift.
 */
export function normalizeSchedule(schedule: string): string {
  const parts = schedule.split('/');
  if (parts.length !== 3) return schedule;
  const rep = parts[0] === 'R' || parts[0] === 'R-1' ? 'R' : 'Rn';
  return `${rep}/${parts[2]}`;
}

export function normalizeChronosJob(job: Readonly<Obj>): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(job)) {
    if (v === null || v === undefined) continue;
    if ((CHRONOS_READ_ONLY as readonly string[]).includes(k)) continue;
    if (k in CHRONOS_DEFAULTS && equal(v, CHRONOS_DEFAULTS[k])) continue;
    out[k] = v;
  }
  // The docs write resources both as numbers and as strings ("0.5").
  for (const k of ['cpus', 'mem', 'disk']) {
    if (typeof out[k] === 'string' && out[k] !== '' && !Number.isNaN(Number(out[k]))) out[k] = Number(out[k]);
    if (k in CHRONOS_DEFAULTS && equal(out[k], CHRONOS_DEFAULTS[k])) delete out[k];
  }
  if (typeof out.schedule === 'string') out.schedule = normalizeSchedule(out.schedule);
  if (isObj(out.container))
    out.container = dropDefaults(out.container, { forcePullImage: false, volumes: [] });
  return sortKeys(out) as Obj;
}

/** Names of top-level fields whose normal forms differ, sorted. */
export function changedFields(a: Readonly<Obj>, b: Readonly<Obj>): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => !equal(a[k], b[k])).sort();
}

export function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function dropDefaults(o: Obj, defaults: Readonly<Record<string, Json>>): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === null || v === undefined) continue;
    if (k in defaults && equal(v, defaults[k])) continue;
    out[k] = v;
  }
  return out;
}

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isObj(value)) {
    const out: Obj = {};
    for (const k of Object.keys(value).sort()) if (value[k] !== undefined) out[k] = sortKeys(value[k]);
    return out;
  }
  return value;
}

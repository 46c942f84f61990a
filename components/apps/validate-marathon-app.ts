/**
 * Pure checks of Marathon app and Chronos job definitions, run by the dynamic providers' `check` so a bad
 * definition fails at preview with the field named, not halfway through a deployment.
 */

export interface DefinitionIssue {
  readonly path: string;
  readonly message: string;
}

/** AppDefinition.json `definitions.pathType`. */
export const MARATHON_ID_PATTERN = /^(\/?((\.{2})|([a-z0-9][a-z0-9\-.]*[a-z0-9]+)|([a-z0-9]*))($|\/))+$/;

const PROTOCOLS = ['HTTP', 'HTTPS', 'TCP', 'MESOS_HTTP', 'MESOS_HTTPS', 'MESOS_TCP', 'COMMAND'];
const OPERATORS = ['UNIQUE', 'CLUSTER', 'GROUP_BY', 'LIKE', 'UNLIKE', 'MAX_PER', 'IS'];

type Obj = Readonly<Record<string, unknown>>;

export function validateMarathonApp(app: Obj): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const add = (path: string, message: string): void => {
    issues.push({ path, message });
  };
  if (typeof app.id !== 'string' || app.id === '') add('/id', 'is required (e.g. "/spark/dispatcher")');
  else if (!MARATHON_ID_PATTERN.test(app.id) || app.id === '/')
    add('/id', `${JSON.stringify(app.id)} must be lowercase letters, digits, "-" and "." separated by "/"`);
  if (app.cmd !== undefined && app.args !== undefined)
    add('/cmd', 'cmd and args cannot be set together; use one');
  if (app.cmd !== undefined && (typeof app.cmd !== 'string' || app.cmd === ''))
    add('/cmd', 'must be a non-empty string');
  if (app.args !== undefined && !(Array.isArray(app.args) && app.args.every((a) => typeof a === 'string')))
    add('/args', 'must be a list of strings');
  for (const k of ['cpus', 'mem', 'disk', 'gpus']) {
    const v = app[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0))
      add(`/${k}`, `${JSON.stringify(v)} must be a number >= 0`);
  }
  if (app.instances !== undefined && !(Number.isInteger(app.instances) && (app.instances as number) >= 0))
    add('/instances', `${JSON.stringify(app.instances)} must be an integer >= 0`);
  if (app.cmd === undefined && app.args === undefined && !isObj(app.container))
    add('/cmd', 'an app needs cmd, args or a container image');
  if (isObj(app.container)) {
    const c = app.container;
    if (c.type !== 'DOCKER' && c.type !== 'MESOS') add('/container/type', 'must be DOCKER or MESOS');
    const image = isObj(c.docker) ? c.docker.image : undefined;
    if (typeof image !== 'string' || image === '') add('/container/docker/image', 'is required');
  }
  list(app.healthChecks).forEach((hc, i) => {
    const p = `/healthChecks/${i}`;
    if (!isObj(hc)) return add(p, 'must be an object');
    if (hc.protocol !== undefined && !PROTOCOLS.includes(String(hc.protocol)))
      add(`${p}/protocol`, `must be one of ${PROTOCOLS.join(', ')}`);
    if (hc.protocol === 'COMMAND' && !(isObj(hc.command) && typeof hc.command.value === 'string'))
      add(`${p}/command`, 'COMMAND checks need command.value');
    for (const k of ['gracePeriodSeconds', 'intervalSeconds', 'timeoutSeconds', 'maxConsecutiveFailures']) {
      const v = hc[k];
      if (v !== undefined && !(Number.isInteger(v) && (v as number) >= 0))
        add(`${p}/${k}`, 'must be an integer >= 0');
    }
  });
  list(app.constraints).forEach((c, i) => {
    if (!Array.isArray(c) || c.length < 2 || c.length > 3 || !c.every((x) => typeof x === 'string'))
      add(`/constraints/${i}`, 'must be [field, OPERATOR] or [field, OPERATOR, value]');
    else if (!OPERATORS.includes(c[1] as string))
      add(`/constraints/${i}/1`, `${JSON.stringify(c[1])} is not one of ${OPERATORS.join(', ')}`);
  });
  list(app.portDefinitions).forEach((p, i) => {
    const port = isObj(p) ? p.port : undefined;
    if (!(Number.isInteger(port) && (port as number) >= 0 && (port as number) <= 65535))
      add(`/portDefinitions/${i}/port`, 'must be an integer 0-65535');
  });
  for (const k of ['env', 'labels']) {
    const v = app[k];
    if (v === undefined) continue;
    if (!isObj(v)) add(`/${k}`, 'must be an object of strings');
    else
      for (const [name, value] of Object.entries(v))
        if (typeof value !== 'string' && !(k === 'env' && isObj(value)))
          add(`/${k}/${name}`, 'must be a string');
  }
  return issues;
}

/** Chronos job name pattern (JobUtils `([\w\.-]+)`). */
export const CHRONOS_NAME_PATTERN = /^[\w.-]+$/;
/** ISO 8601 repeating interval as Chronos parses it: `R[n]/[start]/P…`. */
export const CHRONOS_SCHEDULE_PATTERN =
  /^R\d*\/([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?\/P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

export function validateChronosJob(job: Obj): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const add = (path: string, message: string): void => {
    issues.push({ path, message });
  };
  if (typeof job.name !== 'string' || !CHRONOS_NAME_PATTERN.test(job.name))
    add('name', `${JSON.stringify(job.name)} must be letters, digits, "_", "-" or "."`);
  if (typeof job.command !== 'string' || job.command === '') add('command', 'is required');
  const hasSchedule = job.schedule !== undefined;
  const hasParents = Array.isArray(job.parents) && job.parents.length > 0;
  if (hasSchedule === hasParents) add('schedule', 'set exactly one of schedule and parents');
  if (hasSchedule && (typeof job.schedule !== 'string' || !CHRONOS_SCHEDULE_PATTERN.test(job.schedule)))
    add(
      'schedule',
      `${JSON.stringify(job.schedule)} is not an ISO 8601 repeating interval like R/2025-01-01T03:00:00Z/P1D`,
    );
  for (const k of ['cpus', 'mem', 'disk']) {
    const v = job[k];
    if (v !== undefined && (typeof v !== 'number' || v <= 0)) add(k, 'must be a number > 0');
  }
  if (isObj(job.container) && (typeof job.container.image !== 'string' || job.container.image === ''))
    add('container.image', 'is required');
  return issues;
}

export function formatDefinitionIssues(what: string, issues: readonly DefinitionIssue[]): string {
  return `${what} is invalid:\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n')}`;
}

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/**
 * Contract: every Marathon app the program renders, for every committed stack, validates against Marathon's
 * official AppDefinition JSON Schema (v1.7.236, the newest that ships one), read from $STARS_SCHEMAS_DIR
 * (default ../shared/schemas). The validator is first proven on the official examples: it accepts those
 * SOURCE.txt lists as OK and rejects those listed as FAIL for their documented reasons. Chronos has no
 * schema; its jobs are checked against the shape of the documented example jobs.
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { planApps } from '../../components/apps/plan-apps';
import { parseClusterSpec } from '../../components/model/parse-cluster-spec';
import { rawConfigFromEngine } from '../../components/model/raw-config';
import { loadStackConfig } from '../../scripts/lib/stack-config';
import { reportSkip } from '../support/skips';
import { stackSpec } from '../unit/components/hosts/stack-spec';

const PROJECT_DIR = path.resolve(__dirname, '..', '..');
const SCHEMAS_DIR = process.env.STARS_SCHEMAS_DIR ?? path.resolve(PROJECT_DIR, '../shared/schemas');
const MARATHON = path.join(SCHEMAS_DIR, 'marathon');
const present = existsSync(path.join(MARATHON, 'AppDefinition.json'));
if (!present) {
  reportSkip(
    `Marathon/Chronos contract tests: no schemas at ${SCHEMAS_DIR}. Set STARS_SCHEMAS_DIR to the shared schemas directory.`,
  );
}
const suite = present ? describe : describe.skip;

// The schemas' own remote ids; mapped to the local files so nothing is fetched.
const REMOTE =
  'https://raw.githubusercontent.com/mesosphere/marathon/master/docs/docs/rest-api/public/api/v2/schema';

function loadSchema(file: string): Record<string, unknown> {
  const schema = JSON.parse(readFileSync(path.join(MARATHON, file), 'utf8')) as Record<string, unknown>;
  // Draft-04 style: `$schema` names no meta-schema Ajv knows, and `id` is `$id` in later drafts.
  delete schema.$schema;
  delete schema.id;
  return { ...schema, $id: `${REMOTE}/${file}` };
}

function validators(): { app: ValidateFunction; group: ValidateFunction } {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(loadSchema('AppDefinition.json'));
  ajv.addSchema(loadSchema('Group.json'));
  return {
    app: ajv.getSchema(`${REMOTE}/AppDefinition.json`) as ValidateFunction,
    group: ajv.getSchema(`${REMOTE}/Group.json`) as ValidateFunction,
  };
}

/** describe.skip still runs its body, so directory listings must not throw when the schemas are absent. */
const list = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).sort() : []);

const readJson = (rel: string): unknown =>
  JSON.parse(readFileSync(path.join(MARATHON, 'examples', rel), 'utf8'));

function errorsOf(validate: ValidateFunction, value: unknown): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
  );
}

suite('Marathon AppDefinition schema (official examples prove the validator)', () => {
  const v = present ? validators() : undefined;
  const appsOk = [
    'docs-articles/app-simple.json',
    'docs-api-v2/requests/app_patch.json',
    ...list(path.join(MARATHON, 'examples/system-tests/apps'))
      .filter((f) => !['pinger-bridge-app.json', 'private-ucr-docker-app.json'].includes(f))
      .map((f) => `system-tests/apps/${f}`),
    ...list(path.join(MARATHON, 'examples/legacy-examples-v1.5.15'))
      .filter((f) => f.endsWith('.json') && !f.startsWith('Group-'))
      .map((f) => `legacy-examples-v1.5.15/${f}`),
  ];

  test('the example set is the one SOURCE.txt validated (18 system-test apps, 7 legacy apps)', () => {
    expect(appsOk.filter((f) => f.startsWith('system-tests/')).length).toBe(18);
    expect(appsOk.filter((f) => f.startsWith('legacy-')).length).toBe(7);
  });

  test.each(appsOk)('accepts %s', (file) => {
    expect(errorsOf(v!.app, readJson(file))).toEqual([]);
  });

  test.each(['docs-api-v2/requests/apps_create.json', 'docs-api-v2/requests/apps_patch.json'])(
    'accepts every app in %s',
    (file) => {
      for (const app of readJson(file) as unknown[]) expect(errorsOf(v!.app, app)).toEqual([]);
    },
  );

  test.each([
    'docs-api-v2/requests/group.json',
    'system-tests/groups/sleep-group.json',
    'legacy-examples-v1.5.15/Group-1.json',
    'legacy-examples-v1.5.15/Group-2.json',
  ])('accepts the group %s (apps checked through the mapped $ref)', (file) => {
    expect(errorsOf(v!.group, readJson(file))).toEqual([]);
  });

  test.each([
    ['docs-api-v2/requests/app.json', /additionalProperty":"tty"/],
    ['docs-api-v2/requests/app-check-http-example.json', /additionalProperty":"check"/],
    ['system-tests/apps/pinger-bridge-app.json', /\/container\/docker .*additionalProperty":"requirePorts"/],
    [
      'system-tests/apps/private-ucr-docker-app.json',
      /\/container\/docker .*additionalProperty":"forcePull"/,
    ],
  ])('rejects %s for its documented reason', (file, reason) => {
    const errors = errorsOf(v!.app, readJson(file));
    expect(errors.some((e) => reason.test(e))).toBe(true);
  });

  test('app.json is also rejected for having both cmd and args', () => {
    const errors = errorsOf(v!.app, readJson('docs-api-v2/requests/app.json'));
    expect(errors.some((e) => e.startsWith('/ must NOT be valid'))).toBe(true);
  });
});

function stackPlan(stack: string): ReturnType<typeof planApps> {
  const cfg = loadStackConfig(PROJECT_DIR, stack);
  const { raw, secretKeys } = rawConfigFromEngine(cfg);
  return planApps(parseClusterSpec(raw, { stack, secretKeys }));
}

const STACKS = ['dev', 'staging', 'production'];

suite('every rendered Marathon app validates against the official schema', () => {
  const v = present ? validators() : undefined;
  const cases = [
    ...STACKS.flatMap((stack) =>
      stackPlan(stack).apps.map((a) => [stack, a.definition.id, a.definition] as const),
    ),
    // The optional app no committed stack enables.
    ...planApps(stackSpec('staging', { 'stars:apps': ['jenkins'] })).apps.map(
      (a) => ['staging+jenkins', a.definition.id, a.definition] as const,
    ),
  ];

  test('each stack renders apps', () => {
    for (const stack of STACKS) expect(cases.filter((c) => c[0] === stack).length).toBeGreaterThan(2);
  });

  test.each(cases)('%s %s', (_stack, _id, definition) => {
    expect(errorsOf(v!.app, definition)).toEqual([]);
  });
});

suite('every rendered Chronos job has the documented job shape', () => {
  const examples = list(path.join(SCHEMAS_DIR, 'chronos', 'examples')).map(
    (f) =>
      JSON.parse(readFileSync(path.join(SCHEMAS_DIR, 'chronos', 'examples', f), 'utf8')) as Record<
        string,
        unknown
      >,
  );
  // Every key the documented examples use, plus the 3.x fields the docs list (scheduleTimeZone, constraints,
  // environmentVariables, description), minus the 2.x ones 3.x ignores.
  const known = new Set([
    ...examples.flatMap((e) => Object.keys(e)),
    'scheduleTimeZone',
    'constraints',
    'environmentVariables',
    'description',
  ]);
  for (const gone of ['epsilon', 'async']) known.delete(gone);
  const jobs = STACKS.flatMap((stack) =>
    stackPlan(stack).jobs.map((j) => [stack, j.definition.name, j.definition] as const),
  );

  test('the documented examples themselves have one of schedule or parents', () => {
    for (const e of examples) expect('schedule' in e !== 'parents' in e).toBe(true);
  });

  test.each(jobs)('%s %s', (_stack, _name, job) => {
    expect(Object.keys(job).filter((k) => !known.has(k))).toEqual([]);
    expect(typeof job.name).toBe('string');
    expect(typeof job.command).toBe('string');
    expect('schedule' in job !== 'parents' in job).toBe(true);
    if (job.container !== undefined) {
      // The container fields the Chronos docs list (platform-apis.md, Chronos `container`).
      expect(
        Object.keys(job.container).filter(
          (k) => !['type', 'image', 'network', 'volumes', 'forcePullImage', 'parameters'].includes(k),
        ),
      ).toEqual([]);
      for (const vol of job.container.volumes ?? [])
        expect(Object.keys(vol).sort()).toEqual(['containerPath', 'hostPath', 'mode']);
      for (const p of job.container.parameters ?? []) {
        expect(Object.keys(p).sort()).toEqual(['key', 'value']);
        expect([typeof p.key, typeof p.value]).toEqual(['string', 'string']);
      }
    }
  });
});

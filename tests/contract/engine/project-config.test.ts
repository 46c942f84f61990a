/**
 * The engine's contract: Pulumi.yaml against the engine's project schema, and every stack file in the repo (and
 * the lab's) against the engine's config rules at the CLI version package.json pins (the port in
 * scripts/lib/engine-config.ts, checked here against tests/contract/upstream/pulumi). The mock runtime never
 * reads Pulumi.yaml, so without this a project file the engine refuses passed every other test.
 */
import Ajv2020 from 'ajv/dist/2020';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import packageJson from '../../../package.json';
import {
  validateConfigValue,
  validateProjectConfig,
  validateStackConfig,
  type ProjectConfigType,
} from '../../../scripts/lib/engine-config';
import { planLab, DEFAULT_LAB } from '../../../scripts/lib/lab/lab-plan';
import { renderLabStackFile } from '../../../scripts/lib/lab/stack-file';
import { loadStackConfig } from '../../../scripts/lib/stack-config';
import { facts, SCHEMAS_DIR } from '../support/upstream-facts';

const PROJECT_DIR = path.resolve(__dirname, '..', '..', '..');
const CLI = packageJson.devDependencies.pulumi;
const engine = facts('pulumi', CLI).facts;
const project = parse(readFileSync(path.join(PROJECT_DIR, 'Pulumi.yaml'), 'utf8')) as {
  name: string;
  config: Record<string, ProjectConfigType>;
};
/** An engine format string with its %v filled in order. */
const format = (fact: string, ...args: string[]): string =>
  args.reduce((s, a) => s.replace('%v', a), String(engine[fact].value));

describe(`Pulumi.yaml as the Pulumi engine ${CLI} loads it`, () => {
  test('the CLI package.json pins is the one the facts were read for', () => {
    expect(facts('pulumi', CLI).tag).toBe(`v${CLI}`);
  });

  test('validates against the engine project schema (sdk/go/common/workspace/project.json)', () => {
    const schema = JSON.parse(
      readFileSync(path.join(SCHEMAS_DIR, 'pulumi-providers', 'pulumi-project-3.248.0.schema.json'), 'utf8'),
    ) as object;
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(schema);
    expect(validate(project) ? [] : validate.errors).toEqual([]);
  });

  test('every declared type is one the engine knows, and Project.Validate finds nothing', () => {
    const allowed = new Set(engine.allowedConfigTypes.values);
    for (const decl of Object.values(project.config)) expect(allowed.has(decl.type ?? 'string')).toBe(true);
    expect(validateProjectConfig(project.name, project.config)).toEqual([]);
  });

  test('no key of ours is required: each has a default that is not null, so an unset key never stops a stack', () => {
    const required = Object.entries(project.config).filter(
      ([, d]) => d.default === undefined || d.default === null,
    );
    expect(required.map(([k]) => k)).toEqual([]);
  });
});

describe('the port of the engine config rules says what the engine says', () => {
  const decl = (d: ProjectConfigType): Record<string, ProjectConfigType> => ({ 'stars:k': d });

  test.each([
    [
      'default: null is no default, so the unset key is missing',
      decl({ type: 'string', default: null }),
      {},
      [format('missingMessage', 'dev', 'value', "'stars:k'")],
    ],
    ['a default applies when the stack is silent', decl({ type: 'string', default: '' }), {}, []],
    [
      'several missing keys come sorted in one message',
      {
        'stars:b': { type: 'string' },
        'stars:a': { type: 'string' },
        'stars:c': { type: 'string' },
      },
      {},
      [format('missingMessage', 'dev', 'values', "'stars:a', 'stars:b' and 'stars:c'")],
    ],
    ['another namespace is never required', { 'aws:region': { value: 'us-east-1' } }, {}, []],
    [
      'a typed value of the wrong type',
      decl({ type: 'integer', default: 1 }),
      { 'stars:k': { value: 'x', secure: false } },
      [format('typeMessage', 'dev', 'stars:k', 'integer')],
    ],
    [
      'a secret key set in plain text',
      decl({ type: 'string', default: '', secret: true }),
      { 'stars:k': { value: 'x', secure: false } },
      [format('secretMessage', 'dev', 'stars:k')],
    ],
    [
      'array<string> with a mapping',
      decl({ type: 'array', items: { type: 'string' }, default: [] }),
      { 'stars:k': { value: { a: 1 }, secure: false } },
      [format('typeMessage', 'dev', 'stars:k', 'array<string>')],
    ],
  ] as const)('%s', (_claim, config, values, expected) => {
    expect(validateStackConfig('stars', 'dev', config, values)).toEqual(expected);
  });

  test.each([
    ['string', 'any scalar arrives as text', '42', true],
    ['string', 'a list is not text', ['a'], false],
    ['integer', 'text strconv.Atoi accepts', '-12', true],
    ['integer', 'a fraction', '1.5', false],
    ['integer', 'a whole float from JSON', 3, true],
    ['boolean', 'the text true', 'true', true],
    ['boolean', 'yes is not a boolean', 'yes', false],
    ['object', 'a mapping', { a: 1 }, true],
  ] as const)('%s: %s -> %p', (type, _claim, value, ok) => {
    expect(validateConfigValue(type, undefined, value)).toBe(ok);
  });

  test.each([
    ['an array without items', { type: 'array', default: [] }, format('arrayWithoutItems', 'stars:k')],
    [
      'a default of another type',
      { type: 'integer', default: 'x' },
      format('defaultNotOfType', 'stars:k', 'integer'),
    ],
    ['default and value together', { default: 'a', value: 'b' }, format('defaultAndValue', 'stars:k')],
  ] as const)('Project.Validate refuses %s', (_claim, d, message) => {
    expect(validateProjectConfig('stars', decl(d))).toEqual([message]);
  });

  test.each([
    ['a type', { 'aws:region': { type: 'string', value: 'x' } }, format('foreignKeyType', 'aws:region')],
    ['no value', { 'aws:region': {} }, format('foreignKeyNoValue', 'aws:region')],
  ] as const)("another namespace's key with %s is refused", (_claim, config, message) => {
    expect(validateProjectConfig('stars', config)).toEqual([message]);
  });
});

describe('every stack file passes the engine before the program runs', () => {
  test.each([['dev'], ['staging'], ['production']])('Pulumi.%s.yaml', (stack) => {
    expect(() => loadStackConfig(PROJECT_DIR, stack)).not.toThrow();
  });

  test("the lab's Pulumi.lab.yaml", () => {
    const plan = planLab(DEFAULT_LAB);
    const keys = Object.fromEntries(plan.hosts.map((h) => [h.name, `ssh-ed25519 AAAAkey${h.name}`]));
    const dir = mkdtempSync(path.join(tmpdir(), 'stars-lab-stack-'));
    try {
      const file = path.join(dir, 'Pulumi.lab.yaml');
      writeFileSync(file, renderLabStackFile(plan, keys, { proxy: 'http://192.0.2.1:3128' }));
      expect(() => loadStackConfig(PROJECT_DIR, 'lab', file)).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a stack with a key of the wrong type is refused offline with the engine message', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'stars-bad-stack-'));
    try {
      const file = path.join(dir, 'Pulumi.bad.yaml');
      writeFileSync(file, 'config:\n  stars:sshPort: twenty-two\n  stars:authEnabled: yes\n');
      expect(() => loadStackConfig(PROJECT_DIR, 'bad', file)).toThrow(
        `the Pulumi engine refuses ${file} before the program runs:\n` +
          `  - ${format('typeMessage', 'bad', 'stars:authEnabled', 'boolean')}\n` +
          `  - ${format('typeMessage', 'bad', 'stars:sshPort', 'integer')}`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

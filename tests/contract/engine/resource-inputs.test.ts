/**
 * Every resource input the program registers, in all three stacks, against the provider's package schema
 * (../shared/schemas/pulumi-providers: property names, types, required inputs, enums), the hand-declared
 * PlatformContainer included; and the container fields we set against the validators of the Terraform
 * provider @pulumi/docker bridges (tests/contract/upstream/docker/terraform-provider.json).
 */
import { readFileSync } from 'fs';
import * as path from 'path';
import type { ProgramRun, RecordedResource } from '../../../scripts/lib/program-runner';
import { runStack } from '../../graph/harness';
import { checkResourceInputs, loadPackageSchema, type PackageSchema } from '../support/package-schema';
import { facts } from '../support/upstream-facts';

const SCHEMAS: Readonly<Record<string, PackageSchema>> = {
  command: loadPackageSchema('command-1.2.1.schema.json'),
  docker: withSdkAdditions(loadPackageSchema('docker-5.1.0.schema.json')),
  random: loadPackageSchema('random-4.21.1.schema.json'),
  tls: loadPackageSchema('tls-5.5.1.schema.json'),
};
/** Types with no package schema here: components, dynamic providers, and AWS (no aws schema is shipped). */
const UNCHECKED = /^(stars:|pulumi-nodejs:dynamic|pulumi:providers:|aws:)/;

/**
 * @pulumi/docker 5.2.0 (the pinned SDK) is newer than the newest schema here (5.1.0): the two upload fields it
 * adds are taken from the installed SDK's own declarations, and only after the test finds them there.
 */
function withSdkAdditions(schema: PackageSchema): PackageSchema {
  const upload = 'docker:index/ContainerUpload:ContainerUpload';
  const t = schema.types?.[upload];
  if (t === undefined) throw new Error(`${upload} is missing from the docker schema`);
  const properties = { ...t.properties, owner: { type: 'string' }, group: { type: 'string' } };
  return { ...schema, types: { ...schema.types, [upload]: { ...t, properties } } };
}

const runs: Record<string, ProgramRun> = {};
beforeAll(async () => {
  for (const stack of ['dev', 'staging', 'production']) runs[stack] = await runStack(stack);
}, 240_000);

const checked = (run: ProgramRun): RecordedResource[] => run.resources.filter((r) => !UNCHECKED.test(r.type));

describe.each([['dev'], ['staging'], ['production']])('%s: resource inputs', (stack) => {
  test('every registered resource has a package schema or is listed as unchecked', () => {
    const types = new Set(checked(runs[stack]).map((r) => r.type.split(':')[0]));
    expect([...types].filter((p) => SCHEMAS[p] === undefined)).toEqual([]);
  });

  test('every input is a declared property of the right type, and every required input is set', () => {
    const problems = checked(runs[stack]).flatMap((r) =>
      checkResourceInputs(SCHEMAS[r.type.split(':')[0]], r.type, r.inputs).map((p) => `${r.name}: ${p}`),
    );
    expect(problems).toEqual([]);
  });

  test('container fields pass the Terraform provider validators @pulumi/docker bridges', () => {
    const rules = facts('docker', 'terraform-provider').facts;
    const pattern = (fact: string): RegExp => new RegExp(String(rules[fact].value));
    const problems: string[] = [];
    for (const c of runs[stack].resources.filter((r) => r.type === 'docker:index/container:Container')) {
      const i = c.inputs as {
        restart?: string;
        uploads?: { permissions?: string }[];
        volumes?: { hostPath?: string }[];
        healthcheck?: Record<string, unknown>;
        waitTimeout?: number;
      };
      if (i.restart !== undefined && !pattern('restartPattern').test(i.restart))
        problems.push(`${c.name}: restart ${i.restart}`);
      for (const u of i.uploads ?? [])
        if (u.permissions !== undefined && !pattern('uploadPermissionsPattern').test(u.permissions))
          problems.push(`${c.name}: upload permissions ${u.permissions}`);
      for (const v of i.volumes ?? [])
        if (v.hostPath !== undefined && !v.hostPath.startsWith('/'))
          problems.push(`${c.name}: hostPath ${v.hostPath}`);
      for (const k of ['interval', 'timeout', 'startPeriod'])
        if (i.healthcheck?.[k] !== undefined && !pattern('durationPattern').test(String(i.healthcheck[k])))
          problems.push(`${c.name}: healthcheck.${k} ${String(i.healthcheck[k])}`);
      if (typeof i.healthcheck?.retries === 'number' && i.healthcheck.retries < 0)
        problems.push(`${c.name}: healthcheck.retries`);
      if (i.waitTimeout !== undefined && !(i.waitTimeout > 0))
        problems.push(`${c.name}: waitTimeout ${i.waitTimeout}`);
      if ((c.inputs as { wait?: boolean }).wait === true && i.healthcheck === undefined)
        problems.push(`${c.name}: wait without a healthcheck`);
    }
    expect(problems).toEqual([]);
  });
});

test('the hand-declared PlatformContainer sends only properties the docker schema declares', () => {
  const source = readFileSync(
    path.resolve(__dirname, '../../../components/platform/platform-container.ts'),
    'utf8',
  );
  expect(source).toContain("DOCKER_CONTAINER_TYPE = 'docker:index/container:Container'");
  const declared = new Set(
    Object.keys(SCHEMAS.docker.resources['docker:index/container:Container'].inputProperties ?? {}),
  );
  const sent = new Set(
    Object.values(runs)
      .flatMap((r) => r.resources.filter((x) => x.type === 'docker:index/container:Container'))
      .flatMap((x) => Object.keys(x.inputs)),
  );
  expect([...sent].filter((k) => !declared.has(k))).toEqual([]);
});

describe('the checker itself refuses what the schema refuses', () => {
  test.each([
    [
      'an unknown property',
      { image: 'x', imagee: 'y' },
      ['imagee: not an input of docker:index/container:Container'],
    ],
    ['a missing required input', { name: 'x' }, ['image: required input missing']],
    ['a number for a string', { image: 'x', restart: 3 }, ['restart: 3 is not a string']],
    [
      'an unknown nested property',
      { image: 'x', uploads: [{ file: '/a', mode: '0644' }] },
      ['uploads[0].mode: not a property of docker:index/ContainerUpload:ContainerUpload'],
    ],
  ])('%s', (_claim, inputs, expected) => {
    expect(checkResourceInputs(SCHEMAS.docker, 'docker:index/container:Container', inputs)).toEqual(expected);
  });
});

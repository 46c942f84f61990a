/**
 * The house's import rules (eslint.config.mjs), checked by running ESLint itself on small files it is handed as
 * if they sat in the tree: imports go only down the layers, pure modules load no Pulumi SDK, and dynamic
 * providers may name Pulumi types but not load it. Pulumi's own lint rules (@pulumi/eslint-plugin) run on the code
 * that builds resources.
 */
import { spawnSync } from 'child_process';
import { rmSync, writeFileSync } from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
// ESLint's package exports hide its bin; the file itself is where npm installs it.
const ESLINT = path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');

/** The Pulumi rules need type information, which a file that is not on disk has none of: they are off here. */
const UNTYPED = [
  '--parser-options',
  'projectService:false',
  '--rule',
  '@pulumi/no-output-in-template-literal: off',
  '--rule',
  '@pulumi/no-output-instance-in-template-literal: off',
];

function lint(file: string, code: string): string[] {
  const r = spawnSync(
    process.execPath,
    [ESLINT, '--stdin', '--stdin-filename', file, ...UNTYPED, '--format', 'json'],
    { cwd: ROOT, input: code, encoding: 'utf8' },
  );
  return ruleIds(r.stdout);
}

function ruleIds(stdout: string): string[] {
  const [result] = JSON.parse(stdout) as { messages: { ruleId: string | null }[] }[];
  return result.messages.map((m) => m.ruleId ?? 'parse error');
}

jest.setTimeout(60_000);

const USE = (what: string): string => `${what}\nexport const used = x;\n`;

describe('import rules', () => {
  test.each([
    [
      'a host module reaching up into the platform',
      'components/hosts/x.ts',
      "import { x } from '../platform/endpoints';",
      ['no-restricted-imports'],
    ],
    [
      'the platform reaching up into the apps',
      'components/platform/x.ts',
      "import { x } from '../apps/plan-apps';",
      ['no-restricted-imports'],
    ],
    [
      'the apps reaching up into the edge',
      'components/apps/x.ts',
      "import { x } from '../edge/plan-edge';",
      ['no-restricted-imports'],
    ],
    [
      'an apps API module reaching up into the edge',
      'components/apps/api/x.ts',
      "import { x } from '../../edge/plan-edge';",
      ['no-restricted-imports'],
    ],
    [
      'the model reaching up into plan',
      'components/model/x.ts',
      "import { x } from '../plan/topology';",
      ['no-restricted-imports'],
    ],
    [
      'a renderer loading the Pulumi SDK',
      'components/hosts/render-x.ts',
      "import { x } from '@pulumi/pulumi';",
      ['no-restricted-imports'],
    ],
    [
      'a plan/ module loading the Pulumi SDK',
      'components/plan/x.ts',
      "import { x } from '@pulumi/pulumi';",
      ['no-restricted-imports'],
    ],
    [
      'an apps API module loading the Pulumi SDK',
      'components/apps/api/x.ts',
      "import { x } from '@pulumi/pulumi';",
      ['no-restricted-imports'],
    ],
    [
      'a dynamic provider loading the Pulumi SDK',
      'components/apps/x-provider.ts',
      "import { x } from '@pulumi/pulumi';",
      ['@typescript-eslint/no-restricted-imports'],
    ],
  ])('refuses %s', (_what, file, line, rules) => {
    expect(lint(file, USE(line))).toEqual(rules);
  });

  test.each([
    ['the edge using the apps plan', 'components/edge/x.ts', "import { x } from '../apps/plan-apps';"],
    ['a component loading the Pulumi SDK', 'components/apps/x.ts', "import { x } from '@pulumi/pulumi';"],
    [
      'a dynamic provider naming a Pulumi type',
      'components/apps/x-provider.ts',
      "import type { x } from '@pulumi/pulumi';",
    ],
    [
      'the composition of planners above the layers',
      'components/plan-cluster-x.ts',
      "import { x } from './edge/plan-edge';",
    ],
  ])('allows %s', (_what, file, line) => {
    expect(lint(file, USE(line))).toEqual([]);
  });

  test('an Output interpolated into a plain template literal is refused; pulumi.interpolate is not', () => {
    const code = [
      "import * as pulumi from '@pulumi/pulumi';",
      "const o = pulumi.output('a');",
      'export const plain = `${o}`;',
      'export const tagged = pulumi.interpolate`${o}`;',
      '',
    ].join('\n');
    // A real file, so TypeScript's project service types it; removed whatever the outcome.
    const file = path.join(ROOT, 'components', 'apps', `lint-probe-${process.pid}.ts`);
    writeFileSync(file, code);
    try {
      const r = spawnSync(process.execPath, [ESLINT, file, '--format', 'json'], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      expect(ruleIds(r.stdout)).toEqual(['@pulumi/no-output-in-template-literal']);
    } finally {
      rmSync(file, { force: true });
    }
  });
});

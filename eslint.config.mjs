import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import pulumi from '@pulumi/eslint-plugin';

/**
 * The house's two import rules, as one `no-restricted-imports` per file (flat config does not merge a rule's
 * options, so each glob gets the whole list): imports go only down the layers (spec, plan, hosts, platform,
 * apps, edge; components/plan-cluster.ts and index.ts compose them from above), and pure modules (the planners,
 * renderers and validators, model/, plan/ and apps/api/) stay free of the Pulumi SDK so they are tested and
 * benchmarked in isolation.
 */
const LAYERS = ['model', 'plan', 'hosts', 'platform', 'apps', 'edge'];
const PURE_NAMES = ['render-*.ts', 'plan-*.ts', 'validate-*.ts'];
const PURE_FOLDERS = ['model', 'plan', 'apps/api'];

function layerRules() {
  return LAYERS.flatMap((layer, i) => {
    const above = LAYERS.slice(i + 1).flatMap((l) => [`../${l}/*`, `../../${l}/*`]);
    const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
    const pureFiles = [
      ...PURE_NAMES.map((n) => `components/${layer}/**/${n}`),
      ...PURE_FOLDERS.filter((f) => f.split('/')[0] === layer).map((f) => `components/${f}/**/*.ts`),
    ];
    return [
      ...(above.length === 0 ? [] : [{ files: [`components/${layer}/**/*.ts`], rules: restrict(above) }]),
      { files: pureFiles, rules: restrict([...above, '@pulumi/*']) },
    ];
  });
}

export default tseslint.config(
  { ignores: ['node_modules/**', 'bin/**', 'coverage/**'] },
  js.configs.recommended,
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' } },
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': 'off',
    },
  },
  {
    // Jest's global setup/teardown run outside ts-jest, as CommonJS.
    files: ['tests/support/*.js'],
    languageOptions: { globals: { process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Scripts the project images run with their own Node (images/lightning: Node 8), as CommonJS.
    files: ['images/**/*.js'],
    languageOptions: { globals: { process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  ...layerRules(),
  {
    // Pulumi's own rules: an Output interpolated into a plain template literal renders as a warning string,
    // not its value. They need type information, so they run on the code that builds resources.
    files: ['index.ts', 'components/**/*.ts', 'policy/**/*.ts', 'examples/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@pulumi': pulumi },
    rules: {
      '@pulumi/no-output-in-template-literal': 'error',
      '@pulumi/no-output-instance-in-template-literal': 'error',
    },
  },
  {
    // Dynamic providers are serialized into the state: they may name Pulumi types, never load the SDK.
    files: ['components/apps/*-provider.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@pulumi/*'], allowTypeImports: true, message: 'providers import Pulumi types only' },
          ],
        },
      ],
    },
  },
);

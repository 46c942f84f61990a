import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'bin/**', 'coverage/**'] },
  js.configs.recommended,
  {
    files: ['**/*.js'],
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
    // Pure modules must stay free of the Pulumi SDK so they can be tested and benchmarked in isolation.
    files: [
      'components/**/render-*.ts',
      'components/**/plan-*.ts',
      'components/**/validate-*.ts',
      'components/spec/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@pulumi/*'] }],
    },
  },
);

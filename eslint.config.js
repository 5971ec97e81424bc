// Lint for the whole repository: typescript-eslint's recommended type-checked rules everywhere, the React
// hooks rules for the console, and no disable comment without a written reason.
import js from '@eslint/js';
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs';
import reactHooks from 'eslint-plugin-react-hooks';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: ['node_modules/', 'cdk.out/', 'dist/', 'console/dist/', '.citydesk/', 'coverage/', '**/*.js', '**/*.mjs', '**/*.cjs'],
  },
  {
    linterOptions: {
      // A disable comment that no longer suppresses anything is noise that hides the next real one.
      reportUnusedDisableDirectives: 'error',
    },
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // One program from tsconfig.json for every file: the project service would build one per file
        // and triple the wall time on this tree.
        project: './tsconfig.json',
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  comments.recommended,
  {
    rules: {
      // Every disable comment says why, after ` -- `.
      '@eslint-community/eslint-comments/require-description': 'error',
      // A leading underscore is how this code says "deliberately unused": destructuring that drops fields
      // from a copy (`const { pk: _pk, ...rest } = item`) and parameters a port's signature requires.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['local/**/*.ts', 'test/**/*.ts'],
    rules: {
      // The local cloud and the test fakes stand in for Promise-returning AWS APIs and ports: an `async`
      // method keeps each stand-in's failure a rejection, as the real service's is, and its handler tables
      // uniform. Product code (functions/, infra/, console/) keeps the rule.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // vitest's asymmetric matchers (`expect.any(String)`, `expect.stringContaining(...)`) are typed `any`,
      // so every expected object that uses one is an "unsafe assignment"; the assertion checks the shape.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    files: ['test/infra/**/*.ts'],
    rules: {
      // aws-cdk-lib/assertions hands out the synthesized CloudFormation as `any` (`findResources`, `toJSON`):
      // these tests read that untyped JSON and assert its shape with `expect` and `Match`.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    files: ['console/src/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat.recommended,
  },
);

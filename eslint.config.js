// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Lint for the whole workspace. Besides the recommended rules, the import rules below state the
 * arrows of the architecture (docs/architecture.md); a change that breaks one fails CI.
 */
const onlyRelative = { regex: '^(?!\\.{1,2}/)', message: '@fluoro/core is pure and self-contained: it imports nothing but its own files.' };

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'bench/out/**', '**/*.d.mts', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
  // Browser code: the console, and what scripts run inside a page.
  {
    files: ['packages/console/**/*.{ts,tsx}', 'scripts/**/*.mjs', 'bench/**/*.mjs'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
  // core → nothing.
  {
    files: ['packages/core/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [onlyRelative] }] },
  },
  // storage → never config/: a backend is given its own section of the configuration, not all of
  // it. The one exception is storage/config.ts, which declares that section in config/'s vocabulary.
  {
    files: ['packages/server/src/storage/**/*.ts'],
    ignores: ['packages/server/src/storage/config.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)config/',
              message: 'Storage never imports config/: take the storage section (storage/config.ts) as a parameter.',
            },
          ],
        },
      ],
    },
  },
  // console → core, never → server.
  {
    files: ['packages/console/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^fluoro(/|$)|(^|/)server(/|$)', message: 'The console talks to the server over HTTP only.' }] },
      ],
    },
  },
);

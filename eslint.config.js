// @ts-check
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Lint for the whole workspace. Besides the recommended rules, the import rules below state the
 * arrows of the architecture (docs/architecture.md); a change that breaks one fails CI.
 */
const onlyRelative = { regex: '^(?!\\.{1,2}/)', message: '@fluoro/core is pure and self-contained: it imports nothing but its own files.' };
const contractsOnlyRelative = {
  regex: '^(?!\\.{1,2}/)',
  message: '@fluoro/contracts is types only, shared by server and console: it imports nothing but its own files.',
};

const S = './packages/server/src';
/** The server's arrows (docs/architecture.md): each zone says who may not import from where. */
const serverZones = [
  {
    target: [`${S}/!(app)/**`, `${S}/!(cli|index).ts`],
    from: `${S}/app`,
    message: 'The app layer composes the modules into roles; modules never import it, and only cli.ts and index.ts use it from outside.',
  },
  {
    target: `${S}/storage`,
    from: [`${S}/pipeline`, `${S}/signals`, `${S}/api`, `${S}/ingest`, `${S}/derived`, `${S}/sampling`, `${S}/app`],
    message: 'Storage serves every signal and role: it imports only its own contracts, core and the platform.',
  },
  {
    target: `${S}/pipeline`,
    from: [`${S}/signals`, `${S}/storage`, `${S}/derived`, `${S}/api`, `${S}/ingest`],
    message: 'The pipeline is signal-agnostic and knows no store; derived jobs subscribe to commit hooks, they never sit inside it.',
  },
  {
    target: `${S}/api`,
    from: [`${S}/storage`, `${S}/derived`],
    message: 'The APIs reach storage only through the signal query services (signals/*/query.ts).',
  },
  {
    target: `${S}/ingest`,
    from: [`${S}/storage`, `${S}/api`, `${S}/derived`],
    message: 'Receivers hand what they decode to a signal pipeline; they never write to a store.',
  },
  {
    target: `${S}/signals`,
    from: [`${S}/api`, `${S}/ingest`, `${S}/derived`, `${S}/storage/duckdb`, `${S}/storage/memory`],
    message: 'A signal knows the storage contracts, not a backend, and nothing of who calls it.',
  },
  {
    target: `${S}/derived`,
    from: [`${S}/api`, `${S}/ingest`, `${S}/pipeline`, `${S}/storage/duckdb`, `${S}/storage/memory`],
    message: 'Derived jobs read and write through the storage contracts and are fed by commit hooks.',
  },
  {
    target: `${S}/query`,
    from: [`${S}/storage`, `${S}/signals`, `${S}/pipeline`, `${S}/api`, `${S}/ingest`, `${S}/derived`, `${S}/config`, `${S}/platform`],
    message: 'Query plans are backend-neutral: they know the filter language (core) and nothing of stores or callers.',
  },
  {
    target: `${S}/platform`,
    from: [`${S}/storage`, `${S}/signals`, `${S}/pipeline`, `${S}/api`, `${S}/ingest`, `${S}/derived`, `${S}/sampling`],
    message: 'The platform (HTTP, errors, telemetry) is the bottom layer.',
  },
  {
    target: `${S}/platform`,
    from: `${S}/config`,
    except: ['./address.ts', './settings.ts'],
    message: 'The platform declares its own settings and reads listen addresses, never the whole configuration.',
  },
];

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
  // contracts → nothing.
  {
    files: ['packages/contracts/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [contractsOnlyRelative] }] },
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
  // The server's arrows, checked on resolved files (test code and the conformance cases, which play the pipeline, are exempt).
  {
    files: ['packages/server/src/**/*.ts'],
    ignores: ['**/*.test.ts', 'packages/server/src/storage/conformance/**', 'packages/server/src/platform/docs/**'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'packages/server/tsconfig.json' })] },
    rules: { 'import-x/no-restricted-paths': ['error', { zones: serverZones }] },
  },
);

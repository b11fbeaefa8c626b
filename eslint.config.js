// One lint config for the whole project (ESLint flat config + typescript-eslint).
// The blocks below the shared ones enforce the design's layering: the library in
// src/raft stays pure and deterministic, lower layers never import upper ones, and no
// module imports itself back through others (import-x/no-cycle).
// test/lint.test.ts shows on fixtures that these rules fire.

import js from '@eslint/js';
import globals from 'globals';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';

// Things that would make the library impure: time, scheduling, randomness, I/O and the host.
const impureGlobals = [
  'setTimeout',
  'setInterval',
  'setImmediate',
  'clearTimeout',
  'clearInterval',
  'clearImmediate',
  'queueMicrotask',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'requestIdleCallback',
  'Date',
  'performance',
  'console',
  'window',
  'document',
  'self',
  'globalThis',
  'navigator',
  'location',
  'Worker',
  'SharedWorker',
  'MessageChannel',
  'BroadcastChannel',
  'postMessage',
  'fetch',
  'XMLHttpRequest',
  'WebSocket',
  'localStorage',
  'sessionStorage',
  'indexedDB',
  'crypto',
  'process',
  'eval',
].map((name) => ({
  name,
  message: `src/raft is pure and deterministic: no ${name} (inject what you need through Config).`,
}));

// Layering of the library by import text (the zones below also cover it, by resolved path).
const upperLayers = {
  regex: '(^|/)(cluster|ui)(/|$)',
  message: 'Layers point down only: src/raft must not import from src/cluster or src/ui.',
};

// The layers of DESIGN.md, arrows pointing down only:
//
//   ui -> explain, lessons, scriptrun -> cluster -> check, interaction -> raft
//
// For each folder of src/, the folders of src/ it may import (itself included). Imports
// are resolved to files, so every spelling of a path is caught, type imports included.
// Packages from node_modules are not limited here. src/ui may import every layer, and
// nothing in src/, bench/ or test/ imports src/ui.
const mayImport = {
  raft: ['raft'],
  check: ['check', 'raft'],
  interaction: ['interaction', 'raft'],
  cluster: ['cluster', 'check', 'interaction', 'raft'],
  explain: ['explain', 'cluster', 'check', 'interaction', 'raft'],
  lessons: ['lessons', 'cluster', 'check', 'interaction', 'raft'],
  scriptrun: ['scriptrun', 'cluster', 'check', 'interaction', 'raft'],
};
const layerZones = [
  ...Object.entries(mayImport).map(([folder, allowed]) => {
    const below = allowed.filter((f) => f !== folder).map((f) => `src/${f}`);
    return {
      target: `./src/${folder}`,
      from: './src',
      except: allowed.map((f) => `./${f}`),
      message:
        below.length === 0
          ? `src/${folder} imports nothing of the project outside src/${folder}.`
          : `Layers point down only (DESIGN.md): src/${folder} may import only ${below.join(', ')} and src/${folder}.`,
    };
  }),
  // scripts/ is left out: make-samples.ts builds its runs with the app's own cluster
  // settings (src/ui/store), as the app's Export button does.
  {
    target: ['./bench', './test'],
    from: './src/ui',
    message: 'Nothing imports src/ui (DESIGN.md): it is the top layer.',
  },
];

export default defineConfig(
  {
    // test/fixtures/lint/ breaks the rules on purpose (test/lint.test.ts lints it itself).
    ignores: [
      'dist/',
      'dist-single/',
      'node_modules/',
      'test-results/',
      'playwright-report/',
      'coverage/',
      '.vite/',
      'test/fixtures/lint/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
    },
    linterOptions: {
      reportUnusedDisableDirectives: 'error',
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] })],
    },
    rules: {
      // Value imports only: a cycle through `import type` is erased at compile time.
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones: layerZones }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  // Node-side code: tooling, configs, CLIs, benchmarks, tests.
  {
    files: ['scripts/**', 'bench/**', 'test/**', 'e2e/**', '*.config.{js,ts,mjs}', '.ci/**'],
    languageOptions: { globals: globals.node },
  },
  // Browser-side code.
  {
    files: ['src/ui/**'],
    languageOptions: { globals: globals.browser },
  },
  // The library: pure, synchronous, deterministic.
  {
    files: ['src/raft/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', ...impureGlobals],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'src/raft is deterministic: use Config.random.' },
        { object: 'Date', property: 'now', message: 'src/raft has no clock: time is logical (tick).' },
        { object: 'performance', property: 'now', message: 'src/raft has no clock: time is logical (tick).' },
      ],
      // Whatever the two rules above cannot see: code loaded or built at run time, and
      // dynamic lookups on Math that could reach Math.random.
      'no-restricted-syntax': [
        'error',
        { selector: 'ImportExpression', message: 'src/raft loads no code at run time.' },
        { selector: "NewExpression[callee.name='Function']", message: 'src/raft builds no code at run time.' },
        {
          selector: "MemberExpression[object.name='Math'][computed=true][property.type!='Literal']",
          message: 'src/raft is deterministic: no dynamic Math lookups (they can reach Math.random).',
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            upperLayers,
            {
              regex: '(^|/)(interaction|check)(/|$)',
              message: 'src/raft imports nothing of the project outside src/raft.',
            },
          ],
        },
      ],
    },
  },
  // Node built-ins are off limits for the library itself (tests may read files).
  {
    files: ['src/raft/**/*.ts'],
    ignores: ['src/raft/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            upperLayers,
            {
              regex: '(^|/)(interaction|check)(/|$)',
              message: 'src/raft imports nothing of the project outside src/raft.',
            },
            { regex: '^node:', message: 'src/raft does no I/O: no Node built-ins.' },
          ],
        },
      ],
    },
  },
  // Script mode's logic: below ui/, and it runs in the browser (no Node built-ins).
  {
    files: ['src/scriptrun/**/*.ts'],
    ignores: ['src/scriptrun/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '(^|/)ui(/|$)', message: 'Layers point down only: src/scriptrun must not import from src/ui.' },
            { regex: '^node:', message: 'src/scriptrun runs in the browser: no Node built-ins.' },
          ],
        },
      ],
    },
  },
);

// One lint config for the whole project (ESLint flat config + typescript-eslint).
// The blocks below the shared ones enforce the design's layering: the library in
// src/raft stays pure and deterministic, and lower layers never import upper ones.

import js from '@eslint/js';
import globals from 'globals';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

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

// Layering: the library and the harness sit below cluster/ and ui/.
const upperLayers = {
  regex: '(^|/)(cluster|ui)(/|$)',
  message: 'Layers point down only: src/raft and src/interaction must not import from src/cluster or src/ui.',
};

export default defineConfig(
  {
    ignores: ['dist/', 'dist-single/', 'node_modules/', 'test-results/', 'playwright-report/', 'coverage/', '.vite/'],
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
    rules: {
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
  {
    files: ['src/interaction/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [upperLayers] }],
    },
  },
  // Lessons (format, parser, checks, runner) sit below the UI that plays them.
  {
    files: ['src/lessons/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ regex: '(^|/)ui(/|$)', message: 'src/lessons sits below src/ui: it must not import from it.' }],
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

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { servedCsp, singleFile } from './scripts/htmlPlugins.js';
import { blankComments } from './src/scriptrun/blankComments';

// The browser app (src/ui). Tests are configured separately: vitest.config.ts for unit,
// property and conformance tests, playwright.config.ts for end-to-end tests.
//
// Two builds:
// - `vite build` (npm run build): the normal multi-file app in dist/, served over http(s);
//   public/ (favicon, web manifest, sample runs) is copied next to it.
// - `vite build --mode single` (npm run build:single): one dist-single/raftlab.html
//   that runs from file:// with no server (scripts/htmlPlugins.ts): no code splitting,
//   the node worker inlined as a classic worker started from blob: URLs, no public/ files.

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * Raftlab's own scripts (test/scripts, bundled for script mode) ship without their
 * comment lines, blanked so that line numbers stay: 2.3 KB less of the 250 KB budget.
 */
function bundledScriptsWithoutComments(): Plugin {
  return {
    name: 'raftlab-bundled-scripts',
    enforce: 'pre',
    async load(id) {
      const [file = '', query] = id.split('?');
      if (query !== 'raw' || !/[\\/]test[\\/]scripts[\\/][^\\/]+\.txt$/.test(file)) return null;
      return `export default ${JSON.stringify(blankComments(await readFile(file, 'utf8')))};`;
    },
  };
}

/**
 * The app is written against React's API and runs on preact/compat (React's API in
 * about 5 KB gzip instead of react-dom's 60): what keeps the built app within its
 * 250 KB budget. Every build and the dev server use these; unit tests render no
 * components. The spawnNodeWorker alias of each build comes after them.
 */
const preactCompat = [
  { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
  { find: /^react\/jsx-(dev-)?runtime$/, replacement: 'preact/jsx-runtime' },
  { find: /^react(-dom)?$/, replacement: 'preact/compat' },
];

const normal: UserConfig = {
  plugins: [react(), servedCsp(), bundledScriptsWithoutComments()],
  // Relative asset URLs, so the built app also works from a sub-path or a file server.
  base: './',
  build: {
    outDir: 'dist',
    target: 'es2022',
    sourcemap: true,
    rolldownOptions: {
      // The node worker is a second entry of the same bundle (spawnNodeWorker.shared.ts),
      // so the page and the workers share the chunks of the code they both run.
      input: { index: here('index.html'), 'node-worker': here('src/cluster/runtime/worker.browser.ts') },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'node-worker' ? 'assets/node-worker.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  worker: {
    format: 'es',
  },
  resolve: { alias: preactCompat },
  server: {
    host: '127.0.0.1',
  },
  preview: {
    host: '127.0.0.1',
  },
};

const single: UserConfig = {
  ...normal,
  plugins: [
    react(),
    bundledScriptsWithoutComments(),
    singleFile({ favicon: here('public/favicon.svg'), fileName: 'raftlab.html' }),
  ],
  publicDir: false,
  // Classic workers: Chromium refuses a module worker from a blob: URL made by a file://
  // page (its origin is opaque, and module scripts are fetched in CORS mode).
  worker: { format: 'iife' },
  resolve: {
    // The workers start from blob: URLs of the inlined worker script.
    alias: [
      ...preactCompat,
      { find: /^\.\/spawnNodeWorker$/, replacement: here('src/cluster/runtime/spawnNodeWorker.inline.ts') },
    ],
  },
  build: {
    outDir: 'dist-single',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // No preload helper or separate chunks: everything the page runs is in its one script.
    modulePreload: false,
    cssCodeSplit: false,
    assetsInlineLimit: Number.MAX_SAFE_INTEGER,
    rolldownOptions: { output: { codeSplitting: false } },
  },
};

/** The production multi-file build: workers start from the app's own node-worker entry. */
const production: UserConfig = {
  ...normal,
  resolve: {
    alias: [
      ...preactCompat,
      { find: /^\.\/spawnNodeWorker$/, replacement: here('src/cluster/runtime/spawnNodeWorker.shared.ts') },
    ],
  },
};

export default defineConfig(({ mode, command }) =>
  mode === 'single' ? single : command === 'build' ? production : normal,
);

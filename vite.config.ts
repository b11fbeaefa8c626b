import { readFile } from 'node:fs/promises';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { blankComments } from './src/scriptrun/blankComments';

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

// The browser app (src/ui). Tests are configured separately: vitest.config.ts for unit,
// property and conformance tests, playwright.config.ts for end-to-end tests.
export default defineConfig({
  plugins: [react(), bundledScriptsWithoutComments()],
  // Relative asset URLs, so the built app also works from a sub-path or a file server.
  base: './',
  build: {
    outDir: 'dist',
    target: 'es2022',
    sourcemap: true,
  },
  worker: {
    format: 'es',
  },
  server: {
    host: '127.0.0.1',
  },
  preview: {
    host: '127.0.0.1',
  },
});

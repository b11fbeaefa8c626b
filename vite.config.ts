import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The browser app (src/ui). Tests are configured separately: vitest.config.ts for unit,
// property and conformance tests, playwright.config.ts for end-to-end tests.
export default defineConfig({
  plugins: [react()],
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

import { defineConfig } from 'vitest/config';

// Unit, property and conformance tests. Playwright specs (e2e/) are not collected here.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});

import { defineConfig } from 'vitest/config';

// Unit, property and conformance tests. Playwright specs (e2e/) are not collected here.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    // Property tests use a fixed fast-check seed unless FC_SEED says otherwise.
    setupFiles: ['test/setup/fastCheckSeed.ts'],
    testTimeout: 60_000,
  },
});

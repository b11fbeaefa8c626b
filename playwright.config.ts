import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

// End-to-end tests drive the built app in Debian's Chromium (Playwright cannot download
// browsers on this network). Override the binary with CHROMIUM_PATH and the port with
// RAFTLAB_E2E_PORT.

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromiumPath)) {
  throw new Error(
    `Chromium not found at ${chromiumPath}. Install Debian's build (apt-get update && apt-get install -y chromium) ` +
      'or point CHROMIUM_PATH at a Chromium binary.',
  );
}

const port = Number(process.env.RAFTLAB_E2E_PORT ?? 4178);
const baseURL = `http://127.0.0.1:${port}`;
const vite = './node_modules/.bin/vite';

export default defineConfig({
  testDir: 'e2e',
  // Per-test artifacts (traces, failure screenshots). Playwright empties this folder at
  // the start of a run, so the JSON reports and the named screenshots live beside it.
  outputDir: 'test-results/e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 30_000,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    baseURL,
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromiumPath,
      // Quiet on a closed network: no background fetches, updates or sync.
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    // Both builds: the served app, and dist-single/raftlab.html for e2e/offline.spec.ts.
    command: `${vite} build && ${vite} build --mode single && ${vite} preview --host 127.0.0.1 --port ${port} --strictPort`,
    url: baseURL,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});

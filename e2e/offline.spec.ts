import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from '@playwright/test';
import { advance, generous, waitForLeader, type RaftlabWindow } from './support';

// The single file (npm run build:single; playwright.config.ts builds it before the run)
// opened by double-click: from file://, with no server and no network. Every request
// of the browser context is recorded and aborted, file:// neighbours included; only
// the page itself may load.

const file = resolve('dist-single/raftlab.html');
const url = `${pathToFileURL(file).href}?autoplay=0&nodes=3&seed=2`;

test('the single file runs from file:// with one Web Worker per node and makes no request', async ({ browser }) => {
  expect(existsSync(file), 'dist-single/raftlab.html (npm run build:single)').toBe(true);
  const context = await browser.newContext();
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  await context.route('**/*', (route) => (route.request().url() === url ? route.continue() : route.abort()));
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.cspViolations.push(`${e.effectiveDirective}`));
  });

  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as RaftlabWindow).raftlab !== undefined, null, generous);
  await expect(page.getByTestId('node-3')).toBeVisible(generous);
  const leader = await waitForLeader(page);
  await page.evaluate(() => (window as unknown as RaftlabWindow).raftlab!.put('offline', 'yes'));
  await advance(page, 5);

  // The nodes run in Web Workers, one per node, each started from a blob: URL.
  await expect(page.getByTestId('app-root').locator('.runtime')).toHaveText('workers');
  const workers = page.workers().map((w) => w.url());
  expect(workers).toHaveLength(3);
  for (const w of workers) expect(w).toMatch(/^blob:/);
  expect(await page.getByTestId('notice-warning').count()).toBe(0);

  // A picture export works offline too (the PNG goes through blob: URLs and a canvas).
  await page.getByTestId('export-picture').click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-picture-cluster-png').click(),
  ]);
  const png = await readFile((await download.path())!);
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  await page.screenshot({ path: 'test-results/screenshots/single-file.png' });

  // The policy is there, and nothing broke it.
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(policy).toContain("connect-src 'none'");
  expect(policy).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+';/);
  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
  expect(errors).toEqual([]);
  expect(leader).toBeGreaterThan(0);
  // The page itself is the only thing that was ever requested.
  expect(requests).toEqual([url]);
  await context.close();
});

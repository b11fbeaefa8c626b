import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from '@playwright/test';
import { generous, waitForLeader, type RaftlabWindow } from './support';

const file = pathToFileURL(resolve('dist-single/raftlab.html')).href;

test('the single file runs from file:// with one worker per node and makes no request', async ({ browser }) => {
  const context = await browser.newContext();
  const seen: string[] = [];
  context.on('request', (r) => seen.push(r.url()));
  const routed: string[] = [];
  await context.route('**/*', (route) => {
    routed.push(route.request().url());
    return route.request().isNavigationRequest() ? route.continue() : route.abort();
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${file}?autoplay=0`);
  await page.waitForFunction(() => (window as unknown as RaftlabWindow).raftlab !== undefined, null, generous);
  await expect(page.getByTestId('node-1')).toBeVisible(generous);
  const leader = await waitForLeader(page);
  console.log('runtime', await page.locator('.runtime').textContent(), await page.locator('.notice').allTextContents());
  console.log(
    'leader',
    leader,
    'workers',
    page.workers().map((w) => w.url()),
  );
  console.log('seen', seen, 'routed', routed, 'errors', errors);
  await page.screenshot({ path: 'test-results/screenshots/single-file.png' });
  await context.close();
});

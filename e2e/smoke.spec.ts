import { expect, test } from '@playwright/test';

// The app loads offline and cleanly: it renders, logs no errors, and never reaches
// beyond its own origin (no fonts, CDNs or analytics).

test('the app loads, stays on its origin and logs no errors', async ({ page, context, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const requests: string[] = [];
  const errors: string[] = [];

  context.on('request', (req) => requests.push(req.url()));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`uncaught: ${err.message}`));
  page.on('requestfailed', (req) => errors.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));

  await page.goto('/?autoplay=0');
  await expect(page).toHaveTitle('Raftlab');
  await expect(page.getByTestId('app-title')).toHaveText('Raftlab');
  await expect(page.getByTestId('cluster-view')).toBeVisible();
  await expect(page.getByTestId('node-1')).toBeVisible({ timeout: 20_000 });
  await page.waitForLoadState('networkidle');

  await page.screenshot({ path: 'test-results/screenshots/landing.png', fullPage: true });

  expect(errors).toEqual([]);
  expect(requests.length).toBeGreaterThan(0);
  const foreign = requests.filter((url) => !url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== origin);
  expect(foreign).toEqual([]);
});

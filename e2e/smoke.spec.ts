import { expect, test } from '@playwright/test';
import { watch } from './support';

// The app loads offline and cleanly: it renders, logs no errors, and never reaches
// beyond its own origin (no fonts, CDNs or analytics).

test('the app loads, stays on its origin and logs no errors', async ({ page, context, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const { errors, requests, foreign } = watch(page, { origin, context, failedRequests: true });

  await page.goto('/?autoplay=0');
  await expect(page).toHaveTitle('Raftlab');
  await expect(page.getByTestId('app-title')).toHaveText('Raftlab');
  await expect(page.getByTestId('cluster-view')).toBeVisible();
  await expect(page.getByTestId('node-1')).toBeVisible({ timeout: 20_000 });
  await page.waitForLoadState('networkidle');

  await page.screenshot({ path: 'test-results/screenshots/landing.png', fullPage: true });

  expect(errors).toEqual([]);
  expect(requests.length).toBeGreaterThan(0);
  expect(foreign).toEqual([]);
});

test('a malformed link opens the default cluster and says which parameters it ignored', async ({ page }) => {
  const { errors } = watch(page);
  await page.goto('/?nodes=12&seed=abc&autoplay=0&colour=red');
  await expect(page.getByTestId('node-1')).toBeVisible({ timeout: 20_000 });
  // The defaults stand: five nodes.
  await expect(page.locator('[data-testid^="node-"][data-commit]')).toHaveCount(5);
  const warnings = page.getByTestId('notice-warning');
  await expect(warnings).toHaveCount(3);
  await expect(warnings.nth(0)).toContainText('nodes="12" ignored: expected a whole number from 1 to 9');
  await expect(warnings.nth(1)).toContainText('seed="abc" ignored');
  await expect(warnings.nth(2)).toContainText('Unknown URL parameter ignored: colour');
  await page.screenshot({ path: 'test-results/screenshots/url-notices.png' });
  // autoplay=0 was understood: time stands still.
  const t0 = await page.getByTestId('clock').textContent();
  await page.waitForTimeout(500);
  await expect(page.getByTestId('clock')).toHaveText(t0!);
  expect(errors).toEqual([]);
});

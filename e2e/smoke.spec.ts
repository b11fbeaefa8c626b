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

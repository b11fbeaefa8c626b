import { expect, test } from '@playwright/test';
import { expectCleanRun, generous } from './support';
import { lessonIds, playToEnd, player } from './lessonsSupport';

// Each of the twelve lessons, opened by its URL and played from its first to its last
// step in the running app: at every step the player's expects hold against the live
// cluster (data-expect-failures="0"), and every question is answered from it.

test.describe('lessons, first to last step', () => {
  expectCleanRun();

  for (const id of lessonIds)
    test(`lesson ${id}`, async ({ page }) => {
      test.setTimeout(180_000);
      await page.goto(`/?lesson=${id}`);
      await expect(player(page)).toHaveAttribute('data-lesson', id, generous);
      await expect(player(page)).toHaveAttribute('data-step', '1');
      const asks = await playToEnd(page);
      expect(asks).toBeGreaterThan(0);
    });
});

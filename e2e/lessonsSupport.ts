import { expect, type Locator, type Page } from '@playwright/test';
import { generous } from './support';

// Helpers for the lesson specs: the player is found by its test id and read through
// its data-* attributes (data-step, data-phase, data-expect-failures...).

export const lessonIds = [
  'election',
  'replication',
  'catch-up',
  'figure-7',
  'figure-8',
  'partition',
  'prevote',
  'check-quorum',
  'membership',
  'snapshot',
  'leader-transfer',
  'read-index',
];

export function player(page: Page): Locator {
  return page.getByTestId('lesson-player');
}

/** Waits until step k is on screen and no longer running; returns its phase. */
export async function settledAt(page: Page, k: number): Promise<string> {
  const p = player(page);
  await expect(p).toHaveAttribute('data-step', String(k), generous);
  await expect(p).toHaveAttribute('data-busy', 'false', generous);
  return (await p.getAttribute('data-phase'))!;
}

/** The shown step says only what the live cluster confirms: every expect holds, on the lesson's path. */
export async function expectChecked(page: Page): Promise<void> {
  const p = player(page);
  await expect(p).toHaveAttribute('data-phase', 'shown');
  await expect(p).toHaveAttribute('data-mode', 'lesson');
  await expect(p).toHaveAttribute('data-expect-failures', '0');
  expect(Number(await p.getAttribute('data-expect-count'))).toBeGreaterThan(0);
}

/** Plays the open lesson from its current step to the last, answering each question with choice 1. */
export async function playToEnd(page: Page): Promise<number> {
  const p = player(page);
  const total = Number(await p.getAttribute('data-total'));
  let asks = 0;
  for (let k = Number(await p.getAttribute('data-step')); k <= total; k++) {
    if ((await settledAt(page, k)) === 'ask') {
      await expect(p).toHaveAttribute('data-answered', 'false');
      await page.getByTestId('lesson-choice-1').click();
      await expect(p).toHaveAttribute('data-busy', 'false', generous);
      await expect(p).toHaveAttribute('data-answered', 'true');
      await expect(p).toHaveAttribute('data-chosen', '1');
      expect(Number(await p.getAttribute('data-correct'))).toBeGreaterThan(0);
      await expect(page.getByTestId('lesson-verdict')).toBeVisible();
      asks++;
    }
    await expectChecked(page);
    if (k < total) await page.getByTestId('lesson-next').click();
  }
  await expect(page.getByTestId('lesson-next')).toBeDisabled();
  return asks;
}

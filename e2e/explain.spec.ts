import { expect, test, type Page } from '@playwright/test';
import { advance, axe, expectCleanRun, generous, open, viaFacade, waitForLeader } from './support';

// Issue #10's views end to end: the log matrix (the cluster's logs side by side), the
// narrated feed and the "Why?" answers. Time is driven through the Cluster façade
// (window.raftlab) with the play loop off, so every run is deterministic.

/** The façade calls these specs make beyond support.ts's. */
interface Facade {
  put(key: string, value: string, opts?: { node?: number }): Promise<unknown>;
  partition(groups: number[][]): Promise<void>;
  heal(): Promise<void>;
}
type W = Window & { raftlab: Facade };

async function cell(page: Page, node: number, index: number) {
  const el = page.getByTestId(`log-cell-${node}-${index}`);
  return {
    el,
    term: async () => Number(await el.getAttribute('data-term')),
    committed: () => el.getAttribute('data-committed'),
  };
}

test.describe('explain: log matrix, narration, why', () => {
  expectCleanRun();
  test.setTimeout(120_000);

  test("the log matrix shows each node's log, and a partitioned old leader's conflicting suffix", async ({ page }) => {
    await open(page, 'nodes=5&seed=1');
    const old = await waitForLeader(page, [], viaFacade);
    // A log longer than the view: only the columns in view are in the DOM.
    await page.evaluate(() => {
      const c = (window as unknown as W).raftlab;
      return Promise.all(Array.from({ length: 120 }, (_, i) => c.put(`k${i % 5}`, `v${i}`)));
    });
    await advance(page, 3);
    await page.getByTestId('tab-logs').click();
    const matrix = page.getByTestId('log-matrix');
    await expect(matrix).toBeVisible();
    const commit = Number(await page.getByTestId(`node-${old}`).getAttribute('data-commit'));
    expect(commit).toBeGreaterThan(120);
    // It follows the tail: the last committed entry is drawn, with the contract's attributes.
    const last = await cell(page, old, commit);
    await expect(last.el).toHaveAttribute('data-committed', 'true');
    await expect(last.el).toHaveAttribute('data-applied', 'true');
    const oldTerm = await last.term();
    expect(oldTerm).toBeGreaterThan(0);
    const rendered = await page.locator('[data-testid^="log-cell-"]').count();
    expect(rendered).toBeLessThan(5 * 60);
    await expect(page.getByTestId(`log-cell-${old}-1`)).toHaveCount(0);
    // Go to index 1: the first columns come into view.
    await page.getByTestId('log-matrix-goto').fill('1');
    await page.getByTestId('log-matrix-go').click();
    await expect(page.getByTestId(`log-cell-${old}-1`)).toBeAttached();
    await page.getByTestId('log-matrix-tail').click();
    await expect(last.el).toBeAttached();

    // Cut the old leader off with one follower; it appends two entries it cannot commit.
    const ids = [1, 2, 3, 4, 5];
    const buddy = ids.find((i) => i !== old)!;
    const rest = ids.filter((i) => i !== old && i !== buddy);
    await page.evaluate((g) => (window as unknown as W).raftlab.partition(g), [[old, buddy], rest]);
    await page.evaluate(async (n) => {
      const c = (window as unknown as W).raftlab;
      await c.put('lost', 'a', { node: n });
      await c.put('lost', 'b', { node: n });
    }, old);
    await advance(page, 2);
    const fresh = await waitForLeader(page, [old, buddy], viaFacade);
    await page.evaluate((n) => (window as unknown as W).raftlab.put('kept', 'c', { node: n }), fresh);
    await advance(page, 3);

    // Index commit+1: the old leader's entry (old term, not committed) conflicts with the new leader's.
    const i = commit + 1;
    const stale = await cell(page, old, i);
    const kept = await cell(page, fresh, i);
    await expect(kept.el).toHaveAttribute('data-committed', 'true', generous);
    expect(await kept.term()).toBeGreaterThan(oldTerm);
    await expect(stale.el).toHaveAttribute('data-term', String(oldTerm));
    await expect(stale.el).toHaveAttribute('data-committed', 'false');
    await expect(stale.el).toHaveAttribute('data-conflict', 'term');
    await expect(page.getByTestId(`log-cell-${buddy}-${i}`)).toHaveAttribute('data-conflict', 'term');
    await expect(kept.el).toHaveAttribute('data-conflict', 'false');
    await page.screenshot({ path: 'test-results/screenshots/explain-logs-light.png' });
    await axe(page, '[data-testid="log-matrix"]', 'log matrix');

    // Keyboard: the grid takes focus, arrows move the cursor, Enter shows the cell's details.
    await page.locator('[data-testid="log-matrix"] [role="grid"]').focus();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('log-cell-details')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('log-cell-details')).toHaveCount(0);

    // Healed, the old leader's suffix is overwritten by the new leader's entries.
    await page.evaluate(() => (window as unknown as W).raftlab.heal());
    await expect
      .poll(
        async () => {
          await advance(page, 1);
          return page.getByTestId(`log-cell-${old}-${i}`).getAttribute('data-term');
        },
        { timeout: 30_000, intervals: [100] },
      )
      .toBe(String(await kept.term()));
    await expect(page.getByTestId(`log-cell-${old}-${i}`)).toHaveAttribute('data-conflict', 'false');

    // Dark, projector at 1280x720, widened.
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.getByTestId('theme-toggle').click();
    await page.getByTestId('projector-toggle').click();
    await page.getByTestId('side-wide').click();
    await page.screenshot({ path: 'test-results/screenshots/explain-logs-projector-dark.png' });
    await axe(page, '[data-testid="log-matrix"]', 'log matrix projector');
  });
});

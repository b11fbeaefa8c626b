import { expect, test, type Page } from '@playwright/test';
import { advance, expectCleanRun, generous, open, waitForLeader, type RaftlabWindow } from './support';

// Run links (cluster/runLink.ts): a run with crashes, a partition and writes is shared
// as a link and opened in a fresh page, which must replay it byte for byte and stand at
// the same step; malformed links explain themselves and change nothing.

interface Facade {
  crash(id: number): Promise<void>;
  restart(id: number): Promise<void>;
  partition(groups: number[][]): Promise<void>;
  heal(): Promise<void>;
  seek(step: number): Promise<void>;
  observe(): Promise<{
    step: number;
    traceHash: string;
    nodes: { id: number; status: string; observation?: { term: number; commit: number; applied: number } }[];
  }>;
}

/** What a person compares: step, trace hash, and each node's status, term, commit and applied. */
async function snapshot(page: Page) {
  return page.evaluate(async () => {
    const o = await (window as unknown as { raftlab: Facade }).raftlab.observe();
    return {
      step: o.step,
      hash: o.traceHash,
      nodes: o.nodes.map((n) => ({
        id: n.id,
        status: n.status,
        term: n.observation?.term,
        commit: n.observation?.commit,
        applied: n.observation?.applied,
      })),
    };
  });
}

test.describe('run links', () => {
  expectCleanRun();

  test('a run with crashes, a partition and puts round-trips through a link into a fresh page', async ({
    page,
    browser,
  }) => {
    test.setTimeout(90_000);
    await open(page, 'nodes=5&seed=21');
    const leader = await waitForLeader(page, [], { source: 'facade', ticks: 2, interval: 50 });
    await page.evaluate(async (l) => {
      const r = (window as unknown as RaftlabWindow).raftlab!;
      const f = r as unknown as {
        crash(id: number): Promise<void>;
        restart(id: number): Promise<void>;
        partition(g: number[][]): Promise<void>;
        heal(): Promise<void>;
      };
      await r.put('x', '1');
      await r.advance(5);
      await f.crash(l);
      await r.advance(30);
      await f.partition([
        [1, 2],
        [3, 4, 5],
      ]);
      await r.put('y', '2');
      await r.advance(20);
      await f.heal();
      await f.restart(l);
      await r.advance(20);
      await r.put('z', '3');
      await r.advance(10);
    }, leader);
    // Share from a step in the middle: the link opens there, with the rest ahead.
    await page.evaluate(() => (window as unknown as { raftlab: Facade }).raftlab.seek(9));
    await page.getByTestId('tab-client').click();
    const before = await snapshot(page);
    expect(before.step).toBe(9);

    await page.getByTestId('share-link').click();
    const url = await page.getByTestId('share-url').inputValue();
    expect(url).toMatch(/#run=1\./);
    expect(url.length).toBeLessThan(8 * 1024);

    const context = await browser.newContext();
    const fresh = await context.newPage();
    await fresh.goto(url);
    await expect(fresh.getByTestId('notice-info').filter({ hasText: 'Opened the shared run at step 9' })).toBeVisible(
      generous,
    );
    expect(await snapshot(fresh)).toEqual(before);
    await expect(fresh.getByTestId('tab-client')).toHaveAttribute('aria-selected', 'true');
    // The rest of the run came along: seeking to the end reaches the same place in both.
    const total = await page.evaluate(
      () => (window as unknown as { raftlab: { recorder: { actions: unknown[] } } }).raftlab.recorder.actions.length,
    );
    const seek = (t: number) => (window as unknown as { raftlab: Facade }).raftlab.seek(t);
    await page.evaluate(seek, total);
    await fresh.evaluate(seek, total);
    expect(await snapshot(fresh)).toEqual(await snapshot(page));
    await context.close();
  });

  test('malformed links say what is wrong and leave the session as it was', async ({ page }) => {
    await open(page, 'nodes=3&seed=4');
    await advance(page, 15);
    await page.evaluate(() => (window as unknown as RaftlabWindow).raftlab!.put('k', 'v'));
    const before = await snapshot(page);
    const cases: [string, string][] = [
      ['run=7.abc', 'newer Raftlab (link format 7)'],
      ['run=1.', 'carries no run data'],
      ['run=1.!!!!', 'damaged'],
      ['run=hello', 'no format number'],
      ['run=1.N4IgxiBcoHYPYBMCmBnKBmAN', 'damaged'],
    ];
    for (const [i, [hash, says]] of cases.entries()) {
      await page.evaluate((h) => (window.location.hash = h), hash);
      await expect(page.getByTestId('notice-error')).toHaveCount(i + 1, generous);
      await expect(page.getByTestId('notice-error').last()).toContainText(says);
      expect(await snapshot(page)).toEqual(before);
    }
  });

  test('a run too long for a link offers the file export instead', async ({ page }) => {
    test.setTimeout(90_000);
    await open(page, 'nodes=3&seed=2&runtime=inprocess');
    await advance(page, 15);
    await page.evaluate(async () => {
      const r = (window as unknown as RaftlabWindow).raftlab!;
      let s = 7;
      const word = () => ((s = (s * 48271) % 2147483647), s.toString(36));
      for (let i = 0; i < 700; i++) await r.put(word(), word());
    });
    await page.getByTestId('share-link').click();
    await expect(page.getByTestId('share-too-long')).toContainText('too long for a link');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('share-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^raftlab-run-seed2-step\d+\.json$/);
  });
});

import { expect, test, type Page } from '@playwright/test';
import { axe, expectCleanRun, generous } from './support';
import { expectChecked, lessonIds, player, settledAt } from './lessonsSupport';

// The lesson player around the steps: the index, URL entry, Back / jump (seeks),
// taking over (a fork) and returning to the lesson's path, presenter keys, and how it
// looks in projector mode on a 1280x720 and a 1024x768 screen.

interface Facade {
  currentStep: number;
  recorder: { actions: unknown[]; branches: unknown[] };
  nodeIds(): number[];
  exportRunJson(): string;
  tick(node: number, count?: number): Promise<void>;
}

const facade = (page: Page) =>
  page.evaluate(() => {
    const r = (window as unknown as { raftlab: Facade }).raftlab;
    return {
      step: r.currentStep,
      actions: r.recorder.actions.length,
      branches: r.recorder.branches.length,
      nodes: r.nodeIds().length,
    };
  });

test.describe('lesson player', () => {
  expectCleanRun();

  test('the index lists every lesson with its length, and opens one', async ({ page }) => {
    test.setTimeout(60_000);
    await page.goto('/?autoplay=0&nodes=3');
    await expect(page.getByTestId('node-1')).toBeVisible(generous);
    await expect(player(page)).toHaveCount(0);
    await page.getByTestId('lessons-open').click();
    const dialog = page.getByTestId('lesson-index-dialog');
    await expect(dialog).toBeVisible();
    for (const id of lessonIds) await expect(dialog.getByTestId(`lesson-${id}`)).toContainText(/\d+ steps/);
    await expect(dialog.getByTestId('lesson-figure-8')).toContainText('Figure 8');
    await expect(dialog.getByTestId('lesson-figure-8')).toContainText('13 steps');
    await expect(dialog.getByTestId('lesson-problems')).toHaveCount(0);
    await page.screenshot({ path: 'test-results/screenshots/lesson-index.png' });
    await axe(page, '[data-testid="lesson-index-dialog"]', 'lesson index');
    await dialog.getByTestId('lesson-figure-8').click();
    await expect(dialog).toHaveCount(0);
    await expect(player(page)).toHaveAttribute('data-lesson', 'figure-8', generous);
    await settledAt(page, 1);
    await expectChecked(page);
    await expect(player(page)).toHaveAttribute('data-total', '13');
    expect((await facade(page)).nodes).toBe(5);
    await axe(page, '[data-testid="lesson-player"]', 'lesson player');
    // The player's own button reopens the index; Escape closes it.
    await page.getByTestId('lesson-index').click();
    await expect(dialog).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await page.getByTestId('lesson-exit').click();
    await expect(player(page)).toHaveCount(0);
  });

  test('a URL opens a lesson at a step; a wrong lesson or step is named and the session goes on', async ({ page }) => {
    test.setTimeout(90_000);
    await page.goto('/?lesson=figure-8&step=4');
    await settledAt(page, 4);
    await expectChecked(page);

    // Step 6 asks first: the question waits, its step has not run.
    await page.goto('/?lesson=figure-8&step=6');
    expect(await settledAt(page, 6)).toBe('ask');
    await expect(player(page)).toHaveAttribute('data-answered', 'false');
    await expect(page.getByTestId('lesson-choice-3')).toHaveCount(0);
    await page.getByTestId('lesson-choice-2').click();
    await expect(player(page)).toHaveAttribute('data-answered', 'true', generous);
    await expect(player(page)).toHaveAttribute('data-correct', '2');
    await expect(page.getByTestId('lesson-verdict')).toContainText('Right');
    await expectChecked(page);

    await page.goto('/?lesson=figure-8&step=99');
    await expect(page.getByTestId('notice-warning').filter({ hasText: 'step="99" ignored' })).toBeVisible(generous);
    await settledAt(page, 1);
    await expectChecked(page);

    await page.goto('/?lesson=figure-9&autoplay=0&nodes=3');
    await expect(page.getByTestId('notice-warning').filter({ hasText: 'there is no such lesson' })).toBeVisible(
      generous,
    );
    await expect(page.getByTestId('node-3')).toBeVisible(generous);
    await expect(player(page)).toHaveCount(0);
  });

  test('Back and jump seek, acting forks off the path, and the lesson path comes back', async ({ page }) => {
    test.setTimeout(90_000);
    await page.goto('/?lesson=replication');
    await settledAt(page, 1);
    await page.getByTestId('lesson-next').click();
    await settledAt(page, 2);
    await page.getByTestId('lesson-next').click();
    await settledAt(page, 3);
    await expectChecked(page);
    const atThree = await facade(page);

    // Back is a seek: the later actions stay recorded.
    await page.getByTestId('lesson-back').click();
    await settledAt(page, 2);
    await expectChecked(page);
    const atTwo = await facade(page);
    expect(atTwo.step).toBeLessThan(atThree.step);
    expect(atTwo.actions).toBe(atThree.actions);

    // Taking over: ticking node 2 at step 2 forks the run; the player says so.
    await page.getByTestId('node-2').click();
    await page.getByTestId('tick-2').click();
    await expect(player(page)).toHaveAttribute('data-mode', 'explore', generous);
    await expect(page.getByTestId('lesson-explore')).toBeVisible();
    await page.screenshot({ path: 'test-results/screenshots/lesson-explore.png' });
    const forked = await facade(page);
    expect(forked.branches).toBe(atTwo.branches + 1);
    expect(forked.step).toBe(atTwo.step + 1);

    // Back to the lesson: step 2's state again, its facts hold.
    await page.getByTestId('lesson-return').click();
    await settledAt(page, 2);
    await expectChecked(page);
    expect((await facade(page)).step).toBe(atTwo.step);

    // Next runs step 3 again (its recorded tail was forked away); jumping works both ways.
    await page.getByTestId('lesson-next').click();
    await settledAt(page, 3);
    await expectChecked(page);
    expect((await facade(page)).step).toBe(atThree.step);
    await page.getByTestId('lesson-dot-7').click();
    await settledAt(page, 7);
    await expectChecked(page);
    await page.getByTestId('lesson-dot-1').click();
    await settledAt(page, 1);
    await expectChecked(page);

    // A lesson is an ordinary run: it exports up to the shown step.
    const run = await page.evaluate(() =>
      JSON.parse((window as unknown as { raftlab: Facade }).raftlab.exportRunJson()),
    );
    expect(run.actions.length).toBe((await facade(page)).step);
  });

  test('presenter keys move the lesson, reveal an answer, and f goes full screen', async ({ page }) => {
    test.setTimeout(90_000);
    await page.goto('/?lesson=election');
    await settledAt(page, 1);
    await page.keyboard.press('PageDown');
    await settledAt(page, 2);
    await page.keyboard.press('ArrowRight');
    await settledAt(page, 3);
    await page.keyboard.press('PageUp');
    await settledAt(page, 2);
    await page.keyboard.press('ArrowLeft');
    await settledAt(page, 1);
    // Not while typing in a field.
    await page.getByTestId('seed').focus();
    await page.keyboard.press('ArrowRight');
    await page.getByTestId('seed').blur();
    await expect(player(page)).toHaveAttribute('data-step', '1');
    // On a question, the clicker reveals the answer.
    await page.goto('/?lesson=election&step=4');
    expect(await settledAt(page, 4)).toBe('ask');
    await page.keyboard.press('PageDown');
    await expect(player(page)).toHaveAttribute('data-phase', 'shown', generous);
    await expect(player(page)).toHaveAttribute('data-chosen', '-1');
    await expect(page.getByTestId('lesson-verdict')).toContainText('Answer: It grants its vote');
    await expectChecked(page);

    await page.keyboard.press('f');
    await expect.poll(() => page.evaluate(() => document.fullscreenElement !== null)).toBe(true);
    await page.keyboard.press('f');
    await expect.poll(() => page.evaluate(() => document.fullscreenElement === null)).toBe(true);
  });

  test('playback pauses when the tab is hidden', async ({ page }) => {
    await page.goto('/?nodes=3&autoplay=1');
    await expect(page.getByTestId('pause')).toBeVisible(generous);
    await page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await expect(page.getByTestId('play')).toBeVisible();
  });

  for (const [w, h] of [
    [1280, 720],
    [1024, 768],
  ] as const)
    test(`projector mode at ${w}x${h}: large text, nothing overlaps`, async ({ page }) => {
      test.setTimeout(90_000);
      await page.setViewportSize({ width: w, height: h });
      const shots: [string, number][] = [
        ['election', 6],
        ['figure-8', 6],
        ['membership', 6],
        ['read-index', 4],
      ];
      for (const [id, step] of shots) {
        await page.goto(`/?lesson=${id}&step=${step}&projector=1&theme=${id === 'membership' ? 'dark' : 'light'}`);
        if ((await settledAt(page, step)) === 'ask') await page.getByTestId('lesson-choice-1').click();
        await expect(player(page)).toHaveAttribute('data-phase', 'shown', generous);
        await expectChecked(page);
        const m = await page.evaluate(() => {
          const box = (sel: string) => document.querySelector(sel)!.getBoundingClientRect();
          const p = box('[data-testid="lesson-player"]');
          const stage = box('.stage');
          const text = document.querySelector('.lesson-narration')!;
          const nodes = [...document.querySelectorAll('[data-testid^="node-"][data-state] .node-body')].map((n) =>
            n.getBoundingClientRect(),
          );
          const next = box('[data-testid="lesson-next"]');
          return {
            font: parseFloat(getComputedStyle(text).fontSize),
            playerLeft: p.left,
            playerBottom: p.bottom,
            stageRight: stage.right,
            nodesRight: Math.max(...nodes.map((n) => n.right)),
            nextBottom: next.bottom,
            nextRight: next.right,
            height: window.innerHeight,
            width: window.innerWidth,
          };
        });
        // The step's highlight is drawn (election step 6 points at entry 6 of node 5's log).
        if (id === 'election')
          await expect
            .poll(() => page.getByTestId('log-cell-6').evaluate((e) => getComputedStyle(e).outlineStyle))
            .toBe('solid');
        expect(m.font, id).toBeGreaterThanOrEqual(18);
        expect(m.playerLeft, id).toBeGreaterThanOrEqual(m.stageRight - 1);
        expect(m.nodesRight, id).toBeLessThanOrEqual(m.playerLeft);
        expect(m.nextBottom, id).toBeLessThanOrEqual(m.height);
        expect(m.nextRight, id).toBeLessThanOrEqual(m.width);
        await page.screenshot({ path: `test-results/screenshots/lesson-${id}-${w}x${h}.png` });
      }
    });
});

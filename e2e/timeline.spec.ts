import { expect, test, type Page } from '@playwright/test';
import { advance, axe, generous, nodes, open, viaFacade, waitForLeader, watch, type RaftlabWindow } from './support';

// Time travel and safety, end to end: the timeline seeks back to an earlier state
// (earlier term, fewer committed entries), acting in the past forks a new branch, the
// safety panel is green in a normal run, and the space-time and event log panels draw
// the run. Time is driven through the Cluster façade (window.raftlab) with the play
// loop off (?autoplay=0), so the runs are deterministic.

async function timelineStep(page: Page): Promise<number> {
  return Number(await page.getByTestId('timeline').getAttribute('data-step'));
}

test.describe('timeline, space-time, event log and safety', () => {
  test('seeking back shows an earlier state, and acting in the past forks a new branch', async ({ page }) => {
    const { errors } = watch(page);
    await open(page, 'nodes=3&seed=5');
    await waitForLeader(page, [], viaFacade);
    for (let i = 0; i < 4; i++) {
      await page.evaluate(async (k) => {
        await (window as unknown as RaftlabWindow).raftlab!.put(`k${k}`, `v${k}`);
      }, i);
      await advance(page, 3);
    }
    const timeline = page.getByTestId('timeline');
    const latest = Number(await timeline.getAttribute('data-total'));
    expect(latest).toBeGreaterThan(4);
    await expect(timeline).toHaveAttribute('data-step', String(latest));
    const now = await nodes(page);
    const nowTerm = Math.max(...now.map((n) => n.term));
    const nowCommit = Math.max(...now.map((n) => n.commit));
    // Terms are painted as bands with their numbers.
    await expect(page.getByTestId('timeline-band').last()).toHaveAttribute('data-term', String(nowTerm));
    await page.screenshot({ path: 'test-results/screenshots/timeline-latest.png' });

    // Keyboard: one step back, then to the very start.
    await timeline.focus();
    await page.keyboard.press('ArrowLeft');
    await expect(timeline).toHaveAttribute('data-step', String(latest - 1), generous);
    await expect(page.getByTestId('timeline-past')).toBeVisible();
    await page.keyboard.press('Home');
    await expect(timeline).toHaveAttribute('data-step', '0', generous);
    const start = await nodes(page);
    expect(Math.max(...start.map((n) => n.term))).toBeLessThan(nowTerm);
    expect(Math.max(...start.map((n) => n.commit))).toBeLessThan(nowCommit);
    // The later steps are still on the branch, dimmed.
    await expect(timeline).toHaveAttribute('data-total', String(latest));
    await expect(page.getByTestId('timeline-future')).toBeAttached();

    // Mouse: a click in the middle of the scrubber seeks to that step.
    const box = (await timeline.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => timelineStep(page), generous).toBeGreaterThan(0);
    const mid = await timelineStep(page);
    expect(mid).toBeLessThan(latest);
    await page.screenshot({ path: 'test-results/screenshots/timeline-seek-back.png' });

    // Acting in the past (one scheduler event) forks: a new branch from `mid`.
    await expect(page.getByTestId('timeline-branch')).toHaveAttribute('data-branches', '0');
    await page.getByTestId('step').click();
    await expect(page.getByTestId('timeline-branch')).toHaveAttribute('data-branches', '1', generous);
    await expect(page.getByTestId('timeline-branch')).toContainText(`forked at step ${mid}`);
    await expect(timeline).toHaveAttribute('data-total', String(mid + 1));
    await expect(timeline).toHaveAttribute('data-step', String(mid + 1));
    await expect(page.getByTestId('timeline-past')).toHaveCount(0);
    await page.screenshot({ path: 'test-results/screenshots/timeline-forked.png' });
    await axe(page, '[data-testid="timeline-panel"]', 'timeline');
    expect(errors).toEqual([]);
  });

  test('a normal run: safety is green, space-time and event log draw the run', async ({ page }) => {
    const { errors } = watch(page);
    await open(page, 'nodes=5&seed=2');
    await waitForLeader(page, [], viaFacade);
    await page.evaluate(async () => {
      const r = (window as unknown as RaftlabWindow).raftlab!;
      await r.put('x', '1', { client: 'alice' });
      await r.advance(3);
      await r.put('y', '2', { client: 'bob' });
      await r.get('x', { linearizable: true, client: 'alice' });
      await r.advance(3);
      await r.get('y', { client: 'bob' });
      await r.advance(6);
    });

    await page.getByTestId('tab-safety').click();
    const safety = page.getByTestId('safety');
    await expect(safety).toBeVisible();
    const step = await timelineStep(page);
    await expect(safety).toHaveAttribute('data-step', String(step), generous);
    await expect(safety).toHaveAttribute('data-violations', '0');
    const rows = page.locator('[data-testid^="safety-"][data-status]');
    const statuses = await rows.evaluateAll((els) =>
      els.map((e) => [e.getAttribute('data-testid'), e.getAttribute('data-status')]),
    );
    expect(statuses.length).toBeGreaterThanOrEqual(7);
    // Every property is checked and holds (none 'violated', 'waiting' or 'unavailable').
    for (const [id, s] of statuses) expect([id, s]).toEqual([id, 'ok']);
    for (const id of [
      'election-safety',
      'leader-append-only',
      'log-matching',
      'leader-completeness',
      'state-machine-safety',
      'durability',
      'liveness',
    ])
      await expect(page.getByTestId(`safety-${id}`)).toHaveAttribute('data-status', 'ok');
    // The history is checked and linearizable: every completed put and linearizable get
    // has a linearization point.
    await expect(page.getByTestId('safety-linearizability')).toHaveAttribute('data-status', 'ok');
    // The client history: one bar per operation; the local read is labelled stale.
    await expect(page.getByTestId('safety-history')).toBeVisible();
    await expect(page.locator('[data-testid^="safety-op-"]')).toHaveCount(4);
    // ◆ linearization points: both puts and the linearizable get (not the local read)
    await expect(page.locator('[data-testid="safety-history"] .sf-point')).toHaveCount(3);
    await expect(page.getByTestId('safety-history')).toContainText('stale?');
    await page.screenshot({ path: 'test-results/screenshots/safety.png' });
    await page.getByTestId('safety-history').scrollIntoViewIfNeeded();
    await page.getByTestId('panel-safety').screenshot({ path: 'test-results/screenshots/safety-history.png' });
    await axe(page, '[data-testid="safety"]', 'safety');

    await page.getByTestId('tab-spacetime').click();
    await expect(page.getByTestId('spacetime')).toBeVisible();
    await expect(page.locator('[data-testid^="spacetime-msg-"]').first()).toBeAttached(generous);
    // Zoom out to see the whole run, then pick a message: its details show.
    for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Zoom out (longer time window)' }).click();
    // Click a point 40% along a delivered arrow (between the lanes, away from the glyphs).
    const hit = await page.locator('.st-delivered .st-hit').evaluateAll((els) => {
      const l = els[Math.floor(els.length / 2)] as SVGLineElement;
      const r = l.ownerSVGElement!.getBoundingClientRect();
      const p = (a: string) => Number(l.getAttribute(a));
      return { x: r.left + p('x1') + 0.4 * (p('x2') - p('x1')), y: r.top + p('y1') + 0.4 * (p('y2') - p('y1')) };
    });
    await page.mouse.click(hit.x, hit.y);
    await expect(page.getByTestId('spacetime-detail')).toContainText('sent at t=');
    await page.screenshot({ path: 'test-results/screenshots/spacetime.png' });
    await axe(page, '[data-testid="spacetime"]', 'space-time');

    await page.getByTestId('tab-events').click();
    await expect(page.getByTestId('eventlog')).toBeVisible();
    await expect(page.getByTestId('eventlog-row').first()).toBeVisible();
    await page.getByTestId('eventlog-search').fill('became leader');
    await expect(page.getByTestId('eventlog-row').first()).toContainText('became leader');
    const total = Number((await page.getByTestId('eventlog-count').textContent())!.split(' ')[0]);
    expect(total).toBeGreaterThan(0);
    await page.screenshot({ path: 'test-results/screenshots/eventlog.png' });
    await axe(page, '[data-testid="eventlog"]', 'event log');

    // Projector mode and the dark theme keep the panels legible.
    await page.getByTestId('tab-safety').click();
    await page.getByTestId('projector-toggle').click();
    await page.getByTestId('theme-toggle').click();
    await page.screenshot({ path: 'test-results/screenshots/safety-projector-dark.png' });
    await axe(page, '[data-testid="safety"]', 'safety (projector, dark)');
    await axe(page, '[data-testid="timeline-panel"]', 'timeline (projector, dark)');
    expect(errors).toEqual([]);
  });
});

import { expect, test, type Page } from '@playwright/test';
import { advance, axe, expectCleanRun, generous, nodes, open, waitForLeader, type RaftlabWindow } from './support';

// The visualizer end to end, in a real Chromium with one Web Worker per node.
// Virtual time is driven through the Cluster façade (window.raftlab) with the play loop
// off (?autoplay=0), so every test is a deterministic run whatever the machine's speed;
// faults go through the real controls (node menu, partition dialog, heal, add node).

async function put(page: Page, key: string, value: string): Promise<void> {
  await page.evaluate(([k, v]) => (window as unknown as RaftlabWindow).raftlab!.put(k!, v!), [key, value]);
}

/** Advances time until every running node shows the same commit index (>= min). */
async function waitConverged(page: Page, expectCount: number, min = 1): Promise<void> {
  await expect
    .poll(
      async () => {
        const ns = await nodes(page);
        const commits = new Set(ns.map((n) => n.commit));
        const ok = ns.length === expectCount && ns.every((n) => n.alive) && commits.size === 1 && ns[0]!.commit >= min;
        if (!ok) await advance(page, 3);
        return ok;
      },
      { timeout: 30_000, intervals: [100] },
    )
    .toBe(true);
}

async function crashViaMenu(page: Page, id: number): Promise<void> {
  await page.getByTestId(`node-${id}`).click();
  await page.getByTestId(`crash-${id}`).click();
  await expect(page.getByTestId(`node-${id}`)).toHaveAttribute('data-alive', 'false', generous);
}

async function restartViaMenu(page: Page, id: number): Promise<void> {
  await page.getByTestId(`node-${id}`).click();
  await page.getByTestId(`restart-${id}`).click();
  await expect(page.getByTestId(`node-${id}`)).toHaveAttribute('data-alive', 'true', generous);
}

test.describe('cluster view', () => {
  expectCleanRun();

  test('a leader is elected, and every node commits its entry', async ({ page }) => {
    await open(page, 'nodes=3&seed=1');
    await expect(page.getByTestId('play')).toBeVisible();
    const leader = await waitForLeader(page);
    await expect(page.getByTestId(`node-${leader}`)).toHaveAttribute('data-state', 'StateLeader');
    await waitConverged(page, 3, 1);
    const ns = await nodes(page);
    expect(ns.filter((n) => n.state === 'StateLeader')).toHaveLength(1);
    expect(new Set(ns.map((n) => n.term)).size).toBe(1);
  });

  test('crashing the leader elects another; the restarted node catches up', async ({ page }) => {
    await open(page, 'nodes=3&seed=2');
    const first = await waitForLeader(page);
    await put(page, 'x', '1');
    await waitConverged(page, 3, 2);
    await crashViaMenu(page, first);
    const second = await waitForLeader(page, [first]);
    expect(second).not.toBe(first);
    await put(page, 'y', '2');
    await restartViaMenu(page, first);
    await waitConverged(page, 3, 3);
    const ns = await nodes(page);
    expect(ns.find((n) => n.id === first)!.state).toBe('StateFollower');
  });

  test('a partition isolates a minority, and healing converges', async ({ page }) => {
    await open(page, 'nodes=5&seed=3');
    const old = await waitForLeader(page);
    const oldTerm = Number(await page.getByTestId(`node-${old}`).getAttribute('data-term'));
    // The partition dialog isolates the leader by default.
    await page.getByTestId('partition').click();
    await expect(page.getByTestId('partition-dialog')).toBeVisible();
    await expect(page.getByTestId(`partition-${old}-B`)).toBeChecked();
    await page.getByTestId('partition-apply').click();
    await expect(page.getByTestId('partition-group-1')).toBeAttached(generous);
    const other = (await nodes(page)).find((n) => n.id !== old)!.id;
    await expect(page.getByTestId(`link-${Math.min(old, other)}-${Math.max(old, other)}`)).toHaveAttribute(
      'data-state',
      'down',
    );
    // The majority elects a new leader at a higher term; the isolated one steps down (CheckQuorum).
    const next = await waitForLeader(page, [old]);
    await expect
      .poll(async () => {
        await advance(page, 5);
        return page.getByTestId(`node-${old}`).getAttribute('data-state');
      }, generous)
      .not.toBe('StateLeader');
    expect(Number(await page.getByTestId(`node-${next}`).getAttribute('data-term'))).toBeGreaterThan(oldTerm);
    await put(page, 'during', 'partition');

    await page.getByTestId('heal').click();
    await expect(page.getByTestId('partition-group-1')).toHaveCount(0, generous);
    await waitConverged(page, 5, 2);
    const ns = await nodes(page);
    expect(ns.filter((n) => n.state === 'StateLeader')).toHaveLength(1);
    expect(new Set(ns.map((n) => n.term)).size).toBe(1);
  });

  test('a node whose worker throws is shown as panicked with an explanation; the run goes on, and a restart recovers it', async ({
    page,
  }) => {
    await open(page, 'nodes=3&seed=2');
    const leader = await waitForLeader(page);
    await waitConverged(page, 3);
    const victim = leader === 1 ? 2 : 1;
    // Make the victim's worker fail its next call, as a raft panic inside it would (the
    // façade has no way to make raft panic, by design): reach into the scheduler's slot.
    await page.evaluate((id) => {
      type Slot = { runtime: { run: () => Promise<never> } };
      const c = (window as unknown as { raftlab: { world: { sched: { slot(n: number): Slot } } } }).raftlab;
      c.world.sched.slot(id).runtime.run = () => Promise.reject(new Error(`node ${id} panicked: injected by the test`));
    }, victim);
    await advance(page, 3);
    await expect(page.getByTestId(`node-${victim}`)).toHaveAttribute('data-alive', 'false', generous);
    const notice = page.getByTestId('notice-error');
    await expect(notice).toContainText(
      `Node ${victim} stopped: its code threw an error (node ${victim} panicked: injected by the test)`,
    );
    await expect(notice).toContainText('Restart it');
    await expect(page.getByTestId(`node-${victim}`).locator('.node-role')).toHaveText('panicked');
    await page.screenshot({ path: 'test-results/screenshots/cluster-panic.png' });
    // The event log has it as a PANIC line of that node.
    await page.getByTestId('tab-events').click();
    await page.getByTestId('eventlog-search').fill('injected by the test');
    const row = page.getByTestId('eventlog-row');
    await expect(row).toHaveCount(1, generous);
    await expect(row).toContainText('PANIC');
    await expect(row.locator('.el-node')).toHaveText(String(victim));
    // The session is intact: the other two commit a put, then the victim restarts and catches up.
    const before = Math.max(...(await nodes(page)).filter((n) => n.id !== victim).map((n) => n.commit));
    await put(page, 'after', 'panic');
    await expect
      .poll(async () => {
        await advance(page, 2);
        return (await nodes(page)).filter((n) => n.id !== victim).every((n) => n.commit > before);
      }, generous)
      .toBe(true);
    await restartViaMenu(page, victim);
    await expect(page.getByTestId(`node-${victim}`).locator('.node-role')).not.toHaveText('panicked');
    await waitConverged(page, 3, before + 1);
  });

  test('adding a node grows a 4-node cluster to five', async ({ page }) => {
    await open(page, 'nodes=4&seed=4');
    await waitForLeader(page);
    await page.getByTestId('add-node').click();
    await expect(page.getByTestId('node-5')).toBeVisible(generous);
    await waitConverged(page, 5, 2);
    const ns = await nodes(page);
    expect(ns.map((n) => n.id).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(ns.find((n) => n.id === 5)!.state).toBe('StateFollower');
  });

  test('controls: play runs time, step runs one event, messages are drawn in flight', async ({ page }) => {
    await open(page, 'nodes=3&seed=5');
    const clock = page.getByTestId('clock');
    const t0 = Number(await clock.textContent());
    await page.getByTestId('play').click();
    await expect(page.getByTestId('pause')).toBeVisible();
    await expect.poll(async () => Number(await clock.textContent()), generous).toBeGreaterThan(t0);
    await page.getByTestId('pause').click();
    await expect(page.getByTestId('play')).toBeVisible();
    await waitForLeader(page);
    await advance(page, 3);
    // Heartbeats and their responses are in flight at any instant after an election.
    await expect(page.locator('[data-testid^="msg-"][data-type]').first()).toBeAttached(generous);
    const types = await page
      .locator('[data-testid^="msg-"][data-type]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-type')));
    expect(types.every((t) => /^Msg[A-Za-z]+$/.test(t!))).toBe(true);
    const steps = Number(await page.evaluate(() => (window as unknown as RaftlabWindow).raftlab!.currentStep));
    await page.getByTestId('step').click();
    await expect
      .poll(() => page.evaluate(() => (window as unknown as RaftlabWindow).raftlab!.currentStep))
      .toBe(steps + 1);
    // The speed slider changes the speed readout.
    await page.getByTestId('speed').fill('90');
    await expect(page.locator('.speed-value')).not.toHaveText('2×');
    // Keyboard: ? opens the help overlay, Escape closes it.
    await page.locator('body').press('?');
    await expect(page.getByTestId('help-overlay')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('help-overlay')).toHaveCount(0);
  });

  test('screenshots in light, dark and projector modes, and no serious accessibility violations', async ({ page }) => {
    // Three full-page axe audits: about 16 s on an idle 2-core machine.
    test.setTimeout(60_000);
    await page.setViewportSize({ width: 1280, height: 800 });
    await open(page, 'nodes=5&seed=1&theme=light&projector=0');
    const leader = await waitForLeader(page);
    await advance(page, 6);
    await page.getByTestId(`node-${leader}`).click();
    await expect(page.getByTestId(`node-menu-${leader}`)).toBeVisible();
    await page.screenshot({ path: 'test-results/screenshots/cluster-light.png' });

    await axe(page, undefined, 'light');

    await page.keyboard.press('Escape');
    await page.getByTestId('theme-toggle').click();
    await expect(page.getByTestId('app-root')).toHaveAttribute('data-theme', 'dark');
    // A crashed node and a cut link, to see those marks in the dark theme.
    const victim = leader === 1 ? 2 : 1;
    await crashViaMenu(page, victim);
    const peer = [1, 2, 3, 4, 5].find((n) => n !== leader && n !== victim)!;
    const link = page.getByTestId(`link-${Math.min(leader, peer)}-${Math.max(leader, peer)}`);
    await link.dispatchEvent('click');
    await expect(link).toHaveAttribute('data-state', 'down', generous);
    await advance(page, 2);
    await page.screenshot({ path: 'test-results/screenshots/cluster-dark.png' });
    await axe(page, undefined, 'dark');

    await page.getByTestId('projector-toggle').click();
    await expect(page.getByTestId('app-root')).toHaveAttribute('data-projector', 'true');
    await page.screenshot({ path: 'test-results/screenshots/cluster-projector-dark.png' });
    await page.getByTestId('theme-toggle').click();
    await page.screenshot({ path: 'test-results/screenshots/cluster-projector-light.png' });
    await axe(page, undefined, 'projector');

    // 1024 px wide: still usable.
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.screenshot({ path: 'test-results/screenshots/cluster-1024-projector.png' });
    await page.getByTestId('projector-toggle').click();
    await page.screenshot({ path: 'test-results/screenshots/cluster-1024.png' });
    await page.getByTestId('settings').click();
    await expect(page.getByTestId('settings-dialog')).toBeVisible();
    await page.screenshot({ path: 'test-results/screenshots/settings-dialog.png' });
    await axe(page, undefined, 'settings dialog');
  });
  test('projector mode on a short screen keeps the drawing full size, with the timeline under the panels', async ({
    page,
  }) => {
    /** How much the browser shrinks the cluster drawing to fit it in its view (1 = not at all). */
    const drawingScale = () =>
      page.evaluate(() => {
        const svg = document.querySelector('.cluster-svg')!;
        const vb = svg.getAttribute('viewBox')!.split(' ').map(Number);
        const r = svg.getBoundingClientRect();
        return Math.min(r.width / vb[2]!, r.height / vb[3]!);
      });
    const box = async (id: string) => (await page.getByTestId(id).boundingBox())!;

    await page.setViewportSize({ width: 1280, height: 720 });
    await open(page, 'nodes=5&seed=1&theme=light&projector=1');
    await waitForLeader(page);
    await advance(page, 10);
    // A 1280x720 projector: nothing shrinks, and the timeline sits under the panels.
    expect(await drawingScale()).toBeGreaterThan(0.99);
    const side = await box('panel-node');
    const tl = await box('timeline-panel');
    expect(tl.x).toBeGreaterThanOrEqual(side.x - 20);
    expect(tl.y + tl.height).toBeLessThanOrEqual(720 + 1);
    await page.screenshot({ path: 'test-results/screenshots/projector-1280x720.png' });
    await axe(page, undefined, 'projector 1280x720');

    // The narrow timeline still seeks: a click near its start goes back in time.
    const total = Number(await page.getByTestId('timeline').getAttribute('data-total'));
    const track = await box('timeline');
    await page.mouse.click(track.x + 8, track.y + track.height / 2);
    await expect(page.getByTestId('timeline')).not.toHaveAttribute('data-step', String(total), generous);
    await page.getByTestId('timeline-latest').click();
    await expect(page.getByTestId('timeline')).toHaveAttribute('data-step', String(total), generous);

    // A 4:3 projector (1024x768) is also too narrow for the drawing: it shrinks a little.
    await page.setViewportSize({ width: 1024, height: 768 });
    await expect.poll(drawingScale).toBeGreaterThan(0.85);
    await page.screenshot({ path: 'test-results/screenshots/projector-1024x768.png' });

    // Without projector mode the timeline goes back under everything, full width.
    await page.getByTestId('projector-toggle').click();
    await expect(page.getByTestId('app-root')).toHaveAttribute('data-projector', 'false');
    expect((await box('timeline-panel')).x).toBeLessThan(40);
    expect(await drawingScale()).toBeGreaterThan(0.99);
  });
});

import { expect, test, type Page } from '@playwright/test';
import { advance, axe, generous, nodes, open, viaFacade, waitForLeader, watch, type RaftlabWindow } from './support';

// The inspector panels end to end: the client panel's put is committed and applied on
// every node (the cluster view's data-commit / data-applied and each node's KV table),
// manual mode runs a chosen Ready stage by stage and delivers a chosen message from the
// message inspector, and the inspector's drop removes a message from the wire.
// Time is driven through the Cluster façade (window.raftlab) with the play loop off
// (?autoplay=0), so the runs are deterministic.

async function selectNode(page: Page, picker: string, id: number): Promise<void> {
  await page.getByTestId(picker).selectOption(String(id));
}

test.describe('node, Ready, message and client panels', () => {
  test('a put from the client panel is committed and applied on every node', async ({ page }) => {
    const { errors } = watch(page);
    await open(page, 'nodes=3&seed=1');
    const leader = await waitForLeader(page, [], viaFacade);
    await advance(page, 3);

    await page.getByTestId('tab-client').click();
    await page.getByTestId('put-key').fill('color');
    await page.getByTestId('put-value').fill('blue');
    await page.getByTestId('put-submit').click();
    const row = page.locator('[data-testid^="op-"][data-kind="put"]').first();
    await expect(row).toBeAttached(generous);

    // The put completes (the node it was sent to applied it), then every node commits and applies it.
    await expect
      .poll(
        async () => {
          const st = await row.getAttribute('data-status');
          if (st !== 'ok') await advance(page, 1);
          return st;
        },
        { timeout: 30_000, intervals: [100] },
      )
      .toBe('ok');
    const target = await page.evaluate(
      () => (window as unknown as RaftlabWindow).raftlab!.history.find((o) => o.kind === 'put')!.node,
    );
    const putIndex = Number(await page.getByTestId(`node-${target}`).getAttribute('data-applied'));
    await expect
      .poll(
        async () => {
          const ns = await nodes(page);
          const ok =
            ns.length === 3 &&
            ns.every((n) => n.commit >= putIndex && n.applied === n.commit) &&
            new Set(ns.map((n) => n.commit)).size === 1;
          if (!ok) await advance(page, 1);
          return ok;
        },
        { timeout: 30_000, intervals: [100] },
      )
      .toBe(true);

    // A local read at a follower, labelled stale-possible, returns the value.
    const follower = [1, 2, 3].find((n) => n !== leader)!;
    await page.getByTestId('get-key').fill('color');
    await page.getByTestId('get-linearizable').uncheck();
    await page.getByTestId('get-node').selectOption(String(follower));
    await page.getByTestId('get-submit').click();
    const get = page.locator('[data-testid^="op-"][data-kind="get"]').first();
    await expect(get).toHaveAttribute('data-status', 'ok', generous);
    await expect(get.locator('[data-testid$="-stale"]')).toBeVisible();
    await expect(get.locator('[data-testid$="-result"]')).toHaveText('"blue"');
    await page.screenshot({ path: 'test-results/screenshots/panels-client.png' });
    await axe(page, '[data-testid="client-panel"]', 'client');

    // The node panel of each node shows the key in its KV table and the entry in its log.
    await page.getByTestId('tab-node').click();
    const commit = (await nodes(page))[0]!.commit;
    for (const id of [1, 2, 3]) {
      await selectNode(page, 'node-picker', id);
      await expect(page.getByTestId('node-panel')).toHaveAttribute('data-node', String(id));
      await expect(page.getByTestId('node-kv-color')).toContainText('blue');
      await expect(page.getByTestId('log-strip')).toHaveAttribute('data-commit', String(commit));
      await expect(page.getByTestId(`log-cell-${commit}`)).toHaveClass(/is-committed/);
      await expect(page.getByTestId('node-field-applied')).toHaveText(String(commit));
    }
    await selectNode(page, 'node-picker', leader);
    await expect(page.getByTestId('progress-table')).toBeVisible();
    await expect(page.locator('[data-testid^="progress-"][data-state="StateReplicate"]')).toHaveCount(3);
    await page.screenshot({ path: 'test-results/screenshots/panels-node-light.png' });
    await axe(page, '[data-testid="node-panel"]', 'node');
    expect(errors).toEqual([]);
  });

  test('manual mode: a chosen Ready runs stage by stage, a chosen message is delivered, another delayed, held and dropped', async ({
    page,
  }) => {
    const { errors } = watch(page);
    await open(page, 'nodes=3&seed=2');
    const leader = await waitForLeader(page, [], viaFacade);
    await advance(page, 4);
    await page.getByTestId('mode-manual').click();
    await expect.poll(() => page.evaluate(() => (window as unknown as RaftlabWindow).raftlab!.mode)).toBe('manual');

    // Propose at the leader: its next Ready carries the entry and the MsgApps.
    await page.getByTestId('tab-client').click();
    await page.getByTestId('put-key').fill('k');
    await page.getByTestId('put-value').fill('v');
    await page.getByTestId('put-node').selectOption(String(leader));
    await page.getByTestId('put-submit').click();
    await expect(page.locator('[data-testid^="op-"][data-kind="put"]').first()).toHaveAttribute(
      'data-status',
      'pending',
      generous,
    );

    await page.getByTestId('tab-ready').click();
    await selectNode(page, 'ready-node-picker', leader);
    const persist = page.getByTestId('ready-stage-persist');
    const send = page.getByTestId('ready-stage-send');
    const apply = page.getByTestId('ready-stage-apply');
    const adv = page.getByTestId('ready-stage-advance');
    await expect(persist).toBeEnabled(generous);
    await expect(send).toBeDisabled();
    await expect(apply).toBeDisabled();

    await persist.click();
    await expect(persist).toHaveAttribute('data-state', 'done', generous);
    await expect(send).toBeEnabled();
    await expect(apply).toBeDisabled();
    const cycle = page.locator('[data-testid^="ready-cycle-"]').first();
    await expect(cycle).toHaveAttribute('data-stages', 'persist');
    await expect(cycle.getByTestId('ready-entries')).toContainText('put k=v');
    await expect(cycle.getByTestId('ready-text')).toContainText('Ready MustSync=true');
    await page.screenshot({ path: 'test-results/screenshots/panels-ready-light.png' });
    await axe(page, '[data-testid="ready-panel"]', 'ready');

    await send.click();
    await expect(send).toHaveAttribute('data-state', 'done', generous);
    await apply.click();
    await expect(apply).toHaveAttribute('data-state', 'done', generous);
    await adv.click();
    await expect(cycle).toHaveAttribute('data-stages', 'persist,send,apply,advance', generous);

    // The leader's MsgApps are on the wire: deliver the one to the first follower.
    await page.getByTestId('tab-message').click();
    const apps = page.locator(`[data-testid^="inflight-"][data-type="MsgApp"][data-from="${leader}"]`);
    await expect(apps).toHaveCount(2, generous);
    const [f1, f2] = [1, 2, 3].filter((n) => n !== leader) as [number, number];
    const toF1 = page.locator(`[data-testid^="inflight-"][data-type="MsgApp"][data-to="${f1}"]`);
    const id1 = Number((await toF1.getAttribute('data-testid'))!.slice('inflight-'.length));
    await page.getByTestId(`select-msg-${id1}`).click();
    await expect(page.getByTestId(`inflight-${id1}`)).toHaveAttribute('data-selected', 'true');
    await expect(page.getByTestId('message-bar')).toBeVisible();
    await page.screenshot({ path: 'test-results/screenshots/panels-messages-light.png' });
    await axe(page, '[data-testid="messages-panel"]', 'messages');
    await page.getByTestId(`deliver-${id1}`).click();
    await expect(page.getByTestId(`inflight-${id1}`)).toHaveCount(0, generous);

    // The follower now has a Ready with the entry: run its persist stage.
    await page.getByTestId('tab-ready').click();
    await selectNode(page, 'ready-node-picker', f1);
    await expect(page.getByTestId('ready-stage-persist')).toBeEnabled(generous);
    await page.getByTestId('ready-stage-persist').click();
    await expect(page.locator('[data-testid^="ready-cycle-"]').first().getByTestId('ready-entries')).toContainText(
      'put k=v',
      generous,
    );
    await page.getByTestId('ready-stage-send').click();
    await expect(page.getByTestId('ready-stage-send')).toHaveAttribute('data-state', 'done', generous);

    // Drop the MsgApp to the other follower: it leaves the wire.
    await page.getByTestId('tab-message').click();
    const toF2 = page.locator(`[data-testid^="inflight-"][data-type="MsgApp"][data-to="${f2}"]`);
    const id2 = Number((await toF2.getAttribute('data-testid'))!.slice('inflight-'.length));
    // Delay it first: alone on its link, it falls due one tick later.
    const due = Number(await page.getByTestId(`inflight-${id2}`).getAttribute('data-due'));
    await page.getByTestId(`delay-${id2}`).click();
    await expect(page.getByTestId(`inflight-${id2}`)).toHaveAttribute('data-due', String(due + 1), generous);
    // Hold it: the row says so, and its button now releases it.
    await page.getByTestId(`hold-${id2}`).click();
    await expect(page.getByTestId(`hold-${id2}`)).toHaveText('Release', generous);
    await expect(page.getByTestId(`inflight-${id2}`)).toHaveClass(/is-held/);
    await page.getByTestId(`drop-${id2}`).click();
    await expect(page.getByTestId(`inflight-${id2}`)).toHaveCount(0, generous);
    const still = await page.evaluate(
      (id) => (window as unknown as RaftlabWindow).raftlab!.inFlight().some((e) => e.id === id),
      id2,
    );
    expect(still).toBe(false);
    // The follower's answer (MsgAppResp) is on the wire now.
    await expect(page.locator(`[data-testid^="inflight-"][data-type="MsgAppResp"][data-from="${f1}"]`)).toHaveCount(
      1,
      generous,
    );
    expect(errors).toEqual([]);
  });

  test('dark and projector screenshots of the panels, without serious accessibility violations', async ({ page }) => {
    // Four axe scans and eight screenshots: more than the default 30 s on a busy machine.
    test.setTimeout(60_000);
    const { errors } = watch(page);
    await open(page, 'nodes=5&seed=3');
    const leader = await waitForLeader(page, [], viaFacade);
    // A log longer than the panel: the strip renders only the cells in view.
    await page.evaluate(async () => {
      const c = (window as unknown as RaftlabWindow).raftlab!;
      for (let i = 0; i < 80; i++) await c.put(`key${i % 7}`, `value ${i}`);
    });
    await advance(page, 4.7);
    await page.getByTestId('theme-toggle').click();
    await expect(page.getByTestId('app-root')).toHaveAttribute('data-theme', 'dark');
    await page.getByTestId('tab-node').click();
    await selectNode(page, 'node-picker', leader);
    await expect(page.getByTestId('progress-table')).toBeVisible();
    const last = Number(await page.getByTestId('log-strip').getAttribute('data-last'));
    expect(last).toBeGreaterThan(80);
    const rendered = await page.locator('[data-testid^="log-cell-"]').count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
    // It follows the tail: the last cell is in the DOM.
    await expect(page.getByTestId(`log-cell-${last}`)).toBeAttached();
    await page.screenshot({ path: 'test-results/screenshots/panels-node-dark.png' });
    await axe(page, '[data-testid="node-panel"]', 'node dark');
    await page.getByTestId('tab-message').click();
    await page.screenshot({ path: 'test-results/screenshots/panels-messages-dark.png' });
    await axe(page, '[data-testid="messages-panel"]', 'messages dark');
    await page.getByTestId('tab-ready').click();
    await page.screenshot({ path: 'test-results/screenshots/panels-ready-dark.png' });
    await axe(page, '[data-testid="ready-panel"]', 'ready dark');

    await page.getByTestId('projector-toggle').click();
    await expect(page.getByTestId('app-root')).toHaveAttribute('data-projector', 'true');
    await page.getByTestId('tab-node').click();
    await page.screenshot({ path: 'test-results/screenshots/panels-node-projector-dark.png' });
    await page.getByTestId('theme-toggle').click();
    await page.screenshot({ path: 'test-results/screenshots/panels-node-projector-light.png' });
    await axe(page, '[data-testid="node-panel"]', 'node projector');
    await page.getByTestId('tab-client').click();
    await page.screenshot({ path: 'test-results/screenshots/panels-client-projector.png' });
    await axe(page, '[data-testid="client-panel"]', 'client projector');
    await page.getByTestId('tab-message').click();
    await page.screenshot({ path: 'test-results/screenshots/panels-messages-projector.png' });
    expect(errors).toEqual([]);
  });
});

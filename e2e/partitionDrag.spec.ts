import { expect, test, type Page } from '@playwright/test';
import { advance, axe, expectCleanRun, generous, nodes, open, waitForLeader, type RaftlabWindow } from './support';

// Partitioning by direct manipulation: a node dragged out of the cluster view with the
// mouse (or a touch pointer) is cut off from the others, dragged back (or Heal all) the
// network heals; the keyboard does the same with `n`. Virtual time is driven through the
// façade (?autoplay=0), so every run is deterministic.

interface Pt {
  x: number;
  y: number;
}

type Facade = RaftlabWindow['raftlab'] & { recorder: { actions: { kind: string; args: unknown[] }[] } };

/** The centre of a node's body on the page. */
async function centreOf(page: Page, id: number): Promise<Pt> {
  const b = (await page.getByTestId(`node-${id}`).locator('.node-body').boundingBox())!;
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

/** The corner of the cluster view (inset, top right excepted: the Reset view button) farthest from the other nodes. */
async function awayFromOthers(page: Page, id: number): Promise<Pt> {
  const box = (await page.locator('.cluster-svg').boundingBox())!;
  const others = await Promise.all((await nodes(page)).filter((n) => n.id !== id).map((n) => centreOf(page, n.id)));
  const inset = 70;
  const corners = [
    { x: box.x + inset, y: box.y + inset },
    { x: box.x + inset, y: box.y + box.height - inset },
    { x: box.x + box.width - inset, y: box.y + box.height - inset },
  ];
  const clearance = (p: Pt) => Math.min(...others.map((o) => Math.hypot(o.x - p.x, o.y - p.y)));
  return corners.sort((a, b) => clearance(b) - clearance(a))[0]!;
}

/** Two points on the page within a pixel of each other (pins are stored as fractions of the view). */
function expectNear(a: Pt, b: Pt): void {
  expect(Math.hypot(a.x - b.x, a.y - b.y)).toBeLessThan(1);
}

/** Presses on `from`, moves to `to` in small steps, runs `beforeUp` while still holding, releases. */
async function drag(page: Page, from: Pt, to: Pt, beforeUp?: () => Promise<void>): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 12 });
  await beforeUp?.();
  await page.mouse.up();
}

async function commitOf(page: Page, id: number): Promise<number> {
  return Number(await page.getByTestId(`node-${id}`).getAttribute('data-commit'));
}

async function put(page: Page, key: string, value: string): Promise<void> {
  await page.evaluate(([k, v]) => (window as unknown as { raftlab: Facade }).raftlab.put(k!, v!), [key, value]);
}

/**
 * With `isolated` cut off: a put commits on every node of the majority while the
 * isolated node's commit index stays where it was.
 */
async function majorityCommitsWithout(page: Page, isolated: number, majority: number[]): Promise<void> {
  await advance(page, 5);
  const stuck = await commitOf(page, isolated);
  const before = Math.max(...(await Promise.all(majority.map((id) => commitOf(page, id)))));
  await put(page, 'during', 'partition');
  await expect
    .poll(async () => {
      const cs = await Promise.all(majority.map((id) => commitOf(page, id)));
      const ok = cs.every((c) => c > before);
      if (!ok) await advance(page, 3);
      return ok;
    }, generous)
    .toBe(true);
  await advance(page, 20);
  expect(await commitOf(page, isolated)).toBe(stuck);
}

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Circle {
  x: number;
  y: number;
  r: number;
}

/** A node as drawn on the page: its body (a circle) and the boxes of its text (term badge, role, indices). */
async function partsOf(page: Page, id: number): Promise<{ body: Circle; text: Rect[] }> {
  const node = page.getByTestId(`node-${id}`);
  const b = (await node.locator('.node-body').boundingBox())!;
  const text = await Promise.all(
    ['.node-term rect', '.node-role', '.node-indices'].map(async (sel) => (await node.locator(sel).boundingBox())!),
  );
  return { body: { x: b.x + b.width / 2, y: b.y + b.height / 2, r: b.width / 2 }, text };
}

const circleMeetsRect = (c: Circle, r: Rect) =>
  Math.hypot(c.x - Math.max(r.x, Math.min(c.x, r.x + r.width)), c.y - Math.max(r.y, Math.min(c.y, r.y + r.height))) <
  c.r;

/**
 * A dropped node covers no other node and no other node's text, and its text covers no
 * other node. (On a crowded view two text blocks may still touch: at 1024 px with five
 * nodes there is not always room for both.)
 */
async function expectUncovered(page: Page, id: number): Promise<void> {
  const mine = await partsOf(page, id);
  for (const n of await nodes(page)) {
    if (n.id === id) continue;
    const other = await partsOf(page, n.id);
    const where = `node ${id} against node ${n.id}`;
    expect(Math.hypot(mine.body.x - other.body.x, mine.body.y - other.body.y), `${where}: bodies`).toBeGreaterThan(
      mine.body.r + other.body.r,
    );
    for (const t of other.text) expect(circleMeetsRect(mine.body, t), `${where}: body on text`).toBe(false);
    for (const t of mine.text) expect(circleMeetsRect(other.body, t), `${where}: text on body`).toBe(false);
  }
}

/** Advances time until every node shows the same commit index, at least `min`. */
async function converged(page: Page, count: number, min: number): Promise<void> {
  await expect
    .poll(
      async () => {
        const ns = await nodes(page);
        const ok = ns.length === count && new Set(ns.map((n) => n.commit)).size === 1 && ns[0]!.commit >= min;
        if (!ok) await advance(page, 3);
        return ok;
      },
      { timeout: 30_000, intervals: [100] },
    )
    .toBe(true);
}

test.describe('partition by dragging nodes', () => {
  expectCleanRun();

  test('mouse: a follower dragged out of 3 nodes is isolated; dragged back, the cluster heals and converges', async ({
    page,
  }) => {
    await open(page, 'nodes=3&seed=11');
    const leader = await waitForLeader(page);
    await converged(page, 3, 1);
    const f = (await nodes(page)).find((n) => n.id !== leader)!.id;
    const others = [1, 2, 3].filter((id) => id !== f);
    const home = await centreOf(page, f);

    // A click without movement still opens the node's menu, and partitions nothing.
    await page.getByTestId(`node-${f}`).click();
    await expect(page.getByTestId(`node-menu-${f}`)).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByTestId(`node-menu-${f}`)).toHaveCount(0);
    // A small move (under the drop radius) puts the node back: no partition.
    await drag(page, home, { x: home.x + 25, y: home.y + 10 });
    await expect(page.getByTestId(`node-menu-${f}`)).toHaveCount(0);
    await expect(page.getByTestId('partition-group-1')).toHaveCount(0);
    expectNear(await centreOf(page, f), home);

    // Out into the emptiest corner: while held, the view says it will get a group of its own.
    const away = await awayFromOthers(page, f);
    await drag(page, home, away, async () => {
      await expect(page.getByTestId('drop-new')).toBeVisible();
      await page.screenshot({ path: 'test-results/screenshots/partition-drag-preview.png' });
    });
    await expect(page.getByTestId('partition-group-1')).toBeAttached(generous);
    await expect(page.getByTestId(`node-menu-${f}`)).toHaveCount(0);
    const fGroup = await page.getByTestId(`node-${f}`).getAttribute('data-group');
    for (const o of others) {
      await expect(page.getByTestId(`node-${o}`)).not.toHaveAttribute('data-group', fGroup!);
      await expect(page.getByTestId(`link-${Math.min(f, o)}-${Math.max(f, o)}`)).toHaveAttribute('data-state', 'down');
    }
    await expect(page.getByTestId(`link-${others[0]}-${others[1]}`)).toHaveAttribute('data-state', 'up');
    // The node stays where it was dropped.
    const dropped = await centreOf(page, f);
    expect(Math.hypot(dropped.x - away.x, dropped.y - away.y)).toBeLessThan(2);
    // The drag was an ordinary recorded action.
    const last = await page.evaluate(() => (window as unknown as { raftlab: Facade }).raftlab.recorder.actions.at(-1));
    expect(last?.kind).toBe('partition');

    await majorityCommitsWithout(page, f, others);
    expect((await nodes(page)).find((n) => n.id === leader)!.state).toBe('StateLeader');
    expectNear(await centreOf(page, f), dropped);
    await page.screenshot({ path: 'test-results/screenshots/partition-drag-3.png' });

    // Dragged back between the other two: one group again, a heal; the ring is back.
    const a = await centreOf(page, others[0]!);
    const b = await centreOf(page, others[1]!);
    await drag(page, dropped, { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }, async () => {
      await expect(page.getByTestId('drop-group-0')).toBeVisible();
    });
    await expect(page.getByTestId('partition-group-1')).toHaveCount(0, generous);
    expect(
      await page.evaluate(() => (window as unknown as { raftlab: Facade }).raftlab.recorder.actions.at(-1)?.kind),
    ).toBe('heal');
    await expect(page.getByTestId(`node-${f}`)).not.toHaveAttribute('data-group', /./);
    expectNear(await centreOf(page, f), home);
    const top = Math.max(...(await Promise.all(others.map((id) => commitOf(page, id)))));
    await converged(page, 3, top);
  });

  test('at 1024 px, 5 nodes: the leader dragged out loses the cluster; Heal all puts every node back on the ring', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await open(page, 'nodes=5&seed=3&theme=light&projector=0');
    const old = await waitForLeader(page);
    await converged(page, 5, 1);
    const homes = new Map<number, Pt>();
    for (const n of await nodes(page)) homes.set(n.id, await centreOf(page, n.id));
    const rest = [...homes.keys()].filter((id) => id !== old);

    await drag(page, homes.get(old)!, await awayFromOthers(page, old));
    await expect(page.getByTestId('partition-group-1')).toBeAttached(generous);
    const next = await waitForLeader(page, [old]);
    expect(rest).toContain(next);
    await majorityCommitsWithout(page, old, rest);
    await page.screenshot({ path: 'test-results/screenshots/partition-drag-1024.png' });

    // Another node dropped next to the isolated one joins its group (a minority of two).
    const oldAt = await centreOf(page, old);
    const candidates = await Promise.all(
      rest.filter((id) => id !== next).map(async (id) => ({ id, at: await centreOf(page, id) })),
    );
    const far = candidates.sort(
      (a, b) => Math.hypot(b.at.x - oldAt.x, b.at.y - oldAt.y) - Math.hypot(a.at.x - oldAt.x, a.at.y - oldAt.y),
    )[0]!;
    const len = Math.hypot(far.at.x - oldAt.x, far.at.y - oldAt.y);
    const beside = { x: oldAt.x + ((far.at.x - oldAt.x) / len) * 45, y: oldAt.y + ((far.at.y - oldAt.y) / len) * 45 };
    await drag(page, far.at, beside, async () => {
      await expect(page.locator('.partition-region.is-target')).toContainText(`drop: join ${old}`);
    });
    await expect(page.getByTestId(`node-${far.id}`)).toHaveAttribute(
      'data-group',
      (await page.getByTestId(`node-${old}`).getAttribute('data-group'))!,
      generous,
    );
    expect(
      await page.evaluate(() => (window as unknown as { raftlab: Facade }).raftlab.recorder.actions.at(-1)),
    ).toMatchObject({
      kind: 'partition',
    });
    await page.screenshot({ path: 'test-results/screenshots/partition-drag-1024-join.png' });
    await expectUncovered(page, far.id);
    await page.screenshot({ path: 'test-results/screenshots/partition-drag-1024-join.png' });

    // Themes: the regions, labels and cut links in dark and projector modes.
    await page.getByTestId('theme-toggle').click();
    await expect(page.getByTestId('app-root')).toHaveAttribute('data-theme', 'dark');
    await page.screenshot({ path: 'test-results/screenshots/partition-drag-1024-dark.png' });
    await page.getByTestId('projector-toggle').click();
    await expect(page.getByTestId('app-root')).toHaveAttribute('data-projector', 'true');
    await page.screenshot({ path: 'test-results/screenshots/partition-drag-1024-projector-dark.png' });
    await axe(page, '.cluster-view', 'partitioned cluster view');
    await page.getByTestId('theme-toggle').click();
    await page.screenshot({ path: 'test-results/screenshots/partition-drag-1024-projector-light.png' });
    await page.getByTestId('projector-toggle').click();

    // Heal all: the regions go, every node is back on its ring place, the cluster converges.
    await page.getByTestId('heal').click();
    await expect(page.getByTestId('partition-group-0')).toHaveCount(0, generous);
    for (const [id, p] of homes) expectNear(await centreOf(page, id), p);
    const top = Math.max(...(await nodes(page)).map((n) => n.commit));
    await converged(page, 5, top);
    expect((await nodes(page)).filter((n) => n.state === 'StateLeader')).toHaveLength(1);
  });

  test('keyboard: n moves the selected or focused node to its own group and back; time travel sees it', async ({
    page,
  }) => {
    await open(page, 'nodes=3&seed=13');
    await waitForLeader(page);
    await converged(page, 3, 1);
    // The help overlay lists the shortcut.
    await page.locator('body').press('?');
    await expect(page.getByTestId('help-overlay')).toContainText('n / N');
    await page.keyboard.press('Escape');

    // Select node 3 (key 3), then n: node 3 alone in group B.
    await page.locator('body').press('3');
    await expect(page.getByTestId('node-3')).toHaveClass(/is-selected/);
    await page.keyboard.press('n');
    await expect(page.getByTestId('partition-group-1')).toBeAttached(generous);
    await expect(page.getByTestId('node-3')).toHaveAttribute('data-group', 'B');
    await expect(page.getByTestId('node-1')).toHaveAttribute('data-group', 'A');
    await expect(page.getByTestId('notices')).toContainText('Node 3 → group B');
    const last = await page.evaluate(() => (window as unknown as { raftlab: Facade }).raftlab.recorder.actions.at(-1));
    expect(last).toMatchObject({ kind: 'partition', args: [[[1, 2], [3]]] });
    await majorityCommitsWithout(page, 3, [1, 2]);

    // Time travel: back to the step before the partition, the groups are gone; at the end they are back.
    const timeline = page.getByTestId('timeline');
    const total = Number(await timeline.getAttribute('data-total'));
    const partitionStep =
      (await page.evaluate(() =>
        (window as unknown as { raftlab: Facade }).raftlab.recorder.actions.findIndex((a) => a.kind === 'partition'),
      )) + 1;
    await timeline.focus();
    for (let s = total; s >= partitionStep; s--) await page.keyboard.press('ArrowLeft');
    await expect(timeline).toHaveAttribute('data-step', String(partitionStep - 1), generous);
    await expect(page.getByTestId('partition-group-1')).toHaveCount(0, generous);
    await page.keyboard.press('End');
    await expect(timeline).toHaveAttribute('data-step', String(total), generous);
    await expect(page.getByTestId('partition-group-1')).toBeAttached(generous);

    // Focus node 3 (as Tab would) and press n: back with the others, healed.
    await page.getByTestId('node-3').focus();
    await page.keyboard.press('n');
    await expect(page.getByTestId('partition-group-1')).toHaveCount(0, generous);
    await expect(page.getByTestId('notices')).toContainText('Node 3 rejoined the others');
    const top = Math.max(...(await nodes(page)).map((n) => n.commit));
    await converged(page, 3, top);
  });

  test('touch pointer: under the threshold nothing moves; past it the node drags like with a mouse', async ({
    page,
  }) => {
    await open(page, 'nodes=3&seed=11');
    await waitForLeader(page);
    const home = await centreOf(page, 2);
    const away = await awayFromOthers(page, 2);
    const send = (type: string, p: Pt) =>
      page.evaluate(
        ([type, x, y]) => {
          const init = {
            pointerId: 7,
            pointerType: 'touch',
            isPrimary: true,
            clientX: x,
            clientY: y,
            bubbles: true,
            cancelable: true,
            button: type === 'pointermove' ? -1 : 0,
          };
          const target = type === 'pointerdown' ? document.querySelector('[data-testid="node-2"] .node-body')! : window;
          target.dispatchEvent(new PointerEvent(type as string, init));
        },
        [type, p.x, p.y] as const,
      );
    await send('pointerdown', home);
    await send('pointermove', { x: home.x + 6, y: home.y + 4 });
    await expect(page.locator('.cluster-svg.is-dragging')).toHaveCount(0);
    await send('pointermove', { x: (home.x + away.x) / 2, y: (home.y + away.y) / 2 });
    await expect(page.locator('.cluster-svg.is-dragging')).toHaveCount(1);
    await send('pointermove', away);
    await send('pointerup', away);
    await expect(page.getByTestId('partition-group-1')).toBeAttached(generous);
    await expect(page.getByTestId('node-2')).toHaveAttribute('data-group', 'B');
  });
});

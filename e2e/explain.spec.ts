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
  crash(id: number): Promise<void>;
  setLinkFaults(from: number, to: number, faults: { hold?: boolean }): Promise<void>;
  leader(): number;
  advance(ticks: number): Promise<void>;
  inFlight(): { id: number; from: number; to: number; msg: { type: number; reject: boolean } }[];
  readonly currentStep: number;
}
type W = Window & { raftlab: Facade; raftlabUi: { reset(settings: { checkQuorum?: boolean }): Promise<void> } };

/**
 * Opens the "Why?" of a button, checks its reason code and that it names its fields
 * (a screenshot and an accessibility audit when asked), and closes it with Escape.
 */
async function expectWhy(page: Page, button: string, reason: string, shot?: string, audit = false): Promise<void> {
  await page.getByTestId(button).click();
  const why = page.getByTestId('why');
  await expect(why).toHaveAttribute('data-reason', reason);
  await expect(page.getByTestId('why-fields').locator('tbody tr').first()).toBeVisible();
  if (shot !== undefined) await page.screenshot({ path: `test-results/screenshots/${shot}.png` });
  if (audit) await axe(page, '[data-testid="why-dialog"]', `why ${reason}`);
  await page.keyboard.press('Escape');
  await expect(why).toHaveCount(0);
}

/**
 * Advances time a quarter tick at a time (messages take at least half a tick) until a
 * rejection of this type on this link (0: any node) is on the wire; returns its envelope id.
 */
async function waitForRejection(page: Page, type: number, from: number, to: number): Promise<number> {
  return page.evaluate(
    async ([type, from, to]) => {
      const c = (window as unknown as W).raftlab;
      for (let i = 0; i < 800; i++) {
        const e = c
          .inFlight()
          .find(
            (x) => x.msg.reject && x.msg.type === type && (from === 0 || x.from === from) && (to === 0 || x.to === to),
          );
        if (e !== undefined) return e.id;
        await c.advance(0.25);
      }
      throw new Error(`no rejected message of type ${type} (${from}→${to}) within 200 ticks`);
    },
    [type, from, to] as const,
  );
}

// etcd's message type numbers (raftpb.MessageType).
const MsgAppResp = 4;
const MsgPreVoteResp = 18;

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
    await advance(page, 1);
    // Not committed: the old leader cannot reach a majority.
    const lost = commit + 2;
    await expect(page.getByTestId(`log-cell-${old}-${lost}`)).toHaveAttribute('data-committed', 'false', generous);
    await page.getByTestId(`log-cell-${old}-${lost}`).click();
    await expect(page.getByTestId('log-cell-details')).toHaveAttribute('data-index', String(lost));
    await expectWhy(page, `why-entry-${old}-${lost}`, 'not-committed-no-quorum', 'explain-why-entry');
    // The same question from the node panel's log strip, by keyboard: ← picks the last entry.
    await page.getByTestId('tab-node').click();
    await page.getByTestId('node-picker').selectOption(String(old));
    await page.getByTestId('log-strip').getByRole('region').focus();
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByTestId('log-pick')).toHaveAttribute('data-index', String(lost));
    await page.getByTestId(`why-entry-${old}-${lost}`).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('why')).toHaveAttribute('data-reason', 'not-committed-no-quorum');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('why')).toHaveCount(0);
    await page.getByTestId('tab-logs').click();
    await advance(page, 1);
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
  });

  test('a proposal that went nowhere: no leader yet', async ({ page }) => {
    await open(page, 'nodes=3&seed=1');
    // Before the first election, node 1 knows no leader: raft drops the proposal.
    await page.evaluate(async () => {
      const c = (window as unknown as W).raftlab;
      await c.put('x', '1', { node: 1 });
      await c.advance(0.5);
    });
    await page.getByTestId('tab-client').click();
    await expect(page.getByTestId('op-1')).toHaveAttribute('data-status', 'failed', generous);
    await expectWhy(page, 'why-op-1', 'proposal-no-leader', 'explain-why-op', true);
    // A completed request has nothing to explain.
    await waitForLeader(page, [], viaFacade);
    await page.evaluate(() => (window as unknown as W).raftlab.put('y', '2'));
    await advance(page, 3);
    await expect(page.getByTestId('op-2')).toHaveAttribute('data-status', 'ok', generous);
    await expect(page.getByTestId('why-op-2')).toHaveCount(0);
  });

  test("a rejected pre-vote: the candidate's log is behind", async ({ page }) => {
    await open(page, 'nodes=3&seed=1');
    // Without CheckQuorum's lease, followers answer a pre-vote instead of ignoring it.
    await page.evaluate(() => (window as unknown as W).raftlabUi.reset({ checkQuorum: false }));
    await expect(page.getByTestId('node-3')).toBeVisible(generous);
    const leader = await waitForLeader(page, [], viaFacade);
    const behind = [1, 2, 3].find((n) => n !== leader)!;
    // Cut one follower off while the others commit entries. Heal, but hold every message
    // to it: it hears no leader, keeps campaigning, and the refusals stay on the wire.
    await page.evaluate(
      async ([b, others]) => {
        const c = (window as unknown as W).raftlab;
        await c.partition([[b], others]);
        for (let i = 0; i < 3; i++) await c.put(`k${i}`, `v${i}`);
        await c.advance(3);
        await c.heal();
        for (const x of others) await c.setLinkFaults(x, b, { hold: true });
      },
      [behind, [1, 2, 3].filter((n) => n !== behind)] as const,
    );
    const id = await waitForRejection(page, MsgPreVoteResp, 0, behind);
    await page.getByTestId('tab-message').click();
    await expect(page.getByTestId(`inflight-${id}`)).toHaveAttribute('data-type', 'MsgPreVoteResp');
    await expectWhy(page, `why-msg-${id}`, 'vote-log-behind', 'explain-why-vote');
  });

  test("a rejected append: the follower lacks the leader's previous entry; the leader probes it", async ({ page }) => {
    await open(page, 'nodes=5&seed=1');
    const old = await waitForLeader(page, [], viaFacade);
    const behind = [1, 2, 3, 4, 5].find((n) => n !== old)!;
    // The follower misses entries while cut off; the leader crashes; a new one is elected.
    await page.evaluate(
      async ([b, l]) => {
        const c = (window as unknown as W).raftlab;
        await c.partition([[b], [1, 2, 3, 4, 5].filter((n) => n !== b)]);
        for (let i = 0; i < 3; i++) await c.put(`k${i}`, `v${i}`);
        await c.advance(3);
        await c.crash(l);
      },
      [behind, old] as const,
    );
    const fresh = await waitForLeader(page, [old], viaFacade);
    await page.evaluate(() => (window as unknown as W).raftlab.heal());
    // Healed, the new leader's first append to it points past its log's end: rejected.
    const id = await waitForRejection(page, MsgAppResp, behind, 0);
    await page.getByTestId('tab-message').click();
    await expect(page.getByTestId(`inflight-${id}`)).toHaveAttribute('data-to', String(fresh));
    await expectWhy(page, `why-msg-${id}`, 'append-log-mismatch', 'explain-why-append');
    // The leader's progress table: the follower is probed, one append at a time.
    await page.getByTestId('tab-node').click();
    await page.getByTestId('node-picker').selectOption(String(fresh));
    await expect(page.getByTestId(`progress-${behind}`)).toHaveAttribute('data-state', 'StateProbe');
    await expectWhy(page, `why-follower-${behind}`, 'follower-probe');
  });

  test('the narrated feed: lines link to their step and name their nodes', async ({ page }) => {
    await open(page, 'nodes=5&seed=2');
    const leader = await waitForLeader(page, [], viaFacade);
    await page.evaluate(() => (window as unknown as W).raftlab.put('color', 'blue'));
    await advance(page, 3);
    await page.getByTestId('tab-narration').click();
    const lines = page.getByTestId('narration-line');
    await expect(lines.first()).toBeVisible();
    // Some line tells the election: it names the leader.
    const election = page.locator(`[data-testid="narration-line"][data-kind="role"][data-nodes~="${leader}"]`);
    await expect(election.first()).toBeAttached();
    const step = Number(await election.first().getAttribute('data-step'));
    const now = await page.evaluate(() => (window as unknown as W).raftlab.currentStep);
    expect(step).toBeLessThan(now);
    // Hover: the nodes it names are highlighted in the cluster view.
    await election.first().hover();
    await expect(page.getByTestId(`node-${leader}`)).toHaveClass(/is-hovered/);
    await page.screenshot({ path: 'test-results/screenshots/explain-narration-light.png' });
    // Click: the run goes back to that step; later lines are dimmed.
    await election.first().click();
    await expect.poll(() => page.evaluate(() => (window as unknown as W).raftlab.currentStep), generous).toBe(step);
    await expect(page.locator('[data-testid="narration-line"].is-future').first()).toBeAttached();
    // Keyboard: Enter on a focused line seeks too.
    const first = lines.first();
    const firstStep = Number(await first.getAttribute('data-step'));
    await first.focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.evaluate(() => (window as unknown as W).raftlab.currentStep), generous)
      .toBe(firstStep);
    // Routine work adds lines; etcd's words are one click away.
    const major = Number((await page.getByTestId('narration-count').textContent())!.split(' ')[0]);
    await page.getByTestId('narration-routine').check();
    await expect
      .poll(async () => Number((await page.getByTestId('narration-count').textContent())!.split(' ')[0]))
      .toBeGreaterThan(major);
    await page.getByTestId('narration-etcd').click();
    await expect(page.getByTestId('eventlog')).toBeVisible();
    await page.getByTestId('eventlog-narration').click();
    await expect(page.getByTestId('narration')).toBeVisible();
    // Dark, then projector at 1280x720.
    await page.getByTestId('theme-toggle').click();
    await page.screenshot({ path: 'test-results/screenshots/explain-narration-dark.png' });
    await axe(page, '[data-testid="narration"]', 'narration dark');
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.getByTestId('projector-toggle').click();
    await page.screenshot({ path: 'test-results/screenshots/explain-narration-projector.png' });
    await page.getByTestId('tab-logs').click();
    await page.getByTestId('logs-dock').click();
    await page.getByTestId('tab-narration').click();
    await expect(page.getByTestId('log-matrix')).toBeVisible();
    await page.screenshot({ path: 'test-results/screenshots/explain-narration-docked-projector.png' });
  });
});

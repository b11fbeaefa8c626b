import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { expectCleanRun, generous, open, type RaftlabWindow } from './support';

// Script mode: etcd's interaction files opened through the UI's file input play to
// their end with Raftlab's output equal to etcd's; malformed scripts give an error
// naming the line and leave the session (cluster or open script) exactly as it was;
// a typed command forks; closing the script gives the cluster back untouched.
// etcd's files are read in place from ../shared (never copied into the project).

const etcdDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/anchors/etcd-raft-testdata/testdata');
const anchors = resolve(etcdDir, '..');
const ownDir = resolve(dirname(fileURLToPath(import.meta.url)), '../test/scripts');
/** Commands in test/scripts/max_uncommitted_size.txt. */
const total18 = 18;
const haveEtcd = existsSync(etcdDir);

interface ScriptWindow {
  raftlabScript?: {
    name: string;
    currentStep: number;
    total: number;
    actual(k: number): string | undefined;
    expected(k: number): string | undefined;
    summary(): { scripted: number; matched: number; differing: number[] };
  };
}

/** What a refused script must leave alone: the cluster and the open script, if any. */
async function session(page: Page) {
  return page.evaluate(() => {
    const r = (window as unknown as RaftlabWindow).raftlab!;
    const s = (window as unknown as ScriptWindow).raftlabScript;
    return {
      hash: r.traceHash(),
      step: r.currentStep,
      script: s === undefined ? undefined : { name: s.name, step: s.currentStep, total: s.total },
    };
  });
}

async function openScript(page: Page, file: string | { name: string; mimeType: string; buffer: Buffer }) {
  await page.getByTestId('script-file').setInputFiles(file);
}

const panel = (page: Page) => page.getByTestId('script-panel');

/** Closes every notice (they would cover the panels in the screenshots). */
async function dismissAll(page: Page): Promise<void> {
  const buttons = page.getByTestId('notices').getByRole('button', { name: 'Dismiss' });
  while ((await buttons.count()) > 0) await buttons.first().click();
}

test.describe('etcd scripts in the UI', () => {
  expectCleanRun();

  test('every etcd interaction file plays to its end with etcd’s output', async ({ page }) => {
    if (!haveEtcd) {
      expect(process.env.CI, `${etcdDir} is missing: under CI the etcd files must be present`).not.toBe('true');
      test.skip(true, `${etcdDir} not found`);
    }
    test.setTimeout(180_000);
    await open(page, 'runtime=inprocess&nodes=3&seed=3');
    const before = await session(page);
    const files = readdirSync(etcdDir)
      .filter((f) => f.endsWith('.txt'))
      .sort();
    expect(files.length).toBeGreaterThanOrEqual(28);
    let passed = 0;
    for (const file of files) {
      await openScript(page, join(etcdDir, file));
      await expect(panel(page)).toHaveAttribute('data-step', '0', generous);
      const total = await page.evaluate(() => (window as unknown as ScriptWindow).raftlabScript!.total);
      expect(await page.evaluate(() => (window as unknown as ScriptWindow).raftlabScript!.name)).toBe(file);
      await expect(panel(page)).toHaveAttribute('data-total', String(total));
      // Jump to the end with the stepper's End key.
      await page.getByRole('slider', { name: 'Script position: commands run' }).press('End');
      await expect(panel(page)).toHaveAttribute('data-step', String(total));
      await expect(panel(page)).toHaveAttribute('data-match', 'true');
      const summary = page.getByTestId('script-summary');
      await expect(summary, file).toHaveAttribute('data-matched', String(total));
      await expect(summary).toHaveAttribute('data-scripted', String(total));
      await expect(page.getByTestId('script-diff').locator('tr[data-diff]')).toHaveCount(0);
      // Every command, through the façade: actual equals expected.
      const bad = await page.evaluate(() => {
        const s = (window as unknown as ScriptWindow).raftlabScript!;
        const out: number[] = [];
        for (let k = 0; k < s.total; k++) if (s.actual(k) !== s.expected(k)) out.push(k);
        return out;
      });
      expect(bad, file).toEqual([]);
      passed++;
    }
    expect(passed).toBe(files.length);

    // A few steps of one file, one by one, in the panel and the cluster view.
    await openScript(page, join(etcdDir, 'probe_and_replicate.txt'));
    await expect(panel(page)).toHaveAttribute('data-step', '0', generous);
    for (let k = 1; k <= 4; k++) {
      await page.getByTestId('script-next').click();
      await expect(panel(page)).toHaveAttribute('data-step', String(k));
      await expect(panel(page)).toHaveAttribute('data-match', 'true');
      await expect(page.getByTestId(`script-directive-${k}`)).toBeVisible();
    }
    await expect(page.locator('[data-testid^="node-"][data-state]')).toHaveCount(7);
    await page.keyboard.press('ArrowLeft');
    await expect(panel(page)).toHaveAttribute('data-step', '3');

    // Closing the script gives the cluster back exactly as it was.
    await page.getByTestId('script-close').click();
    await expect(panel(page)).toHaveCount(0);
    expect(await session(page)).toEqual(before);
    await expect(page.locator('[data-testid^="node-"][data-state]')).toHaveCount(3);
  });

  test('malformed scripts are refused with their line and change nothing', async ({ page }) => {
    test.setTimeout(60_000);
    await open(page, 'runtime=inprocess&nodes=3&seed=5');
    await page.evaluate(() => (window as unknown as RaftlabWindow).raftlab!.advance(10));
    const bad: [string, string | Buffer, RegExp][] = [
      ['parens.txt', 'add-nodes 2 voters=(1,2 index=2\n----\nok\n', /parens\.txt:1: unbalanced '\('/],
      [
        'unknown.txt',
        'add-nodes 1 voters=(1) index=2\n----\nok\n\nfly 1\n----\nok\n',
        /unknown\.txt:5: unknown command "fly"/,
      ],
      [
        'fatal.txt',
        'add-nodes 1 voters=(1) index=2\n----\nok\n\npropose 1 a b\n----\nok\n',
        /fatal\.txt:5: propose 1 a b: the harness stops on this command/,
      ],
      [
        'binary.txt',
        Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0xff, 0xfe]),
        /binary\.txt is not a text file/,
      ],
      ['nul.txt', Buffer.from('# hi\n\u0000\u0001\u0002'), /nul\.txt:2: a NUL byte/],
      ['empty.txt', '', /empty\.txt is empty/],
      [
        'quorum.txt',
        'committed cfg=(1,2,3) idx=(100,101,99)\n----\n100\n',
        /quorum\.txt:1: "committed" is a command of etcd's quorum test driver/,
      ],
    ];
    if (haveEtcd) {
      const conf = resolve(anchors, 'confchange/testdata/simple_safety.txt');
      bad.push([
        'simple_safety.txt',
        readFileSync(conf),
        /simple_safety\.txt:\d+: ".*" is a command of etcd's confchange test driver/,
      ]);
    }

    const refuse = async () => {
      for (const [name, body, says] of bad) {
        const before = await session(page);
        await openScript(page, { name, mimeType: 'text/plain', buffer: Buffer.from(body) });
        await expect(page.getByTestId('notice-error').filter({ hasText: says }), name).toBeVisible(generous);
        expect(await session(page), name).toEqual(before);
        // Dismiss, so the next refusal is seen on its own.
        await page.getByTestId('notice-error').getByRole('button').first().click();
        await expect(page.getByTestId('notice-error')).toHaveCount(0);
      }
    };

    // With no script open: the cluster stays, and no script mode.
    await refuse();
    await expect(panel(page)).toHaveCount(0);
    await expect(page.locator('[data-testid^="node-"][data-state]')).toHaveCount(3);

    // With a script open, at step 2: it stays open at step 2.
    await page.getByTestId('scripts').click();
    await page.getByTestId('script-bundled-read_index_safe.txt').click();
    await expect(panel(page)).toHaveAttribute('data-step', '0', generous);
    await page.getByTestId('script-next').click();
    await page.getByTestId('script-next').click();
    await expect(panel(page)).toHaveAttribute('data-step', '2');
    await refuse();
    await expect(panel(page)).toHaveAttribute('data-step', '2');
    expect((await session(page)).script?.name).toBe('test/scripts/read_index_safe.txt');
  });

  test('a typed command forks, actions map to harness commands, and the screenshots', async ({ page }) => {
    test.setTimeout(60_000);
    await open(page, 'runtime=inprocess&nodes=5&seed=1');
    const before = await session(page);
    await page.getByTestId('scripts').click();
    await expect(page.getByTestId('script-menu')).toBeVisible();
    await page.getByTestId('script-bundled-proposal_forwarding.txt').click();
    await expect(panel(page)).toHaveAttribute('data-step', '0', generous);
    const total = Number(await panel(page).getAttribute('data-total'));
    await expect(page.getByTestId('tab-client')).toBeDisabled();
    await expect(page.getByTestId('play')).toBeHidden();

    // Seek with a cell of the stepper, then fork there.
    await page.getByTestId('script-cell-6').click();
    await expect(panel(page)).toHaveAttribute('data-step', '6');
    const input = page.getByTestId('script-command-input');
    await input.fill('bogus 1');
    await input.press('Enter');
    await expect(page.getByTestId('notice-error').filter({ hasText: 'unknown command "bogus"' })).toBeVisible();
    await expect(panel(page)).toHaveAttribute('data-total', String(total));
    await input.fill('raft-state');
    await input.press('Enter');
    await expect(panel(page)).toHaveAttribute('data-step', '7');
    await expect(panel(page)).toHaveAttribute('data-total', '7');
    await expect(panel(page)).toHaveAttribute('data-match', 'none');
    await expect(page.getByTestId('script-output')).toContainText('1: StateLeader (Voter) Term:1 Lead:1');

    // The node menu's Tick is the harness's tick-heartbeat; Crash is disabled.
    await page.getByTestId('node-1').locator('.node-body').click();
    await expect(page.getByTestId('crash-1')).toBeDisabled();
    await page.getByTestId('tick-1').click();
    await expect(panel(page)).toHaveAttribute('data-step', '8');
    await expect(page.getByTestId('script-directive-8')).toHaveText('tick-heartbeat 1');
    await input.fill('process-ready 1');
    await input.press('Enter');
    await expect(page.locator('[data-testid^="msg-"][data-type="MsgHeartbeat"]')).toHaveCount(2);
    // Delivering one of them is the harness's deliver-msgs for its recipient.
    await page.locator('[data-testid^="msg-"][data-type="MsgHeartbeat"][data-to="2"]').click();
    await page.getByTestId('msg-deliver').click();
    await expect(page.getByTestId('script-directive-10')).toHaveText('deliver-msgs 2');
    await expect(page.locator('[data-testid^="msg-"][data-type="MsgHeartbeat"]')).toHaveCount(1);

    // Restore the script's own tail.
    await page.getByRole('button', { name: 'Restore' }).click();
    await expect(panel(page)).toHaveAttribute('data-total', String(total));
    await expect(page.getByTestId('script-summary')).toHaveAttribute('data-matched', String(total));

    // Screenshots: a step with messages queued, light, dark, and projector at 1280x720.
    await page.getByTestId('scripts').click();
    await page.getByTestId('script-bundled-max_uncommitted_size.txt').click();
    await page.getByTestId('script-cell-10').click();
    await expect(panel(page)).toHaveAttribute('data-step', '10');
    await expect(page.locator('[data-testid^="msg-"][data-type="MsgApp"]')).toHaveCount(6);
    await page.getByTestId('node-2').locator('.node-body').click();
    await page.keyboard.press('Escape');
    await dismissAll(page);
    await page.screenshot({ path: 'test-results/screenshots/script-light.png' });
    await page.getByTestId('theme-toggle').click();
    await page.screenshot({ path: 'test-results/screenshots/script-dark.png' });
    await page.getByTestId('theme-toggle').click();
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.getByTestId('projector-toggle').click();
    await page.screenshot({ path: 'test-results/screenshots/script-projector.png' });
    await page.getByTestId('projector-toggle').click();

    // An output that differs from etcd's: the row is marked, the summary says which.
    const text = readFileSync(resolve(ownDir, 'max_uncommitted_size.txt'), 'utf8').replace(
      'raft proposal dropped',
      'raft proposal accepted',
    );
    await openScript(page, { name: 'differs.txt', mimeType: 'text/plain', buffer: Buffer.from(text) });
    await expect(page.getByTestId('script-summary')).toHaveAttribute('data-matched', String(total18 - 1));
    await page.getByTestId('script-cell-8').click();
    await expect(panel(page)).toHaveAttribute('data-match', 'false');
    await expect(page.getByTestId('script-verdict')).toHaveText('✗ differs from etcd');
    const row = page.getByTestId('script-diff').locator('tr[data-diff]');
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('≠');
    await expect(row).toContainText('raft proposal accepted');
    await expect(row).toContainText('raft proposal dropped');
    await expect(page.getByTestId('script-cell-8')).toHaveText('✗');
    await dismissAll(page);
    await page.screenshot({ path: 'test-results/screenshots/script-differs.png' });

    await page.getByTestId('script-close').click();
    expect(await session(page)).toEqual(before);
    await expect(page.getByTestId('play')).toBeVisible();
  });
});

import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { expectCleanRun, generous, open as openApp, type RaftlabWindow } from './support';

// Export and import of a run through the top bar: the export is a real download of the
// run's JSON; a malformed import shows an error notice and changes nothing; importing the
// exported file replays it (same step, same trace hash) and says so. Time is driven
// through the Cluster façade (window.raftlab) with the play loop off (?autoplay=0).

/** Loads the app and waits until a run can be exported. */
async function open(page: Page, query: string): Promise<void> {
  await openApp(page, query);
  await expect(page.getByTestId('file-menu')).toBeEnabled(generous);
}

/** The façade's view of the session: what a failed import must leave alone. */
async function session(page: Page) {
  return page.evaluate(() => {
    const r = (window as unknown as RaftlabWindow).raftlab!;
    return { step: r.currentStep, nodes: r.nodeIds(), hash: r.traceHash(), time: r.time };
  });
}

interface ExportedRunFile {
  format: string;
  version: number;
  seed: number;
  config: { nodes: number; seed: number };
  actions: { index: number; kind: string }[];
  summary: { traceHash: string };
}

test.describe('run export and import', () => {
  expectCleanRun();

  test('exports the run, refuses malformed files unchanged, and re-imports the export', async ({ page }) => {
    test.setTimeout(60_000);
    await open(page, 'nodes=3&seed=7');

    // A few steps: time through the façade, a write, and two Step clicks in the UI.
    await page.evaluate(() => (window as unknown as RaftlabWindow).raftlab!.advance(20));
    await page.evaluate(() => (window as unknown as RaftlabWindow).raftlab!.put('x', '1'));
    await page.evaluate(() => (window as unknown as RaftlabWindow).raftlab!.advance(5));
    await page.getByTestId('step').click();
    await page.getByTestId('step').click();
    await expect.poll(async () => (await session(page)).step, generous).toBeGreaterThanOrEqual(5);
    const exported = await session(page);

    // Export: a download of the run's JSON.
    await page.getByTestId('file-menu').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-run').click()]);
    expect(download.suggestedFilename()).toMatch(/^raftlab-run-seed7-step\d+\.json$/);
    const text = await readFile((await download.path())!, 'utf8');
    const run = JSON.parse(text) as ExportedRunFile;
    expect(run.format).toEqual(expect.any(String));
    expect(run.seed).toBe(7);
    expect(run.config.seed).toBe(7);
    expect(run.config.nodes).toBe(3);
    expect(run.actions.length).toBe(exported.step);
    expect(run.actions.map((a) => a.index)).toEqual(run.actions.map((_, i) => i));
    expect(run.actions.map((a) => a.kind)).toContain('put');
    expect(run.summary.traceHash).toBe(exported.hash);
    await expect(page.getByTestId('notice-info').filter({ hasText: 'exported' })).toBeVisible();

    // Move on, so that a successful import is visible as a change.
    await page.evaluate(() => (window as unknown as RaftlabWindow).raftlab!.advance(15));
    await page.evaluate(() => (window as unknown as RaftlabWindow).raftlab!.put('y', '2'));
    const later = await session(page);
    expect(later.step).toBeGreaterThan(exported.step);

    // Malformed files: an error notice each, and the session is exactly as it was.
    const file = page.getByTestId('import-file');
    for (const [name, body, says] of [
      ['wrong-format.json', '{"format": "nope"}', 'invalid run file'],
      ['not-json.json', 'not json', 'not valid JSON'],
    ] as const) {
      await file.setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(body) });
      await expect(page.getByTestId('notice-error').filter({ hasText: says })).toBeVisible(generous);
      expect(await session(page)).toEqual(later);
      await expect(page.locator('[data-testid^="node-"][data-state]')).toHaveCount(3);
    }
    await expect(page.getByTestId('notice-info').filter({ hasText: 'imported' })).toHaveCount(0);

    // File ▸ Import run… opens the (hidden) file chooser.
    await page.getByTestId('file-menu').click();
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('import-run').click()]);
    expect(chooser.isMultiple()).toBe(false);

    // The exported file: the run is replaced by the replayed export.
    await chooser.setFiles({ name: 'run.json', mimeType: 'application/json', buffer: Buffer.from(text) });
    await expect(page.getByTestId('notice-info').filter({ hasText: 'imported' })).toBeVisible(generous);
    const imported = await session(page);
    expect(imported.step).toBe(exported.step);
    expect(imported.hash).toBe(exported.hash);
    expect(imported.nodes).toEqual(exported.nodes);
    await expect(page.locator('[data-testid^="node-"][data-state]')).toHaveCount(3);
  });

  test('the top bar names the mode toggle apart from Play', async ({ page }) => {
    await open(page, 'runtime=inprocess&nodes=3&seed=1');
    const modes = page.getByRole('radiogroup', { name: 'Mode' });
    await expect(modes.getByRole('radio')).toHaveText(['Run', 'Step', 'Manual']);
    await expect(page.getByTestId('mode-play')).toHaveAttribute('aria-checked', 'true');
    await expect(page.getByTestId('mode-play')).toHaveAttribute('title', /Run mode/);
    await expect(page.getByTestId('play')).toHaveText(/Play/);
    await page.getByTestId('mode-manual').click();
    await expect(page.getByTestId('mode-manual')).toHaveAttribute('aria-checked', 'true');
    await page.getByTestId('mode-play').click();
    await expect(page.getByTestId('mode-play')).toHaveAttribute('aria-checked', 'true');
    await page
      .getByRole('toolbar', { name: 'Simulation controls' })
      .screenshot({ path: 'test-results/screenshots/topbar.png' });
  });
});

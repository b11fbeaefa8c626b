import { expect, test } from '@playwright/test';
import { open, watch } from './support';

// Seeking with Web Workers: the app takes world checkpoints as the run is recorded
// (every node's host image fetched from its worker), a seek back restores the latest
// one before the target and replays the few actions after it on the main thread, giving
// the trace hash the run had at that step; the nodes then go back into the pooled
// workers (toLiveRuntime, or by themselves once the user stops seeking), so seeking
// starts no new workers.

interface SeekFacade {
  step(): Promise<unknown>;
  advance(ticks: number): Promise<unknown>;
  put(key: string, value: string): Promise<unknown>;
  crash(id: number): Promise<unknown>;
  restart(id: number): Promise<unknown>;
  seek(step: number): Promise<void>;
  toLiveRuntime(): Promise<void>;
  onReplayRuntime: boolean;
  traceHash(): string;
  lastSeek: { from: string; replayed: number } | undefined;
  recorder: { actions: unknown[]; checkpoints: { traceHash: string }[]; store: { size: number } };
}

test('seeking back restores checkpoints on the main thread, same hashes, then back into the same workers', async ({
  page,
}) => {
  const { errors } = watch(page);
  // Count every Web Worker the page starts.
  await page.addInitScript(() => {
    const Real = window.Worker;
    const w = window as unknown as { workersStarted: number };
    w.workersStarted = 0;
    window.Worker = class extends Real {
      constructor(url: string | URL, opts?: WorkerOptions) {
        super(url, opts);
        w.workersStarted++;
      }
    };
  });
  await open(page, 'nodes=5&seed=9');
  const recorded = await page.evaluate(async () => {
    const c = (window as unknown as { raftlab: SeekFacade }).raftlab;
    for (let i = 0; i < 150; i++) {
      if (i % 10 === 3) await c.put(`k${i % 4}`, `v${i}`).catch(() => undefined);
      else if (i === 60) await c.crash(2);
      else if (i === 100) await c.restart(2);
      else if (i % 2 === 0) await c.advance(1);
      else await c.step();
    }
    return {
      hashes: c.recorder.checkpoints.map((cp) => cp.traceHash),
      actions: c.recorder.actions.length,
      checkpoints: c.recorder.store.size,
      workers: (window as unknown as { workersStarted: number }).workersStarted,
    };
  });
  expect(recorded.actions).toBe(150);
  expect(recorded.checkpoints).toBeGreaterThan(3);
  expect(recorded.workers).toBeGreaterThanOrEqual(5);
  const targets = [140, 35, 95, 61, 130, 40, 101, 75];
  const seen = await page.evaluate(async (ts) => {
    const c = (window as unknown as { raftlab: SeekFacade }).raftlab;
    const out: { step: number; hash: string; from: string | undefined }[] = [];
    for (const s of ts) {
      await c.seek(s);
      out.push({ step: s, hash: c.traceHash(), from: c.lastSeek?.from });
    }
    return { out, workers: (window as unknown as { workersStarted: number }).workersStarted };
  }, targets);
  for (const s of seen.out) {
    expect(s.hash, `hash at step ${s.step}`).toBe(recorded.hashes[s.step - 1]);
    expect(s.from, `seek to ${s.step}`).toBe('checkpoint');
  }
  // The seeks replayed on the main thread; the workers the run had wait in the pool.
  const back = await page.evaluate(async () => {
    const c = (window as unknown as { raftlab: SeekFacade }).raftlab;
    const onMainAfterSeeks = c.onReplayRuntime;
    const hash = c.traceHash();
    await c.toLiveRuntime();
    return { onMainAfterSeeks, onMain: c.onReplayRuntime, same: c.traceHash() === hash };
  });
  expect(back).toEqual({ onMainAfterSeeks: true, onMain: false, same: true });
  // The app moves them back by itself once no seek came for a moment, and acting works on.
  await page.evaluate(async () => {
    const ui = (window as unknown as { raftlabUi: { seek(step: number): Promise<void> } }).raftlabUi;
    await ui.seek(120);
  });
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { raftlab: SeekFacade }).raftlab.onReplayRuntime))
    .toBe(false);
  await page.evaluate(async () => {
    await (window as unknown as { raftlab: SeekFacade }).raftlab.step();
  });
  const workers = await page.evaluate(() => (window as unknown as { workersStarted: number }).workersStarted);
  // Nine restores of five nodes, each moved back into a pooled worker: no new worker at all.
  expect(workers - recorded.workers).toBe(0);
  expect(seen.workers - recorded.workers).toBe(0);
  expect(errors).toEqual([]);
});

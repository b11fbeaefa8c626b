import { expect, test } from '@playwright/test';
import { open, watch } from './support';

// Seeking with Web Workers: the app takes world checkpoints as the run is recorded,
// a seek back restores the latest one before the target (every node's host image
// sent to a worker) and replays the few actions after it, giving the trace hash the
// run had at that step; the workers are pooled, so seeking starts no new ones.

interface SeekFacade {
  step(): Promise<unknown>;
  advance(ticks: number): Promise<unknown>;
  put(key: string, value: string): Promise<unknown>;
  crash(id: number): Promise<unknown>;
  restart(id: number): Promise<unknown>;
  seek(step: number): Promise<void>;
  traceHash(): string;
  lastSeek: { from: string; replayed: number } | undefined;
  recorder: { actions: unknown[]; checkpoints: { traceHash: string }[]; store: { size: number } };
}

test('seeking back restores checkpoints in the workers, same hashes, no new workers', async ({ page }) => {
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
  // Eight restores of five nodes: at most one new worker per node (restore before dispose).
  expect(seen.workers - recorded.workers).toBeLessThanOrEqual(5);
  expect(errors).toEqual([]);
});

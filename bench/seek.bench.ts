// Seeking in a long run: how long Cluster.seek takes to rebuild the state after a
// random step of a recorded 9-node run of 100,000 actions with crashes, restarts,
// partitions, heals and client load (bench/seekWorkload.ts), and how much memory the
// checkpoints that make it fast take.
//
// 1. In-process (Node): record the run, then seek to 200 random steps (seeded), timing
//    each seek; every seek's trace hash is checked against the one recorded for that step.
// 2. In Chromium, with the built app: the run is exported and imported through
//    `window.raftlab.importRun` (the app replays it, taking its checkpoints as it goes:
//    that is the recording), then the same 200 seeks are timed with performance.now()
//    in the page, hashes checked likewise. The app's nodes live in Web Workers, and a
//    seek replays on the main thread (ClusterConfig.replayRuntime): after each seek the
//    bench also times the next painted frame and the move of the nodes back to their
//    workers (Cluster.toLiveRuntime, which the app does once the user stops seeking),
//    so each seek starts with the nodes in their workers.
//
// Prints p50/p95/max seek times for both, the checkpoints' memory (serialized bytes,
// see checkpoint.ts), and ends with one JSON line with every figure.
//
// npm run bench:seek [-- --actions N] [--seeks M] [--seed S] [--no-build] [--no-browser]
//                    [--details FILE]   (one JSON line per seek: step, times, checkpoint, replay;
//                                        GC pauses in-process; rows with where: 'browser' after)
//
// Aims (issue #13): p95 <= 100 ms in both, checkpoints <= 200 MB for 100,000 actions.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { chromium, type Browser } from '@playwright/test';
import { Cluster, type ClusterConfig, type SeekStats } from '../src/cluster/cluster';
import type { CheckpointMemory } from '../src/cluster/checkpoint';
import { createRandom } from '../src/cluster/random';
import { inProcessRuntime } from '../src/cluster/runtime/inProcess';
import { runSeekWorkload } from './seekWorkload';
import { answers, arg, chromiumArgs, quantile, waitForServer } from './benchSupport';

const port = Number(process.env.RAFTLAB_BENCH_PORT ?? 4193);
const baseURL = `http://127.0.0.1:${port}`;
const vite = './node_modules/.bin/vite';
const opts = {
  actions: Number(arg('actions') ?? 100_000),
  seeks: Number(arg('seeks') ?? 200),
  seed: Number(arg('seed') ?? 13),
  build: !process.argv.includes('--no-build'),
  browser: !process.argv.includes('--no-browser'),
  details: arg('details'),
};

interface SeekFigures {
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  meanMs: number;
  /** Seeks whose trace hash differed from the recorded one (must be 0). */
  mismatches: number;
  /** Where the time went, on average: restoring the checkpoint, replaying (how many actions), the rest (observation, UI). */
  restoreMs: number;
  replayMs: number;
  replayed: number;
  restMs: number;
  /** Wall time to record (in-process) or import (browser) the run, seconds. */
  recordSeconds: number;
  /**
   * In-process only: CPU time of the seeks (process.cpuUsage, user + system), which a
   * machine shared with other work does not inflate as it does the wall-clock figures.
   */
  cpuP50Ms?: number;
  cpuP95Ms?: number;
  memory: CheckpointMemory;
}

function r1(x: number): number {
  return Math.round(x * 10) / 10;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

function figures(
  times: number[],
  stats: (SeekStats | undefined)[],
  mismatches: number,
  recordSeconds: number,
  memory: CheckpointMemory,
): SeekFigures {
  const s = [...times].sort((a, b) => a - b);
  const st = stats.filter((x): x is SeekStats => x !== undefined);
  const restore = mean(st.map((x) => x.baseMs));
  const replay = mean(st.map((x) => x.replayMs));
  return {
    p50Ms: r1(quantile(s, 0.5)),
    p95Ms: r1(quantile(s, 0.95)),
    maxMs: r1(s[s.length - 1] ?? NaN),
    meanMs: r1(mean(times)),
    mismatches,
    restoreMs: r1(restore),
    replayMs: r1(replay),
    replayed: r1(mean(st.map((x) => x.replayed))),
    restMs: r1(mean(times) - restore - replay),
    recordSeconds: r1(recordSeconds),
    memory,
  };
}

const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(1)} MB`;

async function inProcess(
  targets: number[],
): Promise<{ fig: SeekFigures; run: string; hashes: string[]; events: number }> {
  const config: ClusterConfig = { nodes: 9, seed: opts.seed, runtime: inProcessRuntime };
  const c = await Cluster.create(config);
  const t0 = performance.now();
  await runSeekWorkload(c, opts.actions, opts.seed, (n) =>
    process.stdout.write(`  recorded ${n} actions (${r1((performance.now() - t0) / 1000)} s)\n`),
  );
  const recordSeconds = (performance.now() - t0) / 1000;
  const hashes = c.recorder.checkpoints.map((cp) => cp.traceHash);
  const events = c.eventCount;
  const run = c.exportRunJson();
  const times: number[] = [];
  const cpu: number[] = [];
  const stats: (SeekStats | undefined)[] = [];
  let mismatches = 0;
  // Garbage collection pauses during each seek, by kind (for --details).
  let gc: Record<string, number> = {};
  const kinds: Record<number, string> = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weak' };
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const k = kinds[(e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? 0] ?? 'other';
      gc[k] = (gc[k] ?? 0) + e.duration;
    }
  });
  if (opts.details !== undefined) {
    writeFileSync(opts.details, '');
    obs.observe({ entryTypes: ['gc'] });
  }
  for (const s of targets) {
    gc = {};
    const t = performance.now();
    const u = process.cpuUsage();
    await c.seek(s);
    const used = process.cpuUsage(u);
    const ms = performance.now() - t;
    times.push(ms);
    cpu.push((used.user + used.system) / 1000);
    stats.push(c.lastSeek);
    const ok = s === 0 || c.traceHash() === hashes[s - 1];
    if (!ok) mismatches++;
    if (opts.details !== undefined) {
      // GC entries arrive asynchronously: let the observer catch up first.
      await new Promise((r) => setImmediate(r));
      const row = { step: s, ms: r1(ms), cpuMs: r1((used.user + used.system) / 1000), ...c.lastSeek, ok, gcMs: gc };
      appendFileSync(opts.details, JSON.stringify(row) + '\n');
    }
  }
  obs.disconnect();
  const memory = c.recorder.store.memory();
  await c.dispose();
  const fig = figures(times, stats, mismatches, recordSeconds, memory);
  const sortedCpu = [...cpu].sort((a, b) => a - b);
  fig.cpuP50Ms = r1(quantile(sortedCpu, 0.5));
  fig.cpuP95Ms = r1(quantile(sortedCpu, 0.95));
  return { fig, run, hashes, events };
}

interface PageCluster {
  importRun(run: string): Promise<void>;
  seek(step: number): Promise<void>;
  toLiveRuntime(): Promise<void>;
  onReplayRuntime: boolean;
  traceHash(): string;
  lastSeek: SeekStats | undefined;
  recorder: { store: { memory(): CheckpointMemory } };
}

/** Browser only: what follows a seek. */
interface AfterSeek {
  /** Seek plus the next frame (the page painted the new state), p50/p95 ms. */
  paintedP50Ms: number;
  paintedP95Ms: number;
  /** Moving the hosts back from the main thread to their workers (toLiveRuntime), p50/p95/max ms. */
  toWorkersP50Ms: number;
  toWorkersP95Ms: number;
  toWorkersMaxMs: number;
  /** Seeks that left the hosts on the main thread (replayed there). */
  replayedOnMainThread: number;
}

async function inBrowser(
  run: string,
  targets: number[],
  hashes: string[],
): Promise<{ fig: SeekFigures; after: AfterSeek }> {
  if (opts.build) {
    process.stdout.write('building (vite build)…\n');
    const b = spawnSync(vite, ['build'], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (b.status !== 0) throw new Error(`vite build failed (exit ${b.status})`);
  }
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  try {
    if (await answers(baseURL)) throw new Error(`port ${port} is already serving something; set RAFTLAB_BENCH_PORT`);
    const child = spawn(vite, ['preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    server = child;
    let exited = false;
    child.on('exit', () => {
      exited = true;
    });
    await waitForServer(baseURL, 30_000, () => exited);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: chromiumArgs,
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(0);
    await page.goto(`${baseURL}/?nodes=9&seed=${opts.seed}&autoplay=0`);
    await page.waitForFunction(() => (window as unknown as { raftlab?: unknown }).raftlab !== undefined);
    process.stdout.write('  importing the run into the app (Web Workers)…\n');
    const recordMs = await page.evaluate(async (text) => {
      const c = (window as unknown as { raftlab: PageCluster }).raftlab;
      const t = performance.now();
      await c.importRun(text);
      return performance.now() - t;
    }, run);
    const times: number[] = [];
    const painted: number[] = [];
    const toWorkers: number[] = [];
    const stats: (SeekStats | undefined)[] = [];
    let mismatches = 0;
    let onMain = 0;
    // Each seek is timed until cluster.seek resolves (the observation is in the store
    // and rendered), then until the next frame is painted, then the hosts are moved
    // back to their workers (what the app does once the user stops seeking), timed
    // apart: so every seek starts from a cluster whose nodes are in their workers.
    for (const s of targets) {
      const r = await page.evaluate(async (step) => {
        const c = (window as unknown as { raftlab: PageCluster }).raftlab;
        const t = performance.now();
        await c.seek(step);
        const ms = performance.now() - t;
        await new Promise((res) => requestAnimationFrame(() => setTimeout(res, 0)));
        const paintedMs = performance.now() - t;
        const hash = c.traceHash();
        const onMain = c.onReplayRuntime;
        const t2 = performance.now();
        await c.toLiveRuntime();
        return { ms, paintedMs, liveMs: performance.now() - t2, onMain, hash, stats: c.lastSeek };
      }, s);
      if (opts.details !== undefined) {
        const row = {
          where: 'browser',
          step: s,
          ms: r1(r.ms),
          paintedMs: r1(r.paintedMs),
          toWorkersMs: r1(r.liveMs),
          ...r.stats,
          ok: s === 0 || r.hash === hashes[s - 1],
        };
        appendFileSync(opts.details, JSON.stringify(row) + '\n');
      }
      times.push(r.ms);
      painted.push(r.paintedMs);
      toWorkers.push(r.liveMs);
      stats.push(r.stats);
      if (r.onMain) onMain++;
      if (s > 0 && r.hash !== hashes[s - 1]) mismatches++;
    }
    const memory = await page.evaluate(() =>
      (window as unknown as { raftlab: PageCluster }).raftlab.recorder.store.memory(),
    );
    const sp = [...painted].sort((a, b) => a - b);
    const sw = [...toWorkers].sort((a, b) => a - b);
    return {
      fig: figures(times, stats, mismatches, recordMs / 1000, memory),
      after: {
        paintedP50Ms: r1(quantile(sp, 0.5)),
        paintedP95Ms: r1(quantile(sp, 0.95)),
        toWorkersP50Ms: r1(quantile(sw, 0.5)),
        toWorkersP95Ms: r1(quantile(sw, 0.95)),
        toWorkersMaxMs: r1(sw[sw.length - 1] ?? NaN),
        replayedOnMainThread: onMain,
      },
    };
  } finally {
    await browser?.close().catch(() => undefined);
    if (server?.pid !== undefined && server.exitCode === null && server.signalCode === null)
      process.kill(server.pid, 'SIGTERM');
  }
}

function row(name: string, f: SeekFigures): string {
  return [
    name.padEnd(12),
    String(f.p50Ms).padStart(8),
    String(f.p95Ms).padStart(8),
    String(f.maxMs).padStart(8),
    `${f.restoreMs} + ${f.replayMs} (${f.replayed}) + ${f.restMs}`.padStart(30),
    String(f.mismatches).padStart(10),
    String(f.memory.checkpoints).padStart(11),
    mb(f.memory.bytes).padStart(12),
    `${f.recordSeconds} s`.padStart(10),
  ].join('  ');
}

async function main(): Promise<void> {
  const r = createRandom(opts.seed * 7919 + 1);
  const targets = Array.from({ length: opts.seeks }, () => r.nextInt(opts.actions + 1));
  process.stdout.write(`recording ${opts.actions} actions of a 9-node cluster in-process…\n`);
  const ip = await inProcess(targets);
  process.stdout.write(
    `seeking in-process: p50 ${ip.fig.p50Ms} ms, p95 ${ip.fig.p95Ms} ms (CPU time p50 ${ip.fig.cpuP50Ms} ms, p95 ${ip.fig.cpuP95Ms} ms)\n`,
  );
  const bw = opts.browser ? await inBrowser(ip.run, targets, ip.hashes) : undefined;
  const br = bw?.fig;
  const head = [
    '',
    'p50 ms',
    'p95 ms',
    'max ms',
    'mean: restore + replay (actions) + rest',
    'mismatches',
    'checkpoints',
    'memory',
    'record',
  ];
  process.stdout.write(
    `\nseek to ${opts.seeks} random steps of a ${opts.actions}-action run (${ip.events} trace events)\n` +
      [head[0]!.padEnd(12), ...head.slice(1).map((h, i) => h.padStart([8, 8, 8, 30, 10, 11, 12, 10][i]!))].join('  ') +
      '\n' +
      row('in-process', ip.fig) +
      '\n' +
      (br === undefined ? '' : row('browser', br) + '\n'),
  );
  if (bw !== undefined)
    process.stdout.write(
      `browser: seek until the next frame is painted p50 ${bw.after.paintedP50Ms} ms, p95 ${bw.after.paintedP95Ms} ms; ` +
        `${bw.after.replayedOnMainThread} of ${opts.seeks} seeks replayed on the main thread, and moving the nodes back ` +
        `to their workers took p50 ${bw.after.toWorkersP50Ms} ms, p95 ${bw.after.toWorkersP95Ms} ms, max ${bw.after.toWorkersMaxMs} ms\n`,
    );
  const m = ip.fig.memory;
  process.stdout.write(
    `in-process CPU time per seek: p50 ${ip.fig.cpuP50Ms} ms, p95 ${ip.fig.cpuP95Ms} ms (wall-clock figures above include waiting for a busy CPU)\n`,
  );
  process.stdout.write(
    `checkpoint memory (in-process): worlds ${mb(m.worlds)} (hosts ${mb(m.hosts)}), entries ${mb(m.entries)}, ` +
      `ops ${mb(m.ops)}, trace segments ${mb(m.segments)}; trace events kept by segments ${mb(m.traceEvents)} (not in the total)\n`,
  );
  const aims = {
    inProcessP95AtMost100Ms: ip.fig.p95Ms <= 100,
    inProcessCpuP95AtMost100Ms: (ip.fig.cpuP95Ms ?? Infinity) <= 100,
    browserP95AtMost100Ms: br === undefined ? null : br.p95Ms <= 100,
    checkpointsAtMost200MB: m.bytes <= 200 * 1024 * 1024,
  };
  process.stdout.write(
    JSON.stringify({
      bench: 'seek',
      actions: opts.actions,
      seeks: opts.seeks,
      seed: opts.seed,
      events: ip.events,
      checkpointBytes: m.bytes,
      inProcess: ip.fig,
      browser: br === undefined ? null : { ...br, ...bw!.after },
      aims,
    }) + '\n',
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});

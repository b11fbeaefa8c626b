// UI rendering while playing: frames per second, frame time p50/p95, long tasks and the
// share of time the page's main thread was busy, for 3, 5 and 9 nodes with a long log
// (10,000 committed entries by default) and about 200 messages in flight, then again
// with the CPU slowed 4x for 5 and 9 nodes; at 9 nodes also with the narration feed and
// the log matrix open (the matrix docked under the cluster view, the feed in the side
// area), between two measurements with them closed, in the same run. Builds the app, serves it with vite preview,
// drives Debian's Chromium through Playwright and Chrome DevTools Protocol metrics.
// Prints a table, then one JSON line with every figure.
//
// npm run bench:ui [-- --no-build] [--entries N] [--seconds S] [--inflight M] [--nodes 3,5,9]
//                  [--views-nodes 9]   (node counts measured with the narration and log matrix open; '' for none)
//                  [--views narration,logs]   (which of the two to open, to measure them apart)
//                  [--profile DIR] [--out-dir DIR --no-minify]   (CPU profiles, readable names)
//
// Not part of `npm test`: figures depend on the machine (headless Chromium here renders
// in software, without a GPU).

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type CDPSession, type Page } from '@playwright/test';
import { answers, arg, chromiumArgs, quantile, waitForServer } from './benchSupport';

// Not 4190: that is on the browsers' (and fetch's) list of blocked ports.
const port = Number(process.env.RAFTLAB_BENCH_PORT ?? 4191);
const baseURL = `http://127.0.0.1:${port}`;
const vite = './node_modules/.bin/vite';
const opts = {
  build: !process.argv.includes('--no-build'),
  entries: Number(arg('entries') ?? 10_000),
  seconds: Number(arg('seconds') ?? 5),
  inflight: Number(arg('inflight') ?? 200),
  nodes: (arg('nodes') ?? '3,5,9').split(',').map(Number),
  viewsNodes: (arg('views-nodes') ?? '9').split(',').filter(Boolean).map(Number),
  views: (arg('views') ?? 'narration,logs').split(','),
  /** Wall-clock budget for filling one cluster's log. */
  fillBudgetMs: Number(arg('fill-budget') ?? 60_000),
  /** Network latency (ticks) and jitter while measuring: messages stay in flight longer. */
  latency: Number(arg('latency') ?? 4),
  jitter: Number(arg('jitter') ?? 2),
  speed: Number(arg('speed') ?? 4),
  /** Write a CPU profile of each measurement (and of each fill) into this folder. */
  profile: arg('profile'),
  /** Build into (and serve from) this folder instead of dist/; --no-minify for readable profiles. */
  outDir: arg('out-dir'),
  minify: !process.argv.includes('--no-minify'),
};
const outDirArgs = opts.outDir === undefined ? [] : ['--outDir', opts.outDir];

interface Figures {
  fps: number;
  frameP50: number;
  frameP95: number;
  frameMax: number;
  longTasks: number;
  longTaskMs: number;
  /** TaskDuration / wall time: share of time the main thread ran tasks. */
  busy: number;
  /** ScriptDuration / wall time. */
  script: number;
  /** (LayoutDuration + RecalcStyleDuration) / wall time. */
  layoutStyle: number;
  inFlightAvg: number;
  inFlightMax: number;
  msgGlyphs: number;
  domNodes: number;
  observations: number;
  /** JS heap in use at the end of the measurement (MB, garbage included). */
  heapMB: number;
}

interface Row extends Figures {
  nodes: number;
  cpu: 1 | 4;
  /** closed: the default panels; open: the narration feed and the docked log matrix shown. */
  views: 'closed' | 'open';
  committed: number;
  fillSeconds: number;
  seconds: number;
}

// ---- the page side (serialized into the page; no imports) ----

/** Installed before the app loads: rAF timestamps and long tasks, recorded while `recording`. */
function pageInit(): void {
  const b = {
    recording: false,
    frames: [] as number[],
    longTasks: [] as number[],
    inFlight: [] as number[],
    observations: 0,
  };
  (window as unknown as { __bench: typeof b }).__bench = b;
  const loop = (ts: number) => {
    if (b.recording) b.frames.push(ts);
    requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
  try {
    new PerformanceObserver((list) => {
      if (!b.recording) return;
      for (const e of list.getEntries()) b.longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: false });
  } catch {
    // no long-task support: counts stay 0
  }
}

interface PageCluster {
  put(key: string, value: string): Promise<unknown>;
  advance(ticks: number): Promise<void>;
  leader(): number;
  inFlight(): unknown[];
  observeNode(id: number): Promise<{ commit: number } | undefined>;
  setGlobalFaults(f: { latency?: number; jitter?: number }): Promise<void>;
  subscribe(l: (o: unknown) => void): () => void;
}
interface PageUi {
  advance(ticks: number): Promise<void>;
  play(): void;
  pause(): void;
  setSpeed(s: number): void;
  idle(): Promise<void>;
}
type BenchWindow = Window & {
  raftlab?: PageCluster;
  raftlabUi?: PageUi;
  __bench: { recording: boolean; frames: number[]; longTasks: number[]; inFlight: number[]; observations: number };
  __load?: { stop(): void };
};

async function committed(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const r = (window as unknown as BenchWindow).raftlab!;
    const l = r.leader();
    if (l === 0) return 0;
    return (await r.observeNode(l))?.commit ?? 0;
  });
}

/**
 * Drives the cluster to `target` committed entries: bursts of puts (one client op each)
 * at the leader, then one tick, until the leader's commit index reaches the target or
 * the budget runs out. Returns the commit index reached.
 */
async function fill(page: Page, target: number, budgetMs: number): Promise<number> {
  return page.evaluate(
    async ([target, budgetMs]) => {
      const w = window as unknown as BenchWindow;
      const r = w.raftlab!;
      const t0 = performance.now();
      let n = 0;
      let commit = 0;
      while (performance.now() - t0 < budgetMs!) {
        if (r.leader() === 0) {
          await r.advance(5);
          continue;
        }
        const l = r.leader();
        commit = (await r.observeNode(l))?.commit ?? 0;
        if (commit >= target!) break;
        const burst = Math.min(400, target! - commit + 4);
        const ps: Promise<unknown>[] = [];
        for (let i = 0; i < burst; i++) ps.push(r.put(`k${n % 8}`, `v${n++}`).catch(() => undefined));
        await Promise.all(ps);
        await r.advance(2);
      }
      // Bring the display clock up to the cluster's (the controller's advance does).
      await w.raftlabUi!.advance(1);
      return commit;
    },
    [target, budgetMs],
  );
}

/** A steady put load that keeps about `target` messages in flight; sampled every 100 ms. */
async function startLoad(page: Page, target: number): Promise<void> {
  await page.evaluate((target) => {
    const w = window as unknown as BenchWindow;
    const r = w.raftlab!;
    let busy = false;
    let n = 0;
    const timer = setInterval(() => {
      const k = r.inFlight().length;
      if (w.__bench.recording) w.__bench.inFlight.push(k);
      if (busy || k >= target) return;
      busy = true;
      const ps: Promise<unknown>[] = [];
      const count = Math.min(8, Math.ceil((target - k) / 20));
      for (let i = 0; i < count; i++) ps.push(r.put(`load${n % 8}`, `x${n++}`).catch(() => undefined));
      void Promise.all(ps).finally(() => {
        busy = false;
      });
    }, 100);
    w.__load = { stop: () => clearInterval(timer) };
  }, target);
}

/** Opens (or closes) the narration feed in the side area and the log matrix docked under the cluster view. */
async function setViews(page: Page, open: boolean): Promise<void> {
  const logs = opts.views.includes('logs');
  const narration = opts.views.includes('narration');
  await page.getByTestId('tab-logs').click();
  const dock = page.getByTestId('logs-dock');
  if ((await dock.getAttribute('aria-pressed')) !== String(open && logs)) await dock.click();
  await page.getByTestId(open && narration ? 'tab-narration' : 'tab-node').click();
  if (open && logs) await page.getByTestId('log-matrix').waitFor();
  if (open && narration) await page.getByTestId('narration-line').first().waitFor();
}

async function startProfile(cdp: CDPSession): Promise<void> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
}

/** Stops the profiler, writes <name>.cpuprofile and prints the top functions by self time. */
async function stopProfile(cdp: CDPSession, name: string): Promise<void> {
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
  mkdirSync(opts.profile!, { recursive: true });
  writeFileSync(join(opts.profile!, `${name}.cpuprofile`), JSON.stringify(profile));
  const self = new Map<string, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const dt = new Map<number, number>();
  profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  let total = 0;
  for (const [id, us] of dt) {
    const n = byId.get(id)!;
    const f = n.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + us);
    total += us;
  }
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, 15);
  process.stdout.write(`  profile ${name} (${Math.round(total / 1000)} ms sampled):\n`);
  for (const [k, us] of top) process.stdout.write(`    ${String(Math.round(us / 1000)).padStart(6)} ms  ${k}\n`);
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
  const r = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
  return Object.fromEntries(r.metrics.map((m) => [m.name, m.value]));
}

const r1 = (x: number) => Math.round(x * 10) / 10;
const r3 = (x: number) => Math.round(x * 1000) / 1000;

async function measure(page: Page, cdp: CDPSession, seconds: number): Promise<Figures> {
  await page.evaluate(() => {
    const b = (window as unknown as BenchWindow).__bench;
    b.frames = [];
    b.longTasks = [];
    b.inFlight = [];
    b.observations = 0;
    b.recording = true;
  });
  const m0 = await metrics(cdp);
  await page.waitForTimeout(seconds * 1000);
  const m1 = await metrics(cdp);
  const b = await page.evaluate(() => {
    const w = window as unknown as BenchWindow;
    const b = w.__bench;
    b.recording = false;
    return {
      frames: b.frames,
      longTasks: b.longTasks,
      inFlight: b.inFlight,
      observations: b.observations,
      msgGlyphs: document.querySelectorAll('[data-testid^="msg-"]').length,
      domNodes: document.getElementsByTagName('*').length,
    };
  });
  const wall = m1.Timestamp! - m0.Timestamp!;
  const d = (k: string) => (m1[k] ?? 0) - (m0[k] ?? 0);
  const deltas: number[] = [];
  for (let i = 1; i < b.frames.length; i++) deltas.push(b.frames[i]! - b.frames[i - 1]!);
  deltas.sort((x, y) => x - y);
  const span = b.frames.length > 1 ? (b.frames[b.frames.length - 1]! - b.frames[0]!) / 1000 : wall;
  return {
    fps: r1(deltas.length / span),
    frameP50: r1(quantile(deltas, 0.5)),
    frameP95: r1(quantile(deltas, 0.95)),
    frameMax: r1(deltas[deltas.length - 1] ?? NaN),
    longTasks: b.longTasks.length,
    longTaskMs: Math.round(b.longTasks.reduce((a, x) => a + x, 0)),
    busy: r3(d('TaskDuration') / wall),
    script: r3(d('ScriptDuration') / wall),
    layoutStyle: r3((d('LayoutDuration') + d('RecalcStyleDuration')) / wall),
    inFlightAvg: Math.round(b.inFlight.reduce((a, x) => a + x, 0) / Math.max(1, b.inFlight.length)),
    inFlightMax: Math.max(0, ...b.inFlight),
    msgGlyphs: b.msgGlyphs,
    domNodes: b.domNodes,
    observations: b.observations,
    heapMB: Math.round((m1.JSHeapUsedSize ?? 0) / 1e6),
  };
}

async function runCase(browser: Browser, nodes: number): Promise<Row[]> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // tsx compiles this file with esbuild's keepNames, which wraps named functions in a
  // `__name(...)` helper; functions serialized into the page need it too.
  await page.addInitScript({ content: 'window.__name = (f) => f;' });
  await page.addInitScript(pageInit);
  await page.goto(`${baseURL}/?autoplay=0&nodes=${nodes}&seed=1`);
  await page.waitForFunction(() => (window as unknown as BenchWindow).raftlab !== undefined, null, { timeout: 30_000 });
  await page.evaluate(() => {
    const w = window as unknown as BenchWindow;
    w.raftlab!.subscribe(() => {
      w.__bench.observations++;
    });
  });
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });

  const t0 = performance.now();
  if (opts.profile !== undefined) await startProfile(cdp);
  const reached = await fill(page, opts.entries, opts.fillBudgetMs);
  if (opts.profile !== undefined) await stopProfile(cdp, `fill-${nodes}`);
  const fillSeconds = r1((performance.now() - t0) / 1000);
  process.stdout.write(`  ${nodes} nodes: ${reached} entries committed in ${fillSeconds} s\n`);

  await page.evaluate(
    async ([latency, jitter, speed]) => {
      const w = window as unknown as BenchWindow;
      await w.raftlab!.setGlobalFaults({ latency, jitter });
      w.raftlabUi!.setSpeed(speed!);
      w.raftlabUi!.play();
    },
    [opts.latency, opts.jitter, opts.speed],
  );
  await startLoad(page, opts.inflight);
  await page.waitForTimeout(2500); // let the load and the in-flight count build up

  const rows: Row[] = [];
  const run = async (cpu: 1 | 4, views: Row['views'], name: string) => {
    if (opts.profile !== undefined) await startProfile(cdp);
    const f = await measure(page, cdp, opts.seconds);
    if (opts.profile !== undefined) await stopProfile(cdp, name);
    rows.push({ nodes, cpu, views, committed: await committed(page), fillSeconds, seconds: opts.seconds, ...f });
  };
  const speeds: (1 | 4)[] = nodes >= 5 ? [1, 4] : [1];
  for (const cpu of speeds) {
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpu });
    if (cpu !== 1) await page.waitForTimeout(1000);
    await run(cpu, 'closed', `play-${nodes}-cpu${cpu}`);
    if (cpu === 1 && opts.viewsNodes.includes(nodes)) {
      // The same run with the narration feed and the log matrix open, then closed again.
      await setViews(page, true);
      await page.waitForTimeout(1000);
      await run(1, 'open', `play-${nodes}-views`);
      await setViews(page, false);
      await page.waitForTimeout(1000);
      await run(1, 'closed', `play-${nodes}-cpu1-again`);
    }
  }
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  await page.evaluate(() => {
    const w = window as unknown as BenchWindow;
    w.__load?.stop();
    w.raftlabUi?.pause();
  });
  if (errors.length > 0) process.stdout.write(`  page errors: ${errors.slice(0, 3).join(' | ')}\n`);
  await ctx.close();
  return rows;
}

function table(rows: Row[]): string {
  const head = [
    'nodes',
    'cpu',
    'views',
    'log',
    'fps',
    'p50 ms',
    'p95 ms',
    'max ms',
    'long tasks',
    'long ms',
    'busy',
    'script',
    'layout+style',
    'in flight avg/max',
    'msg glyphs',
    'obs/s',
    'heap MB',
  ];
  const lines = rows.map((r) => [
    String(r.nodes),
    `${r.cpu}x`,
    r.views,
    String(r.committed),
    String(r.fps),
    String(r.frameP50),
    String(r.frameP95),
    String(r.frameMax),
    String(r.longTasks),
    String(r.longTaskMs),
    `${Math.round(r.busy * 100)}%`,
    `${Math.round(r.script * 100)}%`,
    `${Math.round(r.layoutStyle * 100)}%`,
    `${r.inFlightAvg}/${r.inFlightMax}`,
    String(r.msgGlyphs),
    String(r1(r.observations / r.seconds)),
    String(r.heapMB),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  return [fmt(head), fmt(widths.map((w) => '-'.repeat(w))), ...lines.map(fmt)].join('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  if (opts.build) {
    process.stdout.write('building (vite build)…\n');
    const b = spawnSync(vite, ['build', ...outDirArgs, ...(opts.minify ? [] : ['--minify', 'false'])], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (b.status !== 0) throw new Error(`vite build failed (exit ${b.status})`);
  }
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  const errors: string[] = [];
  const rows: Row[] = [];
  try {
    if (await answers(baseURL)) throw new Error(`port ${port} is already serving something; set RAFTLAB_BENCH_PORT`);
    const child = spawn(
      vite,
      ['preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', ...outDirArgs],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
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
    for (const n of opts.nodes) {
      process.stdout.write(`measuring ${n} nodes…\n`);
      try {
        rows.push(...(await runCase(browser, n)));
      } catch (e) {
        errors.push(`${n} nodes: ${(e as Error).message}`);
        process.stdout.write(`  failed: ${(e as Error).message}\n`);
      }
    }
  } finally {
    await browser?.close().catch(() => undefined);
    if (server?.pid !== undefined && server.exitCode === null && server.signalCode === null)
      process.kill(server.pid, 'SIGTERM');
  }
  process.stdout.write('\n' + table(rows) + '\n\n');
  const nine = rows.find((r) => r.nodes === 9 && r.cpu === 1);
  const nineSlow = rows.find((r) => r.nodes === 9 && r.cpu === 4);
  const nineOpen = rows.find((r) => r.nodes === 9 && r.views === 'open');
  const aims = {
    p95AtMost17msWith9Nodes: nine === undefined ? null : nine.frameP95 <= 17,
    busyAtMostHalfWith9Nodes: nine === undefined ? null : nine.busy <= 0.5,
    atLeast30FpsSlowed4xWith9Nodes: nineSlow === undefined ? null : nineSlow.fps >= 30,
    p95AtMost17msWith9NodesViewsOpen: nineOpen === undefined ? null : nineOpen.frameP95 <= 17,
    busyAtMostHalfWith9NodesViewsOpen: nineOpen === undefined ? null : nineOpen.busy <= 0.5,
  };
  process.stdout.write(
    JSON.stringify({
      bench: 'ui',
      entriesTarget: opts.entries,
      latency: opts.latency,
      jitter: opts.jitter,
      speed: opts.speed,
      inFlightTarget: opts.inflight,
      gpu: false,
      results: rows,
      aims,
      errors,
      totalSeconds: r1((performance.now() - started) / 1000),
    }) + '\n',
  );
  if (rows.length === 0) process.exitCode = 1;
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:ui failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});

// Cluster throughput: events/s and raft messages delivered/s for 3 and 5 nodes under a
// steady client load, in-process and with one Node worker_thread per node, measured in
// the same run. Ends with one JSON line.
//
// Two regimes per run, on one fresh cluster:
// - cold: the first `--cold` events from boot, timed. Every worker is a new isolate that
//   compiles the raft code from scratch, and sees only its own node's share of the work,
//   so its JIT takes several times longer to settle than the main isolate's (which also
//   stays warm from run to run);
// - steady: the cluster then runs untimed up to `--warmup` events in all, and the next
//   `--events` are timed. Under --trace-opt the main isolate's optimizations taper off by
//   100,000 events (none after ~200,000), and worker rates stop climbing by 150,000–200,000;
//   the default warm-up is past both.
// Runtimes alternate, `--repeat` times each; figures are medians and each ratio is the
// ratio of the medians. Every run of both runtimes must end with the same trace hash.
//
// npm run bench:cluster [-- --events E] [--warmup W] [--cold C] [--repeat R]

import { Cluster } from '../src/cluster/cluster';
import { headlessConfig, runLoad } from '../src/cluster/cli/load';
import type { RuntimeFactory } from '../src/cluster/protocol';
import { inProcessRuntime } from '../src/cluster/runtime/inProcess';
// '.js' because tsx would take a bare '.node' suffix for a native addon.
import { nodeWorkerPool, nodeWorkerRuntime } from '../src/cluster/runtime/workerRuntime.node.js';

type RuntimeName = 'in-process' | 'workers';

type Regime = 'steady' | 'cold';

interface Timing {
  events: number;
  delivered: number;
  seconds: number;
}

interface Sample {
  steady: Timing;
  cold: Timing;
  traceHash: string;
}

interface Row {
  nodes: number;
  runtime: RuntimeName;
  regime: Regime;
  /** Events and deliveries in the timed part of one run. */
  events: number;
  delivered: number;
  /** Median over the repeats. */
  seconds: number;
  eventsPerSec: number;
  deliveredPerSec: number;
  /** Every repeat's events/s, in order. */
  samples: number[];
  traceHash: string;
}

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Runs the load until the cluster has seen `until` events in all; times that stretch. */
async function timed(cluster: Cluster, seed: number, until: number): Promise<Timing> {
  const e0 = cluster.eventCount;
  const d0 = cluster.counters.delivered;
  const t0 = performance.now();
  await runLoad(cluster, seed, { events: until });
  return {
    events: cluster.eventCount - e0,
    delivered: cluster.counters.delivered - d0,
    seconds: (performance.now() - t0) / 1000,
  };
}

async function measure(
  nodes: number,
  factory: RuntimeFactory,
  cold: number,
  warmup: number,
  events: number,
): Promise<Sample> {
  const seed = 7;
  const cluster = await Cluster.create(headlessConfig(nodes, seed, factory));
  try {
    const coldTiming = await timed(cluster, seed, cold);
    await runLoad(cluster, seed, { events: Math.max(cold, warmup) });
    const steady = await timed(cluster, seed, Math.max(cold, warmup) + events);
    return { steady, cold: coldTiming, traceHash: cluster.traceHash() };
  } finally {
    await cluster.dispose();
    // Worker threads are pooled for reuse: end them, so that the next run starts cold again.
    await nodeWorkerPool.drain();
  }
}

function row(nodes: number, runtime: RuntimeName, regime: Regime, samples: Sample[]): Row {
  const s0 = samples[0]![regime];
  const seconds = median(samples.map((s) => s[regime].seconds));
  return {
    nodes,
    runtime,
    regime,
    events: s0.events,
    delivered: s0.delivered,
    seconds: Number(seconds.toFixed(3)),
    eventsPerSec: Math.round(s0.events / seconds),
    deliveredPerSec: Math.round(s0.delivered / seconds),
    samples: samples.map((s) => Math.round(s[regime].events / s[regime].seconds)),
    traceHash: samples[0]!.traceHash,
  };
}

async function main(): Promise<void> {
  const events = arg('events', 100_000);
  const warmup = arg('warmup', 200_000);
  const cold = arg('cold', 60_000);
  const repeat = arg('repeat', 3);
  await measure(3, inProcessRuntime, 2000, 2000, 5000); // warm the main isolate's JIT, not reported
  const rows: Row[] = [];
  /** Per node count: the steady-state ratio (the figure the aim is about) and the cold one. */
  const ratios: Record<string, number | null> = {};
  const coldRatios: Record<string, number | null> = {};
  const errors: string[] = [];
  const line = (r: Row) =>
    process.stdout.write(
      `${r.nodes} nodes ${r.regime.padEnd(6)} ${r.runtime.padEnd(10)} ${String(r.eventsPerSec).padStart(8)} events/s ${String(r.deliveredPerSec).padStart(8)} msgs delivered/s  (median of ${r.samples.join(', ')}; ${r.events} events)\n`,
    );
  for (const nodes of [3, 5]) {
    const runs: Record<RuntimeName, Sample[]> = { 'in-process': [], workers: [] };
    try {
      for (let i = 0; i < repeat; i++) {
        runs['in-process'].push(await measure(nodes, inProcessRuntime, cold, warmup, events));
        runs.workers.push(await measure(nodes, nodeWorkerRuntime, cold, warmup, events));
      }
    } catch (e) {
      errors.push(`${nodes} nodes: ${(e as Error).message}`);
      process.stdout.write(`${nodes} nodes failed: ${(e as Error).message}\n`);
      ratios[`nodes${nodes}`] = null;
      coldRatios[`nodes${nodes}`] = null;
      continue;
    }
    const hashes = new Set([...runs['in-process'], ...runs.workers].map((s) => s.traceHash));
    if (hashes.size !== 1) errors.push(`${nodes} nodes: trace hashes differ: ${[...hashes].join(', ')}`);
    for (const regime of ['steady', 'cold'] as const) {
      const a = row(nodes, 'in-process', regime, runs['in-process']);
      const b = row(nodes, 'workers', regime, runs.workers);
      rows.push(a, b);
      line(a);
      line(b);
      (regime === 'steady' ? ratios : coldRatios)[`nodes${nodes}`] = Number(
        (b.eventsPerSec / a.eventsPerSec).toFixed(3),
      );
    }
    process.stdout.write(
      `${nodes} nodes workers/in-process ratio ${ratios[`nodes${nodes}`]} steady, ${coldRatios[`nodes${nodes}`]} cold; ${hashes.size === 1 ? `same trace hash ${[...hashes][0]} in every run` : 'TRACE MISMATCH'}\n`,
    );
  }
  process.stdout.write(
    JSON.stringify({
      bench: 'cluster',
      events,
      warmup,
      cold,
      repeat,
      results: rows,
      ratioWorkersToInProcess: ratios,
      coldRatioWorkersToInProcess: coldRatios,
      errors,
    }) + '\n',
  );
  if (errors.length > 0) process.exitCode = 1;
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});

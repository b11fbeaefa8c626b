// Cluster throughput: events/s and raft messages delivered/s for 3 and 5 nodes under a
// steady client load, in-process and with one Node worker_thread per node, measured in
// the same run. Ends with one JSON line.
//
// Each measurement first runs the cluster for `--warmup` events untimed (the JIT warms
// up in every worker's isolate as in the main one), then times the next `--events`
// events. Runtimes alternate, `--repeat` times each; the figures are the medians, and the
// ratio is the ratio of the medians. Both runtimes must give the same trace hash.
//
// npm run bench:cluster [-- --events E] [--warmup W] [--repeat R]

import { Cluster } from '../src/cluster/cluster';
import { headlessConfig, runLoad } from '../src/cluster/cli/load';
import type { RuntimeFactory } from '../src/cluster/protocol';
import { inProcessRuntime } from '../src/cluster/runtime/inProcess';
// '.js' because tsx would take a bare '.node' suffix for a native addon.
import { nodeWorkerRuntime } from '../src/cluster/runtime/workerRuntime.node.js';

type RuntimeName = 'in-process' | 'workers';

interface Sample {
  events: number;
  delivered: number;
  seconds: number;
  traceHash: string;
}

interface Row {
  nodes: number;
  runtime: RuntimeName;
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

async function measure(nodes: number, factory: RuntimeFactory, warmup: number, events: number): Promise<Sample> {
  const seed = 7;
  const cluster = await Cluster.create(headlessConfig(nodes, seed, factory));
  try {
    await runLoad(cluster, seed, { events: warmup });
    const e0 = cluster.eventCount;
    const d0 = cluster.counters.delivered;
    const t0 = performance.now();
    await runLoad(cluster, seed, { events: warmup + events });
    const seconds = (performance.now() - t0) / 1000;
    return {
      events: cluster.eventCount - e0,
      delivered: cluster.counters.delivered - d0,
      seconds,
      traceHash: cluster.traceHash(),
    };
  } finally {
    await cluster.dispose();
  }
}

function row(nodes: number, runtime: RuntimeName, samples: Sample[]): Row {
  const s0 = samples[0]!;
  const seconds = median(samples.map((s) => s.seconds));
  return {
    nodes,
    runtime,
    events: s0.events,
    delivered: s0.delivered,
    seconds: Number(seconds.toFixed(3)),
    eventsPerSec: Math.round(s0.events / seconds),
    deliveredPerSec: Math.round(s0.delivered / seconds),
    samples: samples.map((s) => Math.round(s.events / s.seconds)),
    traceHash: s0.traceHash,
  };
}

async function main(): Promise<void> {
  const events = arg('events', 60_000);
  const warmup = arg('warmup', 10_000);
  const repeat = arg('repeat', 3);
  await measure(3, inProcessRuntime, 2000, 5000); // warm the main isolate's JIT, not reported
  const rows: Row[] = [];
  const ratios: Record<string, number | null> = {};
  const errors: string[] = [];
  const line = (r: Row) =>
    process.stdout.write(
      `${r.nodes} nodes ${r.runtime.padEnd(10)} ${String(r.eventsPerSec).padStart(8)} events/s ${String(r.deliveredPerSec).padStart(8)} msgs delivered/s  (median of ${r.samples.join(', ')}; ${r.events} events, hash ${r.traceHash})\n`,
    );
  for (const nodes of [3, 5]) {
    const runs: Record<RuntimeName, Sample[]> = { 'in-process': [], workers: [] };
    try {
      for (let i = 0; i < repeat; i++) {
        runs['in-process'].push(await measure(nodes, inProcessRuntime, warmup, events));
        runs.workers.push(await measure(nodes, nodeWorkerRuntime, warmup, events));
      }
    } catch (e) {
      errors.push(`${nodes} nodes: ${(e as Error).message}`);
      process.stdout.write(`${nodes} nodes failed: ${(e as Error).message}\n`);
      ratios[`nodes${nodes}`] = null;
      continue;
    }
    const a = row(nodes, 'in-process', runs['in-process']);
    const b = row(nodes, 'workers', runs.workers);
    rows.push(a, b);
    line(a);
    line(b);
    const hashes = new Set([...runs['in-process'], ...runs.workers].map((s) => s.traceHash));
    if (hashes.size !== 1) errors.push(`${nodes} nodes: trace hashes differ: ${[...hashes].join(', ')}`);
    ratios[`nodes${nodes}`] = Number((b.eventsPerSec / a.eventsPerSec).toFixed(3));
    process.stdout.write(
      `${nodes} nodes workers/in-process ratio ${ratios[`nodes${nodes}`]}${hashes.size === 1 ? ' (same trace hash in every run)' : ' (TRACE MISMATCH)'}\n`,
    );
  }
  process.stdout.write(
    JSON.stringify({ bench: 'cluster', events, warmup, repeat, results: rows, ratioWorkersToInProcess: ratios, errors }) +
      '\n',
  );
  if (errors.length > 0) process.exitCode = 1;
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});

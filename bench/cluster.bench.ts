// Cluster throughput: events/s and raft messages delivered/s for 3 and 5 nodes under a
// steady client load, in-process and with one Node worker_thread per node, measured in
// the same run. Ends with one JSON line.
//
// npm run bench:cluster [-- --events E]

import { Cluster } from '../src/cluster/cluster';
import { headlessConfig, runLoad } from '../src/cluster/cli/load';
import type { RuntimeFactory } from '../src/cluster/protocol';
import { inProcessRuntime } from '../src/cluster/runtime/inProcess';
// '.js' because tsx would take a bare '.node' suffix for a native addon.
import { nodeWorkerRuntime } from '../src/cluster/runtime/workerRuntime.node.js';

interface Row {
  nodes: number;
  runtime: 'in-process' | 'workers';
  events: number;
  delivered: number;
  seconds: number;
  eventsPerSec: number;
  deliveredPerSec: number;
  traceHash: string;
}

async function measure(nodes: number, runtime: Row['runtime'], factory: RuntimeFactory, events: number): Promise<Row> {
  const seed = 7;
  const cluster = await Cluster.create(headlessConfig(nodes, seed, factory));
  const t0 = performance.now();
  await runLoad(cluster, seed, { events });
  const seconds = (performance.now() - t0) / 1000;
  const row: Row = {
    nodes,
    runtime,
    events: cluster.eventCount,
    delivered: cluster.counters.delivered,
    seconds: Number(seconds.toFixed(3)),
    eventsPerSec: Math.round(cluster.eventCount / seconds),
    deliveredPerSec: Math.round(cluster.counters.delivered / seconds),
    traceHash: cluster.traceHash(),
  };
  await cluster.dispose();
  return row;
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--events');
  const events = i >= 0 ? Number(process.argv[i + 1]) : 30000;
  await measure(3, 'in-process', inProcessRuntime, 5000); // warm-up (JIT), not reported
  const rows: Row[] = [];
  const ratios: Record<string, number | null> = {};
  const errors: string[] = [];
  const line = (r: Row) =>
    process.stdout.write(
      `${r.nodes} nodes ${r.runtime.padEnd(10)} ${String(r.eventsPerSec).padStart(8)} events/s ${String(r.deliveredPerSec).padStart(8)} msgs delivered/s  (${r.events} events, ${r.seconds} s, hash ${r.traceHash})\n`,
    );
  for (const nodes of [3, 5]) {
    const a = await measure(nodes, 'in-process', inProcessRuntime, events);
    rows.push(a);
    line(a);
    let b: Row | undefined;
    try {
      b = await measure(nodes, 'workers', nodeWorkerRuntime, events);
    } catch (e) {
      errors.push(`${nodes} nodes workers: ${(e as Error).message}`);
      process.stdout.write(`${nodes} nodes workers    failed: ${(e as Error).message}\n`);
    }
    if (b === undefined) {
      ratios[`nodes${nodes}`] = null;
      continue;
    }
    rows.push(b);
    line(b);
    ratios[`nodes${nodes}`] = Number((b.eventsPerSec / a.eventsPerSec).toFixed(3));
    process.stdout.write(
      `${nodes} nodes workers/in-process ratio ${ratios[`nodes${nodes}`]}${a.traceHash === b.traceHash ? ' (same trace hash)' : ' (TRACE MISMATCH)'}\n`,
    );
  }
  process.stdout.write(
    JSON.stringify({ bench: 'cluster', events, results: rows, ratioWorkersToInProcess: ratios, errors }) + '\n',
  );
  if (errors.length > 0) process.exitCode = 1;
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});

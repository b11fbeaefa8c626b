// Headless simulation: npm run sim -- --nodes N --seed S --events E [--workers] [--trace out.json]
//
// Runs a cluster under a steady client load in Node (in-process, or one worker_thread
// per node with --workers), prints a summary and ends with `trace-hash <hex>`: the
// FNV-1a 64 of the canonical event trace. Same seed and events: same hash, with or
// without workers.

import { writeFileSync } from 'node:fs';
import { stateTypeNames } from '../../raft/types';
import { Cluster } from '../cluster';
import type { RuntimeFactory } from '../protocol';
import { inProcessRuntime } from '../runtime/inProcess';
// '.js' because tsx would take a bare '.node' suffix for a native addon.
import { nodeWorkerRuntime } from '../runtime/workerRuntime.node.js';
import { intOption, parseOptions, parseOrExit, stringOption } from './args';
import { headlessConfig, runLoad } from './load';

interface Args {
  nodes: number;
  seed: number;
  events: number;
  workers: boolean;
  trace: string | undefined;
}

function usage(msg: string): never {
  process.stderr.write(
    `sim: ${msg}\nusage: npm run sim -- --nodes N --seed S --events E [--workers] [--trace out.json]\n`,
  );
  process.exit(2);
}

function parseCommandLine(argv: string[]): Args {
  const v = parseOptions(argv, {
    nodes: 'string',
    seed: 'string',
    events: 'string',
    workers: 'boolean',
    trace: 'string',
  });
  return {
    nodes: intOption(v, 'nodes', 3, 1, 15),
    seed: intOption(v, 'seed', 1),
    events: intOption(v, 'events', 10000),
    workers: v.workers === true,
    trace: stringOption(v, 'trace'),
  };
}

async function main(): Promise<void> {
  const args = parseOrExit(() => parseCommandLine(process.argv.slice(2)), usage);
  const runtime: RuntimeFactory = args.workers ? nodeWorkerRuntime : inProcessRuntime;
  const started = performance.now();
  const cluster = await Cluster.create(headlessConfig(args.nodes, args.seed, runtime));
  const ticks = await runLoad(cluster, args.seed, { events: args.events });
  const o = await cluster.observe();
  const elapsed = (performance.now() - started) / 1000;

  const out: string[] = [];
  const leader = cluster.leader();
  const lo = o.nodes.find((n) => n.id === leader)?.observation;
  out.push(
    `nodes ${args.nodes} seed ${args.seed} runtime ${args.workers ? 'workers' : 'in-process'} ticks ${ticks} time ${o.time} events ${o.events}`,
  );
  out.push(`leader ${leader === 0 ? 'none' : leader} term ${lo?.term ?? '-'}`);
  for (const n of o.nodes) {
    const ob = n.observation;
    out.push(
      ob === undefined
        ? `  node ${n.id} ${n.status} disk commit ${n.disk.commit}`
        : `  node ${n.id} ${stateTypeNames[ob.role]} term ${ob.term} commit ${ob.commit} applied ${ob.applied} kv ${Object.keys(ob.kv).length}`,
    );
  }
  const c = o.counters;
  out.push(
    `messages sent ${c.sent} delivered ${c.delivered} dropped ${c.dropped} (bytes delivered ${c.bytesDelivered})`,
  );
  const ok = o.history.filter((h) => h.status === 'ok').length;
  const failed = o.history.filter((h) => h.status === 'failed').length;
  out.push(`ops ${o.history.length} ok ${ok} pending ${o.history.length - ok - failed} failed ${failed}`);
  out.push(`kv size ${lo === undefined ? '-' : Object.keys(lo.kv).length}`);
  out.push(`wall ${elapsed.toFixed(2)} s (${Math.round(o.events / elapsed)} events/s)`);
  if (args.trace !== undefined) {
    writeFileSync(
      args.trace,
      JSON.stringify({ run: cluster.exportRun(), traceHash: o.traceHash, events: cluster.events }, (_k, v: unknown) =>
        typeof v === 'number' && !Number.isFinite(v) ? 'Infinity' : v,
      ),
    );
    out.push(`trace written to ${args.trace}`);
  }
  out.push(`trace-hash ${o.traceHash}`);
  process.stdout.write(out.join('\n') + '\n');
  await cluster.dispose();
}

main().catch((e: unknown) => {
  process.stderr.write(`sim: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});

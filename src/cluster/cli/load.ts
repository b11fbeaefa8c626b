// A steady client load for headless runs (sim, bench): every tick of virtual time, a
// few puts at seeded random nodes and now and then a linearizable get. The load's
// choices come from its own seeded source, so a run stays a function of the seed.

import { deriveSeed, type Cluster, type ClusterConfig } from '../cluster';
import { createRandom } from '../random';

export interface LoadOptions {
  /** Stop once the trace holds at least this many events. */
  events: number;
  /** Puts issued per tick of virtual time. */
  putsPerTick?: number;
  /** One linearizable get every this many ticks (0: none). */
  getEvery?: number;
  /** Distinct keys. */
  keys?: number;
  /** Safety stop, in ticks of virtual time. */
  maxTicks?: number;
}

/** Drives the cluster under load until opts.events trace events exist. Returns the ticks run. */
export async function runLoad(cluster: Cluster, seed: number, opts: LoadOptions): Promise<number> {
  const rnd = createRandom(deriveSeed(seed, 'load'));
  const putsPerTick = opts.putsPerTick ?? 1;
  const getEvery = opts.getEvery ?? 5;
  const keys = opts.keys ?? 16;
  const maxTicks = opts.maxTicks ?? 1_000_000;
  let n = 0;
  let ticks = 0;
  // Let the first election happen before loading.
  while (cluster.leader() === 0 && ticks < 100 && cluster.eventCount < opts.events) {
    await cluster.advance(1);
    ticks++;
  }
  while (cluster.eventCount < opts.events && ticks < maxTicks) {
    const ids = cluster.nodeIds().filter((id) => cluster.nodeStatus(id).status === 'alive');
    if (ids.length > 0) {
      for (let i = 0; i < putsPerTick; i++) {
        const node = ids[rnd.nextInt(ids.length)]!;
        await cluster.put(`k${rnd.nextInt(keys)}`, `v${n++}`, { node });
      }
      if (getEvery > 0 && ticks % getEvery === 0) {
        const node = ids[rnd.nextInt(ids.length)]!;
        await cluster.get(`k${rnd.nextInt(keys)}`, { node, linearizable: true });
      }
    }
    await cluster.advance(1);
    ticks++;
  }
  return ticks;
}

/** Cluster settings used by sim and bench (only nodes, seed and runtime vary). */
export function headlessConfig(nodes: number, seed: number, runtime: ClusterConfig['runtime']): ClusterConfig {
  // Keep only a bounded window of events in memory; the hash still covers all. Nobody
  // reads typed events in a headless run (no narration, no "why"): keep few of them.
  // No checkpoints: a headless run never seeks.
  return {
    nodes,
    seed,
    runtime,
    raft: { snapCount: 500, snapshotCatchUpEntries: 100 },
    keepEvents: 200_000,
    keepClusterEvents: 1_000,
    checkpoints: false,
  };
}

import { Cluster } from './src/cluster/cluster';
import { inProcessRuntime } from './src/cluster/runtime/inProcess';
import { runSeekWorkload } from './bench/seekWorkload';
const bases = [63999, 89644, 54123, 77940, 15786, 77619, 64636, 83532, 75331, 65955, 78752, 67673];
const c = await Cluster.create({ nodes: 9, seed: 13, runtime: inProcessRuntime });
await runSeekWorkload(c, 90000, 13);
const store = c.recorder.store;
const all = store.all;
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log('median main', med(all.map((cp) => cp.world.main.length)), 'median bytes', med(all.map((cp) => cp.bytes)), 'median host total', med(all.map((cp) => cp.world.hosts.reduce((s, [, h]) => s + h.bytes.length, 0))));
for (const b of bases) {
  const cp = all.find((x) => x.step === b);
  if (!cp) { console.log(b, 'no cp'); continue; }
  const parts = store.unpackWorld(cp.world.main) as any;
  const lcs = parts.sched.slots.map((s: any) => s.lastCycle ? s.lastCycle.ready.committedEntries.length + s.lastCycle.applied.length + s.lastCycle.ready.entries.length : 0);
  const t = performance.now(); await c.seek(b); const ms = performance.now() - t;
  console.log(b, 'heavy', cp.heavy, 'main', cp.world.main.length, 'hosts', cp.world.hosts.map(([id, h]) => h.bytes.length).join(','), 'lastCycles', lcs.join(','), 'queue', parts.sched.slots.map((s: any) => s.queue.length).join(','), 'seek ms', ms.toFixed(1), JSON.stringify(c.lastSeek));
}
process.exit(0);

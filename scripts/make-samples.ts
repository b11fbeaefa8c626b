// Writes the sample runs of public/samples/ (served beside the app, for a class to
// import): each is a short scripted session of the app's default cluster, exported by
// the same Cluster.exportRunJson the app's Export button uses. Deterministic: running
// it again writes the same bytes. test/samples.test.ts replays every file.
//
//   npx tsx scripts/make-samples.ts

import { writeFileSync } from 'node:fs';
import { Cluster } from '../src/cluster/cluster';
import { inProcessRuntime } from '../src/cluster/runtime/inProcess';
import { clusterConfigFor } from '../src/ui/store/controller';
import { defaultClusterSettings } from '../src/ui/store/state';

async function leaderOf(c: Cluster, exclude: number[] = []): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const l = c.leader();
    if (l !== 0 && !exclude.includes(l)) return l;
    await c.advance(1);
  }
  throw new Error('no leader elected');
}

async function sample(name: string, seed: number, script: (c: Cluster) => Promise<void>): Promise<void> {
  const c = await Cluster.create(clusterConfigFor({ ...defaultClusterSettings, seed }, inProcessRuntime, 'play'));
  try {
    await script(c);
    writeFileSync(`public/samples/${name}.json`, c.exportRunJson());
    console.log(`public/samples/${name}.json: step ${c.currentStep}, trace hash ${c.traceHash()}`);
  } finally {
    await c.dispose();
  }
}

// The leader crashes; the others elect a new one; the old leader restarts and catches up.
await sample('leader-crash', 7, async (c) => {
  const first = await leaderOf(c);
  await c.put('course', 'raft');
  await c.advance(5);
  await c.crash(first);
  const second = await leaderOf(c, [first]);
  await c.put('leader', String(second));
  await c.advance(5);
  await c.restart(first);
  await c.advance(20);
});

// The leader is cut off with one follower; the majority elects a leader and commits; healing converges.
await sample('partition-heal', 11, async (c) => {
  const first = await leaderOf(c);
  const ids = c.nodeIds();
  const buddy = ids.find((id) => id !== first)!;
  await c.partition([[first, buddy], ids.filter((id) => id !== first && id !== buddy)]);
  const majority = await leaderOf(c, [first, buddy]);
  await c.put('during', 'partition', { node: majority });
  await c.advance(10);
  await c.heal();
  await c.advance(30);
});

// Snapshots between nodes, end to end through the bus: the transport reports whether a
// MsgSnap arrived (so a lost one does not leave the follower in StateSnapshot), and a
// member added after the leader's last snapshot still catches up by snapshot.

import { describe, expect, it } from 'vitest';
import { Cluster, type ClusterConfig } from './cluster';
import type { OpHandle } from './client';
import { settled, until } from './clusterTestSupport';
import { inProcessRuntime } from './runtime/inProcess';

function config(seed: number): ClusterConfig {
  // A snapshot every 4 applied entries, keeping 1: a node that misses a few entries
  // can only catch up by snapshot.
  return { nodes: 3, seed, runtime: inProcessRuntime, raft: { snapCount: 4, snapshotCatchUpEntries: 1 } };
}

async function putMany(c: Cluster, prefix: string, n: number): Promise<void> {
  const hs: OpHandle[] = [];
  for (let i = 0; i < n; i++) hs.push(await c.put(`${prefix}${i}`, `${i}`, { node: c.leader() }));
  await until(c, () => hs.every((h) => h.op.status === 'ok'));
}

const snapEvents = (c: Cluster, kind: string) => c.events.filter((e) => e.kind === kind && / MsgSnap /.test(e.text));

describe('snapshot transfer', () => {
  it('a lost MsgSnap is reported to the leader, which sends another one later', async () => {
    const c = await Cluster.create(config(11));
    const leader = await settled(c);
    const f = [1, 2, 3].find((i) => i !== leader)!;
    await c.crash(f);
    await putMany(c, 'a', 12);
    // Everything the leader sends to f is lost while f comes back.
    await c.setLinkFaults(leader, f, { loss: 1 });
    await c.restart(f);
    await until(c, () => snapEvents(c, 'drop').length > 0);
    await c.advance(5);
    expect(
      c.events.filter(
        (e) => e.kind === 'command' && e.node === leader && e.text.startsWith(`report-snapshot ${f} failed`),
      ).length,
    ).toBeGreaterThan(0);
    // The network recovers: without the report the leader would wait for that first
    // snapshot forever; with it, a later one gets through and f catches up.
    await c.setLinkFaults(leader, f, { loss: 0 });
    await until(c, async () => (await c.observeNode(f))?.kv['a11'] === '11');
    await until(
      c,
      async () => (await c.observeNode(leader))!.progress.find((p) => p.id === f)?.state === 'StateReplicate',
      50,
    );
    expect(snapEvents(c, 'deliver').length).toBeGreaterThan(0);
    await c.dispose();
  });

  it('a delivered MsgSnap is reported as finished', async () => {
    const c = await Cluster.create(config(12));
    const leader = await settled(c);
    const f = [1, 2, 3].find((i) => i !== leader)!;
    await c.crash(f);
    await putMany(c, 'b', 10);
    await c.restart(f);
    await until(c, async () => (await c.observeNode(f))?.kv['b9'] === '9');
    expect(snapEvents(c, 'deliver').length).toBeGreaterThan(0);
    expect(c.events.some((e) => e.kind === 'command' && e.text.startsWith(`report-snapshot ${f} ok`))).toBe(true);
    await c.dispose();
  });

  it('a node added after the leader last snapshotted catches up by snapshot', async () => {
    const c = await Cluster.create(config(13));
    const leader = await settled(c);
    // The leader snapshots and compacts: the log no longer starts at 1.
    await putMany(c, 'c', 9);
    const before = (await c.observeNode(leader))!;
    expect(before.firstIndex).toBeGreaterThan(1);
    // Node 4 joins now: its conf change is newer than every snapshot the leader holds,
    // so the leader's stored snapshot does not list it.
    const add = await c.addNode(4);
    await until(c, () => add.op.status === 'ok');
    await until(c, async () => (await c.observeNode(4))?.kv['c8'] === '8', 200);
    const n4 = (await c.observeNode(4))!;
    expect(n4.confState.voters).toContain(4);
    // The snapshot it restored lists it (else raft would have refused it).
    expect(c.events.some((e) => e.kind === 'deliver' && e.node === 4 && / MsgSnap /.test(e.text))).toBe(true);
    await c.dispose();
  });
});

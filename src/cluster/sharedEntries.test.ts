import { describe, expect, it } from 'vitest';
import { Cluster, type ClusterConfig } from './cluster';
import { namedCount, type NamedList } from './resultWire';
import { inProcessHost } from './runtime/inProcess';
import { ProcessPool } from './runtime/processPool';
import { SharedEntries, SharedEntryChannel } from './sharedEntries';

/**
 * An in-process pool that counts the entries its restores send in full, and the
 * message entries that crossed by eid (resultWire.ts) into the hosts and out of them.
 */
function countingPool(shared?: SharedEntries): {
  pool: ProcessPool;
  sent: () => number;
  named: { in: number; out: number };
} {
  let sent = 0;
  const named = { in: 0, out: 0 };
  type Named = { byEid?: { msgs?: [number, NamedList][]; sent?: [number, NamedList][] } };
  const count = (lists: [number, NamedList][] | undefined): number =>
    (lists ?? []).reduce((n, [, l]) => n + namedCount(l), 0);
  const spawn = () => {
    const p = inProcessHost(shared);
    return {
      ...p,
      restore: (payload: Parameters<typeof p.restore>[0]) => {
        sent += payload.missing.length / 2;
        return p.restore(payload);
      },
      run: async (commands: Parameters<typeof p.run>[0]) => {
        for (const c of commands as Named[]) named.in += count(c.byEid?.msgs);
        const results = await p.run(commands);
        for (const r of results)
          if (r.kind === 'cycles') for (const rec of r.records as Named[]) named.out += count(rec.byEid?.sent);
        return results;
      },
    };
  };
  const pool =
    shared === undefined ? new ProcessPool(spawn) : new ProcessPool(spawn, 12, () => new SharedEntryChannel(shared));
  return { pool, sent: () => sent, named };
}

function config(pool: ProcessPool): ClusterConfig {
  return {
    nodes: 5,
    seed: 9,
    runtime: pool.factory(),
    raft: { snapCount: 10_000 },
    checkpoints: { everyActions: 10, everyEvents: 300 },
  };
}

async function workload(c: Cluster): Promise<void> {
  await c.advance(60);
  for (let i = 0; i < 120; i++) {
    await c.put(`k${i % 7}`, `v${i}`);
    await c.advance(1);
    if (i === 20) await c.crash(2);
    if (i === 100) await c.restart(2);
  }
}

describe('entries shared by in-process host processes, and sent by eid', () => {
  it('an entry sent to one process is not sent again to another, and seeks give the recorded runs', async () => {
    const shared = new SharedEntries();
    const a = countingPool(shared);
    const b = countingPool();
    const withShared = await Cluster.create(config(a.pool));
    const separate = await Cluster.create(config(b.pool));
    await workload(withShared);
    await workload(separate);
    const hashes = withShared.recorder.checkpoints.map((cp) => cp.traceHash);
    expect(separate.traceHash()).toBe(withShared.traceHash());

    // Seeks back and forth: each restore lands on processes that may never have hosted
    // that node at that point of the run.
    const end = withShared.recorder.actions.length;
    for (const s of [end - 5, 30, end - 40, 100, end - 3, 12]) {
      await withShared.seek(s);
      await separate.seek(s);
      expect(withShared.lastSeek?.from).toBe('checkpoint');
      expect(withShared.traceHash()).toBe(hashes[s - 1]);
      expect(separate.traceHash()).toBe(hashes[s - 1]);
    }
    // Separate caches sent the logs again to processes that lacked them; the shared
    // entries had them all from the live run's checkpoints.
    expect(b.sent()).toBeGreaterThan(200);
    expect(a.sent()).toBeLessThan(b.sent() / 10);
    expect(shared.tableCount).toBe(1);
    // Node 2 missed 80 entries: the leader's MsgApps that caught it up went by eid, out
    // of the leader's process and into node 2's.
    expect(a.named.out).toBeGreaterThanOrEqual(64);
    expect(a.named.in).toBeGreaterThanOrEqual(64);
    await withShared.dispose();
    await separate.dispose();
  }, 120_000);
});

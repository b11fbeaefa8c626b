import { describe, expect, it } from 'vitest';
import { Cluster, type ClusterConfig } from './cluster';
import { runLength } from './entryTable';
import type { RuntimeFactory } from './protocol';
import { namedCount, type NamedList } from './resultWire';
import { inProcessHost } from './runtime/inProcess';
import { ProcessPool } from './runtime/processPool';
import { nodeWorkerRuntime } from './runtime/workerRuntime.node';

function config(runtime: RuntimeFactory): ClusterConfig {
  return {
    nodes: 3,
    seed: 5,
    runtime,
    // No snapshot during the run: the restarted node's disk holds every entry.
    raft: { snapCount: 10_000 },
    checkpoints: { everyActions: 10, everyEvents: 200 },
  };
}

/** Node 3 misses 30 puts while down and comes back from a disk of its 80 earlier ones. */
async function scenario(c: Cluster): Promise<void> {
  await c.advance(60);
  for (let i = 0; i < 80; i++) {
    await c.put(`k${i % 6}`, `v${i}`);
    await c.advance(2);
  }
  await c.crash(3);
  for (let i = 80; i < 110; i++) {
    await c.put(`k${i % 6}`, `v${i}`);
    await c.advance(2);
  }
  await c.restart(3);
  await c.advance(40);
}

/** The same pool's factory without bootFrom: restarts copy the disk. */
function copyingFactory(pool: ProcessPool): RuntimeFactory {
  const f = pool.factory();
  const g = ((boot) => f(boot)) as RuntimeFactory;
  g.restore = f.restore!;
  return g;
}

describe('restart from a disk named by eid, catch-up named by eid', () => {
  it('sends only the entries the process lacks, and runs exactly as with a copied disk', async () => {
    const boots: { named: number; sent: number }[] = [];
    // Entries the process's results named by eid instead of copying (resultWire.ts).
    let committedByEid = 0;
    const pool = new ProcessPool(() => {
      const p = inProcessHost();
      return {
        ...p,
        run: async (commands: Parameters<typeof p.run>[0]) => {
          const results = await p.run(commands);
          for (const r of results)
            if (r.kind === 'cycles')
              for (const rec of r.records as { byEid?: { committed?: NamedList } }[])
                if (rec.byEid?.committed !== undefined) committedByEid += namedCount(rec.byEid.committed);
          return results;
        },
        bootFrom: (payload: Parameters<typeof p.bootFrom>[0]) => {
          boots.push({ named: runLength(payload.runs), sent: payload.missing.length / 2 });
          return p.bootFrom(payload);
        },
      };
    });
    const byEid = await Cluster.create(config(pool.factory()));
    await scenario(byEid);
    const copied = await Cluster.create(config(copyingFactory(new ProcessPool(() => inProcessHost()))));
    await scenario(copied);

    // The restart went by eid, and the process (which hosted node 3 before its crash
    // and was checkpointed then) already held the disk's entries.
    expect(boots.length).toBe(1);
    expect(boots[0]!.named).toBeGreaterThan(80);
    expect(boots[0]!.sent).toBeLessThan(boots[0]!.named / 4);
    // Its catch-up cycle, which re-applied the disk, came back by eid.
    expect(committedByEid).toBeGreaterThanOrEqual(boots[0]!.named);

    const [a, b] = [await byEid.observe(), await copied.observe()];
    expect(byEid.traceHash()).toBe(copied.traceHash());
    expect(a.nodes).toStrictEqual(b.nodes);
    // The restarted node caught up: it applied every put.
    const n3 = a.nodes.find((n) => n.id === 3)!;
    expect(n3.observation?.kv.k3).toBe('v105');

    // A seek that replays the restart gives the recorded run.
    const hashes = byEid.recorder.checkpoints.map((cp) => cp.traceHash);
    const restartAt = byEid.recorder.actions.findIndex((x) => x.kind === 'restart') + 1;
    const past = byEid.recorder.actions.length;
    await byEid.seek(past);
    await byEid.seek(restartAt);
    expect(byEid.lastSeek?.base).toBeLessThan(restartAt);
    expect(byEid.traceHash()).toBe(hashes[restartAt - 1]);
    expect(boots.length).toBe(2);
    await byEid.dispose();
    await copied.dispose();
  }, 120_000);

  it('a worker host booted by eid runs as an in-process one', async () => {
    const inWorkers = await Cluster.create(config(nodeWorkerRuntime));
    await scenario(inWorkers);
    const inProcess = await Cluster.create(config(copyingFactory(new ProcessPool(() => inProcessHost()))));
    await scenario(inProcess);
    expect(inWorkers.traceHash()).toBe(inProcess.traceHash());
    expect((await inWorkers.observe()).nodes).toStrictEqual((await inProcess.observe()).nodes);
    await inWorkers.dispose();
    await inProcess.dispose();
  }, 120_000);
});

import { describe, expect, it } from 'vitest';
import { checkLinearizability } from '../../check/linearizable/index';
import { checkProperties } from '../../check/properties/index';
import type { OpHandle } from '../client';
import { Cluster } from '../cluster';
import { inProcessRuntime } from '../runtime/inProcess';
import { ClusterModelRecorder } from './fromCluster';

describe('checkers on a real in-process cluster', () => {
  it('find no violation across crashes, partitions and restarts', async () => {
    const c = await Cluster.create({
      nodes: 5,
      seed: 11,
      runtime: inProcessRuntime,
      raft: { snapCount: 8, snapshotCatchUpEntries: 3 },
    });
    const rec = new ClusterModelRecorder(c);
    const tick = async (n: number) => {
      for (let i = 0; i < n; i++) {
        await c.advance(1);
        await rec.capture();
      }
    };
    await rec.capture();
    await tick(40);
    expect(c.leader()).not.toBe(0);
    const hs: OpHandle[] = [];
    let k = 0;
    const load = async (rounds: number) => {
      for (let r = 0; r < rounds; r++) {
        const key = `k${k % 3}`;
        const client = `c${k % 4}`;
        const target = c.nodeIds().find((id) => c.nodeStatus(id).status === 'alive')!;
        hs.push(await c.put(key, `v${k}`, { client, node: target }));
        hs.push(await c.get(key, { linearizable: true, client: `r${k % 3}`, node: target }));
        if (k % 5 === 0) hs.push(await c.get(key, { client: 'local', node: target }));
        k++;
        await tick(2);
      }
    };
    await load(10);
    // a follower crashes, then the leader
    const l1 = c.leader();
    const f = c.nodeIds().find((id) => id !== l1)!;
    await c.crash(f);
    await rec.capture();
    await load(6);
    await c.crash(l1);
    await rec.capture();
    await tick(40);
    await load(6);
    // a partition isolates the new leader with one node
    const l2 = c.leader();
    const alive = c.nodeIds().filter((id) => c.nodeStatus(id).status === 'alive');
    const minority = [l2, alive.find((id) => id !== l2)!];
    await c.partition([minority, c.nodeIds().filter((id) => !minority.includes(id))]);
    await rec.capture();
    await load(8);
    await tick(40);
    await c.heal();
    await rec.capture();
    await c.restart(f);
    await rec.capture();
    await c.restart(l1);
    await rec.capture();
    await load(6);
    await tick(80);

    const m = rec.model;
    expect(m.steps.length).toBeGreaterThan(200);
    expect(m.steps.some((s) => s.events.some((e) => e.kind === 'crash'))).toBe(true);
    expect(m.steps.some((s) => s.events.some((e) => e.kind === 'restart'))).toBe(true);
    expect(m.steps.some((s) => s.faulty)).toBe(true);
    // the logs were really recorded (and compacted into snapshots)
    const last = m.steps[m.steps.length - 1]!;
    expect(Math.max(...last.nodes.map((n) => n.log.snapshotIndex))).toBeGreaterThan(0);
    expect(Math.max(...last.nodes.map((n) => n.commit))).toBeGreaterThan(30);

    const results = checkProperties(m, { livenessBound: 100 });
    expect(results.flatMap((r) => r.violations)).toEqual([]);
    expect(results.map((r) => r.status)).toEqual(results.map(() => 'holds'));

    const lin = checkLinearizability(c.history);
    expect(lin.status).toBe('ok');
    expect(lin.stale.length).toBeGreaterThan(0);
    const done = c.history.filter((o) => o.status === 'ok' && o.consistency !== 'stale-possible');
    expect(done.length).toBeGreaterThan(40);
    for (const o of done) expect(lin.points.has(o.id)).toBe(true);

    // and the same model, tampered with, is caught
    const bad = structuredClone(m);
    const s = bad.steps[bad.steps.length - 1]!;
    const victim = s.nodes.find((n) => n.alive && n.log.entries.length > 2 && n.applied >= n.log.start + 1)!;
    const ents = victim.log.entries.slice();
    const i = Math.min(victim.applied, victim.commit) - victim.log.start;
    ents[i] = { ...ents[i]!, hash: 'tampered' };
    victim.log = { ...victim.log, entries: ents };
    const badResults = checkProperties(bad, { livenessBound: 100 });
    const fired = badResults.filter((r) => r.status === 'violated').map((r) => r.property);
    expect(fired).toContain('durability');
    expect(fired).toContain('log-matching');
    await c.dispose();
  }, 60_000);
});

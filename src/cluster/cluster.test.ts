import { describe, expect, it } from 'vitest';
import { describeReady } from '../raft/describe';
import { StateLeader } from '../raft/types';
import type { Envelope } from './bus';
import type { OpHandle } from './client';
import { Cluster, type ClusterConfig } from './cluster';
import { headlessConfig, runLoad } from './cli/load';
import type { RuntimeFactory } from './protocol';
import { inProcessRuntime } from './runtime/inProcess';
import { settled, until } from './clusterTestSupport';
// '.js' because tsx would take a bare '.node' suffix for a native addon.
import { nodeWorkerRuntime } from './runtime/workerRuntime.node.js';

function config(over: Partial<ClusterConfig> = {}): ClusterConfig {
  return { nodes: 3, seed: 1, runtime: inProcessRuntime, ...over };
}

async function kvs(c: Cluster): Promise<Record<number, Record<string, string>>> {
  const o = await c.observe();
  const out: Record<number, Record<string, string>> = {};
  for (const n of o.nodes) if (n.observation) out[n.id] = n.observation.kv;
  return out;
}

describe('Cluster', () => {
  it('elects exactly one leader', async () => {
    const c = await Cluster.create(config());
    await settled(c);
    await c.advance(5);
    const o = await c.observe();
    const leaders = o.nodes.filter((n) => n.observation?.role === StateLeader);
    expect(leaders).toHaveLength(1);
    const term = leaders[0]!.observation!.term;
    for (const n of o.nodes) {
      expect(n.observation!.term).toBe(term);
      expect(n.observation!.lead).toBe(leaders[0]!.id);
    }
    await c.dispose();
  });

  it('commits and applies puts on every node', async () => {
    const c = await Cluster.create(config({ seed: 2 }));
    await settled(c);
    const hs: OpHandle[] = [];
    for (let i = 0; i < 5; i++) hs.push(await c.put(`k${i}`, `v${i}`, { node: (i % 3) + 1 }));
    await until(c, () => hs.every((h) => h.op.status === 'ok'));
    await c.advance(5);
    const all = await kvs(c);
    for (const id of [1, 2, 3]) for (let i = 0; i < 5; i++) expect(all[id]![`k${i}`]).toBe(`v${i}`);
    const o = await c.observe();
    const commits = new Set(o.nodes.map((n) => n.observation!.commit));
    expect(commits.size).toBe(1);
    // the disks hold the same commit index
    expect(new Set(o.nodes.map((n) => n.disk.commit)).size).toBe(1);
    await c.dispose();
  });

  it('a partition heals and the cluster converges', async () => {
    const c = await Cluster.create(config({ seed: 3 }));
    await settled(c);
    const old = c.leader();
    const others = [1, 2, 3].filter((i) => i !== old);
    await c.partition([[old], others]);
    await until(c, async () => {
      const l = c.leader();
      if (l === 0 || l === old) return false;
      return (await c.observeNode(others.find((i) => i !== l)!))?.lead === l;
    });
    const h = await c.put('x', 'majority', { node: c.leader() });
    const lost = await c.put('y', 'minority', { node: old });
    await until(c, () => h.op.status === 'ok');
    await c.advance(10);
    // cut off from the majority, the old leader's put can never succeed (it is dropped
    // once CheckQuorum makes the old leader step down, or stays pending)
    expect(lost.op.status).not.toBe('ok');
    await c.heal();
    await c.advance(40);
    const all = await kvs(c);
    for (const id of [1, 2, 3]) {
      expect(all[id]!['x']).toBe('majority');
      expect(all[id]!['y']).toBeUndefined();
    }
    const o = await c.observe();
    expect(new Set(o.nodes.map((n) => n.observation!.lastIndex)).size).toBe(1);
    expect(o.counters.dropped).toBeGreaterThan(0);
    await c.dispose();
  });

  it('a crashed node restarts from its disk and catches up', async () => {
    const c = await Cluster.create(config({ seed: 4, raft: { snapCount: 5, snapshotCatchUpEntries: 2 } }));
    await settled(c);
    const victim = [1, 2, 3].find((i) => i !== c.leader())!;
    const before = await c.put('a', '1');
    await until(c, () => before.op.status === 'ok');
    await c.advance(3);
    await c.crash(victim);
    expect(c.nodeStatus(victim).status).toBe('crashed');
    const diskAtCrash = c.disk(victim);
    expect(diskAtCrash.hardState.term).toBeGreaterThan(0);
    const hs: OpHandle[] = [];
    for (let i = 0; i < 12; i++) hs.push(await c.put(`b${i}`, `${i}`));
    await until(c, () => hs.every((h) => h.op.status === 'ok'));
    await c.restart(victim);
    await c.advance(30);
    const all = await kvs(c);
    expect(all[victim]!['a']).toBe('1');
    for (let i = 0; i < 12; i++) expect(all[victim]![`b${i}`]).toBe(`${i}`);
    const o = await c.observe();
    expect(o.nodes.find((n) => n.id === victim)!.incarnation).toBe(2);
    await c.dispose();
  });

  it('a node whose code throws is crashed with the error; the others go on, and a restart recovers it', async () => {
    // Node 2's host throws once armed, as a raft panic or a dying worker would.
    let armed = false;
    const throwing: RuntimeFactory = async (boot) => {
      const rt = await inProcessRuntime(boot);
      if (boot.config.id !== 2) return rt;
      return {
        id: rt.id,
        run: (cmds) => (armed ? Promise.reject(new Error('node 2 panicked: test')) : rt.run(cmds)),
        terminate: () => rt.terminate(),
      };
    };
    const c = await Cluster.create(config({ seed: 5, runtime: throwing }));
    await settled(c);
    const first = await c.put('a', '1');
    await until(c, () => first.op.status === 'ok');
    await c.advance(3);
    const diskBefore = c.disk(2);
    armed = true;
    await c.advance(5);
    const o = await c.observe();
    const two = o.nodes.find((n) => n.id === 2)!;
    expect(two.status).toBe('crashed');
    expect(two.panic).toBe('node 2 panicked: test');
    expect(o.nodes.filter((n) => n.id !== 2).every((n) => n.panic === undefined)).toBe(true);
    // The event log says it too.
    expect(o.logLines.filter((l) => l.level === 'PANIC')).toEqual([
      { node: 2, level: 'PANIC', text: 'node 2 panicked: test' },
    ]);
    // What was durable stays.
    expect(c.disk(2).hardState.commit).toBeGreaterThanOrEqual(diskBefore.hardState.commit);
    // The other two are a majority: they keep committing.
    const second = await c.put('b', '2', { node: c.leader() === 2 ? 1 : c.leader() });
    await until(c, () => second.op.status === 'ok');
    armed = false;
    await c.restart(2);
    await c.advance(20);
    const after = await c.observe();
    expect(after.nodes.find((n) => n.id === 2)!.panic).toBeUndefined();
    expect((await kvs(c))[2]).toMatchObject({ a: '1', b: '2' });
    await c.dispose();
  });

  it('a paused node falls behind and catches up after resume', async () => {
    const c = await Cluster.create(config({ seed: 5 }));
    await settled(c);
    const f = [1, 2, 3].find((i) => i !== c.leader())!;
    await c.pause(f);
    const h = await c.put('p', 'q');
    await until(c, () => h.op.status === 'ok');
    expect((await kvs(c))[f]!['p']).toBeUndefined();
    await c.resume(f);
    await c.advance(10);
    expect((await kvs(c))[f]!['p']).toBe('q');
    await c.dispose();
  });

  it('manual mode: tick, run Ready stages and deliver messages one by one', async () => {
    const c = await Cluster.create(config({ seed: 6, mode: 'manual' }));
    // nothing moves on its own
    await c.advance(50);
    expect(c.eventCount).toBeLessThan(20);
    expect(c.inFlight()).toHaveLength(0);
    await c.runCycle(1); // bootstrap Ready
    await c.campaign(1);
    await c.runStage(1, 'persist');
    const rec = await c.runStage(1, 'send');
    expect(rec?.sent.length).toBeGreaterThan(0);
    expect(c.inFlight().length).toBeGreaterThan(0);
    // deliver everything by hand, running Ready cycles after each step
    for (let i = 0; i < 40 && c.leader() === 0; i++) {
      for (const env of c.inFlight()) await c.deliver(env.id);
      for (const id of [1, 2, 3]) await c.runCycle(id);
    }
    expect(c.leader()).toBe(1);
    await c.dispose();
  });

  it('same seed, same trace hash (in-process twice)', async () => {
    const run = async (seed: number) => {
      const c = await Cluster.create(config({ seed, network: { loss: 0.05, duplication: 0.05 } }));
      await c.advance(20);
      for (let i = 0; i < 10; i++) {
        await c.put(`k${i % 3}`, `${i}`, { node: (i % 3) + 1 });
        await c.get(`k${i % 3}`, { node: ((i + 1) % 3) + 1, linearizable: true });
        await c.advance(2);
      }
      await c.advance(20);
      const h = c.traceHash();
      const n = c.eventCount;
      await c.dispose();
      return { h, n };
    };
    const a = await run(11);
    const b = await run(11);
    const d = await run(12);
    expect(b).toEqual(a);
    expect(a.n).toBeGreaterThan(500);
    expect(d.h).not.toBe(a.h);
  });

  it('same seed, same trace hash: in-process and Node worker_threads', async () => {
    const run = async (runtime: RuntimeFactory) => {
      const c = await Cluster.create({ ...headlessConfig(3, 77, runtime), network: { loss: 0.02 } });
      await runLoad(c, 77, { events: 3000 });
      await c.crash(2);
      await c.advance(5);
      await c.restart(2);
      await c.advance(10);
      const r = { hash: c.traceHash(), events: c.eventCount, delivered: c.counters.delivered };
      await c.dispose();
      return r;
    };
    const a = await run(inProcessRuntime);
    const b = await run(nodeWorkerRuntime);
    expect(a.events).toBeGreaterThan(3000);
    expect(b).toEqual(a);
  });

  it('subscribers receive an observation after every action', async () => {
    const c = await Cluster.create(config({ seed: 9 }));
    const seen: { time: number; step: number; nodes: number; events: number }[] = [];
    const off = c.subscribe((o) => seen.push({ time: o.time, step: o.step, nodes: o.nodes.length, events: o.events }));
    await c.advance(20);
    await c.put('s', '1');
    await c.advance(5);
    off();
    await c.advance(1);
    expect(seen.map((s) => s.step)).toEqual([0, 1, 2, 3]);
    expect(seen.map((s) => s.time)).toEqual([0, 20, 20, 25]);
    expect(seen.every((s) => s.nodes === 3)).toBe(true);
    const o = await c.observe();
    expect(o.history).toHaveLength(1);
    expect(o.lastCycles[1]).toBeDefined();
    expect(o.logLines.length).toBeGreaterThan(0);
    expect(o.links).toHaveLength(6);
    await c.dispose();
  });

  it('observations reuse what did not change: node observations until the node runs, finished ops', async () => {
    const c = await Cluster.create(config({ seed: 6 }));
    await settled(c);
    const h = await c.put('k', 'v');
    await until(c, () => h.op.status === 'ok');
    const a = await c.observe();
    const b = await c.observe();
    for (const n of a.nodes) expect(b.nodes.find((x) => x.id === n.id)!.observation).toBe(n.observation);
    expect(b.history[0]).toBe(a.history[0]);
    // A node that ran is observed afresh, and shows the change.
    const victim = a.nodes.find((n) => n.id !== c.leader())!.id;
    await c.tick(victim);
    const d = await c.observe();
    const before = a.nodes.find((n) => n.id === victim)!.observation!;
    const after = d.nodes.find((n) => n.id === victim)!.observation!;
    expect(after).not.toBe(before);
    expect(after.electionElapsed).toBe(before.electionElapsed + 1);
    // A pending op gets a new copy when it changes, and the copy handed out earlier stays as it was.
    const g = await c.get('k', { linearizable: true });
    const p1 = (await c.observe()).history.find((o) => o.id === g.op.id)!;
    expect(p1.status).toBe('pending');
    await until(c, () => g.op.status === 'ok');
    const p2 = (await c.observe()).history.find((o) => o.id === g.op.id)!;
    expect(p2.status).toBe('ok');
    expect(p1.status).toBe('pending');
    // Whatever was reused, the observed history equals the client's own, op for op.
    expect((await c.observe()).history).toEqual(c.history);
    await c.dispose();
  });

  it('observations hand out a new envelope when it is held or reordered, and the same one otherwise', async () => {
    const c = await Cluster.create(config({ seed: 6 }));
    await until(c, () => c.inFlight().length >= 3);
    const a = await c.observe();
    const [x, y] = a.inFlight as [Envelope, Envelope];
    await c.hold(x.id);
    await c.reorder(y.id, y.dueTime + 3);
    const b = await c.observe();
    const x2 = b.inFlight.find((e) => e.id === x.id)!;
    const y2 = b.inFlight.find((e) => e.id === y.id)!;
    expect(x2).not.toBe(x);
    expect([x.held, x2.held]).toEqual([false, true]);
    expect(y2).not.toBe(y);
    expect(y2.dueTime).toBe(y.dueTime + 3);
    // The copies handed out before stay as they were; untouched envelopes keep their identity.
    expect(y.dueTime).toBe(a.inFlight[1]!.dueTime);
    for (const e of a.inFlight.slice(2)) expect(b.inFlight.find((z) => z.id === e.id)).toBe(e);
    await c.dispose();
  });

  it('step() runs exactly one node batch', async () => {
    const c = await Cluster.create(config({ seed: 8 }));
    await c.advance(3);
    const next = c.upcoming(1)[0]!;
    const before = c.eventCount;
    expect(await c.step()).toBe(true);
    expect(c.time).toBe(next.time);
    const stepped = c.events.slice(before).filter((e) => e.kind !== 'action' && e.node !== 0);
    expect(new Set(stepped.map((e) => e.node)).size).toBe(1);
    expect(stepped[0]!.node).toBe(next.node);
    await c.dispose();
  });
});

describe("a cycle's text form", () => {
  it('is etcd describeReady of the Ready, made when read, in observations and manual stages alike', async () => {
    const c = await Cluster.create(config({ nodes: 3 }));
    for (let i = 0; i < 30; i++) await c.advance(1);
    await c.put('a', '1');
    await c.advance(2);
    const o = await c.observe();
    const cycles = Object.values(o.lastCycles);
    expect(cycles.length).toBe(3);
    for (const rec of cycles) {
      expect(rec.readyText).toBe(describeReady(rec.ready));
      expect(rec.readyText.length).toBeGreaterThan(0);
    }
    await c.setMode('manual');
    await c.put('b', '2');
    const leader = c.leader();
    const rec = await c.runStage(leader, 'persist');
    expect(rec).toBeDefined();
    expect(rec!.readyText).toBe(describeReady(rec!.ready));
    expect(rec!.readyText).toContain('Entries:');
    await c.dispose();
  });
});

// The typed event stream: the trace it sits beside is unchanged, its events are
// stamped per step and stored per branch (seek reuses them, a new branch cuts them,
// an import rebuilds the same ones), and what it says agrees with the bus and nodes.

import { describe, expect, it } from 'vitest';
import { headlessConfig, runLoad } from './cli/load';
import { Cluster, type ClusterConfig } from './cluster';
import { settled, until } from './clusterTestSupport';
import type { ClusterEvent, EventOfKind, EventUpdate } from './events';
import type { RuntimeFactory } from './protocol';
import { inProcessRuntime } from './runtime/inProcess';
// '.js' because tsx would take a bare '.node' suffix for a native addon.
import { nodeWorkerRuntime } from './runtime/workerRuntime.node.js';

function config(over: Partial<ClusterConfig> = {}): ClusterConfig {
  return { nodes: 3, seed: 31, runtime: inProcessRuntime, ...over };
}

function ofKind<K extends ClusterEvent['kind']>(evs: readonly ClusterEvent[], k: K): EventOfKind<K>[] {
  return evs.filter((e): e is EventOfKind<K> => e.kind === k);
}

/** A short session with faults, client operations and manual message actions. */
async function session(c: Cluster): Promise<void> {
  await c.advance(15);
  await c.put('a', '1');
  await c.advance(3);
  await c.setLinkFaults(1, 2, { loss: 0.3 });
  await c.put('b', '2', { node: 2 });
  await c.advance(4);
  const env = c.inFlight()[0];
  if (env !== undefined) await c.duplicate(env.id);
  await c.partition([[1], [2, 3]]);
  await c.advance(15);
  await c.get('a', { node: 3, linearizable: true });
  await c.heal();
  await c.crash(3);
  await c.advance(5);
  await c.restart(3);
  await c.advance(10);
}

describe('the typed event stream', () => {
  it('leaves the trace as it was: the headless run of seed 7 keeps its trace hash', async () => {
    // `npm run sim -- --nodes 3 --seed 7 --events 5000`, recorded before the stream existed.
    const c = await Cluster.create(headlessConfig(3, 7, inProcessRuntime));
    try {
      await runLoad(c, 7, { events: 5000 });
      expect(c.traceHash()).toBe('c5351419f5446092');
      expect(c.eventLogInfo().nextSeq).toBeGreaterThan(c.eventLogInfo().firstSeq);
    } finally {
      await c.dispose();
    }
  });

  it('stamps every event with its step (action i -> step i+1, boot -> 0) and numbers them in order', async () => {
    const c = await Cluster.create(config());
    try {
      await session(c);
      const evs = c.clusterEvents();
      expect(evs[0]!.seq).toBe(0);
      evs.forEach((e, i) => {
        expect(e.seq).toBe(i);
        if (i > 0) expect(e.step).toBeGreaterThanOrEqual(evs[i - 1]!.step);
      });
      expect(new Set(ofKind(evs, 'node-start').map((e) => e.step))).toEqual(new Set([0]));
      // Each step opens with its action.
      const actions = c.recorder.actions;
      for (let step = 1; step <= actions.length; step++) {
        const first = c.eventsOfStep(step)[0];
        expect(first?.kind).toBe('action');
        expect((first as EventOfKind<'action'>).name).toBe(actions[step - 1]!.kind);
      }
      expect(c.eventsOfStep(actions.length + 1)).toEqual([]);
      expect((await c.observe()).eventLog).toEqual(c.eventLogInfo());
    } finally {
      await c.dispose();
    }
  });

  it('agrees with the bus: every send is delivered, dropped or still in flight, once', async () => {
    const c = await Cluster.create(config({ network: { loss: 0.1, duplication: 0.1 } }));
    try {
      await session(c);
      const evs = c.clusterEvents();
      const sends = ofKind(evs, 'send');
      const ends = [...ofKind(evs, 'deliver'), ...ofKind(evs, 'drop')];
      const counters = c.counters;
      expect(sends.length).toBe(counters.sent + counters.duplicated);
      expect(ofKind(evs, 'deliver').length).toBe(counters.delivered);
      expect(ofKind(evs, 'drop').length).toBe(counters.dropped);
      const ended = new Map<number, number>();
      for (const e of ends) ended.set(e.envelope, (ended.get(e.envelope) ?? 0) + 1);
      expect([...ended.values()].every((n) => n === 1)).toBe(true);
      const inFlight = new Set(c.inFlight().map((e) => e.id));
      for (const s of sends) expect(ended.has(s.envelope) !== inFlight.has(s.envelope)).toBe(true);
      // A delivery carries the fields of the message that was sent.
      const sent = new Map(sends.map((s) => [s.envelope, s.msg]));
      for (const d of ofKind(evs, 'deliver')) expect(d.msg).toEqual(sent.get(d.envelope));
    } finally {
      await c.dispose();
    }
  });

  it('says who won an election with whose votes, and who committed what with whose copies', async () => {
    const c = await Cluster.create(config({ nodes: 5, seed: 4 }));
    try {
      const leader = await settled(c);
      const h = await c.put('x', '1', { node: leader });
      await until(c, () => h.op.status === 'ok');
      await until(c, () => c.nodeIds().every((id) => c.nodeStatus(id).applied >= c.nodeStatus(leader).applied));
      const evs = c.clusterEvents();
      const won = ofKind(evs, 'role').filter((e) => e.role === 'leader' && e.node === leader);
      expect(won).toHaveLength(1);
      const w = won[0]!;
      // A majority of 5 granted, the winner among them, and each granted voter's vote event agrees.
      expect(w.votes!.granted.length).toBeGreaterThanOrEqual(3);
      expect(w.votes!.granted).toContain(leader);
      const grants = ofKind(evs, 'vote').filter((v) => v.candidate === leader && v.term === w.term && !v.preVote);
      for (const id of w.votes!.granted.filter((id) => id !== leader))
        expect(grants.find((g) => g.node === id)?.outcome).toBe('granted');
      const campaign = ofKind(evs, 'campaign').filter((e) => e.node === leader && !e.preVote && e.term === w.term);
      expect(campaign).toHaveLength(1);
      // The put's entry: committed by the leader with a quorum that holds it.
      const index = Number(h.op.result!.replace('index ', ''));
      const commit = ofKind(evs, 'commit').find((e) => e.node === leader && e.from < index && e.to >= index)!;
      expect(commit.quorum).toBeDefined();
      const holders = commit.quorum!.match.filter((m) => m.match >= commit.to).map((m) => m.id);
      expect(holders.length).toBeGreaterThanOrEqual(3);
      expect(commit.entries.map((e) => e.summary)).toContain('put x=1');
      // ...and applied everywhere with the client's request id.
      const applies = ofKind(evs, 'apply').filter((a) => a.entries.some((e) => e.index === index));
      expect(new Set(applies.map((a) => a.node)).size).toBe(5);
      expect(applies[0]!.entries.find((e) => e.index === index)!.requestId).toBe(h.op.requestId);
      // The proposal at the leader: appended at that index.
      const prop = ofKind(evs, 'proposal').find((p) => p.op === h.op.id)!;
      expect(prop.outcome).toBe('appended');
      expect(prop.appended!.last).toBe(index);
    } finally {
      await c.dispose();
    }
  });

  it('reuses stored events across seeks, cuts them on a new branch, and tells subscribers', async () => {
    const c = await Cluster.create(config());
    try {
      await session(c);
      const all = c.clusterEvents();
      const updates: EventUpdate[] = [];
      c.subscribeEvents((u) => updates.push(u));
      await c.seek(5);
      await c.seek(2);
      await c.seek(c.recorder.actions.length);
      // No event was built again or lost: the same objects, the same numbering.
      expect(c.clusterEvents()).toEqual(all);
      expect(c.clusterEvents()[all.length - 1]).toBe(all[all.length - 1]);
      expect(updates).toEqual([]);
      // Seek back and act: a new branch from step 4.
      await c.seek(4);
      const cut = c.eventsOfStep(5)[0]!.seq;
      const gen = c.eventLogInfo().generation;
      await c.advance(2);
      expect(c.eventLogInfo().generation).toBe(gen + 1);
      expect(updates[0]).toEqual({ from: cut, events: [], generation: gen + 1 });
      expect(updates[1]!.from).toBe(cut);
      const now = c.clusterEvents();
      expect(now.slice(0, cut)).toEqual(all.slice(0, cut));
      expect(now[cut]!.step).toBe(5);
      expect(now[now.length - 1]!.step).toBe(5);
      expect(c.eventsOfStep(6)).toEqual([]);
      // An explicit fork cuts the same way.
      await c.advance(1);
      const cut2 = c.eventsOfStep(6)[0]!.seq;
      await c.fork(5);
      expect(c.eventLogInfo().nextSeq).toBe(cut2);
      expect(updates[updates.length - 1]).toEqual({ from: cut2, events: [], generation: gen + 2 });
    } finally {
      await c.dispose();
    }
  });

  it('builds the same events when a run is imported (they are a function of the run)', async () => {
    const a = await Cluster.create(config({ network: { loss: 0.05 } }));
    const b = await Cluster.create(config({ seed: 99 }));
    try {
      await session(a);
      const updates: EventUpdate[] = [];
      b.subscribeEvents((u) => updates.push(u));
      await b.importRun(a.exportRunJson());
      expect(b.clusterEvents()).toEqual(a.clusterEvents());
      const last = updates[updates.length - 1]!;
      expect(last.from).toBe(0);
      expect(last.events.length).toBe(a.clusterEvents().length);
      expect(b.eventLogInfo().generation).toBeGreaterThan(0);
    } finally {
      await a.dispose();
      await b.dispose();
    }
  });

  it('keeps a bounded number of events; the oldest steps lose theirs first', async () => {
    const c = await Cluster.create(config({ keepClusterEvents: 100 }));
    try {
      for (let i = 0; i < 100; i++) await c.advance(1);
      const info = c.eventLogInfo();
      const kept = c.clusterEvents();
      expect(kept.length).toBeLessThanOrEqual(100 + 1000);
      expect(info.nextSeq).toBeGreaterThan(1100);
      expect(info.firstSeq).toBe(kept[0]!.seq);
      expect(kept[kept.length - 1]!.seq).toBe(info.nextSeq - 1);
      expect(c.eventsOfStep(0)).toEqual([]);
      expect(c.eventsOfStep(100).length).toBeGreaterThan(0);
      expect(c.clusterEvents(info.nextSeq - 3).map((e) => e.seq)).toEqual([
        info.nextSeq - 3,
        info.nextSeq - 2,
        info.nextSeq - 1,
      ]);
    } finally {
      await c.dispose();
    }
  });

  it('gives the same events with the nodes in worker threads (facts survive postMessage)', async () => {
    const run = async (runtime: RuntimeFactory) => {
      const c = await Cluster.create(config({ runtime, network: { loss: 0.05 } }));
      try {
        await session(c);
        return c.clusterEvents();
      } finally {
        await c.dispose();
      }
    };
    const local = await run(inProcessRuntime);
    const workers = await run(nodeWorkerRuntime);
    expect(workers).toEqual(local);
    expect(ofKind(local, 'append').length).toBeGreaterThan(0);
  }, 30_000);

  it('learns a crash one way, whether the user crashed the node or its code threw', async () => {
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
    try {
      await settled(c);
      await c.crash(3);
      armed = true;
      await c.advance(3);
      armed = false;
      const evs = c.clusterEvents();
      expect(ofKind(evs, 'crash').map((e) => [e.node, e.incarnation])).toEqual([
        [3, 1],
        [2, 1],
      ]);
      const panic = ofKind(evs, 'panic')[0]!;
      expect(panic).toMatchObject({ node: 2, message: 'node 2 panicked: test' });
      const crash2 = ofKind(evs, 'crash').find((e) => e.node === 2)!;
      expect(crash2.seq).toBeGreaterThan(panic.seq);
      await c.restart(2);
      const restart = ofKind(c.clusterEvents(), 'restart')[0]!;
      expect(restart).toMatchObject({ node: 2, incarnation: 2 });
      expect(restart.term).toBe(c.disk(2).hardState.term);
    } finally {
      await c.dispose();
    }
  });
});

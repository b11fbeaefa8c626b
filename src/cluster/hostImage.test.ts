import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Message } from '../raft/raftpb/types';
import { graphDiff } from './graphDiff';
import { EntryCache, EntryChannel, EntryTable } from './entryTable';
import { hostRestorePayload, receiveHostImage, type HostImage } from './hostImage';
import { NodeHost } from './nodeHost';
import { ShapeTable, type GraphCodecError, type Shape } from './objectGraph';
import { unpack } from './packed';
import type { HostCommand, HostResult, NodeConfig, ReadyStage } from './protocol';
import { encodePut } from './stateMachines/kvStore';
import { testNodeConfig } from './testLoop';

/** A host process: its cache and shape table, and (on the main thread's side) which eids and shapes it holds. */
interface Proc {
  cache: EntryCache;
  shapeTable: ShapeTable;
  channel: EntryChannel;
  shapes: Shape[];
}
const proc = (): Proc => ({
  cache: new EntryCache(),
  shapeTable: new ShapeTable(),
  channel: new EntryChannel(),
  shapes: [],
});

/** Takes a host's image the way a checkpoint does (through structured clone, eids learned). */
function image(host: NodeHost, p: Proc, table: EntryTable): HostImage {
  p.cache.use(table.id);
  const raw = structuredClone(host.image(p.cache, p.shapeTable, p.shapes.length));
  const { image, freshEids } = receiveHostImage(raw, table, p.channel, p.shapes);
  p.cache.learn(table.id, freshEids);
  return image;
}

/** What an image holds, decoded (two images of equal hosts are equal data, whoever made them). */
function contents(img: HostImage): unknown {
  return { graph: unpack(img.bytes), shapes: [...img.shapes], fresh: [...img.fresh], eids: img.eids };
}

/** Restores an image the way a restore does (into another process). */
function restore(img: HostImage, p: Proc, table: EntryTable): NodeHost {
  return NodeHost.fromImage(structuredClone(hostRestorePayload(img, table, p.channel)), p.cache);
}

/** A few hosts and a FIFO network, driven by hand. */
class Net {
  queue: Message[] = [];
  constructor(readonly hosts: Map<number, NodeHost>) {}

  static start(ids: number[], over: Partial<NodeConfig> = {}, learners: number[] = []): Net {
    const voters = ids.filter((id) => !learners.includes(id));
    return new Net(
      new Map(ids.map((id) => [id, new NodeHost({ config: testNodeConfig(id, over), voters, learners })])),
    );
  }

  run(id: number, cmds: HostCommand[]): HostResult[] {
    const res = structuredClone(this.hosts.get(id)!.run(structuredClone(cmds)));
    for (const r of res) if (r.kind === 'cycles') for (const rec of r.records) this.queue.push(...rec.sent);
    return res;
  }

  deliver(id: number): HostResult[] {
    const msgs = this.queue.filter((m) => m.to === id);
    this.queue = this.queue.filter((m) => m.to !== id);
    return this.run(id, [{ kind: 'step', msgs }]);
  }

  /** Cycles and deliveries until quiet. */
  settle(rounds = 50): void {
    for (let i = 0; i < rounds; i++) {
      for (const id of this.hosts.keys()) this.run(id, [{ kind: 'cycle', maxCycles: 16 }]);
      if (this.queue.length === 0) return;
      for (const id of this.hosts.keys()) this.deliver(id);
    }
  }

  /** Every host checkpointed and restored into other processes: the copy of this world. */
  clone(table: EntryTable): Net {
    const hosts = new Map<number, NodeHost>();
    for (const [id, h] of this.hosts) hosts.set(id, restore(image(h, proc(), table), proc(), table));
    const n = new Net(hosts);
    n.queue = structuredClone(this.queue);
    return n;
  }
}

const put = (k: string, v: string): HostCommand => ({ kind: 'propose', data: encodePut(k, v, `r-${k}-${v}`) });

/** A 3-node cluster with a leader, some entries, a half-done manual Ready and in-flight messages. */
function busyNet(): Net {
  const net = Net.start([1, 2, 3]);
  net.settle();
  net.run(1, [{ kind: 'campaign' }]);
  net.settle();
  for (let i = 0; i < 12; i++) net.run(1 + (i % 3), [put(`k${i % 4}`, `v${i}`)]);
  net.settle();
  net.run(1, [put('x', 'y'), { kind: 'readIndex', ctx: new TextEncoder().encode('rd') }]);
  net.run(1, [{ kind: 'stage', stage: 'persist' }]);
  net.run(2, [{ kind: 'tick', count: 3 }]);
  return net;
}

describe('host images', () => {
  it('a restored host encodes to the same image (round trip), in many states', () => {
    const states: [string, Net][] = [
      ['fresh', Net.start([1, 2, 3])],
      ['busy leader with a manual Ready under way', busyNet()],
      ['learners and the appender', Net.start([1, 2, 3], { stateMachine: 'appender' }, [3])],
    ];
    const snap = Net.start([1, 2], { snapCount: 3, snapshotCatchUpEntries: 1 });
    snap.settle();
    snap.run(1, [{ kind: 'campaign' }]);
    snap.settle();
    // Enough keys that the snapshot data is interned as a byte array (see entryTable.ts).
    for (let i = 0; i < 40; i++) snap.run(1, [put(`key-${i}`, `value-${i}-${'x'.repeat(8)}`)]);
    snap.settle();
    states.push(['after own snapshots and compaction', snap]);
    let blobs = 0;
    for (const [what, net] of states) {
      const table = new EntryTable();
      for (const [id, h] of net.hosts) {
        const a = image(h, proc(), table);
        const restored = restore(a, proc(), table);
        const b = image(restored, proc(), table);
        expect(contents(b), `${what}, node ${id}`).toStrictEqual(contents(a));
        // The restored object graph itself equals the original, field by field and class by class.
        expect(graphDiff(restored, h), `${what}, node ${id}: deep state`).toBeUndefined();
        expect(restored).not.toBe(h);
        expect(restored.rn.raft.raftLog.storage).toBe(restored.storage);
      }
      blobs += table.entries.filter((v) => v instanceof Uint8Array).length;
    }
    expect(blobs).toBeGreaterThan(0);
  });

  it('entries cross as eids: a second image of the same log sends no entry again', () => {
    const net = busyNet();
    const table = new EntryTable();
    const p = proc();
    const h = net.hosts.get(1)!;
    p.cache.use(table.id);
    const first = structuredClone(h.image(p.cache, p.shapeTable, 0));
    expect(first.fresh.length).toBeGreaterThan(10);
    const { freshEids } = receiveHostImage(first, table, p.channel, p.shapes);
    p.cache.learn(table.id, freshEids);
    const second = h.image(p.cache, p.shapeTable, p.shapes.length);
    expect(second.fresh).toHaveLength(0);
    // ... nor any shape: the main thread has the process's table.
    expect(second.shapes.list).toHaveLength(0);
    // The other nodes' copies of the same entries intern to the same eids.
    const before = table.size;
    image(net.hosts.get(2)!, proc(), table);
    expect(table.size).toBeLessThanOrEqual(before + 2);
  });

  it('the deep comparison sees a changed field, class, byte or sharing', () => {
    const h = Net.start([1, 2, 3]).hosts.get(1)!;
    const table = new EntryTable();
    const fresh = (): NodeHost => restore(image(h, proc(), table), proc(), table);
    expect(graphDiff(fresh(), h)).toBeUndefined();
    const term = fresh();
    term.rn.raft.term += 1;
    expect(graphDiff(term, h)).toMatch(/raft\.term/);
    const cls = fresh();
    Object.setPrototypeOf(cls.rn.raft.raftLog, Object.prototype);
    expect(graphDiff(cls, h)).toMatch(/raftLog: class/);
    const shared = fresh();
    (shared as unknown as { storage: unknown }).storage = { ...shared.storage };
    expect(graphDiff(shared, h)).toBeDefined();
  });

  it('names what it cannot encode, with its path', () => {
    const net = Net.start([1, 2, 3]);
    const h = net.hosts.get(1)!;
    (h.rn.raft as unknown as { hook: () => number }).hook = () => 1;
    let err: GraphCodecError | undefined;
    try {
      h.image(new EntryCache(), new ShapeTable(), 0);
    } catch (e) {
      err = e as GraphCodecError;
    }
    expect(err?.message).toMatch(/cannot encode function .* at root\.rn\.raft\.hook$/);
    class Unknown {
      x = 1;
    }
    delete (h.rn.raft as unknown as { hook?: unknown }).hook;
    (h.sm as unknown as { extra: Unknown }).extra = new Unknown();
    expect(() => h.image(new EntryCache(), new ShapeTable(), 0)).toThrow(
      /unregistered class Unknown at root\.sm\.extra/,
    );
  });

  // Behavioural equivalence: a world of restored hosts answers every later command
  // exactly as the original world does.
  const stages: ReadyStage[] = ['persist', 'send', 'apply', 'advance'];
  const cmd = fc.oneof(
    fc.record({
      t: fc.constant('tick' as const),
      node: fc.integer({ min: 1, max: 3 }),
      n: fc.integer({ min: 1, max: 12 }),
    }),
    fc.record({ t: fc.constant('deliver' as const), node: fc.integer({ min: 1, max: 3 }) }),
    fc.record({ t: fc.constant('cycle' as const), node: fc.integer({ min: 1, max: 3 }) }),
    fc.record({
      t: fc.constant('put' as const),
      node: fc.integer({ min: 1, max: 3 }),
      k: fc.integer({ min: 0, max: 5 }),
    }),
    fc.record({ t: fc.constant('campaign' as const), node: fc.integer({ min: 1, max: 3 }) }),
    fc.record({ t: fc.constant('read' as const), node: fc.integer({ min: 1, max: 3 }) }),
    fc.record({
      t: fc.constant('stage' as const),
      node: fc.integer({ min: 1, max: 3 }),
      s: fc.integer({ min: 0, max: 3 }),
    }),
    fc.record({
      t: fc.constant('compact' as const),
      node: fc.integer({ min: 1, max: 3 }),
      back: fc.integer({ min: 0, max: 3 }),
    }),
    fc.record({
      t: fc.constant('transfer' as const),
      node: fc.integer({ min: 1, max: 3 }),
      to: fc.integer({ min: 1, max: 3 }),
    }),
  );
  type Cmd = typeof cmd extends fc.Arbitrary<infer T> ? T : never;

  function apply(net: Net, c: Cmd, i: number): unknown {
    switch (c.t) {
      case 'tick':
        return net.run(c.node, [
          { kind: 'tick', count: c.n },
          { kind: 'cycle', maxCycles: 8 },
        ]);
      case 'deliver':
        return net.deliver(c.node);
      case 'cycle':
        return net.run(c.node, [{ kind: 'cycle', maxCycles: 8 }]);
      case 'put':
        return net.run(c.node, [put(`k${c.k}`, `v${i}`)]);
      case 'campaign':
        return net.run(c.node, [{ kind: 'campaign' }]);
      case 'read':
        return net.run(c.node, [{ kind: 'readIndex', ctx: new TextEncoder().encode(`rd${i}`) }]);
      case 'stage':
        return net.run(c.node, [{ kind: 'stage', stage: stages[c.s]! }]);
      case 'compact': {
        const [o] = net.run(c.node, [{ kind: 'observe' }]);
        const applied = o?.kind === 'observation' ? o.observation.applied : 0;
        return net.run(c.node, [{ kind: 'compact', index: Math.max(1, applied - c.back) }]);
      }
      case 'transfer':
        return net.run(c.node, [{ kind: 'transferLeader', to: c.to }]);
    }
  }

  it('a restored world behaves exactly as the original one (property)', () => {
    fc.assert(
      fc.property(
        fc.array(cmd, { minLength: 10, maxLength: 80 }),
        fc.array(cmd, { maxLength: 80 }),
        (before, after) => {
          const a = Net.start([1, 2, 3]);
          a.settle();
          before.forEach((c, i) => apply(a, c, i));
          const table = new EntryTable();
          const b = a.clone(table);
          for (const id of [1, 2, 3]) expect(graphDiff(b.hosts.get(id), a.hosts.get(id)), `node ${id}`).toBeUndefined();
          after.forEach((c, i) => {
            const ra = apply(a, c, 1000 + i);
            const rb = apply(b, c, 1000 + i);
            expect(rb).toStrictEqual(ra);
          });
          expect(b.queue).toStrictEqual(a.queue);
          for (const id of [1, 2, 3]) {
            const t2 = new EntryTable();
            expect(contents(image(b.hosts.get(id)!, proc(), t2))).toStrictEqual(
              contents(image(a.hosts.get(id)!, proc(), t2)),
            );
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

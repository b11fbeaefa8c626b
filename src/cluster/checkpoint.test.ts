import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { Cluster, type ClusterConfig, type ClusterObservation } from './cluster';
import type { ClientOp } from './client';
import type { ClusterEvent } from './events';
import { createRandom } from './random';
import type { RecordedAction, TraceEvent } from './recorder';
import { inProcessHost, inProcessRuntime } from './runtime/inProcess';
import { ProcessPool } from './runtime/processPool';
import { serializedSize } from './serializedSize';

/** Dense checkpoints, so that a short run has many. */
function config(over: Partial<ClusterConfig> = {}): ClusterConfig {
  return {
    nodes: 5,
    seed: 41,
    runtime: inProcessRuntime,
    raft: { snapCount: 40, snapshotCatchUpEntries: 10 },
    network: { loss: 0.02 },
    checkpoints: { everyActions: 7, everyEvents: 150 },
    // Every typed event kept, so that whole event logs can be compared.
    keepClusterEvents: Infinity,
    ...over,
  };
}

/**
 * A seeded workload: steps and ticks, puts and gets, crashes, restarts, partitions,
 * heals, pauses, refusals. `until(c, n)` records actions until the run has n; the
 * choices continue from one call to the next.
 */
function makeWorkload(seed: number): { until(c: Cluster, actions: number): Promise<void> } {
  const r = createRandom(seed);
  let partitioned = false;
  return {
    until: async (c, actions) => {
      while (c.recorder.actions.length < actions) {
        const x = r.nextInt(100);
        const ids = c.nodeIds();
        const alive = ids.filter((id) => c.nodeStatus(id).status === 'alive');
        const crashed = ids.filter((id) => c.nodeStatus(id).status === 'crashed');
        const paused = alive.filter((id) => c.nodeStatus(id).paused);
        const any = (xs: number[]): number => xs[r.nextInt(xs.length)]!;
        try {
          if (x < 35) await c.step();
          else if (x < 58) await c.advance(1);
          else if (x < 72)
            await c.put(`k${r.nextInt(8)}`, `v${r.nextInt(1000)}-${'y'.repeat(40)}`, { node: any(alive) });
          else if (x < 77) await c.get(`k${r.nextInt(5)}`, { linearizable: r.nextInt(2) === 0 });
          else if (x < 81) await (crashed.length < 2 ? c.crash(any(alive)) : c.step());
          else if (x < 86) await (crashed.length > 0 ? c.restart(any(crashed)) : c.step());
          else if (x < 89) {
            if (partitioned) await c.step();
            else await c.partition([[...new Set([any(ids), any(ids)])]]);
            partitioned = true;
          } else if (x < 93) {
            if (partitioned) await c.heal();
            else await c.step();
            partitioned = false;
          } else if (x < 95) await (paused.length === 0 ? c.pause(any(alive)) : c.resume(paused[0]!));
          else if (x < 96) await c.compact(1, { node: any(alive) });
          else if (x < 98) await c.advance(4);
          else await c.restart(any(alive)); // refused: it is running
        } catch {
          // refused actions are part of the run
        }
      }
    },
  };
}

async function workload(c: Cluster, actions: number, seed: number): Promise<void> {
  await makeWorkload(seed).until(c, actions);
}

/** Everything observable about the state at one step. */
interface Snapshot {
  /** Without eventLog: a seek back keeps the later steps' typed events (eventLog.ts), a straight run has none yet. */
  observation: Omit<ClusterObservation, 'eventLog'>;
  history: ClientOp[];
  events: TraceEvent[];
  /** The typed events of the steps up to the current one (seq and step included). */
  clusterEvents: ClusterEvent[];
  hash: string;
}

async function snapshot(c: Cluster): Promise<Snapshot> {
  const { eventLog: _, ...observation } = await c.observe();
  const step = c.recorder.cursor;
  return {
    observation: structuredClone(observation),
    history: structuredClone([...c.history]),
    events: [...c.events],
    clusterEvents: structuredClone(c.clusterEvents().filter((e) => e.step <= step)),
    hash: c.traceHash(),
  };
}

/** Applies a recorded action again through the façade (refusals included). */
async function reissue(c: Cluster, a: RecordedAction): Promise<void> {
  const [a0, a1, a2, a3] = a.args as [unknown, unknown, unknown, unknown];
  const n = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
  const call = (): Promise<unknown> => {
    switch (a.kind) {
      case 'step':
        return c.step();
      case 'advance':
        return c.advance(a0 as number);
      case 'put': {
        const o: { node?: number; client?: string } = {};
        if (n(a2) !== undefined) o.node = n(a2)!;
        if (typeof a3 === 'string') o.client = a3;
        return c.put(a0 as string, a1 as string, o);
      }
      case 'get':
        return c.get(a0 as string, { ...(n(a1) === undefined ? {} : { node: n(a1)! }), ...((a2 ?? {}) as object) });
      case 'crash':
        return c.crash(a0 as number);
      case 'restart':
        return c.restart(a0 as number);
      case 'pause':
        return c.pause(a0 as number);
      case 'resume':
        return c.resume(a0 as number);
      case 'partition':
        return c.partition(a0 as number[][]);
      case 'heal':
        return c.heal();
      case 'compact':
        return c.compact(a0 as number, n(a1) === undefined ? {} : { node: n(a1)! });
      default:
        throw new Error(`reissue: ${a.kind} not handled by this test`);
    }
  };
  await call().catch(() => undefined);
}

describe('checkpoints', () => {
  it('seeking to a step, then playing the rest, gives the straight run (20+ seek points)', async () => {
    const actions = 320;
    const r = createRandom(2024);
    const points = [...new Set(Array.from({ length: 26 }, () => r.nextInt(actions + 1)))].sort((a, b) => a - b);
    expect(points.length).toBeGreaterThanOrEqual(20);

    // The straight run, with what it looked like at each seek point.
    const straight = await Cluster.create(config());
    const wl = makeWorkload(7);
    const at = new Map<number, Snapshot>();
    for (const p of points) {
      await wl.until(straight, p);
      at.set(p, await snapshot(straight));
    }
    await wl.until(straight, actions);
    const end = await snapshot(straight);
    expect(end.clusterEvents.length).toBeGreaterThan(actions);
    const recorded = straight.recorder.actions.slice();
    expect(straight.recorder.store.size).toBeGreaterThan(20);
    // The run has everything the checkpoints must carry.
    const kinds = new Set(recorded.map((a) => a.kind));
    for (const k of ['crash', 'restart', 'partition', 'heal', 'put', 'get', 'pause', 'resume'] as const)
      expect(kinds).toContain(k);
    expect(recorded.some((a) => a.result.startsWith('error: '))).toBe(true);
    // Snapshot data went into the checkpoints as shared byte arrays.
    expect(straight.recorder.store.table.entries.some((v) => v instanceof Uint8Array)).toBe(true);

    // Seek around (backwards and forwards, so both restores and plays on happen).
    const order = [...points].sort(() => 0).reverse();
    let restored = 0;
    for (const p of order) {
      await straight.seek(p);
      if (straight.lastSeek?.from === 'checkpoint') restored++;
      const s = await snapshot(straight);
      expect(s.hash, `hash at ${p}`).toBe(at.get(p)!.hash);
      expect(s.observation, `observation at ${p}`).toStrictEqual(at.get(p)!.observation);
      expect(s.history, `history at ${p}`).toStrictEqual(at.get(p)!.history);
      expect(s.events, `events at ${p}`).toStrictEqual(at.get(p)!.events);
      expect(s.clusterEvents, `typed events at ${p}`).toStrictEqual(at.get(p)!.clusterEvents);
    }
    expect(restored).toBeGreaterThan(points.length / 2);

    // From each seek point, play the recorded rest as new actions (a fork that redoes
    // the same tail): the same end, and the same results on the way.
    for (const p of points) {
      await straight.fork(p);
      expect(straight.lastSeek?.step).toBe(p);
      for (const a of recorded.slice(p)) await reissue(straight, a);
      const s = await snapshot(straight);
      expect(s.hash, `end after seeking to ${p}`).toBe(end.hash);
      expect(s.observation, `end observation after seeking to ${p}`).toStrictEqual(end.observation);
      expect(s.history, `end history after seeking to ${p}`).toStrictEqual(end.history);
      expect(s.events, `end events after seeking to ${p}`).toStrictEqual(end.events);
      // The typed events the restored world produced as new actions (its event sink and
      // the hosts' probes came from the checkpoint) are those of the straight run.
      expect(s.clusterEvents, `end typed events after seeking to ${p}`).toStrictEqual(end.clusterEvents);
      expect(straight.recorder.actions.map((a) => [a.kind, a.args, a.result])).toStrictEqual(
        recorded.map((a) => [a.kind, a.args, a.result]),
      );
    }
    await straight.dispose();
  }, 300_000);

  it('an imported run seeks from the checkpoints its replay took', async () => {
    const c = await Cluster.create(config());
    await workload(c, 150, 3);
    const hashes = c.recorder.checkpoints.map((cp) => cp.traceHash);
    const d = await Cluster.create(config({ seed: 1, nodes: 3 }));
    await d.importRun(c.exportRunJson());
    expect(d.recorder.store.size).toBeGreaterThan(10);
    for (const s of [149, 3, 77, 150, 20, 100]) {
      await d.seek(s);
      expect(d.traceHash()).toBe(hashes[s - 1]);
    }
    // A fork drops the checkpoints after it.
    await d.fork(60);
    expect(d.recorder.store.all.every((cp) => cp.step <= 60)).toBe(true);
    await c.dispose();
    await d.dispose();
  }, 120_000);

  it('without checkpoints (or a runtime that cannot restore), seeking replays from the start', async () => {
    const c = await Cluster.create(config({ checkpoints: false }));
    await workload(c, 60, 5);
    const h = c.traceHash();
    expect(c.recorder.store.size).toBe(0);
    await c.seek(30);
    expect(c.lastSeek?.from).toBe('start');
    await c.seek(60);
    expect(c.traceHash()).toBe(h);
    await c.dispose();
  }, 60_000);

  it('accounts for checkpoint memory as structured clone would write it', async () => {
    // The model against V8's serializer on values of every kind.
    const samples: unknown[] = [
      {
        a: 1,
        b: 'text',
        c: [1, 2.5, -3],
        d: new Map([[1, { x: 'é' }]]),
        e: new Set([1]),
        f: new Uint8Array(9),
        g: null,
      },
      Array.from({ length: 200 }, (_, i) => ({ term: 3, index: i + 1000, type: 0, data: new Uint8Array(20) })),
    ];
    for (const v of samples) {
      const model = serializedSize(v);
      const real = v8.serialize(v).length;
      expect(model).toBeGreaterThan(real * 0.85);
      expect(model).toBeLessThan(real * 1.15);
    }
    // A store of a real run: the packed images counted once each, the pools by the model.
    const c = await Cluster.create(config());
    await workload(c, 200, 11);
    const store = c.recorder.store;
    const m = store.memory();
    expect(m.checkpoints).toBe(store.size);
    expect(m.bytes).toBe(m.worlds + m.entries + m.ops + m.segments);
    const images = new Set<unknown>();
    let packed = 0;
    for (const cp of store.all) {
      packed += cp.world.main.length;
      for (const [, h] of cp.world.hosts) {
        if (images.has(h)) continue;
        images.add(h);
        packed += h.bytes.length;
      }
    }
    expect(m.hosts).toBeGreaterThan(0);
    expect(m.hosts).toBeLessThan(m.worlds);
    expect(m.worlds).toBeGreaterThanOrEqual(packed);
    expect(m.worlds).toBeLessThan(packed + 800 * (images.size + store.size));
    const entries = v8.serialize(store.table.entries).length;
    expect(m.entries).toBeGreaterThan(entries * 0.85);
    expect(m.entries).toBeLessThan(entries * 1.15);
    // A node whose host did not change between two checkpoints shares its image.
    const paused = await Cluster.create(config({ checkpoints: { everyActions: 2, everyEvents: 1e9 } }));
    await paused.advance(20);
    await paused.pause(2);
    for (let i = 0; i < 6; i++) await paused.advance(1);
    const cps = paused.recorder.store.all.slice(-2);
    const of = (cp: (typeof cps)[number]) => cp.world.hosts.find(([id]) => id === 2)![1];
    expect(of(cps[0]!)).toBe(of(cps[1]!));
    expect(of(cps[0]!)).not.toBe(cps[0]!.world.hosts.find(([id]) => id === 1)![1]);
    await paused.dispose();
    // A fork gives back what the dropped checkpoints held.
    const half = store.all[Math.floor(store.size / 2)]!.step;
    await c.fork(half);
    const after = store.memory();
    expect(after.checkpoints).toBeLessThan(m.checkpoints);
    expect(after.worlds).toBeLessThan(m.worlds);
    // Over budget, the store thins itself out and doubles its intervals.
    const small = await Cluster.create(
      config({ checkpoints: { everyActions: 3, everyEvents: 60, budgetBytes: 300_000 } }),
    );
    await workload(small, 200, 11);
    const sm = small.recorder.store.memory();
    expect(sm.bytes).toBeLessThanOrEqual(300_000);
    expect(small.recorder.store.policy.everyActions).toBeGreaterThan(3);
    await c.dispose();
    await small.dispose();
  }, 120_000);
});

describe('checkpoints after heavy actions', () => {
  it('a restarted node re-applying its log gets a checkpoint soon after, which seeks start from and thinning keeps', async () => {
    // No raft snapshots, so a restarted node re-applies its whole log from its disk.
    // Ordinary stretches (40 actions, about 120 entries through the Readies) stay
    // under everyEntries; the catch-up of a 400-entry log is over it.
    const c = await Cluster.create(
      config({
        nodes: 3,
        network: {},
        raft: { snapCount: 100_000 },
        checkpoints: { everyActions: 40, everyEvents: 1e9, everyEntries: 300, lightCycle: 16 },
      }),
    );
    const store = c.recorder.store;
    // The largest last cycle of any node (the world is private: reached for the test).
    const world = (): { sched: { largestLastCycle(): number } } =>
      (c as unknown as { world: ReturnType<typeof world> }).world;
    const largest = (): number => world().sched.largestLastCycle();
    await c.advance(30);
    for (let i = 0; i < 400; i++) {
      await c.put(`k${i % 8}`, `v${i}`);
      await c.advance(1);
    }
    await c.crash(3);
    await c.advance(2);
    await c.restart(3);
    expect(store.all.filter((cp) => cp.heavy)).toHaveLength(0);
    // The catch-up: node 3 re-applies its log in one cycle.
    while (largest() < 399) await c.advance(1);
    const heavyStep = c.recorder.cursor;
    // Not while that cycle is the node's last one (a checkpoint would copy it)...
    expect(store.latest(heavyStep)!.step).toBeLessThan(heavyStep);
    // ...but at the first step after its next cycle.
    while (largest() > 16) await c.advance(5);
    const light = c.recorder.cursor;
    expect(light - heavyStep).toBeLessThan(40);
    const h = store.latest(light)!;
    expect(h).toMatchObject({ step: light, heavy: true });
    expect(h.entries - store.latest(heavyStep - 1)!.entries).toBeGreaterThanOrEqual(399);
    expect(h.bytes).toBeLessThan(2 * store.latest(heavyStep - 1)!.bytes);
    // A seek past it restores it instead of replaying the catch-up.
    await c.advance(1);
    await c.seek(heavyStep);
    await c.seek(light + 1);
    expect(c.lastSeek).toMatchObject({ from: 'checkpoint', base: light, replayed: 1 });
    // Over budget, every other checkpoint goes, the heavy one stays.
    const count = store.size;
    store.policy = { ...store.policy, budgetBytes: store.memory().bytes };
    for (let i = 0; i < 45; i++) await c.advance(1);
    expect(store.size).toBeLessThan(count);
    expect(store.all).toContain(h);
    expect(store.memory().bytes).toBeLessThanOrEqual(store.policy.budgetBytes);
    await c.dispose();
  }, 120_000);
});

describe('host processes on seek', () => {
  it('a seek that restores a checkpoint reuses the pooled processes instead of starting new ones', async () => {
    // The in-process pool's processes, counted as they are spawned.
    let spawned = 0;
    const pool = new ProcessPool(() => {
      spawned++;
      return inProcessHost();
    });
    const c = await Cluster.create(config({ runtime: pool.factory() }));
    await workload(c, 120, 17);
    const before = spawned;
    // At most one process per node the cluster ever ran, plus one per node during a
    // seek (the new world restores before the old one is disposed).
    expect(before).toBeLessThanOrEqual(2 * c.nodeIds().length);
    const hashes = c.recorder.checkpoints.map((cp) => cp.traceHash);
    for (const s of [100, 30, 90, 25, 60, 119, 15, 75]) {
      await c.seek(s);
      expect(c.lastSeek?.from).toBe('checkpoint');
      expect(c.traceHash()).toBe(hashes[s - 1]);
    }
    // Eight restores of five hosts each, and at most one new process per node in all.
    expect(spawned - before).toBeLessThanOrEqual(c.nodeIds().length);
    await c.dispose();
    await pool.drain();
  }, 120_000);
});

describe('replaying on a replay runtime', () => {
  /** An in-process pool that counts the processes lent out, and whose restores can be made to fail. */
  function countedPool(): { pool: ProcessPool; inUse: () => number; failRestores: (on: boolean) => void } {
    const used = new Set<object>();
    let fail = false;
    const pool = new ProcessPool(() => {
      const p = inProcessHost();
      const self = {
        ...p,
        restore: (payload: Parameters<typeof p.restore>[0]) =>
          fail ? Promise.reject(new Error('restore refused by the test')) : p.restore(payload),
        inUse: (u: boolean) => void (u ? used.add(self) : used.delete(self)),
      };
      return self;
    });
    return { pool, inUse: () => used.size, failRestores: (on) => void (fail = on) };
  }

  it('seeks replay on the replay runtime, the next action moves the hosts back, and the run is the same', async () => {
    const live = countedPool();
    const replay = countedPool();
    const c = await Cluster.create(config({ runtime: live.pool.factory(), replayRuntime: replay.pool.factory() }));
    const wl = makeWorkload(23);
    await wl.until(c, 200);
    const running = (): number => c.nodeIds().filter((id) => c.nodeStatus(id).status === 'alive').length;
    expect(c.onReplayRuntime).toBe(false);
    expect(replay.inUse()).toBe(0);
    const hashes = c.recorder.checkpoints.map((cp) => cp.traceHash);
    const end = await snapshot(c);
    const recorded = c.recorder.actions.slice();

    for (const s of [150, 40, 180, 7, 120]) {
      await c.seek(s);
      expect(c.lastSeek?.from).not.toBe('current');
      expect(c.traceHash()).toBe(hashes[s - 1]);
      // Every running host is on the replay runtime; none is left on the live one.
      expect(c.onReplayRuntime).toBe(true);
      expect(replay.inUse()).toBe(running());
      expect(live.inUse()).toBe(0);
    }

    // Moving them changes nothing a run can see.
    const before = await snapshot(c);
    await c.toLiveRuntime();
    expect(c.onReplayRuntime).toBe(false);
    expect(live.inUse()).toBe(running());
    expect(replay.inUse()).toBe(0);
    expect(await snapshot(c)).toStrictEqual(before);

    // A move that fails refuses the action, records nothing, and leaves the hosts
    // where they were; the same action succeeds once the move does.
    await c.seek(60);
    const step = c.currentStep;
    live.failRestores(true);
    await expect(c.step()).rejects.toThrow('restore refused by the test');
    expect(c.currentStep).toBe(step);
    expect(c.onReplayRuntime).toBe(true);
    expect(c.traceHash()).toBe(hashes[59]);
    live.failRestores(false);

    // From there, the recorded tail played as new actions: each moves nothing after the first.
    await c.fork(60);
    for (const a of recorded.slice(60)) await reissue(c, a);
    expect(c.onReplayRuntime).toBe(false);
    expect(replay.inUse()).toBe(0);
    const s = await snapshot(c);
    expect(s.hash).toBe(end.hash);
    expect(s.observation).toStrictEqual(end.observation);
    expect(s.clusterEvents).toStrictEqual(end.clusterEvents);

    // An import replays there too.
    const d = await Cluster.create(
      config({ seed: 2, runtime: live.pool.factory(), replayRuntime: replay.pool.factory() }),
    );
    await d.importRun(c.exportRunJson());
    expect(d.onReplayRuntime).toBe(true);
    expect(d.traceHash()).toBe(end.hash);
    await d.step();
    expect(d.onReplayRuntime).toBe(false);
    await c.dispose();
    await d.dispose();
    expect(live.inUse() + replay.inUse()).toBe(0);
    await live.pool.drain();
    await replay.pool.drain();
  }, 180_000);
});

import { describe, expect, it } from 'vitest';
import {
  MsgHeartbeat,
  MsgHeartbeatResp,
  newHardState,
  newMessage,
  newSnapshot,
  type Message,
} from '../raft/raftpb/types';
import { Bus } from './bus';
import { NodeTimer, tickIntervalFor } from './clock';
import type {
  BootInfo,
  CycleRecord,
  DiskState,
  DiskWrite,
  HostCommand,
  HostResult,
  NodeRuntime,
  RuntimeFactory,
} from './protocol';
import { createRandom } from './random';
import { Trace } from './recorder';
import { Scheduler, type DiskLike } from './scheduler';

/**
 * A fake host: each tick it heartbeats every peer; it answers every heartbeat.
 * Outgoing messages wait for a cycle (like a Ready). Deterministic in its inputs.
 * With `jitterMs`, each run() answers after a wall-clock delay drawn per node (so the
 * nodes' answers arrive in a shuffled order).
 */
function pingFactory(peers: number[], jitterMs = 0, log?: string[]): RuntimeFactory {
  return async (boot: BootInfo): Promise<NodeRuntime> => {
    const id = boot.config.id;
    let ticks = boot.disk?.hardState.term ?? 0;
    let received = 0;
    let outbox: Message[] = [];
    const delays = createRandom(id);
    const exec = (c: HostCommand): HostResult => {
      switch (c.kind) {
        case 'tick':
          for (let i = 0; i < c.count; i++) {
            ticks++;
            for (const p of peers)
              if (p !== id) outbox.push(newMessage({ type: MsgHeartbeat, from: id, to: p, term: ticks }));
          }
          return { kind: 'ok', logLines: [] };
        case 'step':
          for (const m of c.msgs) {
            received++;
            log?.push(`${id}<-${m.from}:${m.type}:${m.term}`);
            if (m.type === MsgHeartbeat)
              outbox.push(newMessage({ type: MsgHeartbeatResp, from: id, to: m.from, term: m.term }));
          }
          return { kind: 'ok', logLines: [] };
        case 'cycle': {
          if (outbox.length === 0) return { kind: 'cycles', records: [], logLines: [] };
          const persisted: DiskWrite = { hardState: newHardState({ term: ticks, commit: received }), entries: [] };
          const rec: CycleRecord = {
            node: id,
            ready: {
              softState: undefined,
              hardState: persisted.hardState,
              readStates: [],
              entries: [],
              snapshot: undefined,
              committedEntries: [],
              messages: outbox,
              mustSync: true,
            },
            readyText: '',
            stagesDone: ['persist', 'send', 'apply', 'advance'],
            persisted,
            sent: outbox,
            applied: [],
            readStates: [],
            logLines: [],
          };
          outbox = [];
          return { kind: 'cycles', records: [rec], logLines: [] };
        }
        case 'get':
          return { kind: 'value', value: String(received), logLines: [] };
        default:
          return { kind: 'ok', logLines: [] };
      }
    };
    return {
      id,
      async run(cmds) {
        if (jitterMs > 0) await new Promise((r) => setTimeout(r, delays.nextFloat() * jitterMs));
        return cmds.map(exec);
      },
      async terminate() {},
    };
  };
}

function memDisk(initial?: DiskState): DiskLike {
  let st: DiskState = initial ?? { hardState: newHardState(), snapshot: newSnapshot(), entries: [] };
  return {
    apply(w) {
      if (w.hardState) st = { ...st, hardState: w.hardState };
    },
    snapshotState: () => structuredClone(st),
    peekState: () => st,
    isEmpty: () => st.hardState.term === 0,
  };
}

async function makeSched(n: number, opts: { seed?: number; jitterMs?: number; log?: string[]; skew?: number[] } = {}) {
  const peers = Array.from({ length: n }, (_, i) => i + 1);
  const trace = new Trace();
  const bus = new Bus(createRandom(opts.seed ?? 1), { latency: 0.3, jitter: 0.6 });
  const sched = new Scheduler({ bus, trace, factory: pingFactory(peers, opts.jitterMs, opts.log), makeDisk: memDisk });
  for (const id of peers) {
    const boot = { config: { id } as BootInfo['config'], voters: peers, learners: [] };
    await sched.startNode(boot, tickIntervalFor(1, opts.skew?.[id - 1] ?? 0));
  }
  return sched;
}

describe('clock', () => {
  it('ticks on an exact grid and skips ticks missed while paused', () => {
    const t = new NodeTimer(0, tickIntervalFor(1, 0.5));
    expect(t.next).toBe(1.5);
    expect(t.takeDue(4.5)).toBe(3);
    expect(t.next).toBe(6);
    t.skipTo(10);
    expect(t.next).toBe(11.5);
    expect(() => tickIntervalFor(1, -0.9)).toThrow(/skew/);
  });
});

describe('Scheduler', () => {
  it('runs ticks and deliveries in virtual time', async () => {
    const s = await makeSched(3);
    await s.advance(5);
    expect(s.now).toBe(5);
    expect(s.stats.ticks).toBe(15); // 3 nodes x 5 ticks
    expect(s.bus.counters.sent).toBeGreaterThan(20);
    expect(s.bus.counters.delivered).toBeGreaterThan(20);
    // every event in the trace is at or before the current time, in time order
    const times = s.trace.events.map((e) => e.time);
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
  });

  it('is deterministic whatever order the runtimes answer in', async () => {
    const a = await makeSched(4, { seed: 9 });
    await a.advance(20);
    const b = await makeSched(4, { seed: 9, jitterMs: 3 });
    await b.advance(20);
    expect(b.trace.hash()).toBe(a.trace.hash());
    expect(b.trace.length).toBe(a.trace.length);
    const c = await makeSched(4, { seed: 10 });
    await c.advance(20);
    expect(c.trace.hash()).not.toBe(a.trace.hash());
  });

  it('step() runs one node batch at a time and matches whole instants', async () => {
    const a = await makeSched(3, { seed: 5 });
    await a.advance(6);
    const b = await makeSched(3, { seed: 5 });
    let steps = 0;
    while (b.nextEventTime() <= 6) {
      await b.step();
      steps++;
    }
    expect(steps).toBeGreaterThan(a.stats.instants);
    // Same events; trace lines are grouped per node instead of per instant only in ordering
    // within an instant, which is the same: batches merge in ascending node order either way.
    expect(b.trace.hash()).toBe(a.trace.hash());
  });

  it('runs a window of the minimum latency per call: each node gets at most one call per window', async () => {
    const s = await makeSched(3, { seed: 3 });
    // Count the runtime calls per node and check no call of a window depends on another's messages.
    const calls: { node: number; window: number }[] = [];
    for (const id of s.ids()) {
      const slot = s.slot(id);
      const rt = slot.runtime!;
      slot.runtime = {
        id,
        terminate: () => rt.terminate(),
        run: (c) => (calls.push({ node: id, window: s.stats.windows }), rt.run(c)),
      };
    }
    expect(s.bus.minDelay()).toBe(0.3);
    await s.advance(10);
    expect(s.stats.calls).toBe(calls.length);
    // One call per node per window, and far fewer calls than batches (instants x nodes).
    expect(new Set(calls.map((c) => `${c.node}@${c.window}`)).size).toBe(calls.length);
    expect(s.stats.calls).toBeLessThan(s.stats.batches);
    expect(s.stats.windows).toBeLessThan(s.stats.instants);
    // A smaller link latency anywhere shrinks every window.
    s.bus.setLinkFaults(1, 2, { latency: 0.05 });
    expect(s.bus.minDelay()).toBe(0.05);
    s.bus.setLinkFaults(1, 2, { latency: 0 });
    expect(s.bus.minDelay()).toBe(0.001);
  });

  it('a paused node neither ticks nor receives; its messages wait and arrive after resume', async () => {
    const log: string[] = [];
    const s = await makeSched(3, { log });
    await s.advance(2);
    s.setPaused(2, true);
    const before = log.filter((l) => l.startsWith('2<-')).length;
    const ticksBefore = s.stats.ticks;
    await s.advance(5);
    expect(log.filter((l) => l.startsWith('2<-')).length).toBe(before);
    expect(s.stats.ticks - ticksBefore).toBe(10); // only nodes 1 and 3
    expect(s.bus.inFlight().some((e) => e.to === 2)).toBe(true);
    s.setPaused(2, false);
    await s.advance(0.001);
    expect(log.filter((l) => l.startsWith('2<-')).length).toBeGreaterThan(before);
  });

  it('crash drops messages to the node; restart boots from its disk', async () => {
    const s = await makeSched(3);
    await s.advance(3);
    await s.crash(3);
    expect(s.slot(3).status).toBe('crashed');
    await s.advance(3);
    expect(s.trace.events.some((e) => e.kind === 'drop' && e.text.includes('crashed'))).toBe(true);
    const dropped = s.bus.counters.dropped;
    expect(dropped).toBeGreaterThan(0);
    await s.restart(3);
    await s.advance(3);
    expect(s.slot(3).status).toBe('alive');
    expect(s.slot(3).incarnation).toBe(2);
    // the fake host resumes its tick counter from the persisted hardState
    const last = [...s.trace.events].reverse().find((e) => e.kind === 'cycle' && e.node === 3)!;
    expect(Number(/hs=(\d+)/.exec(last.text)![1])).toBeGreaterThan(3);
  });

  it('manual mode: nothing moves by itself; picked actions do', async () => {
    const s = await makeSched(2);
    s.mode = 'manual';
    await s.advance(5);
    expect(s.stats.ticks).toBe(0);
    expect(s.now).toBe(5);
    await s.tickNode(1);
    expect(s.bus.size).toBe(0); // the heartbeat waits for a Ready cycle
    await s.runCycle(1);
    expect(s.bus.size).toBe(1);
    const id = s.bus.inFlight()[0]!.id;
    await s.deliverMessage(id);
    expect(s.bus.size).toBe(0);
    await s.runCycle(2);
    expect(s.bus.inFlight().map((e) => [e.from, e.to])).toEqual([[2, 1]]);
  });

  it('skewed clocks tick at their own rate', async () => {
    const s = await makeSched(2, { skew: [0, 1] });
    await s.advance(10);
    const ticks = (n: number) => s.trace.events.filter((e) => e.kind === 'tick' && e.node === n).length;
    expect(ticks(1)).toBe(10);
    expect(ticks(2)).toBe(5);
  });
});

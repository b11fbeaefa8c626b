import { describe, expect, it } from 'vitest';
import {
  ConfChangeAddNode,
  MsgApp,
  MsgHeartbeat,
  MsgVote,
  newConfChange,
  newEntry,
  newMessage,
} from '../raft/raftpb/types';
import { describeReady } from '../raft/describe';
import { StateLeader } from '../raft/types';
import { Disk } from './disk';
import { NodeHost } from './nodeHost';
import type { CycleRecord, HostResult, NodeObservation } from './protocol';
import { inProcessRuntime } from './runtime/inProcess';
import { encodePut } from './stateMachines/kvStore';
import { checkSentAfterPersist, testNodeConfig, TestLoop } from './testLoop';

const put = (k: string, v: string, r = '') => ({ kind: 'propose' as const, data: encodePut(k, v, r) });

function ok(r: HostResult | undefined): HostResult {
  if (r === undefined || r.kind === 'error') throw new Error(`unexpected: ${JSON.stringify(r)}`);
  return r;
}

function records(r: HostResult | undefined): CycleRecord[] {
  if (r?.kind !== 'cycles') throw new Error(`expected cycles, got ${JSON.stringify(r)}`);
  return r.records;
}

function observe(h: NodeHost): NodeObservation {
  const [r] = h.run([{ kind: 'observe' }]);
  if (r?.kind !== 'observation') throw new Error('no observation');
  return r.observation;
}

/** Three nodes with node 1 elected leader. */
async function elected(over: Parameters<TestLoop['start']>[1] = {}): Promise<TestLoop> {
  const loop = new TestLoop(inProcessRuntime);
  await loop.start([1, 2, 3], over);
  // The bootstrap configuration must be applied before anyone may campaign.
  await loop.stabilize();
  await loop.run(1, [{ kind: 'campaign' }]);
  await loop.stabilize();
  expect((await loop.observe(1)).role).toBe(StateLeader);
  return loop;
}

describe('NodeHost Ready cycle', () => {
  it('persists before it sends, in a 3-node loop', async () => {
    const loop = await elected();
    for (const k of ['a', 'b', 'c', 'd', 'e']) await loop.run(1, [put(k, k.toUpperCase())]);
    await loop.stabilize();
    // Every record ran all four stages, in order; absorb() already checked each send.
    for (const rec of loop.records) expect(rec.stagesDone).toEqual(['persist', 'send', 'apply', 'advance']);
    // The check was exercised on appends carrying entries and on acknowledgements.
    const apps = loop.records.flatMap((r) => r.sent).filter((m) => m.type === MsgApp && m.entries.length > 0);
    expect(apps.length).toBeGreaterThan(0);
    for (const id of [1, 2, 3]) {
      const o = await loop.observe(id);
      expect(o.kv).toEqual({ a: 'A', b: 'B', c: 'C', d: 'D', e: 'E' });
      expect(o.applied).toBe(o.commit);
      // The disk holds the whole log and the commit index.
      expect(loop.node(id).disk.lastIndex()).toBe(o.lastIndex);
      expect(loop.node(id).disk.state.hardState.commit).toBe(o.commit);
    }
    const applied = loop.records
      .flatMap((r) => r.applied)
      .filter((a) => a.kind === 'normal' && a.summary === 'put a=A');
    expect(applied).toHaveLength(3);
    // The text form is the scheduler's to make (lazily): hosts do not spend time on it.
    expect(loop.records.every((r) => r.readyText === '')).toBe(true);
  });

  it('never changes a Ready after handing it out, so its text can be made later from a copy', () => {
    // Commands one at a time on a host driven directly (no copies): each record's Ready,
    // described as soon as the command returns, reads the same after many more commands,
    // in the copy structured clone makes of it then (what a worker would have sent).
    const h = new NodeHost({
      config: testNodeConfig(1, { snapCount: 8, snapshotCatchUpEntries: 2 }),
      voters: [1],
      learners: [],
    });
    const seen: { rec: CycleRecord; text: string }[] = [];
    const cycle = (): void => {
      for (const rec of records(h.run([{ kind: 'cycle', maxCycles: 8 }])[0]))
        seen.push({ rec, text: describeReady(rec.ready) });
    };
    cycle();
    h.run([{ kind: 'campaign' }]);
    cycle();
    for (let i = 0; i < 40; i++) {
      ok(h.run([put(`k${i % 5}`, `v${i}`, `r${i}`)])[0]);
      if (i % 3 === 0) ok(h.run([{ kind: 'tick', count: 1 }])[0]);
      if (i % 2 === 0) cycle();
    }
    cycle();
    expect(seen.reduce((n, s) => n + s.rec.ready.committedEntries.length, 0)).toBeGreaterThan(40);
    for (const s of seen) expect(describeReady(structuredClone(s.rec.ready))).toBe(s.text);
  });

  it('the persist-before-send check catches a message ahead of the disk', () => {
    const disk = new Disk();
    disk.apply({ hardState: { term: 1, vote: 0, commit: 0 }, entries: [newEntry({ index: 1, term: 1 })] });
    const rec = {
      node: 1,
      sent: [newMessage({ type: MsgApp, from: 1, to: 2, term: 1, entries: [newEntry({ index: 2, term: 1 })] })],
    } as CycleRecord;
    expect(() => checkSentAfterPersist(disk, rec)).toThrow(/not on disk/);
    disk.apply({ entries: [newEntry({ index: 2, term: 1 })] });
    expect(() => checkSentAfterPersist(disk, rec)).not.toThrow();
  });

  it('runs manual stages in order and refuses them out of order', () => {
    const h = new NodeHost({ config: testNodeConfig(1, { preVote: false }), voters: [1, 2, 3], learners: [] });
    // Bootstrap leaves a Ready with the configuration entries; process it whole.
    records(h.run([{ kind: 'cycle', maxCycles: 10 }])[0]);
    expect(h.run([{ kind: 'stage', stage: 'persist' }])[0]).toMatchObject({
      kind: 'error',
      message: 'no Ready to process',
    });
    ok(h.run([{ kind: 'campaign' }])[0]);
    expect(h.run([{ kind: 'stage', stage: 'send' }])[0]).toMatchObject({
      kind: 'error',
      message: expect.stringMatching(/out of order/),
    });

    const p = records(h.run([{ kind: 'stage', stage: 'persist' }])[0]);
    expect(p).toHaveLength(1);
    expect(p[0]!.stagesDone).toEqual(['persist']);
    expect(p[0]!.persisted?.hardState?.term).toBeGreaterThan(0);
    expect(p[0]!.sent).toEqual([]);
    expect(observe(h).pendingStages).toEqual(['send', 'apply', 'advance']);

    expect(h.run([{ kind: 'stage', stage: 'persist' }])[0]).toMatchObject({
      kind: 'error',
      message: expect.stringMatching(/next stage .* is send/),
    });
    expect(h.run([{ kind: 'stage', stage: 'apply' }])[0]).toMatchObject({ kind: 'error' });

    const s = records(h.run([{ kind: 'stage', stage: 'send' }])[0]);
    expect(s[0]!.persisted).toBeUndefined();
    expect(s[0]!.sent.map((m) => m.type)).toEqual([MsgVote, MsgVote]);
    expect(s[0]!.stagesDone).toEqual(['persist', 'send']);
    records(h.run([{ kind: 'stage', stage: 'apply' }])[0]);
    const a = records(h.run([{ kind: 'stage', stage: 'advance' }])[0]);
    expect(a[0]!.stagesDone).toEqual(['persist', 'send', 'apply', 'advance']);
    expect(observe(h).pendingStages).toEqual([]);
  });

  it('a whole cycle finishes a half-done manual Ready first', () => {
    const h = new NodeHost({ config: testNodeConfig(1), voters: [1, 2, 3], learners: [] });
    const boot = records(h.run([{ kind: 'stage', stage: 'persist' }])[0]);
    expect(boot[0]!.persisted?.entries.map((e) => e.index)).toEqual([1, 2, 3]);
    const rest = records(h.run([{ kind: 'cycle', maxCycles: 10 }])[0]);
    expect(rest[0]!.stagesDone).toEqual(['persist', 'send', 'apply', 'advance']);
    expect(rest[0]!.persisted).toBeUndefined();
    expect(rest[0]!.applied.map((e) => e.summary)).toEqual(['v1', 'v2', 'v3']);
    expect(observe(h).applied).toBe(3);
  });
});

describe('NodeHost crash and restart', () => {
  it('a restart keeps exactly the durable state, then catches up by log', async () => {
    const loop = await elected();
    for (const k of ['a', 'b', 'c']) await loop.run(1, [put(k, k)]);
    await loop.stabilize();
    const before = await loop.observe(3);
    expect(before.applied).toBeGreaterThan(0);
    await loop.crash(3);
    const durable = loop.node(3).disk.clone().state;

    for (const k of ['d', 'e']) await loop.run(1, [put(k, k)]);
    await loop.stabilize();

    await loop.restart(3);
    const o = await loop.observe(3);
    // Durable: term, vote, commit and the log. Volatile: the state machine, leader.
    expect([o.term, o.vote, o.commit]).toEqual([
      durable.hardState.term,
      durable.hardState.vote,
      durable.hardState.commit,
    ]);
    expect(o.persistedLastIndex).toBe(durable.entries[durable.entries.length - 1]!.index);
    expect(o.firstIndex).toBe(1);
    expect(o.applied).toBe(0);
    expect(o.kv).toEqual({});
    expect(o.lead).toBe(0);
    // The restarted host wrote nothing yet: its disk is what it was at the crash.
    expect(loop.node(3).disk.state).toEqual(durable);

    // Committed entries come back through ordinary Readys.
    const [r] = await loop.run(3, [{ kind: 'cycle', maxCycles: 10 }]);
    expect(
      records(r)
        .flatMap((x) => x.applied)
        .filter((e) => e.kind === 'normal')
        .map((e) => e.summary),
    ).toEqual(['put a=a', 'put b=b', 'put c=c']);
    expect((await loop.observe(3)).kv).toEqual({ a: 'a', b: 'b', c: 'c' });

    for (let i = 0; i < 5 && Object.keys((await loop.observe(3)).kv).length < 5; i++) await loop.tickAll();
    const after = await loop.observe(3);
    expect(after.kv).toEqual({ a: 'a', b: 'b', c: 'c', d: 'd', e: 'e' });
    expect(after.lead).toBe(1);
    await loop.terminateAll();
  });

  it('catches up by snapshot when the leader compacted past it, and restarts from its own snapshot', async () => {
    const loop = await elected({ snapCount: 4, snapshotCatchUpEntries: 2 });
    await loop.crash(3);
    const lagging = loop.node(3).disk.lastIndex();
    for (let i = 0; i < 20; i++) await loop.run(1, [put(`k${i}`, `v${i}`)]);
    await loop.stabilize();
    const leader = await loop.observe(1);
    expect(leader.firstIndex).toBeGreaterThan(lagging + 1);
    expect(loop.node(1).disk.state.snapshot.metadata.index).toBeGreaterThan(0);
    // Own snapshots reached the disk, which keeps only what follows the snapshot.
    const own = loop.records.filter((r) => r.node === 1 && r.persisted?.ownSnapshot !== undefined);
    expect(own.length).toBeGreaterThan(0);

    await loop.restart(3);
    for (let i = 0; i < 10 && (await loop.observe(3)).applied < leader.applied; i++) await loop.tickAll();
    const o3 = await loop.observe(3);
    expect(o3.kv).toEqual(leader.kv);
    expect(Object.keys(o3.kv)).toHaveLength(20);
    const received = loop.records.filter((r) => r.node === 3 && r.persisted?.snapshot !== undefined);
    expect(received.length).toBe(1);
    expect(loop.node(3).disk.state.snapshot.metadata.index).toBeGreaterThan(lagging);

    // The leader restarts from its snapshot: the state machine is restored before any Ready.
    await loop.crash(1);
    const snapIndex = loop.node(1).disk.state.snapshot.metadata.index;
    await loop.restart(1);
    const o1 = await loop.observe(1);
    expect(o1.applied).toBe(snapIndex);
    expect(o1.firstIndex).toBe(snapIndex + 1);
    expect(Object.keys(o1.kv).length).toBeGreaterThan(0);
    await loop.stabilize();
    expect((await loop.observe(1)).kv).toEqual(leader.kv);
    await loop.terminateAll();
  });
});

describe('NodeHost boot and commands', () => {
  it('bootstraps learners from a shared snapshot', async () => {
    const loop = new TestLoop(inProcessRuntime);
    await loop.start([1, 2, 3, 4], {}, [4]);
    await loop.stabilize();
    await loop.run(1, [{ kind: 'campaign' }]);
    await loop.stabilize();
    await loop.run(1, [put('x', '1')]);
    await loop.stabilize();
    const o1 = await loop.observe(1);
    expect(o1.confState.voters).toEqual([1, 2, 3]);
    expect(o1.confState.learners).toEqual([4]);
    expect(o1.progress.find((p) => p.id === 4)?.isLearner).toBe(true);
    expect((await loop.observe(4)).kv).toEqual({ x: '1' });
    expect(loop.node(4).disk.state.snapshot.metadata.index).toBe(4);
    expect(loop.node(4).disk.state.snapshot.metadata.confState.learners).toEqual([4]);
  });

  it('a joining node starts empty and learns the configuration from the leader', async () => {
    const loop = await elected();
    await loop.run(1, [put('a', '1')]);
    await loop.run(1, [{ kind: 'proposeConfChange', cc: newConfChange({ type: ConfChangeAddNode, nodeId: 4 }) }]);
    await loop.stabilize();
    const config = testNodeConfig(4);
    loop.nodes.set(4, {
      config,
      runtime: await inProcessRuntime({ config, voters: [], learners: [] }),
      disk: new Disk(),
    });
    const fresh = await loop.observe(4);
    expect(fresh.confState.voters).toEqual([]);
    expect(fresh.lastIndex).toBe(0);
    await loop.tickAll(3);
    const o4 = await loop.observe(4);
    expect(o4.kv).toEqual({ a: '1' });
    expect(o4.confState.voters).toEqual([1, 2, 3, 4]);
    expect((await loop.observe(1)).progress.map((p) => p.id)).toEqual([1, 2, 3, 4]);
  });

  it('runs the appender state machine: snapshots are the concatenated payloads', async () => {
    const loop = await elected({ stateMachine: 'appender', snapCount: 1, snapshotCatchUpEntries: 1 });
    const enc = new TextEncoder();
    for (const p of ['x', 'y', 'z']) await loop.run(1, [{ kind: 'propose', data: enc.encode(p) }]);
    await loop.stabilize();
    const snap = loop.node(2).disk.state.snapshot;
    expect(snap.metadata.index).toBeGreaterThan(0);
    expect(new TextDecoder().decode(snap.data)).toBe('xyz');
    expect(loop.records.flatMap((r) => r.applied).some((a) => a.summary === 'append y')).toBe(true);
  });

  it('compact snapshots the state machine; the snapshot reaches the disk with the next persist', async () => {
    const loop = await elected();
    for (const k of ['a', 'b', 'c']) await loop.run(1, [put(k, k)]);
    await loop.stabilize();
    const o = await loop.observe(2);
    expect((await loop.run(2, [{ kind: 'compact', index: o.applied + 1 }]))[0]).toMatchObject({ kind: 'error' });
    ok((await loop.run(2, [{ kind: 'compact', index: o.applied - 1 }]))[0]);
    expect((await loop.observe(2)).firstIndex).toBe(o.applied);
    expect(loop.node(2).disk.state.snapshot.metadata.index).toBe(0);
    await loop.run(1, [put('d', 'd')]);
    await loop.stabilize();
    expect(loop.node(2).disk.state.snapshot.metadata.index).toBe(o.applied);
  });

  it('raft errors are results; a panic kills the host', async () => {
    const loop = await elected({ disableProposalForwarding: true });
    const [r] = await loop.run(2, [put('x', '1')]);
    expect(r).toMatchObject({ kind: 'error', message: 'raft proposal dropped' });
    // Still healthy.
    expect((await loop.observe(2)).lead).toBe(1);

    const h = new NodeHost({ config: testNodeConfig(2), voters: [1, 2], learners: [] });
    h.run([{ kind: 'cycle', maxCycles: 10 }]);
    // A heartbeat claiming a commit index far beyond the log makes raft panic.
    const [p] = h.run([
      { kind: 'step', msgs: [newMessage({ type: MsgHeartbeat, from: 1, to: 2, term: 1, commit: 1000 })] },
    ]);
    expect(p).toMatchObject({ kind: 'error', message: expect.stringMatching(/panicked/) });
    expect(h.panicked).toBeDefined();
    expect(h.run([{ kind: 'observe' }])[0]).toMatchObject({ kind: 'error' });
  });
});

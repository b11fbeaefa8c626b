import { describe, expect, it } from 'vitest';
import { ErrStepLocalMsg, ErrStepPeerNotFound, RaftError } from './errors';
import type { Config } from './raft';
import {
  ConfChangeAddNode,
  EntryConfChange,
  EntryConfChangeV2,
  MsgApp,
  MsgAppResp,
  MsgHeartbeat,
  MsgHup,
  MsgSnapStatus,
  MsgStorageAppend,
  MsgStorageAppendResp,
  MsgStorageApply,
  MsgStorageApplyResp,
  MsgVote,
  MsgVoteResp,
  newConfChange,
  newConfChangeV2,
  newMessage,
  type Message,
} from './raftpb/types';
import { newRawNode, mustSync, ProgressTypeLearner, ProgressTypePeer, type RawNode } from './rawNode';
import { statusToJSON } from './status';
import { newMemoryStorage, type MemoryStorage } from './storage';
import { newTestConfig, newTestMemoryStorage } from './testing/network';
import { StateProbe, StateReplicate, StateSnapshot } from './tracker/state';
import {
  LocalAppendThread,
  LocalApplyThread,
  StateCandidate,
  StateFollower,
  StateLeader,
  isEmptyHardState,
  isEmptySnap,
  type Ready,
} from './types';
import { decodeUint64LE, encodeUint64LE, newReadOnly } from './readOnly';
import { JointConfig } from './quorum/joint';
import { MajorityConfig } from './quorum/majority';
import { ReadOnlySafe, SnapshotFailure, SnapshotFinish } from './types';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Persists a Ready into storage (synchronous mode). */
function persist(s: MemoryStorage, rd: Ready): void {
  if (!isEmptyHardState(rd.hardState)) s.setHardState(rd.hardState!);
  if (!isEmptySnap(rd.snapshot)) s.applySnapshot(rd.snapshot!);
  s.append(rd.entries);
}

/** Handles Readies until none is left; returns the committed entries' data (non-empty ones). */
function drain(rn: RawNode, s: MemoryStorage): { applied: string[]; sent: Message[] } {
  const applied: string[] = [];
  const sent: Message[] = [];
  while (rn.hasReady()) {
    const rd = rn.ready();
    persist(s, rd);
    for (const e of rd.committedEntries) {
      if (e.type === EntryConfChange || e.type === EntryConfChangeV2) continue;
      if (e.data.length > 0) applied.push(dec.decode(e.data));
    }
    sent.push(...rd.messages);
    rn.advance(rd);
  }
  return { applied, sent };
}

function singleVoter(extra: Partial<Config> = {}): { rn: RawNode; s: MemoryStorage } {
  const s = newTestMemoryStorage({ peers: [1] });
  const rn = newRawNode({ ...newTestConfig(1, 10, 1, s), ...extra });
  return { rn, s };
}

describe('RawNode', () => {
  it('a single voter campaigns, commits and applies proposals', () => {
    const { rn, s } = singleVoter();
    rn.campaign();
    const rd = rn.ready();
    // The self-vote counts only after advance: still candidate.
    expect(rd.softState?.raftState).toBe(StateCandidate);
    expect(rd.hardState).toEqual({ term: 1, vote: 1, commit: 0 });
    expect(rd.mustSync).toBe(true);
    persist(s, rd);
    rn.advance(rd);
    expect(rn.status().softState.raftState).toBe(StateLeader);
    rn.propose(enc.encode('foo'));
    const out = drain(rn, s);
    expect(out.applied).toEqual(['foo']);
    expect(out.sent).toHaveLength(0);
    expect(rn.hasReady()).toBe(false);
    const st = rn.status();
    expect(st.hardState.commit).toBe(2);
    expect(st.applied).toBe(2);
    expect(st.progress.get(1)!.match).toBe(2);
    expect(st.basicStatus.id).toBe(1);
    expect(statusToJSON(st)).toBe(
      '{"id":"1","term":1,"vote":"1","commit":2,"lead":"1","raftState":"StateLeader","applied":2,"progress":{"1":{"match":2,"next":3,"state":"StateReplicate"}},"leadtransferee":"0"}',
    );
  });

  it('readyWithoutAccept does not consume and does not alias raft state', () => {
    const { rn } = singleVoter();
    rn.campaign();
    const a = rn.readyWithoutAccept();
    const b = rn.readyWithoutAccept();
    expect(a.hardState).toEqual(b.hardState);
    expect(a.messages.length).toBe(b.messages.length);
    expect(rn.hasReady()).toBe(true);
    const rd = rn.ready();
    const n = rd.messages.length;
    rn.advance(rd);
    // Messages generated later do not show up in an old Ready.
    expect(rd.messages.length).toBe(n);
  });

  it('panics on two accepted Readies without advance', () => {
    const { rn } = singleVoter();
    rn.campaign();
    rn.ready();
    rn.tick();
    expect(() => rn.ready()).toThrow('two accepted Ready structs without call to Advance');
  });

  it('step rejects local messages and responses from unknown peers', () => {
    const { rn } = singleVoter();
    expect(() => rn.step(newMessage({ type: MsgHup, from: 1 }))).toThrow(ErrStepLocalMsg);
    expect(() => rn.step(newMessage({ type: MsgAppResp, from: 9, term: 1 }))).toThrow(ErrStepPeerNotFound);
    // Local messages from the storage threads are fine.
    rn.step(newMessage({ type: MsgStorageApplyResp, from: LocalApplyThread }));
  });

  it('three nodes agree through Ready/advance', () => {
    const ids = [1, 2, 3];
    const stores = new Map<number, MemoryStorage>();
    const nodes = new Map<number, RawNode>();
    for (const id of ids) {
      const s = newTestMemoryStorage({ peers: ids });
      stores.set(id, s);
      nodes.set(id, newRawNode(newTestConfig(id, 10, 1, s)));
    }
    const applied = new Map<number, string[]>(ids.map((id) => [id, []]));
    const reads: Array<[number, number, string]> = [];
    const pump = () => {
      for (let round = 0; round < 100; round++) {
        let busy = false;
        const msgs: Message[] = [];
        for (const id of ids) {
          const rn = nodes.get(id)!;
          if (!rn.hasReady()) continue;
          busy = true;
          const rd = rn.ready();
          persist(stores.get(id)!, rd);
          for (const e of rd.committedEntries) if (e.data.length > 0) applied.get(id)!.push(dec.decode(e.data));
          for (const rs of rd.readStates) reads.push([id, rs.index, dec.decode(rs.requestCtx)]);
          msgs.push(...rd.messages);
          rn.advance(rd);
        }
        for (const m of msgs) nodes.get(m.to)!.step(m);
        if (!busy && msgs.length === 0) return;
      }
    };
    nodes.get(1)!.campaign();
    pump();
    expect(nodes.get(1)!.basicStatus().softState.raftState).toBe(StateLeader);
    nodes.get(2)!.propose(enc.encode('a'));
    nodes.get(1)!.propose(enc.encode('b'));
    pump();
    // The leader's own proposal arrives first; the forwarded one follows. All agree.
    for (const id of ids) expect(applied.get(id)).toEqual(['b', 'a']);
    // Status on the leader lists progress; on a follower it is empty.
    const st = nodes.get(1)!.status();
    expect([...st.progress.keys()]).toEqual([1, 2, 3]);
    expect(st.progress.get(2)!.state).toBe(StateReplicate);
    expect(nodes.get(2)!.status().progress.size).toBe(0);
    const seen: Array<[number, number]> = [];
    nodes.get(1)!.withProgress((id, typ, pr) => {
      seen.push([id, typ]);
      expect(pr.inflights.count()).toBe(0);
    });
    expect(seen).toEqual([
      [1, ProgressTypePeer],
      [2, ProgressTypePeer],
      [3, ProgressTypePeer],
    ]);
    // ReadIndex on a follower comes back as a ReadState.
    nodes.get(3)!.readIndex(enc.encode('r1'));
    pump();
    expect(reads).toEqual([[3, 3, 'r1']]);
  });

  it('reportUnreachable and reportSnapshot move the progress to probing', () => {
    const s = newTestMemoryStorage({ peers: [1, 2] });
    const rn = newRawNode(newTestConfig(1, 10, 1, s));
    rn.raft.becomeCandidate();
    rn.raft.becomeLeader();
    const pr = rn.raft.trk.progress.get(2)!;
    pr.becomeReplicate();
    rn.reportUnreachable(2);
    expect(pr.state).toBe(StateProbe);
    pr.becomeSnapshot(5);
    rn.reportSnapshot(2, SnapshotFailure);
    expect(pr.state).toBe(StateProbe);
    expect(pr.msgAppFlowPaused).toBe(true);
    pr.becomeSnapshot(5);
    rn.reportSnapshot(2, SnapshotFinish);
    expect(pr.state).toBe(StateProbe);
    expect(pr.next).toBe(6);
    void MsgSnapStatus;
    void StateSnapshot;
  });

  it('transferLeader and forgetLeader', () => {
    const s = newTestMemoryStorage({ peers: [1, 2] });
    const rn = newRawNode(newTestConfig(1, 10, 1, s));
    rn.raft.becomeCandidate();
    rn.raft.becomeLeader();
    rn.transferLeader(2);
    expect(rn.raft.leadTransferee).toBe(2);
    const f = newRawNode(newTestConfig(2, 10, 1, newTestMemoryStorage({ peers: [1, 2] })));
    f.step(newMessage({ type: MsgHeartbeat, from: 1, to: 2, term: 1 }));
    expect(f.raft.lead).toBe(1);
    f.forgetLeader();
    expect(f.raft.lead).toBe(0);
  });

  it('proposeConfChange and applyConfChange', () => {
    const { rn, s } = singleVoter();
    rn.campaign();
    drain(rn, s);
    rn.proposeConfChange(newConfChange({ type: ConfChangeAddNode, nodeId: 2 }));
    let cs;
    while (rn.hasReady()) {
      const rd = rn.ready();
      persist(s, rd);
      for (const e of rd.committedEntries) {
        if (e.type === EntryConfChange)
          cs = rn.applyConfChange(newConfChangeV2({ changes: [{ type: ConfChangeAddNode, nodeId: 2 }] }));
      }
      rn.advance(rd);
    }
    expect(cs!.voters).toEqual([1, 2]);
    // The new peer gets an append.
    expect(rn.raft.trk.progress.has(2)).toBe(true);
  });
});

describe('RawNode with async storage writes', () => {
  it('hands storage work out as messages and learns durability from their responses', () => {
    const { rn, s } = singleVoter({ asyncStorageWrites: true });
    expect(() => rn.advance()).toThrow('Advance must not be called when using AsyncStorageWrites');
    rn.campaign();
    const rd = rn.ready();
    const app = rd.messages.find((m) => m.type === MsgStorageAppend)!;
    expect(app.to).toBe(LocalAppendThread);
    expect(app.term).toBe(1);
    expect(app.vote).toBe(1);
    // The self-vote waits in the append's responses.
    expect(app.responses.map((m) => m.type)).toEqual([MsgVoteResp]);
    s.setHardState({ term: app.term, vote: app.vote, commit: app.commit });
    for (const r of app.responses) rn.step(r);
    expect(rn.raft.state).toBe(StateLeader);

    // Now the leader's empty entry.
    const rd2 = rn.ready();
    const app2 = rd2.messages.find((m) => m.type === MsgStorageAppend)!;
    expect(app2.entries).toHaveLength(1);
    expect(app2.responses.map((m) => m.type)).toEqual([MsgAppResp, MsgStorageAppendResp]);
    s.append(app2.entries);
    for (const r of app2.responses) rn.step(r);
    expect(rn.raft.raftLog.committed).toBe(1);
    // Committed entries go to the apply thread only once durable.
    const rd3 = rn.ready();
    const apply = rd3.messages.find((m) => m.type === MsgStorageApply)!;
    expect(apply.to).toBe(LocalApplyThread);
    expect(apply.entries.map((e) => e.index)).toEqual([1]);
    expect(apply.responses.map((m) => m.type)).toEqual([MsgStorageApplyResp]);
    for (const r of apply.responses) rn.step(r);
    expect(rn.raft.raftLog.applied).toBe(1);
  });

  it('ignores appends acknowledged under an older term', () => {
    const s = newTestMemoryStorage({ peers: [1, 2] });
    const rn = newRawNode({ ...newTestConfig(1, 10, 1, s), asyncStorageWrites: true });
    rn.raft.becomeCandidate();
    rn.raft.becomeLeader();
    const rd = rn.ready();
    const app = rd.messages.find((m) => m.type === MsgStorageAppend)!;
    const resp = app.responses.find((m) => m.type === MsgStorageAppendResp)!;
    // A higher-term message arrives before the write completes.
    rn.step(newMessage({ type: MsgApp, from: 2, to: 1, term: 5, logTerm: 0, index: 0 }));
    expect(rn.raft.term).toBe(5);
    rn.step(resp);
    // The entry is still unstable: not marked stable by the stale response.
    expect(rn.raft.raftLog.unstable.entries.length).toBeGreaterThan(0);
  });
});

describe('bootstrap', () => {
  it('commits the initial members at term 1', () => {
    const s = newMemoryStorage();
    const rn = newRawNode(newTestConfig(1, 10, 1, s));
    rn.bootstrap([{ id: 1 }, { id: 2, context: enc.encode('ctx') }]);
    expect(rn.raft.trk.voterNodes()).toEqual([1, 2]);
    const rd = rn.ready();
    expect(rd.hardState).toEqual({ term: 1, vote: 0, commit: 2 });
    expect(rd.entries.map((e) => [e.index, e.term, e.type])).toEqual([
      [1, 1, EntryConfChange],
      [2, 1, EntryConfChange],
    ]);
    expect(rd.committedEntries).toHaveLength(2);
    expect(() => rn.bootstrap([])).toThrow('must provide at least one peer to Bootstrap');
    persist(s, rd);
    rn.advance(rd);
    const rn2 = newRawNode(newTestConfig(1, 10, 1, s));
    expect(() => rn2.bootstrap([{ id: 1 }])).toThrow(RaftError);
    expect(() => rn2.bootstrap([{ id: 1 }])).toThrow("can't bootstrap a nonempty Storage");
  });
});

describe('mustSync', () => {
  it('requires sync for entries or a term/vote change only', () => {
    const hs = { term: 1, vote: 1, commit: 1 };
    expect(mustSync(hs, hs, 0)).toBe(false);
    expect(mustSync(hs, hs, 1)).toBe(true);
    expect(mustSync({ ...hs, commit: 5 }, hs, 0)).toBe(false);
    expect(mustSync({ ...hs, vote: 2 }, hs, 0)).toBe(true);
    expect(mustSync({ ...hs, term: 2 }, hs, 0)).toBe(true);
  });
});

describe('readOnly', () => {
  it('encodes positions little endian', () => {
    expect(Array.from(encodeUint64LE(0x0102))).toEqual([2, 1, 0, 0, 0, 0, 0, 0]);
    expect(decodeUint64LE(encodeUint64LE(2 ** 40 + 7))).toBe(2 ** 40 + 7);
  });

  it('confirms queued reads once a quorum acknowledged their position', () => {
    const ro = newReadOnly(ReadOnlySafe);
    expect(ro.heartbeatCtx().length).toBe(0);
    const m1 = newMessage({ type: 15 });
    const m2 = newMessage({ type: 15 });
    ro.addRequest(5, m1);
    const ctx1 = ro.heartbeatCtx();
    ro.addRequest(6, m2);
    const ctx2 = ro.heartbeatCtx();
    const cfg = new JointConfig(new MajorityConfig([1, 2, 3]));
    ro.recvAck(1, ctx2);
    expect(ro.maybeAdvance(cfg)).toEqual([]);
    ro.recvAck(2, ctx1);
    expect(ro.maybeAdvance(cfg).map((r) => r.index)).toEqual([5]);
    ro.recvAck(3, ctx2);
    expect(ro.maybeAdvance(cfg).map((r) => r.index)).toEqual([6]);
    expect(ro.unconfirmedReads).toHaveLength(0);
  });
});

void MsgVote;
void ProgressTypeLearner;
void StateFollower;

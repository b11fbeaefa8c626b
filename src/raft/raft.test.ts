import { describe, expect, it } from 'vitest';
import { ErrProposalDropped, RaftError, RaftPanic } from './errors';
import { confChangeToMsg, confStateText, newRaft, validateConfig, type Config, type Raft } from './raft';
import {
  ConfChangeAddLearnerNode,
  ConfChangeAddNode,
  ConfChangeRemoveNode,
  EntryConfChange,
  EntryNormal,
  MsgApp,
  MsgAppResp,
  MsgBeat,
  MsgHeartbeat,
  MsgHeartbeatResp,
  MsgHup,
  MsgPreVote,
  MsgProp,
  MsgReadIndex,
  MsgSnap,
  MsgTimeoutNow,
  MsgTransferLeader,
  MsgVote,
  MsgVoteResp,
  MsgForgetLeader,
  newConfChange,
  newConfState,
  newConfChangeV2,
  newEntry,
  newMessage,
  newSnapshot,
  type Message,
} from './raftpb/types';
import { encodeConfChange } from './raftpb/codec';
import { newMemoryStorage } from './storage';
import {
  BlackHole,
  collectingLogger,
  entsWithConfig,
  newNetwork,
  newNetworkWithConfig,
  newTestConfig,
  newTestMemoryStorage,
  newTestRaft,
  nextEnts,
  nopStepper,
  preVoteConfig,
  readMessages,
  votedWithConfig,
} from './testing/network';
import { StateProbe, StateReplicate, StateSnapshot } from './tracker/state';
import {
  None,
  ReadOnlyLeaseBased,
  StateCandidate,
  StateFollower,
  StateLeader,
  StatePreCandidate,
  type StateType,
} from './types';

const enc = new TextEncoder();

function msg(init: Partial<Message>): Message {
  return newMessage(init);
}

function hup(id: number): Message {
  return msg({ from: id, to: id, type: MsgHup });
}

function prop(id: number, data = 'somedata'): Message {
  return msg({ from: id, to: id, type: MsgProp, entries: [newEntry({ data: enc.encode(data) })] });
}

function withCheckQuorum(...rs: Raft[]): void {
  for (const r of rs) r.checkQuorum = true;
}

describe('validateConfig', () => {
  const s = () => newMemoryStorage();
  const base = (): Config => ({ id: 1, electionTick: 10, heartbeatTick: 1, storage: s(), maxInflightMsgs: 256 });

  it('rejects bad configs with etcd texts', () => {
    const cases: Array<[Partial<Config>, string]> = [
      [{ id: 0 }, 'cannot use none as id'],
      [{ id: Number.MAX_SAFE_INTEGER }, 'cannot use local target as id'],
      [{ heartbeatTick: 0 }, 'heartbeat tick must be greater than 0'],
      [{ electionTick: 1 }, 'election tick must be greater than heartbeat tick'],
      [{ maxInflightMsgs: 0 }, 'max inflight messages must be greater than 0'],
      [{ maxSizePerMsg: 100, maxInflightBytes: 50 }, 'max inflight bytes must be >= max message size'],
      [{ readOnlyOption: ReadOnlyLeaseBased }, 'CheckQuorum must be enabled when ReadOnlyOption is ReadOnlyLeaseBased'],
    ];
    for (const [patch, text] of cases) {
      const c = { ...base(), ...patch };
      expect(() => validateConfig(c)).toThrow(RaftError);
      expect(() => validateConfig(c)).toThrow(text);
    }
  });

  it('fills in defaults', () => {
    const c = base();
    c.maxSizePerMsg = 1024;
    validateConfig(c);
    expect(c.maxUncommittedEntriesSize).toBe(Infinity);
    expect(c.maxCommittedSizePerReady).toBe(1024);
    expect(c.maxInflightBytes).toBe(Infinity);
    expect(c.logger).toBeDefined();
    expect(c.random).toBeDefined();
  });

  it('newRaft panics on an invalid config', () => {
    expect(() => newRaft({ ...base(), id: 0 })).toThrow(RaftPanic);
  });

  it('logs the newRaft line', () => {
    const lines: string[] = [];
    const st = newTestMemoryStorage({ peers: [1, 2, 0x1a] });
    newRaft({ ...newTestConfig(1, 10, 1, st), logger: collectingLogger(lines) });
    expect(lines).toContain(
      'INFO newRaft 1 [peers: [1,2,1a], term: 0, commit: 0, applied: 0, lastindex: 0, lastterm: 0]',
    );
    expect(lines).toContain('INFO 1 became follower at term 0');
  });
});

describe('elections', () => {
  for (const preVote of [false, true]) {
    it(`elects a leader only with a quorum (preVote=${preVote})`, () => {
      const cfg = preVote ? preVoteConfig : undefined;
      const candState: StateType = preVote ? StatePreCandidate : StateCandidate;
      const candTerm = preVote ? 0 : 1;
      const tests: Array<[ReturnType<typeof newNetwork>, StateType, number]> = [
        [newNetworkWithConfig(cfg, undefined, undefined, undefined), StateLeader, 1],
        [newNetworkWithConfig(cfg, undefined, undefined, nopStepper), StateLeader, 1],
        [newNetworkWithConfig(cfg, undefined, nopStepper, nopStepper), candState, candTerm],
        [newNetworkWithConfig(cfg, undefined, nopStepper, nopStepper, undefined), candState, candTerm],
        [newNetworkWithConfig(cfg, undefined, nopStepper, nopStepper, undefined, undefined), StateLeader, 1],
        // Logs further along in the same term: votes are rejected.
        [
          newNetworkWithConfig(
            cfg,
            undefined,
            entsWithConfig(cfg, 1),
            entsWithConfig(cfg, 1),
            entsWithConfig(cfg, 1, 1),
            undefined,
          ),
          StateFollower,
          1,
        ],
      ];
      tests.forEach(([nt, state, term], i) => {
        nt.send(hup(1));
        const sm = nt.raft(1);
        expect(sm.state, `#${i}`).toBe(state);
        expect(sm.term, `#${i}`).toBe(term);
      });
    });
  }

  it('a node votes only once per term', () => {
    const r = newTestRaft(1, 10, 1, newTestMemoryStorage({ peers: [1, 2, 3] }));
    r.step(msg({ from: 2, to: 1, term: 1, type: MsgVote, logTerm: 0, index: 0 }));
    r.step(msg({ from: 3, to: 1, term: 1, type: MsgVote, logTerm: 0, index: 0 }));
    const resps = r.msgsAfterAppend;
    expect(resps.map((m) => [m.to, m.type, m.reject])).toEqual([
      [2, MsgVoteResp, false],
      [3, MsgVoteResp, true],
    ]);
    expect(r.vote).toBe(2);
  });

  it('rejects candidates with a stale log', () => {
    const r = entsWithConfig(undefined, 1, 2);
    // The raft has no peers of its own; add a tracker through a network.
    const nt = newNetwork(r, undefined);
    void nt;
    r.step(msg({ from: 2, to: 1, term: 3, type: MsgVote, logTerm: 1, index: 5 }));
    const resp = r.msgsAfterAppend.find((m) => m.type === MsgVoteResp)!;
    expect(resp.reject).toBe(true);
    expect(r.term).toBe(3);
  });

  it('a candidate with the same term becomes follower on MsgApp', () => {
    const r = newTestRaft(1, 10, 1, newTestMemoryStorage({ peers: [1, 2, 3] }));
    r.becomeCandidate();
    r.step(msg({ from: 2, to: 1, term: 1, type: MsgApp }));
    expect(r.state).toBe(StateFollower);
    expect(r.lead).toBe(2);
  });

  it('ticks start an election after the randomized timeout, not before', () => {
    const r = newTestRaft(1, 10, 1, newTestMemoryStorage({ peers: [1, 2, 3] }));
    r.setRandomizedElectionTimeout(12);
    for (let i = 0; i < 11; i++) r.tick();
    expect(r.state).toBe(StateFollower);
    r.tick();
    expect(r.state).toBe(StateCandidate);
    // The randomized timeout is redrawn on every reset, within [10, 20).
    expect(r.randomizedElectionTimeout).toBeGreaterThanOrEqual(10);
    expect(r.randomizedElectionTimeout).toBeLessThan(20);
  });

  it('learners never campaign', () => {
    const r = newTestRaft(2, 10, 1, newTestMemoryStorage({ peers: [1], learners: [2] }));
    r.becomeFollower(1, None);
    r.setRandomizedElectionTimeout(r.electionTimeout);
    for (let i = 0; i < r.electionTimeout; i++) r.tick();
    expect(r.state).toBe(StateFollower);
    expect(r.isLearner).toBe(true);
  });

  it('refuses to campaign with unapplied conf changes', () => {
    const lines: string[] = [];
    const s = newTestMemoryStorage({ peers: [1, 2] });
    const cc = newConfChange({ type: ConfChangeAddNode, nodeId: 3 });
    s.append([newEntry({ term: 1, index: 1, type: EntryConfChange, data: encodeConfChange(cc) })]);
    s.setHardState({ term: 1, vote: 0, commit: 1 });
    const r = newRaft({ ...newTestConfig(1, 10, 1, s), logger: collectingLogger(lines) });
    r.step(hup(1));
    expect(r.state).toBe(StateFollower);
    expect(lines).toContain(
      'WARN 1 cannot campaign at term 1 since there are still pending configuration changes to apply',
    );
  });
});

describe('replication and commit', () => {
  it('replicates proposals and commits them everywhere', () => {
    const nt = newNetwork(undefined, undefined, undefined);
    nt.send(hup(1));
    nt.send(prop(1));
    for (const id of [1, 2, 3]) {
      const sm = nt.raft(id);
      expect(sm.raftLog.committed).toBe(2);
      const ents = nextEnts(sm, nt.storage.get(id)!).filter((e) => e.data.length > 0);
      expect(new TextDecoder().decode(ents[0]!.data)).toBe('somedata');
    }
  });

  it('commits through a new leader after a leader change', () => {
    const nt = newNetwork(undefined, undefined, undefined);
    nt.send(hup(1));
    nt.send(prop(1));
    nt.send(msg({ from: 1, to: 2, type: MsgHup }));
    nt.send(msg({ from: 1, to: 2, type: MsgProp, entries: [newEntry({ data: enc.encode('x') })] }));
    for (const id of [1, 2, 3]) expect(nt.raft(id).raftLog.committed).toBe(4);
    expect(nt.raft(2).state).toBe(StateLeader);
  });

  it('a proposal on a follower is forwarded to the leader', () => {
    const nt = newNetwork(undefined, undefined, undefined);
    nt.send(hup(1));
    nt.send(prop(2));
    for (const id of [1, 2, 3]) expect(nt.raft(id).raftLog.committed).toBe(2);
  });

  it('DisableProposalForwarding drops follower proposals', () => {
    const nt = newNetworkWithConfig((c) => (c.disableProposalForwarding = true), undefined, undefined, undefined);
    nt.send(hup(1));
    expect(() => nt.raft(2).step(prop(2))).toThrow(ErrProposalDropped);
    // A follower without a leader drops proposals too.
    const r = newTestRaft(1, 10, 1, newTestMemoryStorage({ peers: [1, 2] }));
    expect(() => r.step(prop(1))).toThrow(ErrProposalDropped);
  });

  it('only commits entries of the current term by counting replicas', () => {
    // Leader at term 2 with an entry of term 1 replicated to a majority: not committed
    // until an entry of term 2 is.
    const s = newTestMemoryStorage({ peers: [1, 2, 3] });
    s.append([newEntry({ term: 1, index: 1 })]);
    s.setHardState({ term: 1, vote: 0, commit: 0 });
    const r = newTestRaft(1, 10, 1, s);
    r.becomeCandidate();
    r.becomeLeader(); // appends the empty entry at index 2, term 2
    expect(r.term).toBe(2);
    r.trk.progress.get(1)!.match = 2;
    r.trk.progress.get(2)!.match = 1;
    expect(r.maybeCommit()).toBe(false);
    expect(r.raftLog.committed).toBe(0);
    r.trk.progress.get(2)!.match = 2;
    expect(r.maybeCommit()).toBe(true);
    expect(r.raftLog.committed).toBe(2);
  });

  it('a refused conf change becomes an empty normal entry', () => {
    const r = newTestRaft(1, 10, 1, newTestMemoryStorage({ peers: [1, 2] }));
    r.becomeCandidate();
    r.becomeLeader();
    const cc = () => msg({ from: 1, to: 1, type: MsgProp, entries: [newEntry({ type: EntryConfChange })] });
    r.step(cc());
    const index = r.raftLog.lastIndex();
    const pending = r.pendingConfIndex;
    r.step(cc());
    const ents = r.raftLog.entries(index + 1, Infinity);
    expect(ents).toEqual([newEntry({ type: EntryNormal, term: 1, index: 3 })]);
    expect(r.pendingConfIndex).toBe(pending);
  });

  it('MaxUncommittedEntriesSize drops proposals over the limit', () => {
    const maxEntries = 16;
    const data = enc.encode('testdata');
    const cfg = newTestConfig(1, 5, 1, newTestMemoryStorage({ peers: [1, 2, 3] }));
    cfg.maxUncommittedEntriesSize = maxEntries * data.length;
    cfg.maxInflightMsgs = 1024;
    const r = newRaft(cfg);
    r.becomeCandidate();
    r.becomeLeader();
    expect(r.uncommittedSize).toBe(0);
    r.trk.progress.get(2)!.becomeReplicate();
    r.trk.progress.get(3)!.becomeReplicate();
    const p = () => msg({ from: 1, to: 1, type: MsgProp, entries: [newEntry({ data })] });
    for (let i = 0; i < maxEntries; i++) r.step(p());
    expect(() => r.step(p())).toThrow(ErrProposalDropped);
    expect(readMessages(r)).toHaveLength(maxEntries * 2);
    r.reduceUncommittedSize(maxEntries * data.length);
    expect(r.uncommittedSize).toBe(0);
    // One big proposal is accepted when nothing is uncommitted.
    const big = Array.from({ length: 2 * maxEntries }, () => newEntry({ data }));
    r.step(msg({ from: 1, to: 1, type: MsgProp, entries: big }));
    expect(() => r.step(p())).toThrow(ErrProposalDropped);
    // Empty entries are always accepted.
    r.step(msg({ from: 1, to: 1, type: MsgProp, entries: [newEntry()] }));
  });

  it('a rejected append probes back using the follower hint', () => {
    const r = newTestRaft(1, 10, 1, newTestMemoryStorage({ peers: [1, 2] }));
    r.becomeCandidate();
    r.becomeLeader();
    for (let i = 0; i < 3; i++) r.step(prop(1));
    readMessages(r);
    const pr = r.trk.progress.get(2)!;
    // In StateReplicate a rejection falls back to match+1 and probes.
    pr.becomeReplicate();
    pr.next = 5;
    r.step(msg({ from: 2, to: 1, term: 1, type: MsgAppResp, index: 4, reject: true, rejectHint: 1, logTerm: 1 }));
    expect(pr.state).toBe(StateProbe);
    expect(pr.next).toBe(1);
    readMessages(r);
    // While probing, the hint (index 1, term 1) lets the leader skip to index 2.
    pr.next = 5;
    pr.msgAppFlowPaused = false;
    r.step(msg({ from: 2, to: 1, term: 1, type: MsgAppResp, index: 4, reject: true, rejectHint: 1, logTerm: 1 }));
    expect(pr.next).toBe(2);
    const out = readMessages(r);
    expect(out).toHaveLength(1);
    expect(out[0]!.type).toBe(MsgApp);
    expect(out[0]!.index).toBe(1);
  });

  it('sends a snapshot when the entries are compacted, and resumes on success', () => {
    const s = newTestMemoryStorage({ peers: [1, 2] });
    const r = newTestRaft(1, 10, 1, s);
    r.becomeCandidate();
    r.becomeLeader();
    for (let i = 0; i < 3; i++) r.step(prop(1));
    readMessages(r);
    // Persist, commit and compact the leader's log.
    nextEnts(r, s);
    r.trk.progress.get(2)!.match = 4;
    r.maybeCommit();
    r.trk.progress.get(2)!.match = 0;
    nextEnts(r, s);
    s.createSnapshot(
      4,
      { voters: [1, 2], learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false },
      new Uint8Array(),
    );
    s.compact(4);
    const pr = r.trk.progress.get(2)!;
    pr.becomeProbe();
    pr.next = 1;
    pr.recentActive = true;
    r.sendAppend(2);
    const out = readMessages(r);
    expect(out.map((m) => m.type)).toEqual([MsgSnap]);
    expect(pr.state).toBe(StateSnapshot);
    expect(pr.pendingSnapshot).toBe(4);
    // The follower acknowledges the snapshot index: replicate again.
    r.step(msg({ from: 2, to: 1, term: 1, type: MsgAppResp, index: 4 }));
    expect(pr.state).toBe(StateReplicate);
    expect(pr.match).toBe(4);
  });
});

describe('followers and snapshots', () => {
  it('restores a snapshot that includes it', () => {
    const r = newTestRaft(1, 10, 1, newTestMemoryStorage({ peers: [1, 2] }));
    const snap = newSnapshot({
      index: 11,
      term: 11,
      confState: { voters: [1, 2, 3], learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false },
    });
    expect(r.restore(snap)).toBe(true);
    expect(r.raftLog.lastIndex()).toBe(11);
    expect(r.raftLog.term(11)).toBe(11);
    expect(r.trk.voterNodes()).toEqual([1, 2, 3]);
    // Again: already committed.
    expect(r.restore(snap)).toBe(false);
  });

  it('ignores a snapshot that does not include it', () => {
    const lines: string[] = [];
    const r = newRaft({
      ...newTestConfig(1, 10, 1, newTestMemoryStorage({ peers: [1, 2] })),
      logger: collectingLogger(lines),
    });
    const snap = newSnapshot({
      index: 11,
      term: 11,
      confState: { voters: [2, 3], learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false },
    });
    expect(r.restore(snap)).toBe(false);
    expect(lines).toContain(
      'WARN 1 attempted to restore snapshot but it is not in the ConfState voters:2 voters:3 auto_leave:false; should never happen',
    );
  });

  it("prints a ConfState as Go's %v of etcd's ConfState: every set field, auto_leave always", () => {
    expect(confStateText(newConfState())).toBe('auto_leave:false');
    expect(
      confStateText(
        newConfState({ voters: [1, 2], learners: [4], votersOutgoing: [1, 3], learnersNext: [3], autoLeave: true }),
      ),
    ).toBe('voters:1 voters:2 learners:4 voters_outgoing:1 voters_outgoing:3 learners_next:3 auto_leave:true');
  });

  it('rejects a mismatching MsgApp with a hint', () => {
    const r = entsWithConfig(undefined, 1, 1, 2);
    newNetwork(r, undefined);
    r.becomeFollower(3, 2);
    r.step(msg({ from: 2, to: 1, term: 3, type: MsgApp, logTerm: 3, index: 3 }));
    const resp = r.msgsAfterAppend[0]!;
    expect(resp.type).toBe(MsgAppResp);
    expect(resp.reject).toBe(true);
    expect(resp.rejectHint).toBe(3);
    expect(resp.logTerm).toBe(2);
  });

  it('heartbeat commits up to the given commit and echoes the context', () => {
    const r = entsWithConfig(undefined, 1, 1, 1);
    newNetwork(r, undefined);
    r.becomeFollower(2, 2);
    r.step(msg({ from: 2, to: 1, term: 2, type: MsgHeartbeat, commit: 2, context: enc.encode('ctx') }));
    expect(r.raftLog.committed).toBe(2);
    const resp = r.msgs[0]!;
    expect(resp.type).toBe(MsgHeartbeatResp);
    expect(new TextDecoder().decode(resp.context)).toBe('ctx');
  });

  it('a lower-term MsgApp gets an MsgAppResp under CheckQuorum', () => {
    const r = newTestRaft(1, 10, 1, newTestMemoryStorage({ peers: [1, 2] }));
    r.checkQuorum = true;
    r.becomeFollower(5, None);
    r.step(msg({ from: 2, to: 1, term: 3, type: MsgApp }));
    expect(r.msgsAfterAppend.map((m) => [m.type, m.to, m.term])).toEqual([[MsgAppResp, 2, 5]]);
  });
});

describe('PreVote', () => {
  it('an isolated pre-candidate does not bump its term, and rejoins quietly', () => {
    const nt = newNetworkWithConfig(preVoteConfig, undefined, undefined, undefined);
    nt.send(hup(1));
    nt.isolate(3);
    nt.send(prop(1));
    nt.send(hup(3));
    const n3 = nt.raft(3);
    expect(n3.state).toBe(StatePreCandidate);
    expect(n3.term).toBe(1);
    nt.send(hup(3));
    expect(n3.term).toBe(1);
    nt.recover();
    nt.send(msg({ from: 1, to: 1, type: MsgBeat }));
    expect(nt.raft(1).state).toBe(StateLeader);
    expect(n3.state).toBe(StateFollower);
    expect(n3.term).toBe(1);
  });

  it('a pre-vote for a future term is granted without changing term or vote', () => {
    const r = votedWithConfig(preVoteConfig, 3, 2);
    newNetwork(r, undefined, undefined);
    r.step(msg({ from: 2, to: 1, term: 3, type: MsgPreVote, logTerm: 0, index: 0 }));
    const resp = r.msgsAfterAppend[0]!;
    expect(resp.reject).toBe(false);
    expect(resp.term).toBe(3);
    expect(r.term).toBe(2);
    expect(r.vote).toBe(3);
  });

  it('a lower-term pre-vote is rejected with our term', () => {
    const r = newTestRaft(1, 10, 1, newTestMemoryStorage({ peers: [1, 2] }));
    r.becomeFollower(5, None);
    r.step(msg({ from: 2, to: 1, term: 3, type: MsgPreVote }));
    const resp = r.msgsAfterAppend[0]!;
    expect(resp.reject).toBe(true);
    expect(resp.term).toBe(5);
  });
});

describe('CheckQuorum', () => {
  it('the leader steps down when the quorum is lost', () => {
    const r = newTestRaft(1, 5, 1, newTestMemoryStorage({ peers: [1, 2, 3] }));
    r.checkQuorum = true;
    r.becomeCandidate();
    r.becomeLeader();
    for (let i = 0; i < r.electionTimeout + 1; i++) r.tick();
    expect(r.state).toBe(StateFollower);
  });

  it('elects only when leases expired', () => {
    const sto = () => newTestMemoryStorage({ peers: [1, 2, 3] });
    const a = newTestRaft(1, 10, 1, sto());
    const b = newTestRaft(2, 10, 1, sto());
    const c = newTestRaft(3, 10, 1, sto());
    withCheckQuorum(a, b, c);
    const nt = newNetwork(a, b, c);
    a.setRandomizedElectionTimeout(a.electionTimeout + 1);
    b.setRandomizedElectionTimeout(b.electionTimeout + 2);
    nt.send(hup(1));
    expect(a.state).toBe(StateLeader);
    expect(c.state).toBe(StateFollower);
    a.setRandomizedElectionTimeout(a.electionTimeout + 1);
    b.setRandomizedElectionTimeout(b.electionTimeout + 2);
    for (let i = 0; i < a.electionTimeout; i++) a.tick();
    for (let i = 0; i < b.electionTimeout; i++) b.tick();
    nt.send(hup(3));
    expect(a.state).toBe(StateFollower);
    expect(c.state).toBe(StateLeader);
  });

  it('ignores votes within the lease and logs it', () => {
    const lines: string[] = [];
    const cfg = {
      ...newTestConfig(1, 10, 1, newTestMemoryStorage({ peers: [1, 2, 3] })),
      logger: collectingLogger(lines),
    };
    cfg.checkQuorum = true;
    const r = newRaft(cfg);
    r.becomeFollower(1, 2);
    r.step(msg({ from: 3, to: 1, term: 2, type: MsgVote, logTerm: 1, index: 5 }));
    expect(r.term).toBe(1);
    expect(r.msgsAfterAppend).toHaveLength(0);
    expect(lines).toContain(
      'INFO 1 [logterm: 0, index: 0, vote: 0] ignored MsgVote from 3 [logterm: 1, index: 5] at term 1: lease is not expired (remaining ticks: 10)',
    );
  });

  it('frees a stuck candidate', () => {
    const sto = () => newTestMemoryStorage({ peers: [1, 2, 3] });
    const a = newTestRaft(1, 10, 1, sto());
    const b = newTestRaft(2, 10, 1, sto());
    const c = newTestRaft(3, 10, 1, sto());
    withCheckQuorum(a, b, c);
    const nt = newNetwork(a, b, c);
    b.setRandomizedElectionTimeout(b.electionTimeout + 1);
    for (let i = 0; i < b.electionTimeout; i++) b.tick();
    nt.send(hup(1));
    nt.isolate(1);
    nt.send(hup(3));
    expect(b.state).toBe(StateFollower);
    expect(c.state).toBe(StateCandidate);
    expect(c.term).toBe(b.term + 1);
    nt.send(hup(3));
    expect(c.term).toBe(b.term + 2);
    nt.recover();
    nt.send(msg({ from: 1, to: 3, type: MsgHeartbeat, term: a.term }));
    expect(a.state).toBe(StateFollower);
    expect(c.term).toBe(a.term);
    nt.send(hup(3));
    expect(c.state).toBe(StateLeader);
  });
});

describe('ReadIndex', () => {
  function threeNodes(opt?: (c: Config) => void): ReturnType<typeof newNetwork> {
    const mk = (id: number) => {
      const c = newTestConfig(id, 10, 1, newTestMemoryStorage({ peers: [1, 2, 3] }));
      opt?.(c);
      return newRaft(c);
    };
    const a = mk(1);
    const b = mk(2);
    const c = mk(3);
    const nt = newNetwork(a, b, c);
    b.setRandomizedElectionTimeout(b.electionTimeout + 1);
    for (let i = 0; i < b.electionTimeout; i++) b.tick();
    nt.send(hup(1));
    expect(a.state).toBe(StateLeader);
    return nt;
  }

  for (const lease of [false, true]) {
    it(`answers at the commit index (${lease ? 'LeaseBased' : 'Safe'})`, () => {
      const nt = threeNodes(
        lease
          ? (c) => {
              c.checkQuorum = true;
              c.readOnlyOption = ReadOnlyLeaseBased;
            }
          : undefined,
      );
      const tests: Array<[number, number, number, string]> = [
        [1, 10, 11, 'ctx1'],
        [2, 10, 21, 'ctx2'],
        [3, 10, 31, 'ctx3'],
        [1, 10, 41, 'ctx4'],
      ];
      for (const [id, proposals, wri, wctx] of tests) {
        for (let j = 0; j < proposals; j++) {
          nt.send(msg({ from: 1, to: 1, type: MsgProp, entries: [newEntry()] }));
        }
        nt.send(msg({ from: id, to: id, type: MsgReadIndex, entries: [newEntry({ data: enc.encode(wctx) })] }));
        const r = nt.raft(id);
        expect(r.readStates.length).toBeGreaterThan(0);
        expect(r.readStates[0]!.index).toBe(wri);
        expect(new TextDecoder().decode(r.readStates[0]!.requestCtx)).toBe(wctx);
        r.readStates = [];
      }
    });
  }

  it('postpones reads until the leader commits in its term', () => {
    const s = newTestMemoryStorage({ peers: [1, 2, 3] });
    const r = newTestRaft(1, 10, 1, s);
    r.becomeCandidate();
    r.becomeLeader();
    readMessages(r);
    r.step(msg({ from: 1, to: 1, type: MsgReadIndex, entries: [newEntry({ data: enc.encode('x') })] }));
    expect(r.pendingReadIndexMessages).toHaveLength(1);
    expect(r.readStates).toHaveLength(0);
    // Commit the empty entry: acks from 2.
    r.step(msg({ from: 2, to: 1, term: 1, type: MsgAppResp, index: 1 }));
    expect(r.raftLog.committed).toBe(1);
    expect(r.pendingReadIndexMessages).toHaveLength(0);
    // A heartbeat round with the read's context went out.
    const hbs = readMessages(r).filter((m) => m.type === MsgHeartbeat);
    expect(hbs.length).toBe(2);
    expect(hbs[0]!.context.length).toBe(8);
    r.step(msg({ from: 2, to: 1, term: 1, type: MsgHeartbeatResp, context: hbs[0]!.context }));
    expect(r.readStates.map((rs) => rs.index)).toEqual([1]);
  });

  it('a single voter answers at once', () => {
    const r = newTestRaft(1, 10, 1, newTestMemoryStorage({ peers: [1] }));
    r.becomeCandidate();
    r.becomeLeader();
    r.step(msg({ from: 1, to: 1, type: MsgReadIndex, entries: [newEntry({ data: enc.encode('x') })] }));
    expect(r.readStates).toHaveLength(1);
    expect(r.readStates[0]!.index).toBe(0);
  });
});

describe('leader transfer', () => {
  it('transfers to an up-to-date node and back', () => {
    const nt = newNetwork(undefined, undefined, undefined);
    nt.send(hup(1));
    const lead = nt.raft(1);
    expect(lead.lead).toBe(1);
    nt.send(msg({ from: 2, to: 1, type: MsgTransferLeader }));
    expect(lead.state).toBe(StateFollower);
    expect(lead.lead).toBe(2);
    expect(lead.leadTransferee).toBe(None);
    nt.send(msg({ from: 1, to: 1, type: MsgProp, entries: [newEntry()] }));
    nt.send(msg({ from: 1, to: 2, type: MsgTransferLeader }));
    expect(lead.state).toBe(StateLeader);
    expect(lead.lead).toBe(1);
  });

  it('drops proposals while transferring and aborts after an election timeout', () => {
    const nt = newNetwork(undefined, undefined, undefined);
    nt.send(hup(1));
    nt.isolate(3);
    const lead = nt.raft(1);
    nt.send(msg({ from: 3, to: 1, type: MsgTransferLeader }));
    expect(lead.leadTransferee).toBe(3);
    expect(() => lead.step(prop(1))).toThrow(ErrProposalDropped);
    for (let i = 0; i < lead.electionTimeout; i++) lead.tick();
    expect(lead.leadTransferee).toBe(None);
    expect(lead.state).toBe(StateLeader);
  });

  it('sends MsgTimeoutNow once the transferee catches up', () => {
    const nt = newNetwork(undefined, undefined, undefined);
    nt.send(hup(1));
    nt.isolate(3);
    nt.send(prop(1));
    nt.send(prop(1));
    nt.recover();
    const lead = nt.raft(1);
    expect(lead.trk.progress.get(3)!.match).toBe(1);
    nt.send(msg({ from: 3, to: 1, type: MsgTransferLeader }));
    expect(nt.raft(3).state).toBe(StateLeader);
    expect(lead.state).toBe(StateFollower);
    expect(nt.delivered.some((m) => m.type === MsgTimeoutNow && m.to === 3)).toBe(true);
  });

  it('a transfer vote bypasses the lease', () => {
    const sto = () => newTestMemoryStorage({ peers: [1, 2, 3] });
    const a = newTestRaft(1, 10, 1, sto());
    const b = newTestRaft(2, 10, 1, sto());
    const c = newTestRaft(3, 10, 1, sto());
    withCheckQuorum(a, b, c);
    const nt = newNetwork(a, b, c);
    nt.send(hup(1));
    nt.send(msg({ from: 2, to: 1, type: MsgTransferLeader }));
    expect(b.state).toBe(StateLeader);
  });
});

describe('conf changes', () => {
  it('applyConfChange adds and removes nodes', () => {
    const r = newTestRaft(1, 10, 1, newTestMemoryStorage({ peers: [1] }));
    let cs = r.applyConfChange(newConfChangeV2({ changes: [{ type: ConfChangeAddNode, nodeId: 2 }] }));
    expect(cs.voters).toEqual([1, 2]);
    cs = r.applyConfChange(newConfChangeV2({ changes: [{ type: ConfChangeAddLearnerNode, nodeId: 3 }] }));
    expect(cs.learners).toEqual([3]);
    cs = r.applyConfChange(newConfChangeV2({ changes: [{ type: ConfChangeRemoveNode, nodeId: 2 }] }));
    expect(cs.voters).toEqual([1]);
    expect(r.trk.progress.has(2)).toBe(false);
  });

  it('removing a voter lets the leader commit with the smaller quorum', () => {
    const r = newTestRaft(1, 10, 1, newTestMemoryStorage({ peers: [1, 2] }));
    r.becomeCandidate();
    r.becomeLeader();
    advanceSelf(r);
    r.step(prop(1));
    advanceSelf(r);
    expect(r.raftLog.committed).toBe(0);
    r.applyConfChange(newConfChangeV2({ changes: [{ type: ConfChangeRemoveNode, nodeId: 2 }] }));
    expect(r.raftLog.committed).toBe(2);
  });

  it('a removed leader steps down with StepDownOnRemoval', () => {
    const cfg = newTestConfig(1, 10, 1, newTestMemoryStorage({ peers: [1, 2] }));
    cfg.stepDownOnRemoval = true;
    const r = newRaft(cfg);
    r.becomeCandidate();
    r.becomeLeader();
    r.applyConfChange(newConfChangeV2({ changes: [{ type: ConfChangeRemoveNode, nodeId: 1 }] }));
    expect(r.state).toBe(StateFollower);
    // Without it, the leader stays, but takes no proposals.
    const r2 = newTestRaft(1, 10, 1, newTestMemoryStorage({ peers: [1, 2] }));
    r2.becomeCandidate();
    r2.becomeLeader();
    r2.applyConfChange(newConfChangeV2({ changes: [{ type: ConfChangeRemoveNode, nodeId: 1 }] }));
    expect(r2.state).toBe(StateLeader);
    expect(() => r2.step(prop(1))).toThrow(ErrProposalDropped);
  });

  it('a second conf change is refused while one is pending, unless validation is disabled', () => {
    for (const disable of [false, true]) {
      const cfg = newTestConfig(1, 10, 1, newTestMemoryStorage({ peers: [1, 2] }));
      cfg.disableConfChangeValidation = disable;
      const r = newRaft(cfg);
      r.becomeCandidate();
      r.becomeLeader();
      const m1 = confChangeToMsg(newConfChange({ type: ConfChangeAddNode, nodeId: 3 }));
      r.step(m1);
      const m2 = confChangeToMsg(newConfChange({ type: ConfChangeAddNode, nodeId: 4 }));
      r.step(m2);
      const last = r.raftLog.entries(r.raftLog.lastIndex(), Infinity)[0]!;
      expect(last.type).toBe(disable ? EntryConfChange : EntryNormal);
    }
  });

  it('auto-leaves a joint configuration once applied on the leader', () => {
    const s = newTestMemoryStorage({ peers: [1] });
    const r = newTestRaft(1, 10, 1, s);
    r.becomeCandidate();
    r.becomeLeader();
    nextEnts(r, s);
    r.applyConfChange(
      newConfChangeV2({
        changes: [
          { type: ConfChangeAddNode, nodeId: 2 },
          { type: ConfChangeAddNode, nodeId: 3 },
        ],
      }),
    );
    expect(r.trk.config.autoLeave).toBe(true);
    const before = r.raftLog.lastIndex();
    r.pendingConfIndex = 0;
    r.appliedTo(r.raftLog.committed, 0);
    // The empty ConfChangeV2 was proposed.
    expect(r.raftLog.lastIndex()).toBe(before + 1);
    const e = r.raftLog.entries(before + 1, Infinity)[0]!;
    expect(e.type).toBe(2);
    expect(e.data.length).toBe(0);
  });
});

describe('forget leader', () => {
  it('a follower forgets its leader and may vote at once', () => {
    const nt = newNetwork(undefined, undefined, undefined);
    nt.send(hup(1));
    const f = nt.raft(2);
    expect(f.lead).toBe(1);
    nt.send(msg({ from: 2, to: 2, type: MsgForgetLeader }));
    expect(f.lead).toBe(None);
    // The leader ignores it.
    nt.send(msg({ from: 1, to: 1, type: MsgForgetLeader }));
    expect(nt.raft(1).state).toBe(StateLeader);
  });

  it('is ignored under ReadOnlyLeaseBased', () => {
    const lines: string[] = [];
    const nt = newNetworkWithConfig(
      (c) => {
        c.checkQuorum = true;
        c.readOnlyOption = ReadOnlyLeaseBased;
        if (c.id === 2) c.logger = collectingLogger(lines);
      },
      undefined,
      undefined,
      undefined,
    );
    nt.send(hup(1));
    nt.send(msg({ from: 2, to: 2, type: MsgForgetLeader }));
    expect(nt.raft(2).lead).toBe(1);
    expect(lines).toContain('ERROR ignoring MsgForgetLeader due to ReadOnlyLeaseBased');
  });
});

describe('messages', () => {
  it('send panics on a vote message without term', () => {
    const r = newTestRaft(1, 10, 1, newTestMemoryStorage({ peers: [1, 2] }));
    expect(() => r.send(msg({ to: 2, type: MsgVote }))).toThrow(RaftPanic);
    expect(() => r.send(msg({ to: 2, type: MsgApp, term: 3 }))).toThrow(RaftPanic);
  });

  it('stale messages are ignored with a log line', () => {
    const lines: string[] = [];
    const r = newRaft({
      ...newTestConfig(1, 10, 1, newTestMemoryStorage({ peers: [1, 2] })),
      logger: collectingLogger(lines),
    });
    r.becomeFollower(3, None);
    r.step(msg({ from: 2, to: 1, term: 2, type: MsgHeartbeat }));
    expect(lines).toContain('INFO 1 [term: 3] ignored a MsgHeartbeat message with lower term from 2 [term: 2]');
  });

  it('a black hole swallows everything', () => {
    const nt = newNetwork(undefined, new BlackHole());
    nt.send(hup(1));
    expect(nt.raft(1).state).toBe(StateCandidate);
  });
});

/** Delivers the raft's self-addressed messages as if its log were durable. */
function advanceSelf(r: Raft): void {
  for (;;) {
    const msgs = r.msgsAfterAppend;
    if (msgs.length === 0) return;
    r.msgsAfterAppend = [];
    for (const m of msgs) {
      if (m.to === r.id) r.step(m);
      else r.msgs.push(m);
    }
  }
}

void EntryNormal;
void MsgAppResp;

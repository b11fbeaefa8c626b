// RawNode (etcd's rawnode.go): the synchronous, single-threaded front end of the
// state machine. The host ticks it, steps messages into it, and repeatedly takes a
// Ready (what to persist, send and apply), handles it, and calls advance().
//
// With Config.asyncStorageWrites the host instead finds MsgStorageAppend and
// MsgStorageApply messages in Ready.messages, performs them on its own schedule,
// and steps their responses back in; advance() is not used then.

import { bootstrap, type Peer } from './bootstrap';
import { ErrStepLocalMsg, ErrStepPeerNotFound, RaftError } from './errors';
import { Raft, confChangeToMsg, type Config } from './raft';
import { asV2, type ConfChangeI } from './raftpb/confchange';
import {
  MsgForgetLeader,
  MsgHup,
  MsgProp,
  MsgReadIndex,
  MsgSnapStatus,
  MsgStorageAppend,
  MsgStorageAppendResp,
  MsgStorageApply,
  MsgStorageApplyResp,
  MsgTransferLeader,
  MsgUnreachable,
  isLocalMsg,
  isResponseMsg,
  newEntry,
  makeMessage,
  newMessage,
  type ConfState,
  type Entry,
  type HardState,
  type Message,
} from './raftpb/types';
import { getBasicStatus, getStatus, type BasicStatus, type Status } from './status';
import { Inflights } from './tracker/inflights';
import type { Progress } from './tracker/progress';
import {
  LocalAppendThread,
  LocalApplyThread,
  None,
  SnapshotFailure,
  isEmptyHardState,
  isEmptySnap,
  isLocalMsgTarget,
  type Ready,
  type SnapshotStatus,
  type SoftState,
} from './types';
import { entsSize } from './util';

export type { Peer } from './bootstrap';

/** How withProgress reports a peer. */
export const ProgressType = { ProgressTypePeer: 0, ProgressTypeLearner: 1 } as const;
export type ProgressType = (typeof ProgressType)[keyof typeof ProgressType];
export const { ProgressTypePeer, ProgressTypeLearner } = ProgressType;

/**
 * Whether the HardState and entries of a Ready must be written durably before
 * messages go out: when there are entries, or the term or vote changed.
 * (A change of commit alone may be written lazily.)
 */
export function mustSync(st: HardState, prevst: HardState, entsnum: number): boolean {
  return entsnum !== 0 || st.vote !== prevst.vote || st.term !== prevst.term;
}

const emptyHardState: HardState = { term: 0, vote: 0, commit: 0 };

export class RawNode {
  raft: Raft;
  asyncStorageWrites: boolean;
  /** The SoftState / HardState of the last accepted Ready (to report changes only). */
  prevSoftSt: SoftState;
  prevHardSt: HardState;
  /** Messages to step into raft when the accepted Ready is advanced (synchronous mode). */
  stepsOnAdvance: Message[] = [];

  /** Use newRawNode. */
  constructor(config: Config) {
    const r = new Raft(config);
    this.raft = r;
    this.asyncStorageWrites = config.asyncStorageWrites === true;
    this.prevSoftSt = r.softState();
    this.prevHardSt = r.hardState();
  }

  /** Sets up a new node's storage with the given initial members (see bootstrap.ts). Throws RaftError. */
  bootstrap(peers: Peer[]): void {
    bootstrap(this, peers);
  }

  /** Advances the logical clock by one tick. */
  tick(): void {
    this.raft.tick();
  }

  /**
   * Advances only the election clock, without heartbeats or elections; for groups
   * that are idle and known healthy. (Campaigns can start sooner afterwards.)
   */
  tickQuiesced(): void {
    this.raft.electionElapsed++;
  }

  /** Makes this node campaign (pre-vote first if enabled). */
  campaign(): void {
    this.raft.step(newMessage({ type: MsgHup }));
  }

  /** Proposes data to be appended to the log. Throws ErrProposalDropped. */
  propose(data: Uint8Array): void {
    this.raft.step(makeMessage(MsgProp, None, this.raft.id, 0, [newEntry({ data })]));
  }

  /** Proposes a configuration change. Throws ErrProposalDropped. */
  proposeConfChange(cc: ConfChangeI): void {
    this.raft.step(confChangeToMsg(cc));
  }

  /** Applies a committed configuration change; returns the resulting ConfState. */
  applyConfChange(cc: ConfChangeI): ConfState {
    return this.raft.applyConfChange(asV2(cc));
  }

  /**
   * Steps a message from the network (or a storage-thread response). Throws
   * ErrStepLocalMsg for local message types from elsewhere and ErrStepPeerNotFound
   * for responses from unknown peers.
   */
  step(m: Message): void {
    if (isLocalMsg(m.type) && !isLocalMsgTarget(m.from)) throw ErrStepLocalMsg;
    if (isResponseMsg(m.type) && !isLocalMsgTarget(m.from) && !this.raft.trk.progress.has(m.from)) {
      throw ErrStepPeerNotFound;
    }
    this.raft.step(m);
  }

  /** The current Ready; the host must handle it (and, in synchronous mode, call advance). */
  ready(): Ready {
    const rd = this.makeReady(true);
    this.acceptReady(rd);
    return rd;
  }

  /** The current Ready, without marking it handed out. */
  readyWithoutAccept(): Ready {
    return this.makeReady(false);
  }

  /**
   * Builds the current Ready. accepting: acceptReady(rd) follows at once, so
   * raft's own message array may become rd.messages (acceptReady replaces it with
   * a fresh one); otherwise nothing of raft's is handed out that raft may still
   * append to.
   */
  private makeReady(accepting: boolean): Ready {
    const r = this.raft;
    const log = r.raftLog;
    const entries = log.nextUnstableEnts();
    const committedEntries = log.nextCommittedEnts(this.applyUnstableEntries());
    const prevSoft = this.prevSoftSt;
    const softState =
      r.lead === prevSoft.lead && r.state === prevSoft.raftState ? undefined : { lead: r.lead, raftState: r.state };
    const prevHard = this.prevHardSt;
    const term = r.term;
    const vote = r.vote;
    const commit = log.committed;
    const hardState =
      term === prevHard.term && vote === prevHard.vote && commit === prevHard.commit
        ? undefined
        : { term, vote, commit };
    const snapshot = log.hasNextUnstableSnapshot() ? log.nextUnstableSnapshot() : undefined;
    const rd: Ready = {
      softState,
      hardState,
      readStates: r.readStates.length !== 0 ? r.readStates : [],
      entries,
      snapshot,
      committedEntries,
      // A fresh array when empty: raft keeps appending to r.msgs until acceptReady.
      messages: r.msgs.length !== 0 ? r.msgs : [],
      mustSync: entries.length !== 0 || vote !== prevHard.vote || term !== prevHard.term,
    };

    if (this.asyncStorageWrites) {
      // Storage work becomes messages to the local storage threads; their
      // responses (and the messages waiting for durability) ride along.
      let extra: Message[] | undefined;
      if (needStorageAppendMsg(r, rd)) (extra ??= []).push(newStorageAppendMsg(r, rd));
      if (needStorageApplyMsg(rd)) (extra ??= []).push(newStorageApplyMsg(r, rd));
      if (extra !== undefined) rd.messages = r.msgs.concat(extra);
    } else {
      // Messages to others that waited for durability go out with this Ready: the
      // host persists before sending. Those to ourselves are stepped on advance().
      const after = r.msgsAfterAppend;
      let out: Message[] | undefined;
      for (let i = 0; i < after.length; i++) {
        const m = after[i]!;
        if (m.to !== r.id) (out ??= accepting ? r.msgs : r.msgs.slice()).push(m);
      }
      if (out !== undefined) rd.messages = out;
    }
    return rd;
  }

  /** Marks rd as handed out: what it carries will not be offered again. */
  acceptReady(rd: Ready): void {
    const r = this.raft;
    if (rd.softState !== undefined) this.prevSoftSt = rd.softState;
    if (!isEmptyHardState(rd.hardState)) this.prevHardSt = rd.hardState!;
    if (rd.readStates.length !== 0) r.readStates = [];
    if (!this.asyncStorageWrites) {
      if (this.stepsOnAdvance.length !== 0) r.logger.panic('two accepted Ready structs without call to Advance');
      const after = r.msgsAfterAppend;
      for (let i = 0; i < after.length; i++) {
        const m = after[i]!;
        if (m.to === r.id) this.stepsOnAdvance.push(m);
      }
      if (needStorageAppendRespMsg(r, rd)) this.stepsOnAdvance.push(newStorageAppendRespMsg(r, rd));
      if (needStorageApplyRespMsg(rd)) this.stepsOnAdvance.push(newStorageApplyRespMsg(r, rd.committedEntries));
    }
    if (r.msgs.length !== 0) r.msgs = [];
    if (r.msgsAfterAppend.length !== 0) r.msgsAfterAppend = [];
    r.raftLog.acceptUnstable();
    const ents = rd.committedEntries;
    if (ents.length > 0) {
      const index = ents[ents.length - 1]!.index;
      r.raftLog.acceptApplying(index, entsSize(ents), this.applyUnstableEntries());
    }
  }

  /**
   * Whether committed entries may be handed out before they are durable locally:
   * yes in synchronous mode, where the host persists a Ready's entries before
   * applying its committed entries.
   */
  applyUnstableEntries(): boolean {
    return !this.asyncStorageWrites;
  }

  /** Whether ready() would return something to do. */
  hasReady(): boolean {
    // Reads the fields directly rather than building SoftState / HardState objects:
    // the host asks this after every step.
    const r = this.raft;
    const soft = this.prevSoftSt;
    if (r.lead !== soft.lead || r.state !== soft.raftState) return true;
    const term = r.term;
    const vote = r.vote;
    const commit = r.raftLog.committed;
    const hard = this.prevHardSt;
    const emptyHard = term === 0 && vote === 0 && commit === 0;
    if (!emptyHard && (term !== hard.term || vote !== hard.vote || commit !== hard.commit)) return true;
    if (r.raftLog.hasNextUnstableSnapshot()) return true;
    if (r.msgs.length > 0 || r.msgsAfterAppend.length > 0) return true;
    if (r.raftLog.hasNextUnstableEnts() || r.raftLog.hasNextCommittedEnts(this.applyUnstableEntries())) return true;
    if (r.readStates.length !== 0) return true;
    return false;
  }

  /**
   * Tells the node that the last Ready was handled (persisted, sent, applied).
   * Not allowed with asyncStorageWrites. The argument is unused (as in etcd).
   */
  advance(_rd?: Ready): void {
    if (this.asyncStorageWrites) this.raft.logger.panic('Advance must not be called when using AsyncStorageWrites');
    const steps = this.stepsOnAdvance;
    this.stepsOnAdvance = [];
    for (let i = 0; i < steps.length; i++) {
      try {
        this.raft.step(steps[i]!);
      } catch (e) {
        // etcd ignores the error of these local steps.
        if (!(e instanceof RaftError)) throw e;
      }
    }
  }

  /** The full status, including the configuration and (on a leader) the peers' progress. */
  status(): Status {
    return getStatus(this.raft);
  }

  /** The status without configuration and progress (cheap). */
  basicStatus(): BasicStatus {
    return getBasicStatus(this.raft);
  }

  /**
   * Calls visitor for every peer (in id order) with a copy of its progress. The copy
   * carries an empty Inflights (etcd passes none).
   */
  withProgress(visitor: (id: number, typ: ProgressType, pr: Progress) => void): void {
    this.raft.trk.visit((id, pr) => {
      const typ = pr.isLearner ? ProgressTypeLearner : ProgressTypePeer;
      const p = pr.shallowCopy();
      p.inflights = new Inflights(0, 0);
      visitor(id, typ, p);
    });
  }

  /** Reports that the last message to id could not be delivered. */
  reportUnreachable(id: number): void {
    this.ignoreError(newMessage({ type: MsgUnreachable, from: id }));
  }

  /** Reports whether the snapshot last sent to id was delivered. */
  reportSnapshot(id: number, status: SnapshotStatus): void {
    const rej = status === SnapshotFailure;
    this.ignoreError(newMessage({ type: MsgSnapStatus, from: id, reject: rej }));
  }

  /** Asks the leader to hand leadership to transferee. */
  transferLeader(transferee: number): void {
    this.ignoreError(newMessage({ type: MsgTransferLeader, from: transferee }));
  }

  /** Makes a follower forget its leader (so that it may vote at once). */
  forgetLeader(): void {
    this.raft.step(newMessage({ type: MsgForgetLeader }));
  }

  /**
   * Requests a read index; the answer is a ReadState with requestCtx rctx in a
   * later Ready. rctx should be unique per request.
   */
  readIndex(rctx: Uint8Array): void {
    this.ignoreError(newMessage({ type: MsgReadIndex, entries: [newEntry({ data: rctx })] }));
  }

  private ignoreError(m: Message): void {
    try {
      this.raft.step(m);
    } catch (e) {
      if (!(e instanceof RaftError)) throw e;
    }
  }
}

/** Builds a RawNode from config (etcd's NewRawNode). Throws RaftPanic on an invalid config. */
export function newRawNode(config: Config): RawNode {
  return new RawNode(config);
}

// ---- async storage writes ----

function needStorageAppendMsg(r: Raft, rd: Ready): boolean {
  // Also needed without new state when messages wait for the append thread: they
  // must not overtake writes still in progress.
  return (
    rd.entries.length > 0 ||
    !isEmptyHardState(rd.hardState) ||
    !isEmptySnap(rd.snapshot) ||
    r.msgsAfterAppend.length > 0
  );
}

function needStorageAppendRespMsg(r: Raft, rd: Ready): boolean {
  // Respond whenever unstable entries exist (even if already handed out before),
  // so raft learns when they become stable; and for a snapshot.
  return r.raftLog.hasNextOrInProgressUnstableEnts() || !isEmptySnap(rd.snapshot);
}

function newStorageAppendMsg(r: Raft, rd: Ready): Message {
  const m = newMessage({ type: MsgStorageAppend, to: LocalAppendThread, from: r.id, entries: rd.entries });
  if (!isEmptyHardState(rd.hardState)) {
    const hs = rd.hardState!;
    m.term = hs.term;
    m.vote = hs.vote;
    m.commit = hs.commit;
  }
  if (!isEmptySnap(rd.snapshot)) m.snapshot = rd.snapshot;
  // The waiting messages go out once the write is durable, followed by the
  // response that tells raft so.
  const responses = r.msgsAfterAppend.slice();
  if (needStorageAppendRespMsg(r, rd)) responses.push(newStorageAppendRespMsg(r, rd));
  m.responses = responses;
  return m;
}

function newStorageAppendRespMsg(r: Raft, rd: Ready): Message {
  const m = makeMessage(MsgStorageAppendResp, r.id, LocalAppendThread, r.term);
  if (r.raftLog.hasNextOrInProgressUnstableEnts()) {
    // The last unstable entry identifies the write; raft marks the log stable up
    // to it if it has not been replaced meanwhile.
    const last = r.raftLog.lastEntryID();
    m.index = last.index;
    m.logTerm = last.term;
  }
  if (!isEmptySnap(rd.snapshot)) m.snapshot = rd.snapshot;
  return m;
}

function needStorageApplyMsg(rd: Ready): boolean {
  return rd.committedEntries.length > 0;
}

function needStorageApplyRespMsg(rd: Ready): boolean {
  return needStorageApplyMsg(rd);
}

function newStorageApplyMsg(r: Raft, rd: Ready): Message {
  const ents = rd.committedEntries;
  // Term 0: applying committed entries does not happen under a particular term.
  return newMessage({
    type: MsgStorageApply,
    to: LocalApplyThread,
    from: r.id,
    term: 0,
    entries: ents,
    responses: [newStorageApplyRespMsg(r, ents)],
  });
}

function newStorageApplyRespMsg(r: Raft, ents: Entry[]): Message {
  return makeMessage(MsgStorageApplyResp, r.id, LocalApplyThread, 0, ents);
}

export { emptyHardState };

// The raft state machine (etcd's raft.go): one node's view of the protocol. It has
// no I/O of its own: inputs arrive through step() and tick(), outputs accumulate in
// msgs / msgsAfterAppend / readStates and the unstable log, and RawNode hands them
// to the host as a Ready.
//
// Roles: each role installs its own step function (stepFunc) and tick function
// (tick), exactly as etcd swaps r.step and r.tick.
//
// Errors: where etcd's Step returns an error, step() throws it (ErrProposalDropped,
// shared instance). etcd's panics become RaftPanic (via logger.panic when etcd logs).

import { Changer } from './confchange/confchange';
import { restore as restoreConfChange } from './confchange/restore';
import { describeConfChange } from './describe';
import {
  ErrCompacted,
  ErrProposalDropped,
  ErrSnapshotTemporarilyUnavailable,
  ErrUnavailable,
  RaftError,
  RaftPanic,
} from './errors';
import { newLogWithSize, type RaftLog } from './log';
import type { EntryID } from './logSlice';
import { discardLogger, type Logger } from './logger';
import { VoteLost, VoteWon, type VoteResult } from './quorum/quorum';
import { decodeConfChange, decodeConfChangeV2 } from './raftpb/codec';
import { asV2, enterJoint, leaveJoint, marshalConfChange, type ConfChangeI } from './raftpb/confchange';
import {
  EntryConfChange,
  EntryConfChangeV2,
  EntryNormal,
  MsgApp,
  MsgAppResp,
  MsgBeat,
  MsgCheckQuorum,
  MsgForgetLeader,
  MsgHeartbeat,
  MsgHeartbeatResp,
  MsgHup,
  MsgPreVote,
  MsgPreVoteResp,
  MsgProp,
  MsgReadIndex,
  MsgReadIndexResp,
  MsgSnap,
  MsgSnapStatus,
  MsgStorageAppendResp,
  MsgStorageApplyResp,
  MsgTimeoutNow,
  MsgTransferLeader,
  MsgUnreachable,
  MsgVote,
  MsgVoteResp,
  emptyBytes,
  makeMessage,
  messageTypeNames,
  noEntries,
  newEntry,
  newMessage,
  newSnapshot,
  type ConfChangeV2,
  type ConfState,
  type Entry,
  type HardState,
  type Message,
  type MessageType,
  type Snapshot,
} from './raftpb/types';
import { mutation } from './mutation';
import { newReadOnly, type ReadOnly } from './readOnly';
import type { Storage } from './storage';
import { Inflights } from './tracker/inflights';
import type { Progress, ProgressMap } from './tracker/progress';
import { StateProbe, StateReplicate, StateSnapshot } from './tracker/state';
import { makeProgressTracker, type Config as TrackerConfig, type ProgressTracker } from './tracker/tracker';
import {
  None,
  ReadOnlyLeaseBased,
  ReadOnlySafe,
  StateCandidate,
  StateFollower,
  StateLeader,
  StatePreCandidate,
  isEmptyHardState,
  isEmptySnap,
  isLocalMsgTarget,
  stateTypeNames,
  type RandomSource,
  type ReadOnlyOption,
  type ReadState,
  type SoftState,
  type StateType,
} from './types';
import { assertConfStatesEquivalent, entsSize, hex, noLimit, payloadsSize, voteRespMsgType } from './util';

// ---------------------------------------------------------------------------
// Campaign types

/** Why a node campaigns; the transfer kind travels as the vote request's context. */
export type CampaignType = 'CampaignPreElection' | 'CampaignElection' | 'CampaignTransfer';
export const campaignPreElection: CampaignType = 'CampaignPreElection';
export const campaignElection: CampaignType = 'CampaignElection';
export const campaignTransfer: CampaignType = 'CampaignTransfer';
const campaignTransferBytes = new TextEncoder().encode(campaignTransfer);

// ---------------------------------------------------------------------------
// Config

/**
 * The parameters of a raft node (etcd's Config). Optional fields take etcd's zero
 * value when absent, and validateConfig() fills in the defaults etcd fills in.
 * Sizes are in bytes; "no limit" is Infinity.
 */
export interface Config {
  /** This node's id; never None nor a local storage-thread target. */
  id: number;
  /** Ticks without hearing from a leader before a follower campaigns (randomized up to twice this). */
  electionTick: number;
  /** Ticks between leader heartbeats; must be below electionTick. */
  heartbeatTick: number;
  /** Stable storage of entries and state. */
  storage: Storage;
  /** The last applied index, when restarting. */
  applied?: number;
  /** Hand storage work out as MsgStorageAppend / MsgStorageApply messages instead of through Advance. */
  asyncStorageWrites?: boolean;
  /** Bound on the encoded size of entries in one MsgApp (0: one entry per message). */
  maxSizePerMsg?: number;
  /** Bound on the encoded size of committed entries handed out but not yet applied (0: maxSizePerMsg). */
  maxCommittedSizePerReady?: number;
  /** Bound on the payload of entries appended by the leader and not yet committed (0: no limit). */
  maxUncommittedEntriesSize?: number;
  /** Bound on in-flight MsgApps per follower in StateReplicate; must be > 0. */
  maxInflightMsgs?: number;
  /** Bound on in-flight payload bytes per follower (0: no limit). */
  maxInflightBytes?: number;
  /** Leader steps down when a quorum was not heard from within an election timeout. */
  checkQuorum?: boolean;
  /** Run a pre-vote round before bumping the term. */
  preVote?: boolean;
  readOnlyOption?: ReadOnlyOption;
  logger?: Logger;
  /** Followers drop proposals instead of forwarding them to the leader. */
  disableProposalForwarding?: boolean;
  /** Do not refuse conf changes the leader believes unsafe to propose. */
  disableConfChangeValidation?: boolean;
  /** A leader removed (or demoted) by a conf change steps down. */
  stepDownOnRemoval?: boolean;
  /**
   * The source of the randomized election timeout (differs from etcd: etcd draws
   * from crypto/rand). Defaults to a deterministic generator seeded with id.
   */
  random?: RandomSource;
}

/** A small deterministic generator (mulberry32), the default Config.random. */
export function deterministicRandomSource(seed: number): RandomSource {
  let a = seed >>> 0;
  return (n: number): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return Math.floor(r * n);
  };
}

/**
 * Checks c and fills in defaults, in place, as etcd's Config.validate does.
 * Throws a RaftError with etcd's text when c is unusable.
 */
export function validateConfig(c: Config): void {
  if (c.id === None || c.id === undefined) throw new RaftError('cannot use none as id');
  if (isLocalMsgTarget(c.id)) throw new RaftError('cannot use local target as id');
  if (!((c.heartbeatTick ?? 0) > 0)) throw new RaftError('heartbeat tick must be greater than 0');
  if (!((c.electionTick ?? 0) > c.heartbeatTick)) {
    throw new RaftError('election tick must be greater than heartbeat tick');
  }
  if (c.storage === undefined || c.storage === null) throw new RaftError('storage cannot be nil');
  c.maxSizePerMsg ??= 0;
  if (!c.maxUncommittedEntriesSize) c.maxUncommittedEntriesSize = noLimit;
  if (!c.maxCommittedSizePerReady) c.maxCommittedSizePerReady = c.maxSizePerMsg;
  if (!((c.maxInflightMsgs ?? 0) > 0)) throw new RaftError('max inflight messages must be greater than 0');
  if (!c.maxInflightBytes) {
    c.maxInflightBytes = noLimit;
  } else if (c.maxInflightBytes < c.maxSizePerMsg) {
    throw new RaftError('max inflight bytes must be >= max message size');
  }
  c.logger ??= discardLogger;
  c.readOnlyOption ??= ReadOnlySafe;
  if (c.readOnlyOption === ReadOnlyLeaseBased && !c.checkQuorum) {
    throw new RaftError('CheckQuorum must be enabled when ReadOnlyOption is ReadOnlyLeaseBased');
  }
  c.random ??= deterministicRandomSource(c.id);
  c.applied ??= 0;
  c.asyncStorageWrites ??= false;
  c.checkQuorum ??= false;
  c.preVote ??= false;
  c.disableProposalForwarding ??= false;
  c.disableConfChangeValidation ??= false;
  c.stepDownOnRemoval ??= false;
}

// ---------------------------------------------------------------------------
// helpers

/** A message type as Go's %s prints it: the name, or the bare number when unknown (protobuf enums). */
function msgName(t: MessageType): string {
  return messageTypeNames[t] ?? String(t);
}

function stateName(s: StateType): string {
  return stateTypeNames[s] ?? `StateType(${String(s)})`;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Go's %v of the *pb.ConfState that restore() prints: protobuf text form, one
 * field after another, repeated fields once per element (nothing when empty).
 * auto_leave always appears, true or false: etcd v3.7.0's ConfState is proto2 with
 * an optional (pointer) auto_leave, printed whenever it is set, and restore() sets
 * it first (pb.EnsureConfState) when the snapshot left it unset.
 *
 * differs from etcd: Go's text encoder separates fields by one space or, in some
 * builds, two (protobuf-go varies it per binary on purpose); we always use one.
 */
export function confStateText(cs: ConfState): string {
  let s = '';
  for (const id of cs.voters) s += `voters:${id} `;
  for (const id of cs.learners) s += `learners:${id} `;
  for (const id of cs.votersOutgoing) s += `voters_outgoing:${id} `;
  for (const id of cs.learnersNext) s += `learners_next:${id} `;
  return s + `auto_leave:${String(cs.autoLeave)}`;
}

/** The MsgProp carrying a conf change (undefined: the empty ConfChangeV2 that leaves a joint config). */
export function confChangeToMsg(c: ConfChangeI | undefined): Message {
  const [type, data] = marshalConfChange(c);
  return newMessage({ type: MsgProp, entries: [newEntry({ type, data })] });
}

/** A role's message handler (etcd's stepFunc). Throws ErrProposalDropped where etcd returns it. */
export type StepFunc = (r: Raft, m: Message) => void;

// ---------------------------------------------------------------------------
// raft

export class Raft {
  id: number;
  term = 0;
  vote = 0;
  readStates: ReadState[] = [];
  raftLog: RaftLog;
  maxMsgSize: number;
  maxUncommittedSize: number;
  trk: ProgressTracker;
  state: StateType = StateFollower;
  /** Whether this node is a learner in the current configuration. */
  isLearner = false;
  /** Messages to send once the Ready is handed out. */
  msgs: Message[] = [];
  /**
   * Messages to send only after the current unstable log and state are durable
   * (votes and append acknowledgements, including those addressed to self).
   */
  msgsAfterAppend: Message[] = [];
  lead = None;
  /** The target of a leader transfer in progress, or None. */
  leadTransferee = None;
  /** Index of the latest conf change proposed by this leader; no new one until it is applied. */
  pendingConfIndex = 0;
  disableConfChangeValidation: boolean;
  /** Payload bytes appended by this leader and not yet known committed (approximate). */
  uncommittedSize = 0;
  readOnly: ReadOnly;
  /** Ticks since the election timeout reset (leader: since the last quorum check). */
  electionElapsed = 0;
  /** Ticks since the last heartbeat (leader only). */
  heartbeatElapsed = 0;
  checkQuorum: boolean;
  preVote: boolean;
  heartbeatTimeout: number;
  electionTimeout: number;
  /** A value in [electionTimeout, 2*electionTimeout), redrawn on every reset. */
  randomizedElectionTimeout = 0;
  disableProposalForwarding: boolean;
  stepDownOnRemoval: boolean;
  /** The current role's tick function. */
  tick: () => void;
  /** differs from etcd: etcd's r.step; named stepFunc because step() is etcd's Step. */
  stepFunc: StepFunc;
  logger: Logger;
  /** ReadIndex requests received before the leader committed an entry of its own term. */
  pendingReadIndexMessages: Message[] = [];
  random: RandomSource;

  constructor(c: Config) {
    try {
      validateConfig(c);
    } catch (e) {
      throw new RaftPanic(errText(e));
    }
    const logger = c.logger!;
    const raftlog = newLogWithSize(c.storage, logger, c.maxCommittedSizePerReady!);
    const { hardState: hs, confState: cs } = c.storage.initialState();

    this.id = c.id;
    this.raftLog = raftlog;
    this.maxMsgSize = c.maxSizePerMsg!;
    this.maxUncommittedSize = c.maxUncommittedEntriesSize!;
    this.trk = makeProgressTracker(c.maxInflightMsgs!, c.maxInflightBytes!);
    this.electionTimeout = c.electionTick;
    this.heartbeatTimeout = c.heartbeatTick;
    this.logger = logger;
    this.checkQuorum = c.checkQuorum!;
    this.preVote = c.preVote!;
    this.readOnly = newReadOnly(c.readOnlyOption!);
    this.disableProposalForwarding = c.disableProposalForwarding!;
    this.disableConfChangeValidation = c.disableConfChangeValidation!;
    this.stepDownOnRemoval = c.stepDownOnRemoval!;
    this.random = c.random!;
    this.tick = this.tickElection;
    this.stepFunc = stepFollower;

    const lastID = this.raftLog.lastEntryID();
    let cfg: TrackerConfig;
    let trk: ProgressMap;
    try {
      [cfg, trk] = restoreConfChange(new Changer(this.trk, lastID.index), cs);
    } catch (e) {
      if (e instanceof RaftPanic) throw e;
      throw new RaftPanic(errText(e));
    }
    assertConfStatesEquivalent(this.logger, cs, this.switchToConfig(cfg, trk));

    if (!isEmptyHardState(hs)) this.loadState(hs);
    if (c.applied! > 0) raftlog.appliedTo(c.applied!, 0);
    this.becomeFollower(this.term, None);

    const nodesStrs = this.trk.voterNodes().map(hex);
    this.logger.info(
      `newRaft ${hex(this.id)} [peers: [${nodesStrs.join(',')}], term: ${this.term}, commit: ${this.raftLog.committed}, applied: ${this.raftLog.applied}, lastindex: ${lastID.index}, lastterm: ${lastID.term}]`,
    );
  }

  hasLeader(): boolean {
    return this.lead !== None;
  }

  softState(): SoftState {
    return { lead: this.lead, raftState: this.state };
  }

  hardState(): HardState {
    return { term: this.term, vote: this.vote, commit: this.raftLog.committed };
  }

  /** Test hook: pins the randomized election timeout until the next reset (etcd's tests set the field). */
  setRandomizedElectionTimeout(v: number): void {
    this.randomizedElectionTimeout = v;
  }

  /** Queues m: votes and append acknowledgements wait for durability (msgsAfterAppend), the rest go to msgs. */
  send(m: Message): void {
    if (m.from === None) m.from = this.id;
    const t = m.type;
    if (t === MsgVote || t === MsgVoteResp || t === MsgPreVote || t === MsgPreVoteResp) {
      if (m.term === 0) {
        // All {pre-,}campaign messages carry the term they campaign (or vote) for.
        this.logger.panic(`term should be set when sending ${msgName(t)}`);
      }
    } else {
      if (m.term !== 0) {
        this.logger.panic(`term should not be set when sending ${msgName(t)} (was ${m.term})`);
      }
      // Proposals and read requests are forwarded as they are; everything else gets our term.
      if (t !== MsgProp && t !== MsgReadIndex) m.term = this.term;
    }
    if (t === MsgAppResp || t === MsgVoteResp || t === MsgPreVoteResp) {
      // These acknowledge our log / vote, so they may leave only once it is durable.
      this.msgsAfterAppend.push(m);
    } else {
      if (m.to === this.id) this.logger.panic(`message should not be self-addressed when sending ${msgName(t)}`);
      this.msgs.push(m);
    }
  }

  /** Sends an append (possibly empty) or a snapshot to `to`, unless its flow is paused. */
  sendAppend(to: number): void {
    this.maybeSendAppend(to, true);
  }

  /**
   * Sends `to` the entries it lacks (or a snapshot, when they are compacted away).
   * With sendIfEmpty false, nothing is sent when there are no entries to send.
   * Returns whether a message was sent.
   */
  maybeSendAppend(to: number, sendIfEmpty: boolean): boolean {
    const pr = this.trk.progress.get(to)!;
    if (pr.isPaused()) return false;

    const prevIndex = pr.next - 1;
    let prevTerm: number;
    // differs from etcd: a Storage error other than ErrCompacted / ErrUnavailable
    // makes etcd panic inside raftLog.term or raftLog.slice, so only those two reach
    // this function as errors. Here the other errors are rethrown as they are (not
    // wrapped in a RaftPanic); the host sees the storage's own error.
    try {
      prevTerm = this.raftLog.term(prevIndex);
    } catch (e) {
      if (e !== ErrCompacted && e !== ErrUnavailable) throw e;
      // The entry before next is gone: only a snapshot can catch the peer up.
      return this.maybeSendSnapshot(to, pr);
    }

    let ents: Entry[] = noEntries;
    let failed = false;
    if (pr.state !== StateReplicate || !pr.inflights.full()) {
      try {
        ents = this.raftLog.entries(pr.next, this.maxMsgSize);
      } catch (e) {
        if (e !== ErrCompacted && e !== ErrUnavailable) throw e;
        failed = true;
      }
    }
    if (ents.length === 0 && !sendIfEmpty) return false;
    if (failed) return this.maybeSendSnapshot(to, pr);

    const committed = this.raftLog.committed;
    const m = makeMessage(MsgApp, to, None, 0, ents);
    m.index = prevIndex;
    m.logTerm = prevTerm;
    m.commit = committed;
    this.send(m);
    pr.sentEntries(ents.length, payloadsSize(ents));
    pr.sentCommit(committed);
    return true;
  }

  /** Sends `to` the latest snapshot if it is recently active and a snapshot is available. */
  maybeSendSnapshot(to: number, pr: Progress): boolean {
    if (!pr.recentActive) {
      this.logger.debug(`ignore sending snapshot to ${hex(to)} since it is not recently active`);
      return false;
    }
    let snapshot: Snapshot;
    try {
      snapshot = this.raftLog.snapshot();
    } catch (e) {
      if (e === ErrSnapshotTemporarilyUnavailable) {
        this.logger.debug(
          `${hex(this.id)} failed to send snapshot to ${hex(to)} because snapshot is temporarily unavailable`,
        );
        return false;
      }
      throw e;
    }
    if (isEmptySnap(snapshot)) throw new RaftPanic('need non-empty snapshot');
    const sindex = snapshot.metadata.index;
    const sterm = snapshot.metadata.term;
    this.logger.debug(
      `${hex(this.id)} [firstindex: ${this.raftLog.firstIndex()}, commit: ${this.raftLog.committed}] sent snapshot[index: ${sindex}, term: ${sterm}] to ${hex(to)} [${pr.toString()}]`,
    );
    pr.becomeSnapshot(sindex);
    this.logger.debug(`${hex(this.id)} paused sending replication messages to ${hex(to)} [${pr.toString()}]`);
    this.send(newMessage({ to, type: MsgSnap, snapshot }));
    return true;
  }

  /** Sends a heartbeat carrying the commit index the peer can safely apply, and ctx. */
  sendHeartbeat(to: number, ctx: Uint8Array): void {
    const pr = this.trk.progress.get(to)!;
    // A follower may not have all committed entries; it must not commit past what it matched.
    const commit = Math.min(pr.match, this.raftLog.committed);
    const m = makeMessage(MsgHeartbeat, to, None, 0);
    m.commit = commit;
    m.context = ctx;
    this.send(m);
    pr.sentCommit(commit);
  }

  /** Sends appends to every peer (in id order). */
  bcastAppend(): void {
    // A plain loop over the sorted ids (trk.visit's order) rather than visit with a
    // closure: this runs for every proposal. Sending changes no membership.
    const ids = this.trk.progress.ids();
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (id !== this.id) this.sendAppend(id);
    }
  }

  /** Sends heartbeats to every peer, carrying the current read position. */
  bcastHeartbeat(): void {
    this.bcastHeartbeatWithCtx(this.readOnly.heartbeatCtx());
  }

  bcastHeartbeatWithCtx(ctx: Uint8Array): void {
    const ids = this.trk.progress.ids();
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (id !== this.id) this.sendHeartbeat(id, ctx);
    }
  }

  /**
   * Records that the application applied up to index (size: encoded bytes applied),
   * and, when a joint configuration with autoLeave is applied on the leader, proposes
   * leaving it.
   */
  appliedTo(index: number, size: number): void {
    const oldApplied = this.raftLog.applied;
    const newApplied = Math.max(index, oldApplied);
    this.raftLog.appliedTo(newApplied, size);

    if (this.trk.config.autoLeave && newApplied >= this.pendingConfIndex && this.state === StateLeader) {
      // The joint config is applied and auto-leave is on: propose the empty
      // ConfChangeV2 that leaves it. Its index becomes pendingConfIndex, so this
      // happens once.
      const m = confChangeToMsg(undefined);
      try {
        this.step(m);
      } catch (e) {
        if (!(e instanceof RaftError)) throw e;
        this.logger.debug(
          `not initiating automatic transition out of joint configuration ${this.trk.config.toString()}: ${e.message}`,
        );
        return;
      }
      this.logger.info(`initiating automatic transition out of joint configuration ${this.trk.config.toString()}`);
    }
  }

  /** Records that the snapshot is durable and applied. */
  appliedSnap(snap: Snapshot): void {
    const index = snap.metadata.index;
    this.raftLog.stableSnapTo(index);
    this.appliedTo(index, 0);
  }

  /** Advances the commit index to what a quorum acknowledged, if that entry is of this term. */
  maybeCommit(): boolean {
    return this.raftLog.maybeCommitAt(this.term, this.trk.committed());
  }

  /** Common part of every role change: term, timers, votes, progress, read queue. */
  reset(term: number): void {
    if (this.term !== term) {
      this.term = term;
      this.vote = None;
    }
    this.lead = None;

    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.resetRandomizedElectionTimeout();

    this.abortLeaderTransfer();

    this.trk.resetVotes();
    const lastIndex = this.raftLog.lastIndex();
    const maxInflight = this.trk.maxInflight;
    const maxInflightBytes = this.trk.maxInflightBytes;
    this.trk.visit((id, pr) => {
      pr.match = id === this.id ? lastIndex : 0;
      pr.next = lastIndex + 1;
      pr.sentCommitIndex = 0;
      pr.state = StateProbe;
      pr.pendingSnapshot = 0;
      pr.recentActive = false;
      pr.msgAppFlowPaused = false;
      pr.inflights = new Inflights(maxInflight, maxInflightBytes);
      // isLearner is kept.
    });

    this.pendingConfIndex = 0;
    this.uncommittedSize = 0;
    this.readOnly = newReadOnly(this.readOnly.option);
  }

  /**
   * Appends entries (given term and index here) to the leader's log and acknowledges
   * them to itself. Returns false, appending nothing, when the uncommitted-size limit
   * would be exceeded.
   */
  appendEntry(...es: Entry[]): boolean {
    return this.appendEntries(es);
  }

  /** appendEntry taking an array (no spread on the proposal path). */
  appendEntries(es: readonly Entry[]): boolean {
    let li = this.raftLog.lastIndex();
    // Fresh entries: the proposer's objects are not modified. (A packed array, not
    // new Array(n), whose holes would follow the entries into the log and every Ready.)
    // A proposal usually carries one entry: a one-element literal, not an empty array
    // that grows to a default capacity on its first push.
    let cloned: Entry[];
    if (es.length === 1) {
      cloned = [{ term: this.term, index: li + 1, type: es[0]!.type, data: es[0]!.data }];
    } else {
      cloned = [];
      for (let i = 0; i < es.length; i++) {
        const e = es[i]!;
        cloned.push({ term: this.term, index: li + 1 + i, type: e.type, data: e.data });
      }
    }
    if (!this.increaseUncommittedSize(cloned)) {
      this.logger.warning(
        `${hex(this.id)} appending new entries to log would exceed uncommitted entry size limit; dropping proposal`,
      );
      return false;
    }
    li = this.raftLog.appendEntries(cloned);
    // The leader acknowledges its own append like any follower, once it is durable.
    const m = makeMessage(MsgAppResp, this.id, None, 0);
    m.index = li;
    this.send(m);
    return true;
  }

  /** Follower and candidate tick: campaign once the randomized election timeout passed. */
  tickElection(): void {
    this.electionElapsed++;
    if (this.promotable() && this.pastElectionTimeout()) {
      this.electionElapsed = 0;
      try {
        this.step(newMessage({ from: this.id, type: MsgHup }));
      } catch (e) {
        if (!(e instanceof RaftError)) throw e;
        this.logger.debug(`error occurred during election: ${e.message}`);
      }
    }
  }

  /** Leader tick: heartbeats, and the CheckQuorum / transfer timeouts. */
  tickHeartbeat(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;

    if (this.electionElapsed >= this.electionTimeout) {
      this.electionElapsed = 0;
      if (this.checkQuorum) {
        try {
          this.step(newMessage({ from: this.id, type: MsgCheckQuorum }));
        } catch (e) {
          if (!(e instanceof RaftError)) throw e;
          this.logger.debug(`error occurred during checking sending heartbeat: ${e.message}`);
        }
      }
      // A transfer that did not finish within an election timeout is given up.
      if (this.state === StateLeader && this.leadTransferee !== None) this.abortLeaderTransfer();
    }

    if (this.state !== StateLeader) return;

    if (this.heartbeatElapsed >= this.heartbeatTimeout) {
      this.heartbeatElapsed = 0;
      try {
        this.step(newMessage({ from: this.id, type: MsgBeat }));
      } catch (e) {
        if (!(e instanceof RaftError)) throw e;
        this.logger.debug(`error occurred during checking sending heartbeat: ${e.message}`);
      }
    }
  }

  becomeFollower(term: number, lead: number): void {
    this.stepFunc = stepFollower;
    this.reset(term);
    this.tick = this.tickElection;
    this.lead = lead;
    this.state = StateFollower;
    this.logger.info(`${hex(this.id)} became follower at term ${this.term}`);
  }

  becomeCandidate(): void {
    if (this.state === StateLeader) throw new RaftPanic('invalid transition [leader -> candidate]');
    this.stepFunc = stepCandidate;
    this.reset(this.term + 1);
    this.tick = this.tickElection;
    this.vote = this.id;
    this.state = StateCandidate;
    this.logger.info(`${hex(this.id)} became candidate at term ${this.term}`);
  }

  becomePreCandidate(): void {
    if (this.state === StateLeader) throw new RaftPanic('invalid transition [leader -> pre-candidate]');
    // A pre-candidate keeps its term and vote: nothing is reset but the votes.
    this.stepFunc = stepCandidate;
    this.trk.resetVotes();
    this.tick = this.tickElection;
    this.lead = None;
    this.state = StatePreCandidate;
    this.logger.info(`${hex(this.id)} became pre-candidate at term ${this.term}`);
  }

  becomeLeader(): void {
    if (this.state === StateFollower) throw new RaftPanic('invalid transition [follower -> leader]');
    this.stepFunc = stepLeader;
    this.reset(this.term);
    this.tick = this.tickHeartbeat;
    this.lead = this.id;
    this.state = StateLeader;
    // The leader's own progress is always replicating and active.
    const pr = this.trk.progress.get(this.id);
    if (pr !== undefined) {
      pr.becomeReplicate();
      pr.recentActive = true;
    }

    // Any conf change in the log may still be unapplied: hold new ones back until
    // everything up to here is applied.
    this.pendingConfIndex = this.raftLog.lastIndex();

    // An empty entry of our term: committing it commits everything before it.
    if (!this.appendEntry(newEntry())) {
      this.logger.panic('empty entry was dropped');
    }
    this.logger.info(`${hex(this.id)} became leader at term ${this.term}`);
  }

  /** Starts an election of kind t, if this node may. */
  hup(t: CampaignType): void {
    if (this.state === StateLeader) {
      this.logger.debug(`${hex(this.id)} ignoring MsgHup because already leader`);
      return;
    }
    if (!this.promotable()) {
      this.logger.warning(`${hex(this.id)} is unpromotable and can not campaign`);
      return;
    }
    if (this.hasUnappliedConfChanges()) {
      this.logger.warning(
        `${hex(this.id)} cannot campaign at term ${this.term} since there are still pending configuration changes to apply`,
      );
      return;
    }
    this.logger.info(`${hex(this.id)} is starting a new election at term ${this.term}`);
    this.campaign(t);
  }

  /** Whether a committed but unapplied entry is a conf change. */
  hasUnappliedConfChanges(): boolean {
    if (this.raftLog.applied >= this.raftLog.committed) return false;
    let found = false;
    const lo = this.raftLog.applied + 1;
    const hi = this.raftLog.committed + 1;
    const pageSize = this.raftLog.maxApplyingEntsSize;
    const stop = {};
    try {
      this.raftLog.scan(lo, hi, pageSize, (ents) => {
        for (const e of ents) {
          if (e.type === EntryConfChange || e.type === EntryConfChangeV2) {
            found = true;
            throw stop;
          }
        }
      });
    } catch (e) {
      if (e !== stop) {
        if (e instanceof RaftPanic) throw e;
        this.logger.panic(`error scanning unapplied entries [${lo}, ${hi}): ${errText(e)}`);
      }
    }
    return found;
  }

  /** Becomes (pre-)candidate and asks every voter for its vote. Callers check promotable(). */
  campaign(t: CampaignType): void {
    if (!this.promotable()) {
      // Callers should have checked; kept as a warning as etcd does.
      this.logger.warning(`${hex(this.id)} is unpromotable; campaign() should have been called`);
    }
    let term: number;
    let voteMsg: MessageType;
    if (t === campaignPreElection) {
      this.becomePreCandidate();
      voteMsg = MsgPreVote;
      // Pre-votes are requested for the term we would campaign in.
      term = this.term + 1;
    } else {
      this.becomeCandidate();
      voteMsg = MsgVote;
      term = this.term;
    }
    const ids = Array.from(this.trk.config.voters.ids()).sort((a, b) => a - b);
    for (const id of ids) {
      if (id === this.id) {
        // Our own vote counts once it is durable, like anyone's.
        this.send(newMessage({ to: id, term, type: voteRespMsgType(voteMsg) }));
        continue;
      }
      const last = this.raftLog.lastEntryID();
      this.logger.info(
        `${hex(this.id)} [logterm: ${last.term}, index: ${last.index}] sent ${msgName(voteMsg)} request to ${hex(id)} at term ${this.term}`,
      );
      const ctx = t === campaignTransfer ? campaignTransferBytes : emptyBytes;
      this.send(newMessage({ to: id, term, type: voteMsg, index: last.index, logTerm: last.term, context: ctx }));
    }
  }

  /** Records a vote and tallies the election. */
  poll(id: number, t: MessageType, v: boolean): { granted: number; rejected: number; result: VoteResult } {
    if (v) {
      this.logger.info(`${hex(this.id)} received ${msgName(t)} from ${hex(id)} at term ${this.term}`);
    } else {
      this.logger.info(`${hex(this.id)} received ${msgName(t)} rejection from ${hex(id)} at term ${this.term}`);
    }
    this.trk.recordVote(id, v);
    return this.trk.tallyVotes();
  }

  /**
   * The entry point for every message (etcd's Step): handles terms, votes and the
   * storage acknowledgements, then hands the rest to the role's step function.
   * Throws ErrProposalDropped when a proposal cannot be taken.
   */
  step(m: Message): void {
    if (m.term === 0) {
      // A local message.
    } else if (m.term > this.term) {
      if (m.type === MsgVote || m.type === MsgPreVote) {
        const force = bytesEqual(m.context, campaignTransferBytes);
        const inLease = this.checkQuorum && this.lead !== None && this.electionElapsed < this.electionTimeout;
        if (!force && inLease) {
          // We heard from a leader within the election timeout: do not let a
          // (possibly partitioned) candidate disrupt it.
          const last = this.raftLog.lastEntryID();
          this.logger.info(
            `${hex(this.id)} [logterm: ${last.term}, index: ${last.index}, vote: ${hex(this.vote)}] ignored ${msgName(m.type)} from ${hex(m.from)} [logterm: ${m.logTerm}, index: ${m.index}] at term ${this.term}: lease is not expired (remaining ticks: ${this.electionTimeout - this.electionElapsed})`,
          );
          return;
        }
      }
      if (m.type === MsgPreVote && !mutation.prevoteRaisesTerm /* mutant: pre-votes raise the term */) {
        // Pre-votes never change our term.
      } else if (m.type === MsgPreVoteResp && !m.reject) {
        // A granted pre-vote carries the future term; the term moves only once a
        // quorum granted it and the real election starts.
      } else {
        this.logger.info(
          `${hex(this.id)} [term: ${this.term}] received a ${msgName(m.type)} message with higher term from ${hex(m.from)} [term: ${m.term}]`,
        );
        if (m.type === MsgApp || m.type === MsgHeartbeat || m.type === MsgSnap) {
          this.becomeFollower(m.term, m.from);
        } else {
          this.becomeFollower(m.term, None);
        }
      }
    } else if (m.term < this.term) {
      if ((this.checkQuorum || this.preVote) && (m.type === MsgHeartbeat || m.type === MsgApp)) {
        // A stale leader: tell it about our term so it steps down (with CheckQuorum
        // or PreVote we would otherwise never bump its term).
        this.send(newMessage({ to: m.from, type: MsgAppResp }));
      } else if (m.type === MsgPreVote) {
        // Reject, so the pre-candidate learns our term and does not wait forever.
        const last = this.raftLog.lastEntryID();
        this.logger.info(
          `${hex(this.id)} [logterm: ${last.term}, index: ${last.index}, vote: ${hex(this.vote)}] rejected ${msgName(m.type)} from ${hex(m.from)} [logterm: ${m.logTerm}, index: ${m.index}] at term ${this.term}`,
        );
        this.send(newMessage({ to: m.from, term: this.term, type: MsgPreVoteResp, reject: true }));
      } else if (m.type === MsgStorageAppendResp) {
        // The write happened under an old term: its entries may have been replaced
        // since, so they are not marked stable; a snapshot is still applied.
        if (m.index !== 0) {
          this.logger.info(
            `${hex(this.id)} [term: ${this.term}] ignored entry appends from a ${msgName(m.type)} message with lower term [term: ${m.term}]`,
          );
        }
        if (m.snapshot !== undefined) this.appliedSnap(m.snapshot);
      } else {
        this.logger.info(
          `${hex(this.id)} [term: ${this.term}] ignored a ${msgName(m.type)} message with lower term from ${hex(m.from)} [term: ${m.term}]`,
        );
      }
      return;
    }

    switch (m.type) {
      case MsgHup:
        if (this.preVote) this.hup(campaignPreElection);
        else this.hup(campaignElection);
        break;

      case MsgStorageAppendResp:
        if (m.index !== 0) this.raftLog.stableTo({ term: m.logTerm, index: m.index });
        if (m.snapshot !== undefined) this.appliedSnap(m.snapshot);
        break;

      case MsgStorageApplyResp:
        if (m.entries.length > 0) {
          const index = m.entries[m.entries.length - 1]!.index;
          this.appliedTo(index, entsSize(m.entries));
          this.reduceUncommittedSize(payloadsSize(m.entries));
        }
        break;

      case MsgVote:
      case MsgPreVote: {
        // We can vote for the candidate if we already did (a repeated request), if
        // we have neither voted nor know a leader in this term, or if it is a
        // pre-vote for a future term.
        const canVote =
          (mutation.doubleVote && m.type === MsgVote) /* mutant double-vote: ignore our earlier vote */ ||
          this.vote === m.from ||
          (this.vote === None && this.lead === None) ||
          (m.type === MsgPreVote && m.term > this.term);
        const lastID = this.raftLog.lastEntryID();
        const candLastID: EntryID = { term: m.logTerm, index: m.index };
        if (canVote && this.raftLog.isUpToDate(candLastID)) {
          this.logger.info(
            `${hex(this.id)} [logterm: ${lastID.term}, index: ${lastID.index}, vote: ${hex(this.vote)}] cast ${msgName(m.type)} for ${hex(m.from)} [logterm: ${candLastID.term}, index: ${candLastID.index}] at term ${this.term}`,
          );
          // The response carries the request's term (for a pre-vote: the future
          // term), so that the candidate does not take it as stale.
          this.send(newMessage({ to: m.from, term: m.term, type: voteRespMsgType(m.type) }));
          if (m.type === MsgVote) {
            // Only real votes are recorded, and they reset the election timer.
            this.electionElapsed = 0;
            this.vote = m.from;
          }
        } else {
          this.logger.info(
            `${hex(this.id)} [logterm: ${lastID.term}, index: ${lastID.index}, vote: ${hex(this.vote)}] rejected ${msgName(m.type)} from ${hex(m.from)} [logterm: ${candLastID.term}, index: ${candLastID.index}] at term ${this.term}`,
          );
          this.send(newMessage({ to: m.from, term: this.term, type: voteRespMsgType(m.type), reject: true }));
        }
        break;
      }

      default:
        this.stepFunc(this, m);
    }
  }

  /** Handles a MsgApp from the leader: append if the previous entry matches, else reject with a hint. */
  handleAppendEntries(m: Message): void {
    if (m.index < this.raftLog.committed) {
      // Everything up to committed is already known to match: ack that much.
      this.send(newMessage({ to: m.from, type: MsgAppResp, index: this.raftLog.committed }));
      return;
    }
    const mlastIndex = this.raftLog.maybeAppendAfter(m.index, m.logTerm, m.entries, m.commit);
    if (mlastIndex !== undefined) {
      const resp = makeMessage(MsgAppResp, m.from, None, 0);
      resp.index = mlastIndex;
      this.send(resp);
      return;
    }
    this.logger.debug(
      `${hex(this.id)} [logterm: ${this.raftLog.zeroTermOnOutOfBounds(() => this.raftLog.term(m.index))}, index: ${m.index}] rejected MsgApp [logterm: ${m.logTerm}, index: ${m.index}] from ${hex(m.from)}`,
    );
    // Hint the leader at the last entry that could match: the largest index <= the
    // probed one whose term is <= the probed term. The leader can then skip whole
    // divergent terms in one round trip.
    const [hintIndex, hintTerm] = this.raftLog.findConflictByTerm(
      Math.min(m.index, this.raftLog.lastIndex()),
      m.logTerm,
    );
    this.send(
      newMessage({
        to: m.from,
        type: MsgAppResp,
        index: m.index,
        reject: true,
        rejectHint: hintIndex,
        logTerm: hintTerm,
      }),
    );
  }

  handleHeartbeat(m: Message): void {
    this.raftLog.commitTo(m.commit);
    const resp = makeMessage(MsgHeartbeatResp, m.from, None, 0);
    resp.context = m.context;
    this.send(resp);
  }

  handleSnapshot(m: Message): void {
    const s = m.snapshot ?? newSnapshot();
    const sindex = s.metadata.index;
    const sterm = s.metadata.term;
    if (this.restore(s)) {
      this.logger.info(
        `${hex(this.id)} [commit: ${this.raftLog.committed}] restored snapshot [index: ${sindex}, term: ${sterm}]`,
      );
      this.send(newMessage({ to: m.from, type: MsgAppResp, index: this.raftLog.lastIndex() }));
    } else {
      this.logger.info(
        `${hex(this.id)} [commit: ${this.raftLog.committed}] ignored snapshot [index: ${sindex}, term: ${sterm}]`,
      );
      this.send(newMessage({ to: m.from, type: MsgAppResp, index: this.raftLog.committed }));
    }
  }

  /**
   * Resets the log and configuration to the snapshot. Returns false when the
   * snapshot is not needed (already committed, or matching our log, in which case
   * only the commit index moves) or cannot be used.
   */
  restore(s: Snapshot): boolean {
    if (s.metadata.index <= this.raftLog.committed) return false;
    if (this.state !== StateFollower) {
      // Only a follower restores; a leader or candidate receiving one is in a
      // confused term. Step down at a higher term so that things sort themselves out.
      this.logger.warning(`${hex(this.id)} attempted to restore snapshot as leader; should never happen`);
      this.becomeFollower(this.term + 1, None);
      return false;
    }

    // The snapshot must include us; otherwise we would end up with a
    // configuration that does not contain ourselves.
    const cs = s.metadata.confState;
    const found = cs.voters.includes(this.id) || cs.learners.includes(this.id) || cs.votersOutgoing.includes(this.id);
    if (!found) {
      this.logger.warning(
        `${hex(this.id)} attempted to restore snapshot but it is not in the ConfState ${confStateText(cs)}; should never happen`,
      );
      return false;
    }

    // If our log has the snapshot's last entry, the snapshot adds nothing but the
    // knowledge that it is committed.
    const id: EntryID = { term: s.metadata.term, index: s.metadata.index };
    if (this.raftLog.matchTerm(id)) {
      const last = this.raftLog.lastEntryID();
      this.logger.info(
        `${hex(this.id)} [commit: ${this.raftLog.committed}, lastindex: ${last.index}, lastterm: ${last.term}] fast-forwarded commit to snapshot [index: ${id.index}, term: ${id.term}]`,
      );
      this.raftLog.commitTo(s.metadata.index);
      return false;
    }

    this.raftLog.restore(s);

    // A fresh tracker holding the snapshot's configuration.
    this.trk = makeProgressTracker(this.trk.maxInflight, this.trk.maxInflightBytes);
    let cfg: TrackerConfig;
    let trk: ProgressMap;
    try {
      [cfg, trk] = restoreConfChange(new Changer(this.trk, this.raftLog.lastIndex()), cs);
    } catch (e) {
      // A snapshot with an invalid configuration is a bug somewhere.
      throw new RaftPanic(`unable to restore config ${confStateText(cs)}: ${errText(e)}`);
    }
    assertConfStatesEquivalent(this.logger, cs, this.switchToConfig(cfg, trk));

    const last = this.raftLog.lastEntryID();
    this.logger.info(
      `${hex(this.id)} [commit: ${this.raftLog.committed}, lastindex: ${last.index}, lastterm: ${last.term}] restored snapshot [index: ${id.index}, term: ${id.term}]`,
    );
    return true;
  }

  /** Whether this node may become leader: it is a voter and has no snapshot pending. */
  promotable(): boolean {
    const pr = this.trk.progress.get(this.id);
    return pr !== undefined && !pr.isLearner && !this.raftLog.hasNextOrInProgressSnapshot();
  }

  /** Applies a committed conf change to the configuration; returns the new ConfState. */
  applyConfChange(cc: ConfChangeV2): ConfState {
    let cfg: TrackerConfig;
    let trk: ProgressMap;
    try {
      const changer = new Changer(this.trk, this.raftLog.lastIndex());
      if (leaveJoint(cc)) {
        [cfg, trk] = changer.leaveJoint();
      } else {
        const { autoLeave, ok } = enterJoint(cc);
        if (ok) [cfg, trk] = changer.enterJoint(autoLeave, ...cc.changes);
        else [cfg, trk] = changer.simple(...cc.changes);
      }
    } catch (e) {
      // etcd panics: a committed conf change that cannot be applied is a bug
      // (or a consequence of DisableConfChangeValidation).
      if (e instanceof RaftPanic) throw e;
      throw new RaftPanic(errText(e));
    }
    return this.switchToConfig(cfg, trk);
  }

  /**
   * Installs a configuration and progress map, and does what the new configuration
   * requires of a leader: step down when removed (with stepDownOnRemoval), commit
   * what the new quorum allows, catch up new peers, abort a transfer to a removed
   * node. Returns the configuration as a ConfState.
   */
  switchToConfig(cfg: TrackerConfig, trk: ProgressMap): ConfState {
    this.trk.config = cfg;
    this.trk.progress = trk;

    this.logger.info(`${hex(this.id)} switched to configuration ${this.trk.config.toString()}`);
    const cs = this.trk.confState();
    const pr = this.trk.progress.get(this.id);

    // A node that is (or becomes) a learner cannot campaign; see promotable().
    this.isLearner = pr !== undefined && pr.isLearner;

    if ((pr === undefined || this.isLearner) && this.state === StateLeader) {
      // The leader was removed or demoted. It keeps leading (without counting
      // itself) until the change is committed, unless asked to step down now.
      if (this.stepDownOnRemoval) this.becomeFollower(this.term, None);
      return cs;
    }

    // Only a leader with voters has more to do.
    if (this.state !== StateLeader || cs.voters.length === 0) return cs;

    if (this.maybeCommit()) {
      // The new configuration commits more: everyone learns the new commit index.
      this.bcastAppend();
    } else {
      // New peers need their first append; others may be sent what is pending.
      this.trk.visit((id) => {
        if (id === this.id) return;
        this.maybeSendAppend(id, false);
      });
    }
    // A transfer to a node that is no longer a voter cannot complete.
    if (this.leadTransferee !== 0 && !this.trk.config.voters.ids().has(this.leadTransferee)) {
      this.abortLeaderTransfer();
    }
    return cs;
  }

  /** Loads a persisted HardState. */
  loadState(state: HardState): void {
    if (state.commit < this.raftLog.committed || state.commit > this.raftLog.lastIndex()) {
      this.logger.panic(
        `${hex(this.id)} state.commit ${state.commit} is out of range [${this.raftLog.committed}, ${this.raftLog.lastIndex()}]`,
      );
    }
    this.raftLog.committed = state.commit;
    this.term = state.term;
    this.vote = state.vote;
  }

  /** Whether electionElapsed reached the randomized election timeout. */
  pastElectionTimeout(): boolean {
    return this.electionElapsed >= this.randomizedElectionTimeout;
  }

  resetRandomizedElectionTimeout(): void {
    this.randomizedElectionTimeout = this.electionTimeout + this.random(this.electionTimeout);
  }

  sendTimeoutNow(to: number): void {
    this.send(newMessage({ to, type: MsgTimeoutNow }));
  }

  abortLeaderTransfer(): void {
    this.leadTransferee = None;
  }

  /** Whether the committed index points at an entry of the current term. */
  committedEntryInCurrentTerm(): boolean {
    // The leader's empty entry is of its term, so this becomes true once it commits.
    return this.raftLog.zeroTermOnOutOfBounds(() => this.raftLog.term(this.raftLog.committed)) === this.term;
  }

  /**
   * The answer to a ReadIndex request: a local request (from None or ourselves)
   * becomes a ReadState and the returned message is empty (to === None); a remote
   * one becomes a MsgReadIndexResp to send.
   */
  responseToReadIndexReq(req: Message, readIndex: number): Message {
    if (req.from === None || req.from === this.id) {
      this.readStates.push({ index: readIndex, requestCtx: req.entries[0]?.data ?? emptyBytes });
      return newMessage();
    }
    return newMessage({ type: MsgReadIndexResp, to: req.from, index: readIndex, entries: req.entries });
  }

  /**
   * Accounts for the payload of entries about to be appended; refuses (false) when
   * the uncommitted-size limit would be exceeded. A single proposal is always
   * accepted when nothing is uncommitted, and empty entries always are, so that
   * the leader can make progress however large the limit is.
   */
  increaseUncommittedSize(ents: readonly Entry[]): boolean {
    const s = payloadsSize(ents);
    if (this.uncommittedSize > 0 && s > 0 && this.uncommittedSize + s > this.maxUncommittedSize) return false;
    this.uncommittedSize += s;
    return true;
  }

  /** Releases the payload of committed entries (never below zero: the count is approximate). */
  reduceUncommittedSize(s: number): void {
    if (s > this.uncommittedSize) this.uncommittedSize = 0;
    else this.uncommittedSize -= s;
  }
}

/** etcd's lower-case name for the state machine type. */
export { Raft as raft };

/** Builds a raft state machine (etcd's newRaft). Throws RaftPanic on an invalid Config. */
export function newRaft(c: Config): Raft {
  return new Raft(c);
}

// ---------------------------------------------------------------------------
// read index helpers

/** Answers the ReadIndex requests that waited for the leader's first commit in its term. */
export function releasePendingReadIndexMessages(r: Raft): void {
  if (r.pendingReadIndexMessages.length === 0) return;
  if (!r.committedEntryInCurrentTerm()) {
    r.logger.error('pending MsgReadIndex should be released only after first commit in current term');
    return;
  }
  const msgs = r.pendingReadIndexMessages;
  r.pendingReadIndexMessages = [];
  for (const m of msgs) sendMsgReadIndexResponse(r, m);
}

/** Starts answering a ReadIndex request: a heartbeat round (Safe) or at once (LeaseBased). */
export function sendMsgReadIndexResponse(r: Raft, m: Message): void {
  switch (r.readOnly.option) {
    case ReadOnlySafe:
      // The read is safe once a quorum confirms we are still leader: queue it and
      // send a heartbeat round carrying its position. Our own ack counts at once.
      r.readOnly.addRequest(r.raftLog.committed, m);
      r.readOnly.recvAck(r.id, r.readOnly.heartbeatCtx());
      r.bcastHeartbeat();
      break;
    case ReadOnlyLeaseBased: {
      const resp = r.responseToReadIndexReq(m, r.raftLog.committed);
      if (resp.to !== None) r.send(resp);
      break;
    }
  }
}

// ---------------------------------------------------------------------------
// step functions

export function stepLeader(r: Raft, m: Message): void {
  // Messages that need no progress of the sender.
  switch (m.type) {
    case MsgBeat:
      r.bcastHeartbeat();
      return;
    case MsgCheckQuorum:
      if (!r.trk.quorumActive()) {
        r.logger.warning(`${hex(r.id)} stepped down to follower since quorum is not active`);
        r.becomeFollower(r.term, None);
      }
      // Everyone must show activity again before the next check.
      r.trk.visit((id, pr) => {
        if (id !== r.id) pr.recentActive = false;
      });
      return;
    case MsgProp: {
      if (m.entries.length === 0) r.logger.panic(`${hex(r.id)} stepped empty MsgProp`);
      if (!r.trk.progress.has(r.id)) {
        // Removed from the configuration (and still leading until the change
        // commits): take no proposals.
        throw ErrProposalDropped;
      }
      if (r.leadTransferee !== None) {
        r.logger.debug(
          `${hex(r.id)} [term ${r.term}] transfer leadership to ${hex(r.leadTransferee)} is in progress; dropping proposal`,
        );
        throw ErrProposalDropped;
      }

      for (let i = 0; i < m.entries.length; i++) {
        const e = m.entries[i]!;
        let cc: ConfChangeI | undefined;
        if (e.type === EntryConfChange) cc = decodeConfChange(e.data);
        else if (e.type === EntryConfChangeV2) cc = decodeConfChangeV2(e.data);
        if (cc === undefined) continue;

        const alreadyPending = r.pendingConfIndex > r.raftLog.applied;
        const alreadyJoint = r.trk.config.voters[1].size > 0;
        const wantsLeaveJoint = asV2(cc).changes.length === 0;

        let failedCheck = '';
        if (alreadyPending) {
          failedCheck = `possible unapplied conf change at index ${r.pendingConfIndex} (applied to ${r.raftLog.applied})`;
        } else if (alreadyJoint && !wantsLeaveJoint) {
          failedCheck = 'must transition out of joint config first';
        } else if (!alreadyJoint && wantsLeaveJoint) {
          failedCheck = 'not in joint state; refusing empty conf change';
        }

        if (failedCheck !== '' && !r.disableConfChangeValidation) {
          r.logger.info(
            `${hex(r.id)} ignoring conf change ${describeConfChange(cc)} at config ${r.trk.config.toString()}: ${failedCheck}`,
          );
          // The entry keeps its place in the log but carries nothing.
          m.entries[i] = newEntry({ type: EntryNormal });
        } else {
          r.pendingConfIndex = r.raftLog.lastIndex() + i + 1;
        }
      }

      if (!r.appendEntries(m.entries)) throw ErrProposalDropped;
      r.bcastAppend();
      return;
    }
    case MsgReadIndex:
      // A single voter is its own quorum: answer at once.
      if (r.trk.isSingleton()) {
        const resp = r.responseToReadIndexReq(m, r.raftLog.committed);
        if (resp.to !== None) r.send(resp);
        return;
      }
      // Until the leader committed an entry of its term it does not know the
      // latest commit index; postpone the request.
      if (!r.committedEntryInCurrentTerm()) {
        r.pendingReadIndexMessages.push(m);
        return;
      }
      sendMsgReadIndexResponse(r, m);
      return;
    case MsgForgetLeader:
      return; // a leader does not forget itself
  }

  // Messages from a peer: they need its progress.
  const pr = r.trk.progress.get(m.from);
  if (pr === undefined) {
    r.logger.debug(`${hex(r.id)} no progress available for ${hex(m.from)}`);
    return;
  }
  switch (m.type) {
    case MsgAppResp:
      // Any response shows the peer is alive.
      pr.recentActive = true;

      if (m.reject) {
        // The follower's log does not contain (m.index, term there). Its hint
        // (rejectHint, logTerm) is its last entry that may match; jump there, or
        // further back to our last entry with a term <= the hinted one.
        r.logger.debug(
          `${hex(r.id)} received MsgAppResp(rejected, hint: (index ${m.rejectHint}, term ${m.logTerm})) from ${hex(m.from)} for index ${m.index}`,
        );
        let nextProbeIdx = m.rejectHint;
        if (m.logTerm > 0) {
          nextProbeIdx = r.raftLog.findConflictByTerm(m.rejectHint, m.logTerm)[0];
        }
        if (pr.maybeDecrTo(m.index, nextProbeIdx)) {
          r.logger.debug(`${hex(r.id)} decreased progress of ${hex(m.from)} to [${pr.toString()}]`);
          if (pr.state === StateReplicate) pr.becomeProbe();
          r.sendAppend(m.from);
        }
      } else {
        // An ack at match while probing still proves the follower is in sync: a
        // probe at match (e.g. after a heartbeat response) moves it to replicate.
        if (pr.maybeUpdate(m.index) || (pr.match === m.index && pr.state === StateProbe)) {
          if (pr.state === StateProbe) {
            pr.becomeReplicate();
          } else if (pr.state === StateSnapshot && pr.match + 1 >= r.raftLog.firstIndex()) {
            // The follower caught up by other means (or the snapshot landed), and we
            // have the entries it needs next: replicate again.
            r.logger.debug(
              `${hex(r.id)} recovered from needing snapshot, resumed sending replication messages to ${hex(m.from)} [${pr.toString()}]`,
            );
            pr.becomeProbe();
            pr.becomeReplicate();
          } else if (pr.state === StateReplicate) {
            pr.inflights.freeLE(m.index);
          }

          if (r.maybeCommit()) {
            // Committing an entry of our term answers the postponed reads.
            releasePendingReadIndexMessages(r);
            r.bcastAppend();
          } else if (r.id !== m.from && pr.canBumpCommit(r.raftLog.committed)) {
            // The follower does not know the current commit index yet.
            r.sendAppend(m.from);
          }
          // Send what the flow-control window allows.
          if (r.id !== m.from) {
            while (r.maybeSendAppend(m.from, false)) {
              // keep sending
            }
          }
          // The transfer target caught up: tell it to campaign.
          if (m.from === r.leadTransferee && pr.match === r.raftLog.lastIndex()) {
            r.logger.info(`${hex(r.id)} sent MsgTimeoutNow to ${hex(m.from)} after received MsgAppResp`);
            r.sendTimeoutNow(m.from);
          }
        }
      }
      break;
    case MsgHeartbeatResp:
      pr.recentActive = true;
      pr.msgAppFlowPaused = false;

      // Probe a follower that is behind (or whose state is unknown).
      if (pr.match < r.raftLog.lastIndex() || pr.state === StateProbe) r.sendAppend(m.from);

      if (r.readOnly.option !== ReadOnlySafe || m.context.length === 0) return;

      r.readOnly.recvAck(m.from, m.context);
      for (const rs of r.readOnly.maybeAdvance(r.trk.config.voters)) {
        const resp = r.responseToReadIndexReq(rs.req, rs.index);
        if (resp.to !== None) r.send(resp);
      }
      break;
    case MsgSnapStatus:
      if (pr.state !== StateSnapshot) return;
      if (!m.reject) {
        pr.becomeProbe();
        r.logger.debug(
          `${hex(r.id)} snapshot succeeded, resumed sending replication messages to ${hex(m.from)} [${pr.toString()}]`,
        );
      } else {
        // The snapshot did not arrive: forget it, so that probing starts from match.
        pr.pendingSnapshot = 0;
        pr.becomeProbe();
        r.logger.debug(
          `${hex(r.id)} snapshot failed, resumed sending replication messages to ${hex(m.from)} [${pr.toString()}]`,
        );
      }
      // Wait for the next heartbeat response (or append response) before probing,
      // so the snapshot has a chance to be applied first.
      pr.msgAppFlowPaused = true;
      break;
    case MsgUnreachable:
      // Optimistic appends were probably lost: probe again.
      if (pr.state === StateReplicate) pr.becomeProbe();
      r.logger.debug(
        `${hex(r.id)} failed to send message to ${hex(m.from)} because it is unreachable [${pr.toString()}]`,
      );
      break;
    case MsgTransferLeader: {
      if (pr.isLearner) {
        r.logger.debug(`${hex(r.id)} is learner. Ignored transferring leadership`);
        return;
      }
      const leadTransferee = m.from;
      const lastLeadTransferee = r.leadTransferee;
      if (lastLeadTransferee !== None) {
        if (lastLeadTransferee === leadTransferee) {
          r.logger.info(
            `${hex(r.id)} [term ${r.term}] transfer leadership to ${hex(leadTransferee)} is in progress, ignores request to same node ${hex(leadTransferee)}`,
          );
          return;
        }
        r.abortLeaderTransfer();
        r.logger.info(
          `${hex(r.id)} [term ${r.term}] abort previous transferring leadership to ${hex(lastLeadTransferee)}`,
        );
      }
      if (leadTransferee === r.id) {
        r.logger.debug(`${hex(r.id)} is already leader. Ignored transferring leadership to self`);
        return;
      }
      r.logger.info(`${hex(r.id)} [term ${r.term}] starts to transfer leadership to ${hex(leadTransferee)}`);
      // The transfer must finish within an election timeout (see tickHeartbeat).
      r.electionElapsed = 0;
      r.leadTransferee = leadTransferee;
      if (pr.match === r.raftLog.lastIndex()) {
        r.sendTimeoutNow(leadTransferee);
        r.logger.info(
          `${hex(r.id)} sends MsgTimeoutNow to ${hex(leadTransferee)} immediately as ${hex(leadTransferee)} already has up-to-date log`,
        );
      } else {
        r.sendAppend(leadTransferee);
      }
      break;
    }
  }
}

/** The step function of candidates and pre-candidates. */
export function stepCandidate(r: Raft, m: Message): void {
  // Only the responses of the current round count: a pre-candidate ignores
  // MsgVoteResp and vice versa.
  const myVoteRespType = r.state === StatePreCandidate ? MsgPreVoteResp : MsgVoteResp;
  switch (m.type) {
    case MsgProp:
      r.logger.info(`${hex(r.id)} no leader at term ${r.term}; dropping proposal`);
      throw ErrProposalDropped;
    case MsgApp:
      r.becomeFollower(m.term, m.from); // m.term === r.term here
      r.handleAppendEntries(m);
      break;
    case MsgHeartbeat:
      r.becomeFollower(m.term, m.from);
      r.handleHeartbeat(m);
      break;
    case MsgSnap:
      r.becomeFollower(m.term, m.from);
      r.handleSnapshot(m);
      break;
    case myVoteRespType: {
      const { granted, rejected, result } = r.poll(m.from, m.type, !m.reject);
      r.logger.info(`${hex(r.id)} has received ${granted} ${msgName(m.type)} votes and ${rejected} vote rejections`);
      if (result === VoteWon) {
        if (r.state === StatePreCandidate) {
          r.campaign(campaignElection);
        } else {
          r.becomeLeader();
          r.bcastAppend();
        }
      } else if (result === VoteLost) {
        // A pre-candidate's rejections may carry a higher term; we already moved
        // to it in step() when they did. Either way, wait as a follower.
        r.becomeFollower(r.term, None);
      }
      break;
    }
    case MsgTimeoutNow:
      r.logger.debug(
        `${hex(r.id)} [term ${r.term} state ${stateName(r.state)}] ignored MsgTimeoutNow from ${hex(m.from)}`,
      );
      break;
  }
}

export function stepFollower(r: Raft, m: Message): void {
  switch (m.type) {
    case MsgProp:
      if (r.lead === None) {
        r.logger.info(`${hex(r.id)} no leader at term ${r.term}; dropping proposal`);
        throw ErrProposalDropped;
      } else if (r.disableProposalForwarding) {
        r.logger.info(`${hex(r.id)} not forwarding to leader ${hex(r.lead)} at term ${r.term}; dropping proposal`);
        throw ErrProposalDropped;
      }
      m.to = r.lead;
      r.send(m);
      break;
    case MsgApp:
      r.electionElapsed = 0;
      r.lead = m.from;
      r.handleAppendEntries(m);
      break;
    case MsgHeartbeat:
      r.electionElapsed = 0;
      r.lead = m.from;
      r.handleHeartbeat(m);
      break;
    case MsgSnap:
      r.electionElapsed = 0;
      r.lead = m.from;
      r.handleSnapshot(m);
      break;
    case MsgTransferLeader:
      if (r.lead === None) {
        r.logger.info(`${hex(r.id)} no leader at term ${r.term}; dropping leader transfer msg`);
        return;
      }
      m.to = r.lead;
      r.send(m);
      break;
    case MsgForgetLeader:
      // Under the lease the leader serves reads assuming followers do not elect
      // another leader within the timeout; forgetting it would break that.
      if (r.readOnly.option === ReadOnlyLeaseBased) {
        r.logger.error('ignoring MsgForgetLeader due to ReadOnlyLeaseBased');
        return;
      }
      if (r.lead !== None) {
        r.logger.info(`${hex(r.id)} forgetting leader ${hex(r.lead)} at term ${r.term}`);
        r.lead = None;
      }
      break;
    case MsgTimeoutNow:
      r.logger.info(
        `${hex(r.id)} [term ${r.term}] received MsgTimeoutNow from ${hex(m.from)} and starts an election to get leadership.`,
      );
      // A transfer campaign skips pre-vote and breaks other nodes' leases.
      r.hup(campaignTransfer);
      break;
    case MsgReadIndex:
      if (r.lead === None) {
        r.logger.info(`${hex(r.id)} no leader at term ${r.term}; dropping index reading msg`);
        return;
      }
      m.to = r.lead;
      r.send(m);
      break;
    case MsgReadIndexResp:
      if (m.entries.length !== 1) {
        r.logger.error(
          `${hex(r.id)} invalid format of MsgReadIndexResp from ${hex(m.from)}, entries count: ${m.entries.length}`,
        );
        return;
      }
      r.readStates.push({ index: m.index, requestCtx: m.entries[0]!.data });
      break;
  }
}

// The typed event stream: what happened in a run, as plain data.
//
// The Cluster publishes one ClusterEvent per thing that happened — a message sent,
// delivered or dropped, a node's role, term or commit index changing, a vote granted
// or refused, an append accepted or rejected, entries persisted or applied, a fault,
// a client request and its response, and every raft log line ("etcd's words") — in
// the order the run produced them. Narration (src/explain), the "why" answers, the
// space-time view and the fuzzer's monitor all read this one stream.
//
// Every event is plain, structured-clone-safe data (numbers, strings, booleans,
// arrays, plain objects, and the Uint8Arrays inside a CycleRecord). Facts that a
// message alone does not carry (the receiver's term, vote, log, timers, the leader's
// progress of the sender...) come from the node itself: its host measures them
// around every raft call (see raftProbe.ts) and returns them with the results.
//
// Steps: `step` is the recorder step the event belongs to. Events produced while
// action i (0-based) runs belong to step i + 1 — the state the UI shows after that
// action; events of the boot belong to step 0. `seq` numbers the events of one
// branch of the run from 0; a new branch (an action after seeking back) reuses the
// numbers from where it forked (see EventLog.generation).
//
// The trace (recorder.ts) is unchanged by all this: its canonical text and hash are
// computed as before, and events are a separate, richer view of the same run.

import type { DropReason, LinkFaults } from './bus';
import type { OpKind, OpStatus } from './client';
import type { AppliedEntry, ReadyStage } from './protocol';

/** etcd's StateType, in words. */
export type RoleName = 'follower' | 'candidate' | 'leader' | 'pre-candidate';

/** The index range of the entries a message or a write carries. */
export interface EntryRange {
  first: number;
  firstTerm: number;
  last: number;
  lastTerm: number;
  count: number;
}

/**
 * The raft fields of a message (etcd's raftpb.Message without payloads). Which ones
 * mean something depends on the type; see etcd's raft.proto and describeMessage.
 */
export interface MsgInfo {
  /** etcd's message type name: MsgApp, MsgVote, MsgHeartbeatResp... */
  type: string;
  from: number;
  to: number;
  term: number;
  /** MsgApp: term of the entry at index (the entry before the carried ones). Rejected MsgAppResp: the hint's term. */
  logTerm: number;
  index: number;
  commit: number;
  vote: number;
  reject: boolean;
  rejectHint: number;
  /** The entries carried (MsgApp, MsgProp), when any. */
  entries?: EntryRange;
  /** MsgSnap: the snapshot's index and term. */
  snapshot?: { index: number; term: number };
  /** MsgVote / MsgPreVote sent for a leadership transfer (context CampaignTransfer): it overrides leases. */
  transfer?: boolean;
}

/** A progress state of the leader's tracker (etcd's tracker.StateType). */
export type ProgressStateName = 'StateProbe' | 'StateReplicate' | 'StateSnapshot';

/** What the leader knows of one follower (etcd's tracker.Progress), as data. */
export interface ProgressFacts {
  match: number;
  next: number;
  state: ProgressStateName;
  /** IsPaused(): the leader sends this follower no more appends for now. */
  paused: boolean;
  /** Probe state only: an append is already in flight and unanswered (msgAppFlowPaused). */
  probeSent: boolean;
  inflight: number;
  inflightFull: boolean;
  pendingSnapshot: number;
  recentActive: boolean;
}

/**
 * A node's raft state as measured by its host, just before it stepped a message or
 * ran a command. Field names follow etcd's (raft.go); `source` strings in "why"
 * answers name them.
 */
export interface NodeFacts {
  role: RoleName;
  /** HardState.Term, HardState.Vote (0 = none), SoftState.Lead (0 = none). */
  term: number;
  vote: number;
  lead: number;
  /** raftLog.committed and raftLog.applied. */
  commit: number;
  applied: number;
  /** raftLog.lastEntryID(): the last entry's index and term (unstable entries included). */
  lastIndex: number;
  lastTerm: number;
  /** Ticks since the timer was last reset, the election timeout, and this round's randomized one. */
  electionElapsed: number;
  electionTimeout: number;
  randomizedElectionTimeout: number;
  checkQuorum: boolean;
  preVote: boolean;
  /** raft.isLearner, and whether the node is in its own configuration (voter, learner or outgoing voter). */
  isLearner: boolean;
  inConfig: boolean;
  /** Leader: index of the latest conf change it proposed (no new one until applied). */
  pendingConfIndex: number;
  /** Leader: the target of a leadership transfer in progress (0 = none). */
  leadTransferee: number;
  /** Leader: payload bytes appended and not yet committed, and the limit (MaxUncommittedEntriesSize; Infinity = none). */
  uncommittedSize: number;
  maxUncommittedSize: number;
  disableProposalForwarding: boolean;
  /** Whether committed but unapplied entries include a conf change (a node then refuses to campaign); measured only where it matters (campaigns, MsgTimeoutNow). */
  unappliedConfChange?: boolean;
  /** The term of this node's entry at the message's index (MsgApp's prev entry), 0 when it has none there. */
  termAtIndex?: number;
}

/** The part of a node's state whose changes are events (role, term, vote, leader, commit, transfer). */
export interface StateBrief {
  role: RoleName;
  term: number;
  vote: number;
  lead: number;
  commit: number;
  leadTransferee: number;
}

/** The leader's view of who stores what, when its commit index moved: the quorum facts. */
export interface QuorumFacts {
  /** Incoming (or only) voters, outgoing voters (non-empty only in a joint configuration), learners. */
  voters: number[];
  outgoing: number[];
  learners: number[];
  /** Progress.match of every tracked node, ascending by id (the leader's own is its last persisted index). */
  match: { id: number; match: number }[];
}

/** A log entry in words: index, term, kind and a short summary ("put x=1", "v4", "empty"). */
export interface EntrySummary {
  index: number;
  term: number;
  kind: 'normal' | 'confchange' | 'empty';
  summary: string;
}

/** What a node's host measured around stepping one message. */
export interface RecvFacts {
  /** The receiver's state just before stepping. */
  before: NodeFacts;
  /** The messages raft queued while stepping it (responses, forwarded requests, appends). */
  replies: MsgInfo[];
  /** The error raft returned (e.g. ErrProposalDropped, ErrStepPeerNotFound). */
  error?: string;
  /** Leader receiving from a tracked peer: the sender's progress before and after. */
  progress?: { before: ProgressFacts; after: ProgressFacts };
}

/** What made a node's state change. */
export type ChangeCause =
  | 'boot'
  | 'tick'
  | 'step'
  | 'campaign'
  | 'propose'
  | 'transferLeader'
  | 'forgetLeader'
  | 'readIndex'
  | 'reportUnreachable'
  | 'reportSnapshot'
  /** Applying committed entries (a configuration change). */
  | 'apply'
  /** Advance: raft took its own acknowledgements (its vote, its append) once they were durable. */
  | 'advance'
  | 'other';

// ---- the events ----

/** Fields every event has. node: the node concerned (0 = none, e.g. a partition). */
export interface EventBase {
  seq: number;
  step: number;
  time: number;
  node: number;
}

/** A message handed to the network (node = sender). Dropped at once when due is undefined (a 'drop' follows). */
export interface SendEvent extends EventBase {
  kind: 'send';
  to: number;
  envelope: number;
  msg: MsgInfo;
  due?: number;
  /** A copy made by the network (duplication) or by the user. */
  duplicateOf?: number;
  manual?: boolean;
}

/** A message arrives and the receiver (node) steps it; facts: what the receiver's host measured. */
export interface DeliverEvent extends EventBase {
  kind: 'deliver';
  from: number;
  envelope: number;
  msg: MsgInfo;
  /** Delivered by the user (manual mode, or an explicit deliver). */
  manual: boolean;
  /**
   * What the receiver's host measured. Absent for messages whose receipt is not
   * measured (heartbeats and answers: their effects are events of their own; a
   * leader's MsgAppResp gives an 'append-resp' with the follower's progress), and
   * when the node did not run it (it panicked).
   */
  facts?: RecvFacts;
}

/** A message lost: on the wire (loss, link down), at a node that is not running, or by the user. node = addressee. */
export interface DropEvent extends EventBase {
  kind: 'drop';
  from: number;
  envelope: number;
  msg: MsgInfo;
  reason: DropReason;
}

/** A message held (or released) by the user; node = addressee. */
export interface HoldEvent extends EventBase {
  kind: 'hold';
  envelope: number;
  held: boolean;
}

/** A message's due time moved (the user delayed it); node = addressee. */
export interface ReorderEvent extends EventBase {
  kind: 'reorder';
  envelope: number;
  due: number;
}

/** The node's clock ticked `count` times. Its effects (a campaign, a heartbeat) are events of their own. */
export interface TickEvent extends EventBase {
  kind: 'tick';
  count: number;
}

/** The node's role, term or leader changed (etcd: "became follower at term 3"). */
export interface RoleEvent extends EventBase {
  kind: 'role';
  role: RoleName;
  term: number;
  lead: number;
  prev: { role: RoleName; term: number; lead: number };
  cause: ChangeCause;
  /** Envelope whose delivery caused it (cause 'step'). */
  envelope?: number;
  /** Becoming leader (or losing an election): the votes of the election, as the node's tracker holds them. */
  votes?: { granted: number[]; rejected: number[] };
}

/** The node starts an election (pre-vote or real); follows its 'role' event. */
export interface CampaignEvent extends EventBase {
  kind: 'campaign';
  /** The term the election is for (a pre-vote asks about the next term without moving to it). */
  term: number;
  preVote: boolean;
  /** tick: its election timer ran out; campaign: asked to (user, or the transfer's MsgTimeoutNow when cause is step); step: a pre-vote won. */
  cause: ChangeCause;
  envelope?: number;
  lastIndex: number;
  lastTerm: number;
  /** The voters it asks (itself included). */
  voters: number[];
}

/** A node answers (or ignores) a vote or pre-vote request; node = the voter. */
export interface VoteEvent extends EventBase {
  kind: 'vote';
  candidate: number;
  /** The term the candidate asks for. */
  term: number;
  preVote: boolean;
  /** ignored: no answer at all (a leader lease, or a stale MsgVote). */
  outcome: 'granted' | 'rejected' | 'ignored';
  /** The request's envelope. */
  envelope: number;
  msg: MsgInfo;
  /** The voter's state before it answered. */
  facts: NodeFacts;
}

/** A follower handles an append (MsgApp); node = the follower. */
export interface AppendEvent extends EventBase {
  kind: 'append';
  leader: number;
  term: number;
  /** The entry before the carried ones (prevLogIndex, prevLogTerm). */
  prevIndex: number;
  prevTerm: number;
  entries?: EntryRange;
  /** The leader's commit index carried. */
  commit: number;
  /**
   * accepted: the log now matches the leader's up to lastIndex; rejected: the prev entry
   * does not match (a hint goes back); stale: from an older term (ignored or answered
   * with our term); committed: prev is below our commit index (acknowledged as is).
   */
  outcome: 'accepted' | 'rejected' | 'stale' | 'committed';
  /** Our last index after handling it. */
  lastIndex: number;
  /** Rejected: the follower's hint (etcd's rejectHint and logTerm of the MsgAppResp). */
  hint?: { index: number; term: number };
  envelope: number;
  facts: NodeFacts;
}

/** The leader handles a follower's answer to an append (MsgAppResp); node = the leader. */
export interface AppendRespEvent extends EventBase {
  kind: 'append-resp';
  follower: number;
  reject: boolean;
  /** The index acknowledged, or the rejected probe's index. */
  index: number;
  hint?: { index: number; term: number };
  /** The follower's progress before and after, as the leader tracks it. */
  progress?: { before: ProgressFacts; after: ProgressFacts };
  envelope: number;
}

/** The node's commit index moved. For a leader, quorum says who stores what. */
export interface CommitEvent extends EventBase {
  kind: 'commit';
  from: number;
  to: number;
  term: number;
  role: RoleName;
  cause: ChangeCause;
  envelope?: number;
  quorum?: QuorumFacts;
  /** The newly committed entries (at most the first few, with `more` counting the rest). */
  entries: EntrySummary[];
  more: number;
}

/** The node's vote changed (it voted, or a new term cleared it). */
export interface VotedEvent extends EventBase {
  kind: 'voted';
  vote: number;
  term: number;
  cause: ChangeCause;
  envelope?: number;
}

/** The leader's transfer target changed (0: none; a transfer ended or was aborted). */
export interface TransferEvent extends EventBase {
  kind: 'transfer';
  target: number;
  prev: number;
  cause: ChangeCause;
}

/**
 * One Ready cycle (or one stage of it, in manual mode) of a node, summarised (the full
 * record of a node's latest cycle is in ClusterObservation.lastCycles).
 */
export interface CycleEvent extends EventBase {
  kind: 'cycle';
  stages: ReadyStage[];
  /** Ready.SoftState, when set (the role or the leader changed). */
  softState?: { role: RoleName; lead: number };
  /** Ready.HardState, when set (term, vote or commit changed). */
  hardState?: { term: number; vote: number; commit: number };
  /** Ready.Entries (to persist) and Ready.CommittedEntries (to apply), as index ranges. */
  entries?: EntryRange;
  committed?: EntryRange;
  /** How many messages the send stage handed to the network. */
  sent: number;
  /**
   * The identity of every committed entry and of every entry persisted in this cycle,
   * as flat triples [index, term, fingerprint, ...]; the fingerprint is a 32-bit
   * FNV-1a of the entry's type and data (entryFingerprint), for checkers: two entries
   * with the same index and term but different data differ there.
   */
  committedIds: number[];
  persistedIds: number[];
}

/** What a Ready's persist stage wrote to the node's disk. */
export interface PersistEvent extends EventBase {
  kind: 'persist';
  hardState?: { term: number; vote: number; commit: number };
  entries?: EntryRange;
  /** A snapshot received from the leader, saved. */
  snapshot?: { index: number; term: number };
}

/** Committed entries applied to the node's state machine. */
export interface ApplyEvent extends EventBase {
  kind: 'apply';
  entries: AppliedEntry[];
  /** The applied index after. */
  appliedTo: number;
}

/** A snapshot: sent by a leader, installed by a follower, or taken by the node itself (compaction). */
export interface SnapshotEvent extends EventBase {
  kind: 'snapshot';
  action: 'sent' | 'installed' | 'taken';
  index: number;
  term: number;
  /** sent: the follower; installed: the sender (when known). */
  peer?: number;
  envelope?: number;
  /** taken: the log was compacted up to this index. */
  compactedTo?: number;
}

/** A configuration change applied at the node: the configuration after it. */
export interface ConfigEvent extends EventBase {
  kind: 'config';
  index: number;
  summary: string;
  voters: number[];
  outgoing: number[];
  learners: number[];
  learnersNext: number[];
}

/** ReadIndex answers handed to the node's application (Ready.ReadStates). */
export interface ReadStateEvent extends EventBase {
  kind: 'read-state';
  states: { index: number; context: string }[];
}

/**
 * A client request entered raft at a node (propose, conf change, ReadIndex, transfer)
 * and what raft did with it right away.
 */
export interface ProposalEvent extends EventBase {
  kind: 'proposal';
  /** The client operation (history id), when the request came from the client. */
  op?: number;
  request: 'propose' | 'confchange' | 'readIndex' | 'transferLeader';
  /**
   * appended: the leader appended it (index range); forwarded: sent to the leader it
   * knows; dropped: raft refused it (error); pending: taken, nothing sent yet (a
   * ReadIndex waiting for the leader's first commit, or a transfer in progress).
   */
  outcome: 'appended' | 'forwarded' | 'dropped' | 'pending';
  appended?: { first: number; last: number; term: number };
  forwardedTo?: number;
  error?: string;
  facts: NodeFacts;
}

/** A host command other than tick, step and cycle, and its result (as in the trace). */
export interface CommandEvent extends EventBase {
  kind: 'command';
  command: string;
  ok: boolean;
  error?: string;
}

/** A node started: at boot (with its initial configuration) or joining later (empty: it learns the configuration). */
export interface NodeStartEvent extends EventBase {
  kind: 'node-start';
  voters: number[];
  learners: number[];
}

/** The node crashed (only its disk survives). */
export interface CrashEvent extends EventBase {
  kind: 'crash';
  incarnation: number;
}

/** The node restarted from its disk. */
export interface RestartEvent extends EventBase {
  kind: 'restart';
  incarnation: number;
  /** Its durable state at restart. */
  term: number;
  vote: number;
  commit: number;
}

export interface PauseEvent extends EventBase {
  kind: 'pause' | 'resume';
}

/** The node was shut down for good after leaving the configuration. */
export interface RemovedEvent extends EventBase {
  kind: 'node-removed';
}

/** The node's code threw (a raft panic, or its worker died); it is now crashed. */
export interface PanicEvent extends EventBase {
  kind: 'panic';
  message: string;
}

/** Network faults (node 0). */
export interface PartitionEvent extends EventBase {
  kind: 'partition';
  groups: number[][];
}
export interface HealEvent extends EventBase {
  kind: 'heal';
}
export interface CutEvent extends EventBase {
  kind: 'cut';
  from: number;
  to: number;
  oneWay: boolean;
  /** true: the link was restored. */
  up: boolean;
}
export interface LinkFaultsEvent extends EventBase {
  kind: 'link-faults';
  /** Both undefined with clear: every link's own settings were cleared; scope 'global': the defaults of every link. */
  scope: 'link' | 'global' | 'clear';
  from?: number;
  to?: number;
  faults: Partial<LinkFaults>;
}

/** A client operation was invoked (node = the node it was sent to). */
export interface RequestEvent extends EventBase {
  kind: 'request';
  op: number;
  client: string;
  opKind: OpKind;
  requestId: string;
  key?: string;
  value?: string;
  /** The trace's detail ("x=1", "x linearizable", "v1 addNode 4"). */
  detail: string;
}

/** A client operation finished. */
export interface ResponseEvent extends EventBase {
  kind: 'response';
  op: number;
  opKind: OpKind;
  status: Exclude<OpStatus, 'pending'>;
  result?: string;
}

/** A raft log line: etcd's own words (level DEBUG, INFO, WARN, ERROR, PANIC, FATAL). */
export interface LogEvent extends EventBase {
  kind: 'log';
  level: string;
  text: string;
}

/** A user action, as recorded (name and arguments), with its error when it was refused. */
export interface ActionEvent extends EventBase {
  kind: 'action';
  name: string;
  args: unknown[];
  error?: string;
}

export type ClusterEvent =
  | SendEvent
  | DeliverEvent
  | DropEvent
  | HoldEvent
  | ReorderEvent
  | TickEvent
  | RoleEvent
  | CampaignEvent
  | VoteEvent
  | AppendEvent
  | AppendRespEvent
  | CommitEvent
  | VotedEvent
  | TransferEvent
  | CycleEvent
  | PersistEvent
  | ApplyEvent
  | SnapshotEvent
  | ConfigEvent
  | ReadStateEvent
  | ProposalEvent
  | CommandEvent
  | NodeStartEvent
  | CrashEvent
  | RestartEvent
  | PauseEvent
  | RemovedEvent
  | PanicEvent
  | PartitionEvent
  | HealEvent
  | CutEvent
  | LinkFaultsEvent
  | RequestEvent
  | ResponseEvent
  | LogEvent
  | ActionEvent;

export type ClusterEventKind = ClusterEvent['kind'];

/** Every event kind, for exhaustive tables (narration, tests). */
export const clusterEventKinds: readonly ClusterEventKind[] = [
  'send',
  'deliver',
  'drop',
  'hold',
  'reorder',
  'tick',
  'role',
  'campaign',
  'vote',
  'append',
  'append-resp',
  'commit',
  'voted',
  'transfer',
  'cycle',
  'persist',
  'apply',
  'snapshot',
  'config',
  'read-state',
  'proposal',
  'command',
  'node-start',
  'crash',
  'restart',
  'pause',
  'resume',
  'node-removed',
  'panic',
  'partition',
  'heal',
  'cut',
  'link-faults',
  'request',
  'response',
  'log',
  'action',
];

/** The event of a kind (for narrowing helpers). */
export type EventOfKind<K extends ClusterEventKind> = Extract<ClusterEvent, { kind: K }>;

/** What a subscriber to the event log receives: drop what you hold from seq `from` on, then append `events`. */
export interface EventUpdate {
  from: number;
  events: readonly ClusterEvent[];
  /** Bumped when a branch was cut (seq numbers from `from` on now mean other events). */
  generation: number;
}

/** Where the event log stands (in every ClusterObservation). */
export interface EventLogInfo {
  /** seq of the oldest event still kept (older ones were trimmed to bound memory). */
  firstSeq: number;
  /** seq the next event will get (= number of events of this branch so far). */
  nextSeq: number;
  /** Bumped whenever events were discarded by a fork or replaced by an import. */
  generation: number;
}

// The contract between the scheduler (main thread) and a node's host (in a Web Worker,
// a Node worker_thread, or in-process). Everything here is plain data that survives
// structured clone, so the same values cross postMessage unchanged.
//
// Determinism: a NodeHost is a pure function of (its BootInfo, the commands it is
// given, in order). It owns no clock and no randomness except the seeded source
// derived from NodeConfig.seed. The scheduler alone decides the order of commands.

import type { ConfChange, ConfChangeV2, ConfState, Entry, HardState, Message, Snapshot } from '../raft/raftpb/types';
import type { ReadOnlyOption, Ready, ReadState, StateType } from '../raft/types';
import type { EntryTable } from './entryTable';
import type { ChangeCause, EntrySummary, ProposalEvent, QuorumFacts } from './events';
import type { HostImage } from './hostImage';

/** Which replicated state machine a node runs. */
export type StateMachineKind = 'kv' | 'appender';

/** Per-node raft and host settings (etcd Config fields plus raftexample's). */
export interface NodeConfig {
  id: number;
  electionTick: number;
  heartbeatTick: number;
  preVote: boolean;
  checkQuorum: boolean;
  readOnlyOption: ReadOnlyOption;
  /** Bytes per MsgApp; Infinity = no limit. */
  maxSizePerMsg: number;
  maxInflightMsgs: number;
  /** Infinity = no limit. */
  maxUncommittedEntriesSize: number;
  disableProposalForwarding: boolean;
  stepDownOnRemoval: boolean;
  /** Take a snapshot (and compact) every snapCount applied entries (raftexample's --snap-count). */
  snapCount: number;
  /** Entries kept in the log behind a snapshot so slow followers can catch up without one. */
  snapshotCatchUpEntries: number;
  stateMachine: StateMachineKind;
  /** Seed of this node's random source (randomized election timeout). */
  seed: number;
}

/** The durable part of a node: what raftexample keeps in its WAL and snap directory. */
export interface DiskState {
  hardState: HardState;
  /** The latest snapshot saved (metadata.index 0 when none). */
  snapshot: Snapshot;
  /** Log entries after the snapshot, in index order, contiguous. */
  entries: Entry[];
}

/** How a host is started. */
export interface BootInfo {
  config: NodeConfig;
  /**
   * Fresh start: the initial voters and learners (bootstrap, as etcd's StartNode with
   * peers). Joining node: both empty (it learns the config from the leader).
   * Ignored when disk is given.
   */
  voters: number[];
  learners: number[];
  /** Restart from durable state (etcd's RestartNode); the state machine is rebuilt from it. */
  disk?: DiskState;
}

/** One write to the disk, in the order it happened within a Ready cycle. */
export interface DiskWrite {
  hardState?: HardState;
  /** Entries appended; an append at index i first truncates the log from i on (WAL semantics). */
  entries: Entry[];
  /** A snapshot received from the leader, saved before the entries. */
  snapshot?: Snapshot;
  /** A snapshot the node took itself after applying (stage 4), and the index the log was compacted to. */
  ownSnapshot?: { snapshot: Snapshot; compactedTo: number };
}

/** A line logged by the raft library inside a host. */
export interface LogLine {
  node: number;
  /** etcd level name: DEBUG, INFO, WARN, ERROR, PANIC, FATAL (a PANIC line is also added when a node stops on an error). */
  level: string;
  text: string;
}

/** The result of applying one committed entry to the state machine. */
export interface AppliedEntry {
  index: number;
  term: number;
  kind: 'normal' | 'confchange' | 'empty';
  /** Human-readable summary ("put x=1", "v4 l5", "empty"). */
  summary: string;
  /** For KV puts: the client request id carried in the entry, so the client can complete it. */
  requestId?: string;
  /** For conf changes: the ConfState after applying. */
  confState?: ConfState;
}

/** The stages of the Ready cycle, in the order they must run. */
export type ReadyStage = 'persist' | 'send' | 'apply' | 'advance';

/** What one Ready cycle (or one stage of it, in manual mode) did. */
export interface CycleRecord {
  node: number;
  ready: Ready;
  /**
   * etcd's text form of the Ready (describeReady), for the inspector. Hosts leave it
   * empty; the scheduler's records make it from `ready` on first read.
   */
  readyText: string;
  stagesDone: ReadyStage[];
  persisted?: DiskWrite;
  /** Messages handed to the transport (only after persisted). */
  sent: Message[];
  applied: AppliedEntry[];
  readStates: ReadState[];
  logLines: LogLine[];
  /** What the host measured during these stages (state changes at apply and advance). */
  notes?: HostNote[];
}

/**
 * Structured facts a host measured while running a command (raftProbe.ts), in the
 * order things happened: per stepped message what the node knew and answered, each
 * change of its role, term, vote, leader, commit index or transfer target, and what
 * raft did with a client request. The scheduler turns them into ClusterEvents.
 */
export type HostNote =
  /**
   * Message msg (an index into the step command's msgs) was stepped; f encodes the
   * receiver's NodeFacts before, the sender's progress at a leader, and the replies
   * (factsCodec.ts). Only for the messages whose facts events use (votes, appends,
   * proposals, reads, transfers, snapshots).
   */
  | { kind: 'recv'; msg: number; f: number[]; error?: string }
  /**
   * A leader stepped a follower's MsgAppResp of its term: p encodes the follower's
   * progress before and after (factsCodec.ts). The commonest message gets the leanest note.
   */
  | { kind: 'ack'; msg: number; p: number[] }
  | {
      kind: 'change';
      cause: ChangeCause;
      /** cause 'step': the message (index into the step command's msgs). */
      msg?: number;
      /** StateBrief before and after, encoded (factsCodec.ts). */
      before: number[];
      after: number[];
      /** The node became (pre-)candidate: whom it asks, and its last entry. */
      campaign?: { voters: number[]; lastIndex: number; lastTerm: number };
      /** A (pre-)candidate's role changed: the votes it had counted. */
      votes?: { granted: number[]; rejected: number[] };
      /** A leader's commit index moved: who stores what. */
      quorum?: QuorumFacts;
      /** The commit index moved: the first newly committed entries (leaders only) and how many more. */
      committed?: { entries: EntrySummary[]; more: number };
    }
  | {
      kind: 'request';
      request: ProposalEvent['request'];
      /** NodeFacts before, no progress, and the replies (as in a recv note). */
      f: number[];
      error?: string;
      /** The entries the request appended to the node's log. */
      appended?: { first: number; last: number; term: number };
    };

/** A snapshot of a node for display and for checkers (all cheap, plain data). */
export interface NodeObservation {
  id: number;
  role: StateType;
  term: number;
  vote: number;
  lead: number;
  commit: number;
  applied: number;
  /** First and last index in stable storage (MemoryStorage), and last index including unstable entries. */
  firstIndex: number;
  persistedLastIndex: number;
  lastIndex: number;
  confState: ConfState;
  /** Leader only: the progress map, ascending by id. */
  progress: ProgressObservation[];
  /** Whether a Ready is waiting, and whether a manual cycle is half-way. */
  hasReady: boolean;
  pendingStages: ReadyStage[];
  kv: Record<string, string>;
  /** Randomized election timeout and elapsed ticks, for the election timer arc. */
  electionElapsed: number;
  randomizedElectionTimeout: number;
  heartbeatElapsed: number;
  leadTransferee: number;
  /** For "why" answers: the election timeout (ticks) and CheckQuorum. */
  electionTimeout: number;
  checkQuorum: boolean;
  /** raft.isLearner: the node is a learner in its own configuration. */
  isLearner: boolean;
  /** Committed but unapplied entries include a conf change (the node then refuses to campaign). */
  unappliedConfChange: boolean;
  /** Leader: index of its latest proposed conf change, and the uncommitted payload bytes it holds. */
  pendingConfIndex: number;
  uncommittedSize: number;
}

export interface ProgressObservation {
  id: number;
  match: number;
  next: number;
  state: 'StateProbe' | 'StateReplicate' | 'StateSnapshot';
  isLearner: boolean;
  paused: boolean;
  recentActive: boolean;
  pendingSnapshot: number;
  inflight: number;
  inflightFull: boolean;
}

/** Commands a host accepts; run in order within one batch. */
export type HostCommand =
  | { kind: 'tick'; count: number }
  | { kind: 'step'; msgs: Message[] }
  | { kind: 'campaign' }
  /** op: the client operation it serves (history id), for events only; the host ignores it. */
  | { kind: 'propose'; data: Uint8Array; op?: number }
  /** A v1 ConfChange (EntryConfChange) or a ConfChangeV2 (EntryConfChangeV2), as etcd's ProposeConfChange(ConfChangeI). */
  | { kind: 'proposeConfChange'; cc: ConfChangeV2 | ConfChange; op?: number }
  | { kind: 'readIndex'; ctx: Uint8Array; op?: number }
  | { kind: 'transferLeader'; to: number; op?: number }
  | { kind: 'forgetLeader' }
  | { kind: 'reportUnreachable'; id: number }
  | { kind: 'reportSnapshot'; id: number; failed: boolean }
  | { kind: 'compact'; index: number }
  /** Run whole Ready cycles until there is no Ready (at most maxCycles). */
  | { kind: 'cycle'; maxCycles: number }
  /** Manual mode: run the next stage of the current Ready (starting one if none). */
  | { kind: 'stage'; stage: ReadyStage }
  | { kind: 'observe' }
  /** A local (possibly stale) read of the KV state machine. */
  | { kind: 'get'; key: string };

/** The result of one command; logLines are the raft log lines it produced, in order. */
export type HostResult = (
  | { kind: 'ok' }
  | { kind: 'error'; message: string }
  | { kind: 'cycles'; records: CycleRecord[] }
  | { kind: 'observation'; observation: NodeObservation }
  | { kind: 'value'; value: string | undefined }
) & { logLines: LogLine[]; notes?: HostNote[] };

/** The async face of a host: the scheduler talks to every node through this, wherever it runs. */
export interface NodeRuntime {
  readonly id: number;
  /** Runs the commands in order and returns one result per command. */
  run(commands: HostCommand[]): Promise<HostResult[]>;
  /** Crash: the host and everything volatile in it are gone. The disk is kept by the caller. */
  terminate(): Promise<void>;
  /**
   * The host's complete volatile state, for a checkpoint (see hostImage.ts); its log
   * entries are interned into `table`. A runtime without it is never checkpointed.
   */
  checkpoint?(table: EntryTable): Promise<HostImage>;
}

export interface RuntimeFactory {
  /** Starts a host from its BootInfo. */
  (boot: BootInfo): Promise<NodeRuntime>;
  /** Starts a host from a checkpoint's image. Without it, a cluster takes no checkpoints (seek replays from the start). */
  restore?(image: HostImage, table: EntryTable): Promise<NodeRuntime>;
  /**
   * Starts a host from BootInfo whose disk's entries are exactly `runs` of `table`
   * (they cross to the host by eid, see bootPayload.ts). Optional: without it, restarts
   * copy the disk.
   */
  bootFrom?(boot: BootInfo & { disk: DiskState }, table: EntryTable, runs: number[]): Promise<NodeRuntime>;
}

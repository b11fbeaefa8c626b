// The shared vocabulary of the library: node roles, special ids, and the Ready batch.
// (etcd spreads these over raft.go, node.go and read_only.go; they live in one small
// file here so that every layer can import them without importing the state machine.)

import type { Entry, HardState, Message, Snapshot } from './raftpb/types';

/** The "no node" id (no leader, no vote). */
export const None = 0;

// differs from etcd: etcd uses MaxUint64 and MaxUint64-1, which a JS number cannot
// hold exactly; ours are the two largest safe integers. They print as AppendThread
// and ApplyThread.
/** The local target of MsgStorageAppend in async-storage-writes mode. */
export const LocalAppendThread = Number.MAX_SAFE_INTEGER;
/** The local target of MsgStorageApply in async-storage-writes mode. */
export const LocalApplyThread = Number.MAX_SAFE_INTEGER - 1;

export function isLocalMsgTarget(id: number): boolean {
  return id === LocalAppendThread || id === LocalApplyThread;
}

/** A node's role. Numbering matches etcd's StateType. */
export const StateType = { StateFollower: 0, StateCandidate: 1, StateLeader: 2, StatePreCandidate: 3 } as const;
export type StateType = (typeof StateType)[keyof typeof StateType];
export const { StateFollower, StateCandidate, StateLeader, StatePreCandidate } = StateType;
export const stateTypeNames: readonly string[] = Object.keys(StateType);

/** Volatile state that is useful to show or log; never persisted. */
export interface SoftState {
  lead: number;
  raftState: StateType;
}

/**
 * The answer to a ReadIndex request: once the state machine has applied up to index,
 * a read identified by requestCtx may be served linearizably.
 */
export interface ReadState {
  index: number;
  requestCtx: Uint8Array;
}

/**
 * Everything a node asks its host to do in one cycle: persist, send, apply.
 * Fields are undefined / empty when there is nothing of that kind.
 */
export interface Ready {
  /** Set only when lead or role changed since the previous Ready. */
  softState: SoftState | undefined;
  /** Set only when term, vote or commit changed; must be persisted before messages are sent. */
  hardState: HardState | undefined;
  readStates: ReadState[];
  /** Entries to persist (append to stable storage) before sending messages. */
  entries: Entry[];
  /** A snapshot to persist, if any. */
  snapshot: Snapshot | undefined;
  /** Entries that are committed and may be applied to the state machine. */
  committedEntries: Entry[];
  /** Messages to send, after entries and hardState are persisted (in async mode: storage messages too). */
  messages: Message[];
  /** Whether hardState and entries must be written durably (fsync) rather than buffered. */
  mustSync: boolean;
}

export function isEmptyHardState(st: HardState | undefined): boolean {
  return st === undefined || (st.term === 0 && st.vote === 0 && st.commit === 0);
}

export function isHardStateEqual(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}

export function isEmptySnap(sp: Snapshot | undefined): boolean {
  return sp === undefined || sp.metadata.index === 0;
}

/** The outcome of sending a snapshot, reported by the application (RawNode / Node reportSnapshot). Numbering matches etcd. */
export const SnapshotStatus = { SnapshotFinish: 1, SnapshotFailure: 2 } as const;
export type SnapshotStatus = (typeof SnapshotStatus)[keyof typeof SnapshotStatus];
export const { SnapshotFinish, SnapshotFailure } = SnapshotStatus;

/** Whether ReadIndex is answered by a heartbeat round (Safe) or the leader lease (LeaseBased). */
export const ReadOnlyOption = { ReadOnlySafe: 0, ReadOnlyLeaseBased: 1 } as const;
export type ReadOnlyOption = (typeof ReadOnlyOption)[keyof typeof ReadOnlyOption];
export const { ReadOnlySafe, ReadOnlyLeaseBased } = ReadOnlyOption;

/** A seeded source of randomness: returns an integer in [0, n). Injected through Config. */
export type RandomSource = (n: number) => number;

// The wire types of etcd raft (raftpb), as plain structured-clone-friendly objects.
//
// Every field that etcd's protobuf message has is present here, with the same
// meaning, in camelCase. Objects are created with every field set (see the
// constructors at the bottom) so that they share one shape: V8 keeps property
// access on them monomorphic, and postMessage copies them without conversion.
//
// differs from etcd: protobuf's "unset" optional scalars are represented by
// their zero values (0, false, empty array); etcd treats unset and zero alike
// everywhere the library looks at them.

/** Entry types. Numbering matches raftpb's EntryType. */
export const EntryType = {
  EntryNormal: 0,
  EntryConfChange: 1,
  EntryConfChangeV2: 2,
} as const;
export type EntryType = (typeof EntryType)[keyof typeof EntryType];
export const EntryNormal = EntryType.EntryNormal;
export const EntryConfChange = EntryType.EntryConfChange;
export const EntryConfChangeV2 = EntryType.EntryConfChangeV2;
export const entryTypeNames: readonly string[] = ['EntryNormal', 'EntryConfChange', 'EntryConfChangeV2'];

/** Message types. Numbering matches raftpb's MessageType (it is part of the wire format). */
export const MessageType = {
  MsgHup: 0,
  MsgBeat: 1,
  MsgProp: 2,
  MsgApp: 3,
  MsgAppResp: 4,
  MsgVote: 5,
  MsgVoteResp: 6,
  MsgSnap: 7,
  MsgHeartbeat: 8,
  MsgHeartbeatResp: 9,
  MsgUnreachable: 10,
  MsgSnapStatus: 11,
  MsgCheckQuorum: 12,
  MsgTransferLeader: 13,
  MsgTimeoutNow: 14,
  MsgReadIndex: 15,
  MsgReadIndexResp: 16,
  MsgPreVote: 17,
  MsgPreVoteResp: 18,
  MsgStorageAppend: 19,
  MsgStorageAppendResp: 20,
  MsgStorageApply: 21,
  MsgStorageApplyResp: 22,
  MsgForgetLeader: 23,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];
export const {
  MsgHup,
  MsgBeat,
  MsgProp,
  MsgApp,
  MsgAppResp,
  MsgVote,
  MsgVoteResp,
  MsgSnap,
  MsgHeartbeat,
  MsgHeartbeatResp,
  MsgUnreachable,
  MsgSnapStatus,
  MsgCheckQuorum,
  MsgTransferLeader,
  MsgTimeoutNow,
  MsgReadIndex,
  MsgReadIndexResp,
  MsgPreVote,
  MsgPreVoteResp,
  MsgStorageAppend,
  MsgStorageAppendResp,
  MsgStorageApply,
  MsgStorageApplyResp,
  MsgForgetLeader,
} = MessageType;
/** messageTypeNames[t] is the etcd name of message type t, e.g. "MsgApp". */
export const messageTypeNames: readonly string[] = Object.keys(MessageType);

/** How a ConfChangeV2 enters and leaves joint consensus. */
export const ConfChangeTransition = {
  ConfChangeTransitionAuto: 0,
  ConfChangeTransitionJointImplicit: 1,
  ConfChangeTransitionJointExplicit: 2,
} as const;
export type ConfChangeTransition = (typeof ConfChangeTransition)[keyof typeof ConfChangeTransition];
export const { ConfChangeTransitionAuto, ConfChangeTransitionJointImplicit, ConfChangeTransitionJointExplicit } =
  ConfChangeTransition;
export const confChangeTransitionNames: readonly string[] = Object.keys(ConfChangeTransition);

export const ConfChangeType = {
  ConfChangeAddNode: 0,
  ConfChangeRemoveNode: 1,
  ConfChangeUpdateNode: 2,
  ConfChangeAddLearnerNode: 3,
} as const;
export type ConfChangeType = (typeof ConfChangeType)[keyof typeof ConfChangeType];
export const { ConfChangeAddNode, ConfChangeRemoveNode, ConfChangeUpdateNode, ConfChangeAddLearnerNode } =
  ConfChangeType;
export const confChangeTypeNames: readonly string[] = Object.keys(ConfChangeType);

/** One log entry. Invariant: data is never undefined (empty = zero-length array). */
export interface Entry {
  term: number;
  index: number;
  type: EntryType;
  data: Uint8Array;
}

/** The membership configuration; all id lists are kept sorted ascending where raft produces them. */
export interface ConfState {
  /** Voters of the incoming (or only) configuration. */
  voters: number[];
  learners: number[];
  /** Voters of the outgoing configuration; non-empty only in a joint configuration. */
  votersOutgoing: number[];
  /** Learners that become learners once the joint configuration is left (they are outgoing voters now). */
  learnersNext: number[];
  /** Whether the joint configuration is left automatically once committed. */
  autoLeave: boolean;
}

export interface SnapshotMetadata {
  confState: ConfState;
  index: number;
  term: number;
}

/** A snapshot. It is "empty" when metadata.index is 0 (see isEmptySnap). */
export interface Snapshot {
  data: Uint8Array;
  metadata: SnapshotMetadata;
}

/**
 * A raft message. Which fields mean something depends on type; see etcd's raft.proto.
 * For MsgStorageAppend / MsgStorageApply, responses holds the messages the storage
 * "thread" must deliver once the work is done.
 */
export interface Message {
  type: MessageType;
  to: number;
  from: number;
  term: number;
  /** For MsgApp: term of the entry at index. For MsgStorageAppend: the last entry's term... (see etcd). */
  logTerm: number;
  index: number;
  entries: Entry[];
  commit: number;
  vote: number;
  /** Present (and non-empty) for MsgSnap, and for MsgStorageAppend carrying a snapshot. */
  snapshot: Snapshot | undefined;
  reject: boolean;
  rejectHint: number;
  context: Uint8Array;
  responses: Message[];
}

/** The state a node must persist before sending messages. */
export interface HardState {
  term: number;
  vote: number;
  commit: number;
}

export interface ConfChange {
  type: ConfChangeType;
  nodeId: number;
  context: Uint8Array;
  /** Unused by raft; kept for wire compatibility (etcd's ConfChange.ID). */
  id: number;
}

export interface ConfChangeSingle {
  type: ConfChangeType;
  nodeId: number;
}

export interface ConfChangeV2 {
  transition: ConfChangeTransition;
  changes: ConfChangeSingle[];
  context: Uint8Array;
}

/** The shared empty byte string. Never mutate it. */
export const emptyBytes: Uint8Array = new Uint8Array(0);

// ---- constructors: every object gets every field, in one order (one hidden class) ----

export function newEntry(init: Partial<Entry> = {}): Entry {
  return {
    term: init.term ?? 0,
    index: init.index ?? 0,
    type: init.type ?? EntryNormal,
    data: init.data ?? emptyBytes,
  };
}

export function newMessage(init: Partial<Message> = {}): Message {
  return {
    type: init.type ?? MsgHup,
    to: init.to ?? 0,
    from: init.from ?? 0,
    term: init.term ?? 0,
    logTerm: init.logTerm ?? 0,
    index: init.index ?? 0,
    entries: init.entries ?? [],
    commit: init.commit ?? 0,
    vote: init.vote ?? 0,
    snapshot: init.snapshot,
    reject: init.reject ?? false,
    rejectHint: init.rejectHint ?? 0,
    context: init.context ?? emptyBytes,
    responses: init.responses ?? [],
  };
}

/**
 * The entries and responses of makeMessage's messages that have none: shared, and
 * frozen so that a push into them fails loudly instead of reaching every other
 * such message. (Nothing in the library adds to a message's arrays; it assigns
 * new ones.) They save two allocations per message on the busiest paths.
 */
export const noEntries = Object.freeze([]) as readonly Entry[] as Entry[];
const noMessages = Object.freeze([]) as readonly Message[] as Message[];

/**
 * A message of the given type, receiver, sender and term, with entries (a shared
 * frozen empty array when not given) and every other field at its zero value:
 * newMessage without the options object, for the paths taken once per proposal or
 * per append. Callers set further fields on the result; the shape is newMessage's.
 */
export function makeMessage(
  type: MessageType,
  to: number,
  from: number,
  term: number,
  entries: Entry[] = noEntries,
): Message {
  return {
    type,
    to,
    from,
    term,
    logTerm: 0,
    index: 0,
    entries,
    commit: 0,
    vote: 0,
    snapshot: undefined,
    reject: false,
    rejectHint: 0,
    context: emptyBytes,
    responses: noMessages,
  };
}

export function newHardState(init: Partial<HardState> = {}): HardState {
  return { term: init.term ?? 0, vote: init.vote ?? 0, commit: init.commit ?? 0 };
}

export function newConfState(init: Partial<ConfState> = {}): ConfState {
  return {
    voters: init.voters ?? [],
    learners: init.learners ?? [],
    votersOutgoing: init.votersOutgoing ?? [],
    learnersNext: init.learnersNext ?? [],
    autoLeave: init.autoLeave ?? false,
  };
}

export function newSnapshot(
  init: { data?: Uint8Array; index?: number; term?: number; confState?: ConfState } = {},
): Snapshot {
  return {
    data: init.data ?? emptyBytes,
    metadata: { confState: init.confState ?? newConfState(), index: init.index ?? 0, term: init.term ?? 0 },
  };
}

export function newConfChange(init: Partial<ConfChange> = {}): ConfChange {
  return {
    type: init.type ?? ConfChangeAddNode,
    nodeId: init.nodeId ?? 0,
    context: init.context ?? emptyBytes,
    id: init.id ?? 0,
  };
}

export function newConfChangeV2(init: Partial<ConfChangeV2> = {}): ConfChangeV2 {
  return {
    transition: init.transition ?? ConfChangeTransitionAuto,
    changes: init.changes ?? [],
    context: init.context ?? emptyBytes,
  };
}

/** isLocalMsg by message type number (a table: these are asked for every message stepped). */
const localMsgTypes: readonly boolean[] = (() => {
  const t: boolean[] = new Array<boolean>(messageTypeNames.length).fill(false);
  for (const m of [
    MsgHup,
    MsgBeat,
    MsgUnreachable,
    MsgSnapStatus,
    MsgCheckQuorum,
    MsgStorageAppend,
    MsgStorageAppendResp,
    MsgStorageApply,
    MsgStorageApplyResp,
  ]) {
    t[m] = true;
  }
  return t;
})();

/** isResponseMsg by message type number. */
const responseMsgTypes: readonly boolean[] = (() => {
  const t: boolean[] = new Array<boolean>(messageTypeNames.length).fill(false);
  for (const m of [
    MsgAppResp,
    MsgVoteResp,
    MsgHeartbeatResp,
    MsgUnreachable,
    MsgReadIndexResp,
    MsgPreVoteResp,
    MsgStorageAppendResp,
    MsgStorageApplyResp,
  ]) {
    t[m] = true;
  }
  return t;
})();

/** True if the message type is one a node generates for itself (never sent over the network). */
export function isLocalMsg(t: MessageType): boolean {
  return localMsgTypes[t] === true;
}

/** True if the message type is a response to another message. */
export function isResponseMsg(t: MessageType): boolean {
  return responseMsgTypes[t] === true;
}

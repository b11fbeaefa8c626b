// Small helpers shared by the log layer and the state machine (the non-formatting
// part of etcd's util.go). The Describe* text formatters live in describe.ts.

import { RaftPanic } from './errors';
import type { Logger } from './logger';
import { confStateEquivalent } from './raftpb/confstate';
import { entrySize as pbEntrySize } from './raftpb/codec';
import { MsgPreVote, MsgPreVoteResp, MsgVote, MsgVoteResp, messageTypeNames } from './raftpb/types';
import type { ConfState, Entry, MessageType, Snapshot } from './raftpb/types';

/** "No limit" for every size bound (etcd's noLimit = math.MaxUint64). */
export const noLimit = Infinity;

/** A node id as etcd prints it with %x. */
export function hex(id: number): string {
  return id.toString(16);
}

export function min(a: number, b: number): number {
  return a < b ? a : b;
}

export function max(a: number, b: number): number {
  return a > b ? a : b;
}

/** The response type matching a (pre-)vote request type. Anything else is a programming error. */
export function voteRespMsgType(msgt: MessageType): MessageType {
  switch (msgt) {
    case MsgVote:
      return MsgVoteResp;
    case MsgPreVote:
      return MsgPreVoteResp;
    default:
      throw new RaftPanic(`not a vote message: ${messageTypeNames[msgt] ?? String(msgt)}`);
  }
}

/**
 * The protobuf-encoded byte size of one entry (etcd's proto.Size(entry)); the unit
 * of every "entryEncodingSize" bound (MaxSizePerMsg, MaxCommittedSizePerReady).
 *
 * Choice of which fields count: term and index are always counted, because raft
 * assigns both to every entry it appends (appendEntry, bootstrap, snapshot
 * dummies). The type is counted only when it is not EntryNormal and the data only
 * when it is non-empty, because etcd v3.7.0's proto2 structs leave those fields
 * unset on the common paths (proposals built as `Entry{Data: data}` and the
 * leader's empty entry `Entry{Data: nil}` carry no Type; the empty entry carries no
 * Data). This is the rule of raftpb/codec.ts; this function delegates to it so the
 * project has a single definition of an entry's size.
 *
 * differs from etcd: we cannot see "set to zero" vs "unset", so an entry whose
 * Type was set explicitly to EntryNormal (a refused conf change rewritten by the
 * leader) or whose Data is a non-nil empty slice is 2 bytes smaller here.
 */
export function entrySize(e: Entry): number {
  return pbEntrySize(e);
}

/** The total encoded size of the entries. */
export function entsSize(ents: readonly Entry[]): number {
  let size = 0;
  for (let i = 0; i < ents.length; i++) size += pbEntrySize(ents[i]!);
  return size;
}

/**
 * The longest prefix of ents whose total encoded size is at most maxSize, except
 * that a non-empty input always yields at least its first entry. May return the
 * input array itself when nothing is cut; callers that must not share it copy.
 */
export function limitSize(ents: Entry[], maxSize: number): Entry[] {
  // Nothing to cut: no limit, or a single entry (always kept).
  if (ents.length <= 1 || maxSize === noLimit) return ents;
  let size = entrySize(ents[0]!);
  for (let limit = 1; limit < ents.length; limit++) {
    size += entrySize(ents[limit]!);
    if (size > maxSize) return ents.slice(0, limit);
  }
  return ents;
}

/** The size of an entry's payload (its data only; index, term and type do not count). */
export function payloadSize(e: Entry): number {
  return e.data.length;
}

export function payloadsSize(ents: readonly Entry[]): number {
  let s = 0;
  for (let i = 0; i < ents.length; i++) s += ents[i]!.data.length;
  return s;
}

/** Panics through the logger unless the two ConfStates describe the same configuration. */
export function assertConfStatesEquivalent(l: Logger, cs1: ConfState | undefined, cs2: ConfState | undefined): void {
  try {
    confStateEquivalent(cs1, cs2);
  } catch (e) {
    l.panic(e instanceof Error ? e.message : String(e));
  }
}

/** A copy of a ConfState that shares nothing mutable with the original. */
export function cloneConfState(cs: ConfState): ConfState {
  return {
    voters: cs.voters.slice(),
    learners: cs.learners.slice(),
    votersOutgoing: cs.votersOutgoing.slice(),
    learnersNext: cs.learnersNext.slice(),
    autoLeave: cs.autoLeave,
  };
}

/**
 * A copy of a snapshot (etcd's proto.Clone). Metadata and ConfState are copied;
 * the data bytes are shared, since snapshot data is never mutated in place.
 */
export function cloneSnapshot(s: Snapshot): Snapshot {
  return {
    data: s.data,
    metadata: { confState: cloneConfState(s.metadata.confState), index: s.metadata.index, term: s.metadata.term },
  };
}

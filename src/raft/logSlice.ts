// Identifiers of log entries and well-formed slices of a raft log (etcd's types.go).

import type { Entry } from './raftpb/types';

/** The identity of a log entry: the term of the leader that created it, and its position. */
export interface EntryID {
  term: number;
  index: number;
}
/** etcd's spelling of the type. */
export type entryID = EntryID;

export function pbEntryID(entry: Entry): EntryID {
  return { term: entry.term, index: entry.index };
}

/** Go's %+v of an entryID, used in error texts. */
function formatEntryID(id: EntryID): string {
  return `{term:${id.term} index:${id.index}}`;
}

/** The plain data of a log slice; LogSlice adds methods. Functions accepting slices take this shape. */
export interface LogSliceData {
  /** The term of the leader whose log contains these entries. */
  term: number;
  /** The entry just before the first entry of the slice. */
  prev: EntryID;
  /** Consecutive entries; entries[i].index === prev.index + 1 + i when valid. */
  entries: Entry[];
}

/**
 * A contiguous piece of the log of the leader at `term`. Well-formed (see valid())
 * when indices are consecutive after prev, terms never decrease from prev onwards,
 * and no entry has a term above the leader term.
 */
export class LogSlice implements LogSliceData {
  constructor(
    public term: number,
    public prev: EntryID,
    public entries: Entry[],
  ) {}

  /** Index of the last entry, or prev.index when there are no entries. */
  lastIndex(): number {
    return this.prev.index + this.entries.length;
  }

  /** ID of the last entry, or prev when there are no entries. */
  lastEntryID(): EntryID {
    const last = this.entries[this.entries.length - 1];
    return last !== undefined ? pbEntryID(last) : this.prev;
  }

  /** Throws an Error describing the first violation of well-formedness, if any. */
  valid(): void {
    logSliceValid(this);
  }
}

/** Builds a LogSlice from plain data (e.g. `{ term, prev, entries }` from a MsgApp). */
export function logSlice(s: LogSliceData): LogSlice {
  return new LogSlice(s.term, s.prev, s.entries);
}

/** valid() for plain slice data. */
export function logSliceValid(s: LogSliceData): void {
  let prev = s.prev;
  for (const e of s.entries) {
    const id = pbEntryID(e);
    if (id.term < prev.term || id.index !== prev.index + 1) {
      throw new Error(`leader term ${s.term}: entries ${formatEntryID(prev)} and ${formatEntryID(id)} not consistent`);
    }
    prev = id;
  }
  if (s.term < prev.term) {
    throw new Error(`leader term ${s.term}: entry ${formatEntryID(prev)} has a newer term`);
  }
}

// The Storage interface raft reads its stable log through, and MemoryStorage, an
// in-memory implementation (etcd's storage.go).

import { ErrCompacted, ErrSnapOutOfDate, ErrUnavailable, RaftPanic } from './errors';
import { newEntry, newHardState, newSnapshot } from './raftpb/types';
import type { ConfState, Entry, HardState, Snapshot } from './raftpb/types';
import { cloneConfState, cloneSnapshot, limitSize } from './util';

// Re-exported so that code written against etcd's package layout finds them here too.
export { ErrCompacted, ErrSnapOutOfDate, ErrUnavailable, ErrSnapshotTemporarilyUnavailable } from './errors';

/** What a Storage persisted besides the log: the last HardState and the current ConfState. */
export interface InitialState {
  hardState: HardState;
  confState: ConfState;
}

/**
 * Read access to the application's stable raft log. Methods throw the shared errors
 * of errors.ts where etcd returns an error; any other thrown error makes raft stop.
 *
 * Invariant expected by raft: the stable log covers [firstIndex(), lastIndex()], and
 * the term of firstIndex()-1 (the last entry folded into the snapshot) is still known.
 */
export interface Storage {
  /**
   * The persisted HardState and ConfState.
   * differs from etcd: hardState is never undefined; "nothing persisted yet" is the
   * empty HardState (all zero), which isEmptyHardState recognises.
   */
  initialState(): InitialState;
  /**
   * The entries [lo, hi), cut to at most maxSize encoded bytes but at least one entry.
   * The caller owns the returned array; the Entry objects in it must not be mutated.
   * Throws ErrCompacted if lo was compacted away, ErrUnavailable if part of the range is missing.
   */
  entries(lo: number, hi: number, maxSize: number): Entry[];
  /** The term of entry i, for i in [firstIndex()-1, lastIndex()]. Throws ErrCompacted / ErrUnavailable outside. */
  term(i: number): number;
  lastIndex(): number;
  /** The first index possibly available through entries() (everything before it is in the snapshot). */
  firstIndex(): number;
  /** The latest snapshot. May throw ErrSnapshotTemporarilyUnavailable. */
  snapshot(): Snapshot;
}

/** How often each Storage method of a MemoryStorage was called (for tests and benchmarks). */
export interface InMemStorageCallStats {
  initialState: number;
  firstIndex: number;
  lastIndex: number;
  entries: number;
  term: number;
  snapshot: number;
}

/**
 * A Storage backed by an array.
 *
 * Layout: ents[0] is a dummy entry holding only the (index, term) of the last
 * compacted entry (the snapshot point; (0, 0) for a fresh storage); ents[i] is the
 * entry at log index ents[0].index + i. Hence firstIndex = ents[0].index + 1 and
 * lastIndex = ents[0].index + ents.length - 1.
 *
 * The ents array itself is never handed out (entries() returns copies), so it may
 * be modified in place; the Entry objects are shared and treated as immutable.
 */
export class MemoryStorage implements Storage {
  hardState: HardState = newHardState();
  // differs from etcd: named snap because snapshot is the Storage method.
  snap: Snapshot = newSnapshot();
  ents: Entry[] = [newEntry()];
  callStats: InMemStorageCallStats = { initialState: 0, firstIndex: 0, lastIndex: 0, entries: 0, term: 0, snapshot: 0 };

  initialState(): InitialState {
    this.callStats.initialState++;
    return { hardState: { ...this.hardState }, confState: cloneConfState(this.snap.metadata.confState) };
  }

  /** Records the HardState to report from initialState(). */
  setHardState(st: HardState): void {
    this.hardState = { term: st.term, vote: st.vote, commit: st.commit };
  }

  entries(lo: number, hi: number, maxSize: number): Entry[] {
    this.callStats.entries++;
    const offset = this.ents[0]!.index;
    if (lo <= offset) throw ErrCompacted;
    if (hi > this.lastIndexInternal() + 1) {
      throw new RaftPanic(`entries' hi(${hi}) is out of bound lastindex(${this.lastIndexInternal()})`);
    }
    // Only the dummy entry is present.
    if (this.ents.length === 1) throw ErrUnavailable;
    // differs from etcd: Go panics on a reversed range through slice bounds checks.
    if (lo > hi) throw new RaftPanic(`slice bounds out of range [${lo - offset}:${hi - offset}]`);
    // slice() copies, so the caller may do what it likes with the array.
    return limitSize(this.ents.slice(lo - offset, hi - offset), maxSize);
  }

  term(i: number): number {
    this.callStats.term++;
    const offset = this.ents[0]!.index;
    if (i < offset) throw ErrCompacted;
    const e = this.ents[i - offset];
    if (e === undefined) throw ErrUnavailable;
    return e.term;
  }

  lastIndex(): number {
    this.callStats.lastIndex++;
    return this.lastIndexInternal();
  }

  private lastIndexInternal(): number {
    return this.ents[0]!.index + this.ents.length - 1;
  }

  firstIndex(): number {
    this.callStats.firstIndex++;
    return this.firstIndexInternal();
  }

  private firstIndexInternal(): number {
    return this.ents[0]!.index + 1;
  }

  snapshot(): Snapshot {
    this.callStats.snapshot++;
    return cloneSnapshot(this.snap);
  }

  /**
   * Replaces the whole contents with the snapshot: the log becomes empty, starting
   * after the snapshot's index. Throws ErrSnapOutOfDate unless the snapshot is newer
   * than the current one (a storage whose snapshot index is 0 accepts any snapshot,
   * including one of index 0 that only carries a ConfState, as at bootstrap).
   */
  applySnapshot(snap: Snapshot): void {
    const msIndex = this.snap.metadata.index;
    const snapIndex = snap.metadata.index;
    if (msIndex !== 0 && msIndex >= snapIndex) throw ErrSnapOutOfDate;
    this.snap = cloneSnapshot(snap);
    this.ents = [newEntry({ term: snap.metadata.term, index: snap.metadata.index })];
  }

  /**
   * Makes (and returns a copy of) a snapshot at index i, which must be in the log and
   * newer than the current snapshot (else ErrSnapOutOfDate). cs, when given, becomes
   * the snapshot's ConfState; otherwise the previous snapshot's ConfState is kept.
   * Does not compact the log.
   */
  createSnapshot(i: number, cs: ConfState | undefined, data: Uint8Array): Snapshot {
    if (i <= this.snap.metadata.index) throw ErrSnapOutOfDate;
    const offset = this.ents[0]!.index;
    if (i > this.lastIndexInternal()) {
      throw new RaftPanic(`snapshot ${i} is out of bound lastindex(${this.lastIndexInternal()})`);
    }
    const confState = cs !== undefined ? cloneConfState(cs) : this.snap.metadata.confState;
    this.snap = { data, metadata: { confState, index: i, term: this.ents[i - offset]!.term } };
    return cloneSnapshot(this.snap);
  }

  /**
   * Drops every entry before compactIndex; compactIndex becomes the new dummy entry
   * (its term stays known). Throws ErrCompacted if compactIndex is not after the
   * current dummy. The application must not compact beyond what it has applied.
   */
  compact(compactIndex: number): void {
    const offset = this.ents[0]!.index;
    if (compactIndex <= offset) throw ErrCompacted;
    if (compactIndex > this.lastIndexInternal()) {
      throw new RaftPanic(`compact ${compactIndex} is out of bound lastindex(${this.lastIndexInternal()})`);
    }
    const i = compactIndex - offset;
    const at = this.ents[i]!;
    const ents = this.ents.slice(i);
    ents[0] = newEntry({ index: at.index, term: at.term });
    this.ents = ents;
  }

  /**
   * Writes entries to the log. Entries that overlap the stored log replace it from
   * their first index on (the stored suffix is discarded); entries at or before the
   * compaction point are ignored. The entries must be contiguous and must not leave
   * a gap after the current last index.
   */
  append(entries: Entry[]): void {
    if (entries.length === 0) return;
    const first = this.firstIndexInternal();
    const last = entries[0]!.index + entries.length - 1;
    // Nothing new: everything is already compacted.
    if (last < first) return;
    if (first > entries[0]!.index) entries = entries.slice(first - entries[0]!.index);

    const offset = entries[0]!.index - this.ents[0]!.index;
    if (this.ents.length > offset) {
      // Overwrite from offset on. A fresh array: the old one stays intact for anyone
      // still looking at it (nobody does, but it costs little to be safe).
      this.ents = this.ents.slice(0, offset).concat(entries);
    } else if (this.ents.length === offset) {
      for (const e of entries) this.ents.push(e);
    } else {
      throw new RaftPanic(`missing log entry [last: ${this.lastIndexInternal()}, append at: ${entries[0]!.index}]`);
    }
  }
}

export function newMemoryStorage(): MemoryStorage {
  return new MemoryStorage();
}

// The unstable part of the raft log: entries (and possibly a snapshot) that raft
// knows but that are not yet known to be durable in Storage (etcd's log_unstable.go).
//
// It holds new entries and an incoming snapshot until they are handed out in a Ready
// for persistence, and keeps them while that write is in flight, so that the log
// still answers queries about them. Once the application reports them durable
// (stableTo / stableSnapTo) they are dropped, and Storage answers for them.
//
// Layout: entries[i] has log index offset + i. offset may be at or below the last
// index in Storage: the next write then overwrites Storage's tail.
// entries before offsetInProgress have been handed out for writing already;
// invariant offset <= offsetInProgress <= offset + entries.length.
//
// Aliasing: the entries array is private; every method that returns entries returns
// a fresh array, so arrays handed out (e.g. in a Ready) never change afterwards,
// whatever happens to the unstable log later. Entry objects are shared and immutable.

import { RaftPanic } from './errors';
import type { EntryID } from './logSlice';
import type { Logger } from './logger';
import type { Entry, Snapshot } from './raftpb/types';
import { cloneSnapshot } from './util';

export interface UnstableInit {
  logger: Logger;
  snapshot?: Snapshot | undefined;
  entries?: Entry[];
  offset?: number;
  snapshotInProgress?: boolean;
  offsetInProgress?: number;
}

export class Unstable {
  /** The incoming snapshot not yet known durable, if any. */
  snapshot: Snapshot | undefined;
  /** Entries not yet known durable; entries[i] is at index offset + i. */
  entries: Entry[];
  offset: number;
  /** Whether the snapshot has been handed out for writing. */
  snapshotInProgress: boolean;
  /** One past the last entry handed out for writing (exclusive, like offset). */
  offsetInProgress: number;
  logger: Logger;

  constructor(init: UnstableInit) {
    this.snapshot = init.snapshot;
    // Copied: the unstable log owns its array (see the header comment).
    this.entries = init.entries !== undefined ? init.entries.slice() : [];
    this.offset = init.offset ?? 0;
    this.snapshotInProgress = init.snapshotInProgress ?? false;
    this.offsetInProgress = init.offsetInProgress ?? 0;
    this.logger = init.logger;
  }

  /** The first index the log may have after the snapshot, if there is a snapshot. */
  maybeFirstIndex(): number | undefined {
    if (this.snapshot !== undefined) return this.snapshot.metadata.index + 1;
    return undefined;
  }

  /** The last index covered by the unstable entries or else the snapshot, if any. */
  maybeLastIndex(): number | undefined {
    const l = this.entries.length;
    if (l !== 0) return this.offset + l - 1;
    if (this.snapshot !== undefined) return this.snapshot.metadata.index;
    return undefined;
  }

  /** The term of entry i if the unstable log knows it (an unstable entry, or the snapshot's last entry). */
  maybeTerm(i: number): number | undefined {
    if (i < this.offset) {
      if (this.snapshot !== undefined && this.snapshot.metadata.index === i) return this.snapshot.metadata.term;
      return undefined;
    }
    const last = this.maybeLastIndex();
    if (last === undefined || i > last) return undefined;
    return this.entries[i - this.offset]!.term;
  }

  /** The entries not yet handed out for writing (a fresh array; empty if none). */
  nextEntries(): Entry[] {
    const inProgress = this.offsetInProgress - this.offset;
    if (this.entries.length === inProgress) return [];
    return this.entries.slice(inProgress);
  }

  /** Whether nextEntries() would return something (without building the array). */
  hasNextEntries(): boolean {
    return this.entries.length > this.offsetInProgress - this.offset;
  }

  /** A copy of the snapshot if it exists and has not been handed out for writing yet. */
  nextSnapshot(): Snapshot | undefined {
    if (this.snapshot === undefined || this.snapshotInProgress) return undefined;
    return cloneSnapshot(this.snapshot);
  }

  /** Marks everything currently held as handed out for writing. */
  acceptInProgress(): void {
    const last = this.entries[this.entries.length - 1];
    if (last !== undefined) this.offsetInProgress = last.index + 1;
    if (this.snapshot !== undefined) this.snapshotInProgress = true;
  }

  /**
   * Drops the entries up to and including id, now durable in Storage. Ignored (with
   * a log line) unless id names an unstable entry with that exact term: the log may
   * have been rewritten while the write was in flight.
   */
  stableTo(id: EntryID): void {
    const gt = this.maybeTerm(id.index);
    if (gt === undefined) {
      this.logger.info(`entry at index ${id.index} missing from unstable log; ignoring`);
      return;
    }
    if (id.index < this.offset) {
      this.logger.info(`entry at index ${id.index} matched unstable snapshot; ignoring`);
      return;
    }
    if (gt !== id.term) {
      this.logger.info(
        `entry at (index,term)=(${id.index},${id.term}) mismatched with entry at (${id.index},${gt}) in unstable log; ignoring`,
      );
      return;
    }
    const num = id.index + 1 - this.offset;
    // In place: the array is never shared (see the header comment). copyWithin and a
    // shorter length rather than splice, which would build an array of what it removes.
    const ents = this.entries;
    ents.copyWithin(0, num);
    ents.length -= num;
    this.offset = id.index + 1;
    this.offsetInProgress = Math.max(this.offsetInProgress, this.offset);
    this.shrinkEntriesArray();
  }

  /**
   * differs from etcd: Go reallocates a mostly unused backing array here; a JS
   * array has no separate capacity to give back, so this only normalises an empty log.
   */
  shrinkEntriesArray(): void {
    if (this.entries.length === 0) this.entries = [];
  }

  /** Drops the snapshot once the snapshot at index i is durable. */
  stableSnapTo(i: number): void {
    if (this.snapshot !== undefined && this.snapshot.metadata.index === i) {
      this.snapshot = undefined;
      this.snapshotInProgress = false;
    }
  }

  /** Replaces everything with the snapshot: no entries, the log continues after it. */
  restore(s: Snapshot): void {
    this.offset = s.metadata.index + 1;
    this.offsetInProgress = this.offset;
    this.entries = [];
    this.snapshot = cloneSnapshot(s);
    this.snapshotInProgress = false;
  }

  /**
   * Appends ents (contiguous, non-empty), first dropping every unstable entry at or
   * after ents[0].index. Entries before that index that were in flight stay in flight.
   */
  truncateAndAppend(ents: readonly Entry[]): void {
    const fromIndex = ents[0]!.index;
    if (fromIndex === this.offset + this.entries.length) {
      // Directly after the last entry: plain append.
      for (const e of ents) this.entries.push(e);
    } else if (fromIndex <= this.offset) {
      this.logger.info(`replace the unstable entries from index ${fromIndex}`);
      // Everything unstable is replaced; the new entries may also overwrite part of Storage.
      this.entries = ents.slice();
      this.offset = fromIndex;
      this.offsetInProgress = this.offset;
    } else {
      this.logger.info(`truncate the unstable entries before index ${fromIndex}`);
      const keep = this.slice(this.offset, fromIndex);
      for (const e of ents) keep.push(e);
      this.entries = keep;
      this.offsetInProgress = Math.min(this.offsetInProgress, fromIndex);
    }
  }

  /** The unstable entries [lo, hi) as a fresh array; the whole range must be unstable. */
  slice(lo: number, hi: number): Entry[] {
    this.mustCheckOutOfBounds(lo, hi);
    return this.entries.slice(lo - this.offset, hi - this.offset);
  }

  /** Panics unless offset <= lo <= hi <= offset + entries.length. */
  mustCheckOutOfBounds(lo: number, hi: number): void {
    if (lo > hi) this.panic(`invalid unstable.slice ${lo} > ${hi}`);
    const upper = this.offset + this.entries.length;
    if (lo < this.offset || hi > upper) {
      this.panic(`unstable.slice[${lo},${hi}) out of bound [${this.offset},${upper}]`);
    }
  }

  private panic(msg: string): never {
    this.logger.panic(msg);
    // Unreachable with a conforming Logger; guards against one whose panic returns.
    throw new RaftPanic(msg);
  }
}

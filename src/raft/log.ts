// The raft log as the state machine sees it (etcd's log.go): the stable part in
// Storage followed by the unstable part, plus the commit / apply cursors.
//
// Invariants:
//   firstIndex() - 1 <= applied <= applying <= committed <= lastIndex()
//   (applied may lag firstIndex()-1 only transiently after restore(), until the
//   application reports the snapshot applied; see raft.ts).
// Terms never decrease along the log.
//
// Errors: where etcd returns (value, error), methods return the value and throw
// ErrCompacted / ErrUnavailable (shared instances from errors.ts). Conditions that
// etcd treats as bugs go through logger.panic, which throws RaftPanic.

import { ErrCompacted, ErrUnavailable, RaftPanic } from './errors';
import type { EntryID, LogSliceData } from './logSlice';
import { Unstable } from './logUnstable';
import type { Logger } from './logger';
import { noEntries, type Entry, type Snapshot } from './raftpb/types';
import type { Storage } from './storage';
import { mutation } from './mutation';
import { cloneSnapshot, entsSize, limitSize, noLimit } from './util';

function isOutOfBounds(e: unknown): boolean {
  return e === ErrCompacted || e === ErrUnavailable;
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class RaftLog {
  /** Every entry made durable since the last snapshot. */
  storage: Storage;
  /** Entries and snapshot not yet known durable. */
  unstable: Unstable;
  /** Highest index known to be durable on a quorum. */
  committed: number;
  /** Highest index handed to the application for applying (in a Ready). */
  applying: number;
  /** Highest index the application reported applied. */
  applied: number;
  logger: Logger;
  /** Bound on the encoded size of entries handed out for applying and not yet reported applied. */
  maxApplyingEntsSize: number;
  /** Encoded size of entries handed out for applying and not yet reported applied. */
  applyingEntsSize: number;
  /** Whether handing out committed entries is paused until appliedTo frees budget. */
  applyingEntsPaused: boolean;

  /** Use newLog / newLogWithSize. Starts committed and applied at the storage's snapshot point. */
  constructor(storage: Storage, logger: Logger, maxApplyingEntsSize: number) {
    const firstIndex = storage.firstIndex();
    const lastIndex = storage.lastIndex();
    this.storage = storage;
    this.unstable = new Unstable({ offset: lastIndex + 1, offsetInProgress: lastIndex + 1, logger });
    this.maxApplyingEntsSize = maxApplyingEntsSize;
    this.applyingEntsSize = 0;
    this.applyingEntsPaused = false;
    this.committed = firstIndex - 1;
    this.applying = firstIndex - 1;
    this.applied = firstIndex - 1;
    this.logger = logger;
  }

  toString(): string {
    return (
      `committed=${this.committed}, applied=${this.applied}, applying=${this.applying}, ` +
      `unstable.offset=${this.unstable.offset}, unstable.offsetInProgress=${this.unstable.offsetInProgress}, ` +
      `len(unstable.Entries)=${this.unstable.entries.length}`
    );
  }

  /**
   * Appends the slice a from a leader if our log has a.prev, truncating any
   * conflicting suffix first, then commits up to min(committed, last new index).
   * Returns the index of the slice's last entry, or undefined if a.prev does not
   * match (the caller must reject). Note: 0 is a valid result.
   */
  maybeAppend(a: LogSliceData, committed: number): number | undefined {
    return this.maybeAppendAfter(a.prev.index, a.prev.term, a.entries, committed);
  }

  /**
   * maybeAppend for the slice (prevIndex, prevTerm) + entries, without building the
   * slice object: raft's MsgApp handler calls this once per append.
   */
  maybeAppendAfter(prevIndex: number, prevTerm: number, entries: Entry[], committed: number): number | undefined {
    // Mutant no-log-check: skip the consistency check (when prev is within our log).
    if (this.termOrUndefined(prevIndex) !== prevTerm && !(mutation.noLogCheck && prevIndex <= this.lastIndex())) {
      return undefined;
    }
    const lastnewi = prevIndex + entries.length;
    const ci = this.findConflict(entries);
    if (ci === 0) {
      // Everything is already in the log.
    } else if (ci <= this.committed) {
      this.panic(`entry ${ci} conflict with committed entry [committed(${this.committed})]`);
    } else {
      const offset = prevIndex + 1;
      if (ci - offset > entries.length) {
        this.panic(`index, ${ci - offset}, is out of range [${entries.length}]`);
      }
      // Mutant keep-conflicting-suffix: only append what lies beyond our last index.
      const from = mutation.keepConflictingSuffix ? Math.max(ci, this.lastIndex() + 1) : ci;
      // The unstable log copies what it keeps, so the slice's own array may be passed.
      this.appendEntries(from === offset ? entries : entries.slice(from - offset));
    }
    this.commitTo(Math.min(committed, lastnewi));
    return lastnewi;
  }

  /**
   * Appends entries (contiguous) to the unstable log, replacing any suffix from the
   * first entry's index on; returns the new last index. Accepts the entries spread
   * (etcd's variadic form) or as one array.
   */
  append(ents: Entry[]): number;
  append(...ents: Entry[]): number;
  append(...args: Entry[] | [Entry[]]): number {
    return this.appendEntries(args.length === 1 && Array.isArray(args[0]) ? args[0] : (args as Entry[]));
  }

  /** append taking one array (no rest parameter to allocate on the per-append path). Not retained. */
  appendEntries(ents: readonly Entry[]): number {
    if (ents.length === 0) return this.lastIndex();
    const after = ents[0]!.index - 1;
    if (after < this.committed) {
      this.panic(`after(${after}) is out of range [committed(${this.committed})]`);
    }
    this.unstable.truncateAndAppend(ents);
    return this.lastIndex();
  }

  /**
   * The index of the first entry of ents (contiguous) that is not in our log with the
   * same term: either a conflict (same index, other term) or the first new entry.
   * 0 when our log already contains all of ents.
   */
  findConflict(ents: readonly Entry[]): number {
    for (let i = 0; i < ents.length; i++) {
      const e = ents[i]!;
      if (this.termOrUndefined(e.index) !== e.term) {
        if (e.index <= this.lastIndex()) {
          this.logger.info(
            `found conflict at index ${e.index} [existing term: ${this.zeroTermOnOutOfBounds(() => this.term(e.index))}, conflicting term: ${e.term}]`,
          );
        }
        return e.index;
      }
    }
    return 0;
  }

  /**
   * The largest guessIndex <= index whose term is <= term or unknown (compacted or
   * missing), with that term (0 when unknown). Used to skip over a follower's
   * divergent tail in one round trip. Returns [guessIndex, guessTerm].
   */
  findConflictByTerm(index: number, term: number): [number, number] {
    for (; index > 0; index--) {
      let ourTerm: number;
      try {
        ourTerm = this.term(index);
      } catch (e) {
        if (isOutOfBounds(e)) return [index, 0];
        throw e;
      }
      if (ourTerm <= term) return [index, ourTerm];
    }
    return [0, 0];
  }

  /** Unstable entries not yet handed out for writing (fresh array; empty if none). */
  nextUnstableEnts(): Entry[] {
    return this.unstable.nextEntries();
  }

  hasNextUnstableEnts(): boolean {
    return this.unstable.hasNextEntries();
  }

  /** Whether there are unstable entries, handed out for writing or not. */
  hasNextOrInProgressUnstableEnts(): boolean {
    return this.unstable.entries.length > 0;
  }

  /**
   * Committed entries to hand to the application for applying, bounded by the
   * applying budget. With allowUnstable, committed entries not yet durable locally
   * are included. Empty while paused or while a snapshot is pending.
   */
  nextCommittedEnts(allowUnstable: boolean): Entry[] {
    if (this.applyingEntsPaused) return [];
    // A pending snapshot is applied first; entries wait for it.
    if (this.hasNextOrInProgressSnapshot()) return [];
    const lo = this.applying + 1;
    const hi = this.maxAppliableIndex(allowUnstable) + 1; // [lo, hi)
    if (lo >= hi) return [];
    const maxSize = this.maxApplyingEntsSize - this.applyingEntsSize;
    if (maxSize <= 0) {
      this.panic(`applying entry size (${this.maxApplyingEntsSize}-${this.applyingEntsSize})=${maxSize} not positive`);
    }
    try {
      return this.slice(lo, hi, maxSize);
    } catch (e) {
      if (e instanceof RaftPanic) throw e;
      this.panic(`unexpected error when getting unapplied entries (${errText(e)})`);
    }
  }

  /** Cheap check for whether nextCommittedEnts would return something. */
  hasNextCommittedEnts(allowUnstable: boolean): boolean {
    if (this.applyingEntsPaused) return false;
    if (this.hasNextOrInProgressSnapshot()) return false;
    const lo = this.applying + 1;
    const hi = this.maxAppliableIndex(allowUnstable) + 1;
    return lo < hi;
  }

  /** The highest committed index that may be applied (only durable ones unless allowUnstable). */
  maxAppliableIndex(allowUnstable: boolean): number {
    let hi = this.committed;
    if (!allowUnstable) hi = Math.min(hi, this.unstable.offset - 1);
    return hi;
  }

  /** A copy of the unstable snapshot if it has not been handed out for writing yet. */
  nextUnstableSnapshot(): Snapshot | undefined {
    return this.unstable.nextSnapshot();
  }

  hasNextUnstableSnapshot(): boolean {
    // Without nextSnapshot()'s copy.
    return this.unstable.snapshot !== undefined && !this.unstable.snapshotInProgress;
  }

  /** Whether a snapshot is pending, handed out for writing or not. */
  hasNextOrInProgressSnapshot(): boolean {
    return this.unstable.snapshot !== undefined;
  }

  /** The newest snapshot: the unstable one (copied) or else Storage's (may throw ErrSnapshotTemporarilyUnavailable). */
  snapshot(): Snapshot {
    if (this.unstable.snapshot !== undefined) return cloneSnapshot(this.unstable.snapshot);
    return this.storage.snapshot();
  }

  firstIndex(): number {
    const i = this.unstable.maybeFirstIndex();
    if (i !== undefined) return i;
    return this.storage.firstIndex();
  }

  lastIndex(): number {
    const i = this.unstable.maybeLastIndex();
    if (i !== undefined) return i;
    return this.storage.lastIndex();
  }

  /** Raises committed to tocommit (never lowers it); tocommit must be in the log. */
  commitTo(tocommit: number): void {
    if (this.committed < tocommit) {
      if (this.lastIndex() < tocommit) {
        this.panic(
          `tocommit(${tocommit}) is out of range [lastIndex(${this.lastIndex()})]. Was the raft log corrupted, truncated, or lost?`,
        );
      }
      this.committed = tocommit;
    }
  }

  /** Records that the application applied everything up to i, releasing size bytes of the applying budget. */
  appliedTo(i: number, size: number): void {
    if (this.committed < i || i < this.applied) {
      this.panic(`applied(${i}) is out of range [prevApplied(${this.applied}), committed(${this.committed})]`);
    }
    this.applied = i;
    this.applying = Math.max(this.applying, i);
    if (this.applyingEntsSize > size) {
      this.applyingEntsSize -= size;
    } else {
      this.applyingEntsSize = 0;
    }
    this.applyingEntsPaused = this.applyingEntsSize >= this.maxApplyingEntsSize;
  }

  /**
   * Records that entries up to i (size bytes) were handed out for applying. Pauses
   * further hand-outs when the budget is used up, or when the hand-out stopped short
   * of what was appliable (so the next entry would not have fit).
   */
  acceptApplying(i: number, size: number, allowUnstable: boolean): void {
    if (this.committed < i) {
      this.panic(`applying(${i}) is out of range [prevApplying(${this.applying}), committed(${this.committed})]`);
    }
    this.applying = i;
    this.applyingEntsSize += size;
    this.applyingEntsPaused =
      this.applyingEntsSize >= this.maxApplyingEntsSize || i < this.maxAppliableIndex(allowUnstable);
  }

  stableTo(id: EntryID): void {
    this.unstable.stableTo(id);
  }

  stableSnapTo(i: number): void {
    this.unstable.stableSnapTo(i);
  }

  /** Marks the current unstable entries and snapshot as handed out for writing. */
  acceptUnstable(): void {
    this.unstable.acceptInProgress();
  }

  /** differs from etcd: log.go v3.7.0 has no lastTerm; kept as a convenience (= lastEntryID().term). */
  lastTerm(): number {
    return this.lastEntryID().term;
  }

  /** The ID of the last entry (or of the snapshot point when the log is empty). */
  lastEntryID(): EntryID {
    const index = this.lastIndex();
    let t: number;
    try {
      t = this.term(index);
    } catch (e) {
      if (e instanceof RaftPanic) throw e;
      this.panic(`unexpected error when getting the last term at ${index}: ${errText(e)}`);
    }
    return { term: t, index };
  }

  /**
   * The term of entry i, valid for i in [firstIndex()-1, lastIndex()].
   * Throws ErrCompacted below that range and ErrUnavailable above it.
   */
  term(i: number): number {
    // The unstable log first: if it knows i, i is in range, and Storage is not touched.
    const t = this.unstable.maybeTerm(i);
    if (t !== undefined) return t;
    // firstIndex()-1 is compacted but its term is kept for matching appends.
    if (i + 1 < this.firstIndex()) throw ErrCompacted;
    if (i > this.lastIndex()) throw ErrUnavailable;
    // Storage errors other than ErrCompacted / ErrUnavailable propagate (etcd panics).
    return this.storage.term(i);
  }

  /**
   * term(i), or undefined where term(i) throws ErrCompacted or ErrUnavailable (other
   * errors propagate). Makes the same Storage calls as term(i), without throwing on
   * the hot path: a follower asks for the term of every entry it is sent that lies
   * past its last index.
   */
  termOrUndefined(i: number): number | undefined {
    const t = this.unstable.maybeTerm(i);
    if (t !== undefined) return t;
    if (i + 1 < this.firstIndex()) return undefined;
    if (i > this.lastIndex()) return undefined;
    try {
      return this.storage.term(i);
    } catch (e) {
      if (isOutOfBounds(e)) return undefined;
      throw e;
    }
  }

  /**
   * Entries from i to the end, bounded by maxSize (at least one); a fresh array.
   * Throws ErrCompacted. When i > lastIndex() (nothing to send, the common answer
   * to a leader's probe), the shared frozen noEntries, like etcd's nil.
   */
  entries(i: number, maxSize: number): Entry[] {
    if (i > this.lastIndex()) return noEntries;
    return this.slice(i, this.lastIndex() + 1, maxSize);
  }

  /** Every entry in the log. */
  allEntries(): Entry[] {
    for (;;) {
      try {
        return this.entries(this.firstIndex(), noLimit);
      } catch (e) {
        // A compaction raced with us: try again.
        if (e === ErrCompacted) continue;
        throw e;
      }
    }
  }

  /** Whether a log ending at `their` is at least as up-to-date as ours (later last term, or same term and not shorter). */
  isUpToDate(their: EntryID): boolean {
    const our = this.lastEntryID();
    return their.term > our.term || (their.term === our.term && their.index >= our.index);
  }

  /** Whether our log has an entry at id.index with term id.term. */
  matchTerm(id: EntryID): boolean {
    return this.termOrUndefined(id.index) === id.term;
  }

  /** Commits up to at.index if our entry there has term at.term (never for term 0). */
  maybeCommit(at: EntryID): boolean {
    return this.maybeCommitAt(at.term, at.index);
  }

  /** maybeCommit without the EntryID object (raft asks on every append acknowledgement). */
  maybeCommitAt(term: number, index: number): boolean {
    // Mutant old-term-commit: an index replicated by a quorum commits whatever its entry's term.
    if (term !== 0 && index > this.committed && (mutation.oldTermCommit || this.termOrUndefined(index) === term)) {
      this.commitTo(index);
      return true;
    }
    return false;
  }

  /** Resets the log to the snapshot: committed = its index, unstable holds only the snapshot. */
  restore(s: Snapshot): void {
    this.logger.info(
      `log [${this.toString()}] starts to restore snapshot [index: ${s.metadata.index}, term: ${s.metadata.term}]`,
    );
    this.committed = s.metadata.index;
    this.unstable.restore(s);
  }

  /**
   * Passes the entries [lo, hi) to v in consecutive pages of at most pageSize bytes
   * (a single larger entry forms a page of its own). The range must exist; errors
   * (ErrCompacted, or one thrown by v to stop early) propagate to the caller.
   *
   * differs from etcd: v signals "stop" by throwing (etcd: returning an error), and
   * scan throws instead of returning an error.
   */
  scan(lo: number, hi: number, pageSize: number, v: (ents: Entry[]) => void): void {
    while (lo < hi) {
      const ents = this.slice(lo, hi, pageSize);
      if (ents.length === 0) throw new Error(`got 0 entries in [${lo}, ${hi})`);
      v(ents);
      lo += ents.length;
    }
  }

  /**
   * The entries [lo, hi), cut to at most maxSize encoded bytes but at least one
   * entry; a fresh array. Throws ErrCompacted if lo is before firstIndex().
   */
  slice(lo: number, hi: number, maxSize: number): Entry[] {
    this.mustCheckOutOfBounds(lo, hi);
    if (lo === hi) return [];
    const offset = this.unstable.offset;
    if (lo >= offset) {
      // unstable.slice returns a fresh array, so handing out limitSize's result is safe.
      return limitSize(this.unstable.slice(lo, hi), maxSize);
    }

    const cut = Math.min(hi, offset);
    let ents: Entry[];
    try {
      ents = this.storage.entries(lo, cut, maxSize);
    } catch (e) {
      if (e === ErrCompacted) throw e;
      if (e === ErrUnavailable) this.panic(`entries[${lo}:${cut}) is unavailable from storage`);
      throw e;
    }
    if (hi <= offset) return ents;

    // Storage stopped short of cut: the size limit is already reached.
    if (ents.length < cut - lo) return ents;
    const size = entsSize(ents);
    if (size >= maxSize) return ents;

    const unstable = limitSize(this.unstable.slice(offset, hi), maxSize - size);
    // limitSize keeps one entry even if it alone exceeds the budget; drop it then.
    if (unstable.length === 1 && size + entsSize(unstable) > maxSize) return ents;
    return ents.concat(unstable);
  }

  /**
   * Checks firstIndex() <= lo <= hi <= lastIndex()+1: throws ErrCompacted if lo is
   * below firstIndex(), panics on a reversed range or hi past the end.
   */
  mustCheckOutOfBounds(lo: number, hi: number): void {
    if (lo > hi) this.panic(`invalid slice ${lo} > ${hi}`);
    const fi = this.firstIndex();
    if (lo < fi) throw ErrCompacted;
    const length = this.lastIndex() + 1 - fi;
    if (hi > fi + length) {
      this.panic(`slice[${lo},${hi}) out of bound [${fi},${this.lastIndex()}]`);
    }
  }

  /**
   * The term computed by getTerm, or 0 if it throws ErrCompacted / ErrUnavailable.
   *
   * differs from etcd: Go passes term(i)'s (term, error) pair; ours takes a thunk,
   * because term(i) throws: `log.zeroTermOnOutOfBounds(() => log.term(i))`.
   */
  zeroTermOnOutOfBounds(getTerm: () => number): number {
    try {
      return getTerm();
    } catch (e) {
      if (isOutOfBounds(e)) return 0;
      if (e instanceof RaftPanic) throw e;
      this.panic(`unexpected error (${errText(e)})`);
    }
  }

  private panic(msg: string): never {
    this.logger.panic(msg);
    // Unreachable with a conforming Logger; guards against one whose panic returns.
    throw new RaftPanic(msg);
  }
}

/** A log over storage, without a bound on entries handed out for applying. */
export function newLog(storage: Storage, logger: Logger): RaftLog {
  return newLogWithSize(storage, logger, noLimit);
}

/** A log over storage; at most maxApplyingEntsSize bytes of entries are handed out for applying at a time. */
export function newLogWithSize(storage: Storage, logger: Logger, maxApplyingEntsSize: number): RaftLog {
  return new RaftLog(storage, logger, maxApplyingEntsSize);
}

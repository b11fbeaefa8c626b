// The durable state of one node: what raftexample keeps in its WAL and snap
// directory. The scheduler keeps a node's Disk on the main thread and applies the
// DiskWrite of every Ready cycle to it, so a crash (terminating the host) cannot take
// it; a restart rebuilds the node from it alone.
//
// Semantics are those of etcd's WAL as seen on replay:
//  - a HardState write replaces the previous one;
//  - a received snapshot is saved before the entries of the same write, and replaces
//    the whole log (as MemoryStorage.applySnapshot does);
//  - appending entries starting at index i first discards every entry from i on
//    (a new leader overwrote the uncommitted tail);
//  - a node's own snapshot (taken after applying) becomes the snapshot, and entries
//    up to its index are dropped.
// Invariant: entries are contiguous and all come after snapshot.metadata.index.
// (etcd's WAL physically keeps older records until it is purged, but replaying it
// from the newest snapshot yields exactly this state.)
//
// Entry and snapshot objects are shared, never mutated: like raft, the disk treats
// them as immutable values.

import { MemoryStorage } from '../raft/storage';
import { newHardState, newSnapshot } from '../raft/raftpb/types';
import type { Entry, HardState, Snapshot } from '../raft/raftpb/types';
import type { DiskState, DiskWrite } from './protocol';

/** An empty disk: nothing was ever written. */
export function emptyDiskState(): DiskState {
  return { hardState: newHardState(), snapshot: newSnapshot(), entries: [] };
}

function cloneState(s: DiskState): DiskState {
  return { hardState: { ...s.hardState }, snapshot: s.snapshot, entries: s.entries.slice() };
}

export class Disk {
  /** The current durable state. Read it freely; change it only through apply(). */
  state: DiskState;

  constructor(initial?: DiskState) {
    this.state = initial === undefined ? emptyDiskState() : cloneState(initial);
  }

  /** True if nothing was ever written. */
  isEmpty(): boolean {
    const s = this.state;
    return (
      s.entries.length === 0 &&
      s.snapshot.metadata.index === 0 &&
      s.hardState.term === 0 &&
      s.hardState.vote === 0 &&
      s.hardState.commit === 0
    );
  }

  /** Index of the last entry on disk (the snapshot's index when there are no entries). */
  lastIndex(): number {
    const e = this.state.entries;
    return e.length > 0 ? e[e.length - 1]!.index : this.state.snapshot.metadata.index;
  }

  /** Applies one write, in WAL order: snapshot, hard state, entries, then own snapshot. */
  apply(w: DiskWrite): void {
    if (w.snapshot !== undefined && w.snapshot.metadata.index > 0) this.saveSnapshot(w.snapshot, true);
    if (w.hardState !== undefined) this.setHardState(w.hardState);
    if (w.entries.length > 0) this.append(w.entries);
    if (w.ownSnapshot !== undefined) this.saveSnapshot(w.ownSnapshot.snapshot, false);
  }

  setHardState(hs: HardState): void {
    this.state.hardState = { term: hs.term, vote: hs.vote, commit: hs.commit };
  }

  /**
   * Saves a snapshot. A received one (replaceLog) discards the whole log; an own one
   * only drops the entries it covers. A snapshot not newer than the saved one is ignored
   * (the WAL would hold it, but replay starts from the newest).
   */
  saveSnapshot(snap: Snapshot, replaceLog: boolean): void {
    const cur = this.state.snapshot.metadata.index;
    const idx = snap.metadata.index;
    if (idx <= cur) return;
    this.state.snapshot = snap;
    this.state.entries = replaceLog ? [] : this.state.entries.filter((e) => e.index > idx);
  }

  /**
   * Appends contiguous entries; the log is first truncated from the first entry's
   * index on. Entries at or before the snapshot index are skipped. Throws if the
   * entries would leave a gap after the last index (a bug in the caller).
   */
  append(entries: readonly Entry[]): void {
    const snapIndex = this.state.snapshot.metadata.index;
    let ents = entries;
    const first = ents[0];
    if (first === undefined) return;
    if (first.index <= snapIndex) {
      ents = ents.slice(snapIndex + 1 - first.index);
      if (ents.length === 0) return;
    }
    for (let i = 1; i < ents.length; i++) {
      if (ents[i]!.index !== ents[i - 1]!.index + 1) {
        throw new Error(`disk: non-contiguous append (${ents[i - 1]!.index} then ${ents[i]!.index})`);
      }
    }
    const at = ents[0]!.index;
    const last = this.lastIndex();
    if (at > last + 1) throw new Error(`disk: append at ${at} leaves a gap after last index ${last}`);
    const log = this.state.entries;
    // Keep the entries before `at`; the log is contiguous from snapIndex+1.
    const keep = at - (snapIndex + 1);
    this.state.entries = log.slice(0, keep).concat(ents);
  }

  /** An independent copy (entries shared, arrays copied). */
  clone(): Disk {
    return new Disk(this.state);
  }

  /**
   * A MemoryStorage holding exactly this durable state, as raftexample's replayWAL
   * builds it: apply the snapshot, set the hard state, append the entries.
   */
  toStorage(): MemoryStorage {
    return diskStateToStorage(this.state);
  }
}

/** See Disk.toStorage. */
export function diskStateToStorage(s: DiskState): MemoryStorage {
  const ms = new MemoryStorage();
  // A fresh MemoryStorage accepts any snapshot, including the empty one.
  if (s.snapshot.metadata.index > 0) ms.applySnapshot(s.snapshot);
  ms.setHardState(s.hardState);
  ms.append(s.entries.slice());
  return ms;
}

// Shared log entries for checkpoints.
//
// A 9-node run holds the same committed entries ten times over at any moment (each
// host's MemoryStorage and each Disk), and a checkpoint every few dozen steps would
// copy all of them again. Entries are immutable values, so checkpoints refer to them
// by number instead:
//
//   EntryTable (main thread, one per run)  eid -> the one canonical Entry object.
//     intern(e) finds an equal entry by (index, term) plus a content check (type and
//     data bytes), so two nodes' copies of entry 42 share one eid, while a buggy run
//     (a mutant) with two different entries at the same (index, term) gets two eids.
//   EntryCache (inside each host process: a Web Worker, a worker_thread, or an
//     in-process stand-in)  the entries that process holds, by eid.
//   EntryChannel (main thread, one per host process)  which eids the process holds.
//
// A checkpoint of a host sends an entry the process does not know by eid in full (the
// main thread interns it and tells the process its eid with `learn`, so it goes by
// number from then on); a restore sends only the entries the process lacks. A log of
// 10,000 entries thus crosses postMessage as a few (eid, length) runs.
//
// Entries at index 0 (proposals not yet in a log, which raft stamps in place when it
// appends them) are never interned: they travel inline.
//
// Large byte arrays (snapshot data: the whole key-value store) are immutable values too,
// found in every host's storage and on every disk: they are interned the same way, by
// length and content, and share the eid numbering.
//
// Runs: a list of entries is written as flat pairs [eid, count, eid, count, ...]
// meaning eid, eid+1, ..., eid+count-1. Entries first interned in log order get
// consecutive eids, so a whole log is usually one or a few runs.

import type { Entry } from '../raft/raftpb/types';

let nextTableId = 1;

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameEntry(a: Entry, b: Entry): boolean {
  return a.index === b.index && a.term === b.term && a.type === b.type && bytesEqual(a.data, b.data);
}

/** What the table holds: log entries, and large byte arrays. */
export type Interned = Entry | Uint8Array;

/** Byte arrays this long or longer are interned (shorter ones cost less inline than by number). */
export const minInternedBytes = 256;

/** Whether a value can be interned (see the header: index-0 entries may still be stamped). */
export function internable(v: Interned): boolean {
  return v instanceof Uint8Array ? v.length >= minInternedBytes : v.index > 0;
}

/** FNV-1a 32 of some bytes (a bucket key for interning byte arrays). */
function hash32(b: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h >>> 0;
}

/** The canonical entries (and byte arrays) of one run, by eid (main thread). */
export class EntryTable {
  /** Distinguishes tables, so that a host process can drop a cache that belongs to another run. */
  readonly id = nextTableId++;
  readonly entries: Interned[] = [];
  /** eids by (index, term) for entries, by (length, hash) for byte arrays: normally one, more on collisions. */
  private readonly byKey = new Map<number, number | number[]>();
  /** Objects already looked up (copies from hosts, canonical ones), to skip the content check. */
  private readonly known = new WeakMap<Interned, number>();

  get size(): number {
    return this.entries.length;
  }

  /** The eid of a value equal to v, adding v (as the canonical object) if there is none. */
  intern(v: Interned): number {
    const k = this.known.get(v);
    if (k !== undefined) return k;
    if (!internable(v)) throw new Error('entry table: this value cannot be interned');
    const blob = v instanceof Uint8Array;
    // Entries: one number per (index, term); byte arrays: a negative number per (length, hash).
    const key = blob ? -1 - (v.length * 4294967296 + hash32(v)) : v.index * 65536 + (v.term % 65536);
    const same = (eid: number): boolean => {
      const c = this.entries[eid]!;
      return blob
        ? c instanceof Uint8Array && bytesEqual(c, v)
        : !(c instanceof Uint8Array) && sameEntry(c, v as Entry);
    };
    const at = this.byKey.get(key);
    let eid: number | undefined;
    if (typeof at === 'number') {
      if (same(at)) eid = at;
    } else if (at !== undefined) {
      for (const c of at) if (same(c)) eid = c;
    }
    if (eid === undefined) {
      eid = this.entries.length;
      this.entries.push(v);
      if (at === undefined) this.byKey.set(key, eid);
      else if (typeof at === 'number') this.byKey.set(key, [at, eid]);
      else at.push(eid);
    }
    this.known.set(v, eid);
    return eid;
  }

  /** The eid of this very object, if it was interned or looked up before (no content check). */
  lookup(v: Interned): number | undefined {
    return this.known.get(v);
  }

  get(eid: number): Interned {
    const e = this.entries[eid];
    if (e === undefined) throw new Error(`entry table: no entry ${eid}`);
    return e;
  }

  /** The canonical entries (or byte arrays) a list of runs names. */
  entriesOf(runs: readonly number[]): Entry[] {
    return sliceRunsOf(this.entries, runs, 'entry table') as Entry[];
  }
}

/**
 * The values `runs` names in a dense array by eid. One pass that only appends: a log
 * interned out of order has hundreds of runs, and concatenating a slice per run copied
 * the growing list once per run.
 */
export function sliceRunsOf(
  byEid: readonly (Interned | undefined)[],
  runs: readonly number[],
  who: string,
): Interned[] {
  const out: Interned[] = [];
  for (let i = 0; i < runs.length; i += 2) {
    const first = runs[i]!;
    const end = first + runs[i + 1]!;
    for (let eid = first; eid < end; eid++) {
      const v = byEid[eid];
      if (v === undefined) throw new Error(`${who}: entries ${first}..${end - 1} are not all here`);
      out.push(v);
    }
  }
  return out;
}

/** Appends eid to a run list, extending the last run when it follows on. */
export function pushRun(runs: number[], eid: number): void {
  const n = runs.length;
  if (n >= 2 && runs[n - 2]! + runs[n - 1]! === eid) runs[n - 1]!++;
  else runs.push(eid, 1);
}

/** Calls f for every eid of a run list, in order. */
export function forEachRun(runs: readonly number[], f: (eid: number) => void): void {
  for (let i = 0; i < runs.length; i += 2) {
    const first = runs[i]!;
    const n = runs[i + 1]!;
    for (let j = 0; j < n; j++) f(first + j);
  }
}

/** Number of entries a run list names. */
export function runLength(runs: readonly number[]): number {
  let n = 0;
  for (let i = 1; i < runs.length; i += 2) n += runs[i]!;
  return n;
}

/** The entries of one table that a process holds: values by eid, and eids by value. */
export class HeldEntries {
  /** By eid (dense: a process sees most of a run's entries). */
  readonly byEid: (Interned | undefined)[] = [];
  readonly eidOf = new WeakMap<Interned, number>();
}

/** Where a cache finds the entries it holds of a table (see sharedEntries.ts); by default its own. */
export interface HeldEntriesSource {
  forTable(tableId: number): HeldEntries;
}

/**
 * The entries one host process holds (lives in the process). Entries it received in a
 * restore, and entries whose eid the main thread told it (learn), go by eid; the
 * others are sent in full and wait in `pending` for their eids.
 */
export class EntryCache {
  tableId = 0;
  private held = new HeldEntries();
  /** Values sent in full by the last checkpoint, in the order their eids will come back. */
  pending: Interned[] = [];

  constructor(private readonly source?: HeldEntriesSource) {}

  /** Switches to another table (another run): the entries held are that table's. */
  use(tableId: number): void {
    if (tableId === this.tableId) return;
    this.tableId = tableId;
    this.held = this.source?.forTable(tableId) ?? new HeldEntries();
    this.pending = [];
  }

  eid(v: Interned): number | undefined {
    return this.held.eidOf.get(v);
  }

  add(eid: number, v: Interned): void {
    const byEid = this.held.byEid;
    while (byEid.length < eid) byEid.push(undefined);
    byEid[eid] = v;
    this.held.eidOf.set(v, eid);
  }

  get(eid: number): Interned {
    const e = this.held.byEid[eid];
    if (e === undefined) throw new Error(`restore: entry ${eid} was not sent to this process`);
    return e;
  }

  /** The values a list of runs names. */
  list(runs: readonly number[]): Interned[] {
    return sliceRunsOf(this.held.byEid, runs, 'restore');
  }

  /** Takes in what the main thread sent along with runs of `tableId` (see EntryChannel.missing). */
  receive(tableId: number, missing: readonly (number | Interned)[]): void {
    this.use(tableId);
    for (let i = 0; i < missing.length; i += 2) this.add(missing[i] as number, missing[i + 1] as Interned);
  }

  /** The eids of the last checkpoint's pending values, in order. */
  learn(tableId: number, eids: readonly number[]): void {
    if (tableId !== this.tableId) return;
    const p = this.pending;
    this.pending = [];
    if (eids.length !== p.length) throw new Error(`entry cache: ${eids.length} eids for ${p.length} pending entries`);
    for (let i = 0; i < p.length; i++) this.add(eids[i]!, p[i]!);
  }

  get size(): number {
    return this.held.byEid.length;
  }
}

/** Which eids of which table a host process holds (main thread; one per process). */
export class EntryChannel {
  private has = new Uint8Array(1024);
  /**
   * The table the process's cache belongs to: every call that makes the process use a
   * table (a checkpoint, a restore, a boot by eid) passes through `use` here too.
   */
  table: EntryTable | undefined;

  use(table: EntryTable): void {
    if (table === this.table) return;
    this.table = table;
    this.has = new Uint8Array(Math.max(1024, table.size));
  }

  mark(table: EntryTable, eid: number): void {
    this.use(table);
    if (eid >= this.has.length) {
      const grown = new Uint8Array(Math.max(eid + 1, this.has.length * 2));
      grown.set(this.has);
      this.has = grown;
    }
    this.has[eid] = 1;
  }

  holds(table: EntryTable, eid: number): boolean {
    this.use(table);
    return eid < this.has.length && this.has[eid] === 1;
  }

  /**
   * The values of `runs` that the process does not hold yet, as [eid, value, eid, value,
   * ...], marked as held from now on (the caller sends them along with the runs).
   */
  missing(table: EntryTable, runs: readonly number[]): (number | Interned)[] {
    const out: (number | Interned)[] = [];
    forEachRun(runs, (eid) => {
      if (this.holds(table, eid)) return;
      this.mark(table, eid);
      out.push(eid, table.get(eid));
    });
    return out;
  }
}

/**
 * The runs of a log that changes a little between checkpoints (a Disk's entries): the
 * part that is still the same entry objects as last time, aligned by index, keeps its
 * runs, and only the rest is interned. A 10,000-entry log costs a pass of identity
 * comparisons instead of 10,000 lookups.
 */
export class LogRuns {
  private last: readonly Entry[] = [];
  private lastRuns: number[] = [];

  of(table: EntryTable, ents: readonly Entry[]): number[] {
    const old = this.last;
    let p = 0;
    let runs: number[] = [];
    const first = ents[0];
    const oldFirst = old[0];
    if (first !== undefined && oldFirst !== undefined) {
      // old[shift + i] is at the same index as ents[i] (logs are contiguous by index).
      const shift = first.index - oldFirst.index;
      if (shift >= 0) {
        while (p < ents.length && p + shift < old.length && ents[p] === old[p + shift]) p++;
        runs = sliceRuns(this.lastRuns, shift, p);
      }
    }
    for (let i = p; i < ents.length; i++) pushRun(runs, table.intern(ents[i]!));
    this.last = ents;
    this.lastRuns = runs;
    return runs;
  }

  /** Remembers that `ents` has these runs (after a restore built it from them). */
  seed(ents: readonly Entry[], runs: number[]): void {
    this.last = ents;
    this.lastRuns = runs;
  }
}

/** The runs naming entries [skip, skip + take) of a run list. */
function sliceRuns(runs: readonly number[], skip: number, take: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs.length && take > 0; i += 2) {
    let first = runs[i]!;
    let n = runs[i + 1]!;
    if (skip >= n) {
      skip -= n;
      continue;
    }
    first += skip;
    n -= skip;
    skip = 0;
    const k = Math.min(n, take);
    out.push(first, k);
    take -= k;
  }
  return out;
}

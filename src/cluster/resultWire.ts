// Long entry lists of cycle records go back to the main thread by eid.
//
// A node restarted from a disk of 20,000 entries re-applies them all in its first Ready
// cycle, and the cycle record carries them (ready.committedEntries). Copying them out
// of the host process cost as much as applying them. The host's entries came from the
// process's EntryCache (a restore or a boot by eid), so the process can name them by
// eid instead, and the main thread takes the canonical entries of its EntryTable, which
// are equal (the same index, term, type and data). Everything else in the record is
// copied as before; a list with one entry the process cannot name goes in full.
//
// Only between a process and the pool runtime that owns it: the scheduler always sees
// plain records.

import type { Entry } from '../raft/raftpb/types';
import { pushRun, type EntryCache, type EntryTable } from './entryTable';
import type { CycleRecord, HostResult } from './protocol';

/** Lists shorter than this go in full (naming them costs about as much as copying). */
export const minListByEid = 64;

/** What a record on the wire carries instead of its long lists (absent: nothing replaced). */
interface ByEid {
  tableId: number;
  /** ready.committedEntries as eid runs. */
  committed?: number[];
  /** ready.entries as eid runs; persisted.entries is the same list when `persistedSame`. */
  entries?: number[];
  persistedSame?: boolean;
}

type WireRecord = CycleRecord & { byEid?: ByEid };

/** The eid runs of a list, if it is long and the cache names every entry. */
function runsOf(list: readonly Entry[], cache: EntryCache): number[] | undefined {
  if (list.length < minListByEid) return undefined;
  const runs: number[] = [];
  for (const e of list) {
    const eid = cache.eid(e);
    if (eid === undefined) return undefined;
    pushRun(runs, eid);
  }
  return runs;
}

/** In the process: results with long known lists replaced by runs (new objects; the host's are untouched). */
export function encodeResults(results: HostResult[], cache: EntryCache): HostResult[] {
  if (cache.tableId === 0) return results;
  let out: HostResult[] | undefined;
  results.forEach((r, i) => {
    if (r.kind !== 'cycles') return;
    let records: WireRecord[] | undefined;
    r.records.forEach((rec, j) => {
      const committed = runsOf(rec.ready.committedEntries, cache);
      const entries = runsOf(rec.ready.entries, cache);
      if (committed === undefined && entries === undefined) return;
      const byEid: ByEid = { tableId: cache.tableId };
      const ready = { ...rec.ready };
      const wire: WireRecord = { ...rec, ready, byEid };
      if (committed !== undefined) {
        byEid.committed = committed;
        ready.committedEntries = [];
      }
      if (entries !== undefined) {
        byEid.entries = entries;
        ready.entries = [];
        if (rec.persisted !== undefined && rec.persisted.entries === rec.ready.entries) {
          byEid.persistedSame = true;
          wire.persisted = { ...rec.persisted, entries: [] };
        }
      }
      (records ??= r.records.slice())[j] = wire;
    });
    if (records !== undefined) (out ??= results.slice())[i] = { ...r, records };
  });
  return out ?? results;
}

/** On the main thread: the lists put back from `table` (the table the process's cache belongs to). */
export function decodeResults(results: HostResult[], table: EntryTable | undefined): HostResult[] {
  for (const r of results) {
    if (r.kind !== 'cycles') continue;
    for (const rec of r.records as WireRecord[]) {
      const b = rec.byEid;
      if (b === undefined) continue;
      if (table === undefined || table.id !== b.tableId)
        throw new Error(`host result: entries of table ${b.tableId}, but the process is on ${table?.id ?? 'none'}`);
      delete rec.byEid;
      if (b.committed !== undefined) rec.ready.committedEntries = table.entriesOf(b.committed);
      if (b.entries !== undefined) {
        rec.ready.entries = table.entriesOf(b.entries);
        if (b.persistedSame === true) rec.persisted!.entries = rec.ready.entries;
      }
    }
  }
  return results;
}

// Long entry lists cross between the main thread and a host process by eid.
//
// A node restarted from a disk of 20,000 entries re-applies them all in its first Ready
// cycle, and the cycle record carries them (ready.committedEntries); a node back from a
// partition receives thousands of entries in one MsgApp, persists them and applies
// them. Each list was copied by structured clone on every crossing (the leader's record,
// the follower's step command, the follower's record), which cost more than the raft
// work. A process names the entries its EntryCache holds by eid, and the main thread
// takes the canonical entries of its EntryTable, which are equal (the same index, term,
// type and data); the main thread names entries of a step command's messages by eid
// when its EntryChannel says the process holds them. Entries the other side cannot
// name (the newest, not yet interned) go in full at their places; a list with fewer
// than `minNamed` nameable entries goes in full, as does everything else.
//
// Only between a process and the pool runtime that owns it: the scheduler and the host
// always see plain commands and records.

import type { Entry, Message } from '../raft/raftpb/types';
import { pushRun, type EntryCache, type EntryChannel, type EntryTable } from './entryTable';
import type { CycleRecord, HostCommand, HostResult } from './protocol';

/** Lists with fewer nameable entries than this go in full (naming costs about as much as copying). */
export const minNamed = 64;

/**
 * A list on the wire: runs [eid, count, ...] in list order, where a run with eid -1
 * stands for the next `count` entries of `inline`.
 */
export interface NamedList {
  runs: number[];
  inline: Entry[];
}

/** How many entries of a NamedList go by eid. */
export function namedCount(l: NamedList): number {
  let n = 0;
  for (let i = 0; i < l.runs.length; i += 2) if (l.runs[i] !== -1) n += l.runs[i + 1]!;
  return n;
}

/** A list as eid runs, where `eidOf` names at least minNamed of its entries; else undefined. */
function nameList(list: readonly Entry[], eidOf: (e: Entry) => number | undefined): NamedList | undefined {
  if (list.length < minNamed) return undefined;
  const runs: number[] = [];
  const inline: Entry[] = [];
  for (const e of list) {
    const eid = eidOf(e);
    if (eid !== undefined) {
      pushRun(runs, eid);
      continue;
    }
    inline.push(e);
    const n = runs.length;
    if (n >= 2 && runs[n - 2] === -1) runs[n - 1]!++;
    else runs.push(-1, 1);
  }
  return list.length - inline.length >= minNamed ? { runs, inline } : undefined;
}

/** The list a NamedList stands for; `named(runs)` gives the entries of runs without -1. */
function unname(l: NamedList, named: (runs: readonly number[]) => Entry[]): Entry[] {
  const out: Entry[] = [];
  let k = 0;
  const r = l.runs;
  for (let i = 0; i < r.length; i += 2) {
    const n = r[i + 1]!;
    if (r[i] === -1) for (let j = 0; j < n; j++) out.push(l.inline[k++]!);
    else for (const e of named([r[i]!, n])) out.push(e);
  }
  return out;
}

/** What a record on the wire carries instead of its long lists (absent: nothing replaced). */
interface ByEid {
  tableId: number;
  committed?: NamedList;
  /** ready.entries; persisted.entries is the same list when `persistedSame`. */
  entries?: NamedList;
  persistedSame?: boolean;
  /** Messages of `sent` whose entries go named: [message index, list]. */
  sent?: [number, NamedList][];
}

type WireRecord = CycleRecord & { byEid?: ByEid };

/** In the process: results with long nameable lists replaced (new objects; the host's are untouched). */
export function encodeResults(results: HostResult[], cache: EntryCache): HostResult[] {
  if (cache.tableId === 0) return results;
  const eidOf = (e: Entry): number | undefined => cache.eid(e);
  let out: HostResult[] | undefined;
  results.forEach((r, i) => {
    if (r.kind !== 'cycles') return;
    let records: WireRecord[] | undefined;
    r.records.forEach((rec, j) => {
      const committed = nameList(rec.ready.committedEntries, eidOf);
      const entries = nameList(rec.ready.entries, eidOf);
      const sent = messagesByEid(rec.sent, (list) => nameList(list, eidOf));
      if (committed === undefined && entries === undefined && sent === undefined) return;
      const byEid: ByEid = { tableId: cache.tableId };
      const ready = { ...rec.ready };
      const wire: WireRecord = { ...rec, ready, byEid };
      if (sent !== undefined) {
        byEid.sent = sent.named;
        wire.sent = sent.msgs;
      }
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
      const named = (runs: readonly number[]): Entry[] => table.entriesOf(runs);
      if (b.committed !== undefined) rec.ready.committedEntries = unname(b.committed, named);
      if (b.entries !== undefined) {
        rec.ready.entries = unname(b.entries, named);
        if (b.persistedSame === true) rec.persisted!.entries = rec.ready.entries;
      }
      if (b.sent !== undefined) for (const [i, l] of b.sent) rec.sent[i]!.entries = unname(l, named);
    }
  }
  return results;
}

/**
 * The messages with their nameable entry lists emptied (copies; the originals are
 * untouched), and the lists; undefined when none was.
 */
function messagesByEid(
  msgs: Message[],
  name: (list: readonly Entry[]) => NamedList | undefined,
): { msgs: Message[]; named: [number, NamedList][] } | undefined {
  let out: { msgs: Message[]; named: [number, NamedList][] } | undefined;
  msgs.forEach((m, i) => {
    const l = name(m.entries);
    if (l === undefined) return;
    out ??= { msgs: msgs.slice(), named: [] };
    out.msgs[i] = { ...m, entries: [] };
    out.named.push([i, l]);
  });
  return out;
}

/** What a step command on the wire carries instead of its messages' long entry lists. */
type WireCommand = HostCommand & { byEid?: { tableId: number; msgs: [number, NamedList][] } };

/**
 * On the main thread: step commands whose messages carry long lists the process holds
 * (by `channel`, for the table it uses) with those lists named.
 */
export function encodeCommands(commands: HostCommand[], channel: EntryChannel): HostCommand[] {
  const table = channel.table;
  if (table === undefined) return commands;
  // Only entries already in the table: interning every new entry here would grow the
  // table with entries no checkpoint may ever need.
  const eidOf = (e: Entry): number | undefined => {
    const eid = table.lookup(e);
    return eid !== undefined && channel.holds(table, eid) ? eid : undefined;
  };
  let out: HostCommand[] | undefined;
  commands.forEach((c, i) => {
    if (c.kind !== 'step') return;
    const named = messagesByEid(c.msgs, (list) => nameList(list, eidOf));
    if (named === undefined) return;
    const wire: WireCommand = { ...c, msgs: named.msgs, byEid: { tableId: table.id, msgs: named.named } };
    (out ??= commands.slice())[i] = wire;
  });
  return out ?? commands;
}

/** In the process: the step commands' lists put back from the cache. */
export function decodeCommands(commands: HostCommand[], cache: EntryCache): HostCommand[] {
  for (const c of commands as WireCommand[]) {
    const b = c.byEid;
    if (b === undefined || c.kind !== 'step') continue;
    if (b.tableId !== cache.tableId)
      throw new Error(`host command: entries of table ${b.tableId}, but the process holds table ${cache.tableId}`);
    delete c.byEid;
    for (const [i, l] of b.msgs) c.msgs[i]!.entries = unname(l, (runs) => cache.list(runs) as Entry[]);
  }
  return commands;
}

import { describe, expect, it } from 'vitest';
import { MsgApp, newEntry, newMessage, type Entry } from '../raft/raftpb/types';
import type { Ready } from '../raft/types';
import { EntryCache, EntryChannel, EntryTable } from './entryTable';
import type { CycleRecord, HostCommand, HostResult } from './protocol';
import { decodeCommands, decodeResults, encodeCommands, encodeResults, minNamed } from './resultWire';

const bytes = (i: number): Uint8Array => new TextEncoder().encode(`put k${i}=v${i}`);

/** A table of n entries (indexes 1..n), a process cache holding copies of them, and its channel. */
function setup(n: number): { table: EntryTable; cache: EntryCache; channel: EntryChannel; held: Entry[] } {
  const table = new EntryTable();
  const channel = new EntryChannel();
  const cache = new EntryCache();
  const runs: number[] = [];
  for (let i = 1; i <= n; i++) runs.push(table.intern(newEntry({ index: i, term: 2, data: bytes(i) })), 1);
  cache.receive(table.id, structuredClone(channel.missing(table, runs)));
  return { table, cache, channel, held: cache.list(runs) as Entry[] };
}

function ready(committed: Entry[], entries: Entry[]): Ready {
  return {
    softState: undefined,
    hardState: undefined,
    readStates: [],
    entries,
    snapshot: undefined,
    committedEntries: committed,
    messages: [],
    mustSync: false,
  };
}

describe('entry lists by eid on the wire', () => {
  it('a record with held and new entries crosses named and comes back equal, with the table entries', () => {
    const { table, cache, held } = setup(150);
    // Two entries the process made itself (not in its cache) in the middle and at the end.
    const fresh = [newEntry({ index: 151, term: 3, data: bytes(151) }), newEntry({ index: 152, term: 3 })];
    const committed = [...held.slice(0, 80), fresh[0]!, ...held.slice(80), fresh[1]!];
    const toPersist = held.slice(50);
    const msg = newMessage({ type: MsgApp, to: 2, from: 1, entries: held.slice(10, 90) });
    const rec: CycleRecord = {
      node: 1,
      ready: ready(committed, toPersist),
      readyText: '',
      stagesDone: ['persist', 'send', 'apply', 'advance'],
      persisted: { entries: toPersist },
      sent: [msg, newMessage({ type: MsgApp, to: 3, from: 1, entries: held.slice(0, 3) })],
      applied: [],
      readStates: [],
      logLines: [],
    };
    const results: HostResult[] = [{ kind: 'cycles', records: [rec], logLines: [] }];
    const plain = structuredClone(results);

    const wire = structuredClone(encodeResults(results, cache));
    // The host's own objects are untouched; on the wire the long lists are empty and only
    // the two new entries travel in full.
    expect(results).toStrictEqual(plain);
    const w = (wire[0] as unknown as { records: (CycleRecord & { byEid: { committed: { inline: Entry[] } } })[] })
      .records[0]!;
    expect(w.ready.committedEntries).toEqual([]);
    expect(w.ready.entries).toEqual([]);
    expect(w.sent[0]!.entries).toEqual([]);
    expect(w.byEid.committed.inline).toStrictEqual(fresh);

    const back = decodeResults(wire, table);
    expect(back).toStrictEqual(plain);
    const r = (back[0] as { records: CycleRecord[] }).records[0]!;
    expect(r.ready.committedEntries[0]).toBe(table.get(table.lookup(table.entries[0]!)!));
    expect(r.persisted!.entries).toBe(r.ready.entries);
    // Short lists go in full; a list must have minNamed nameable entries.
    expect(r.sent[1]!.entries.length).toBeLessThan(minNamed);

    // Decoding with another table is refused, not silently wrong.
    const again = structuredClone(encodeResults(results, cache));
    expect(() => decodeResults(again, new EntryTable())).toThrow(/entries of table/);
  });

  it('a step command names the entries the process holds and gets the rest in full', () => {
    const { table, cache, channel } = setup(120);
    const canonical = table.entriesOf([0, 120]);
    const extra = newEntry({ index: 121, term: 2, data: bytes(121) });
    const msgs = [newMessage({ type: MsgApp, to: 2, from: 1, entries: [...canonical.slice(20), extra] })];
    const commands: HostCommand[] = [
      { kind: 'tick', count: 1 },
      { kind: 'step', msgs },
    ];
    const plain = structuredClone(commands);
    const wire = structuredClone(encodeCommands(commands, channel));
    expect(commands).toStrictEqual(plain);
    expect((wire[1] as { msgs: { entries: Entry[] }[] }).msgs[0]!.entries).toEqual([]);
    const back = decodeCommands(wire, cache);
    expect(back).toStrictEqual(plain);

    // A process on another table cannot take it.
    const other = new EntryCache();
    other.use(table.id + 1000);
    expect(() => decodeCommands(structuredClone(encodeCommands(commands, channel)), other)).toThrow(/entries of table/);
  });
});

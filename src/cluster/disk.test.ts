import { describe, expect, it } from 'vitest';
import { ErrCompacted } from '../raft/errors';
import { newConfState, newEntry, newSnapshot } from '../raft/raftpb/types';
import type { Entry } from '../raft/raftpb/types';
import { Disk } from './disk';

const ents = (from: number, to: number, term: number): Entry[] => {
  const out: Entry[] = [];
  for (let i = from; i <= to; i++) out.push(newEntry({ index: i, term, data: new Uint8Array([i]) }));
  return out;
};
const idx = (d: Disk) => d.state.entries.map((e) => `${e.index}/${e.term}`);

describe('Disk (WAL semantics)', () => {
  it('starts empty and records the hard state', () => {
    const d = new Disk();
    expect(d.isEmpty()).toBe(true);
    d.apply({ hardState: { term: 2, vote: 1, commit: 0 }, entries: [] });
    expect(d.isEmpty()).toBe(false);
    expect(d.state.hardState).toEqual({ term: 2, vote: 1, commit: 0 });
    d.apply({ entries: [] });
    expect(d.state.hardState).toEqual({ term: 2, vote: 1, commit: 0 });
  });

  it('appends, and an append at index i truncates the log from i on', () => {
    const d = new Disk();
    d.apply({ entries: ents(1, 5, 1) });
    expect(idx(d)).toEqual(['1/1', '2/1', '3/1', '4/1', '5/1']);
    d.apply({ entries: ents(3, 3, 2) });
    expect(idx(d)).toEqual(['1/1', '2/1', '3/2']);
    d.apply({ entries: ents(4, 6, 2) });
    expect(idx(d)).toEqual(['1/1', '2/1', '3/2', '4/2', '5/2', '6/2']);
    expect(d.lastIndex()).toBe(6);
  });

  it('refuses a gap', () => {
    const d = new Disk();
    d.apply({ entries: ents(1, 2, 1) });
    expect(() => d.apply({ entries: ents(4, 4, 1) })).toThrow(/gap/);
  });

  it('saves a received snapshot before the entries of the same write, replacing the log', () => {
    const d = new Disk();
    d.apply({ entries: ents(1, 5, 1) });
    const snap = newSnapshot({
      index: 10,
      term: 3,
      data: new Uint8Array([7]),
      confState: newConfState({ voters: [1, 2] }),
    });
    d.apply({ snapshot: snap, hardState: { term: 3, vote: 0, commit: 10 }, entries: ents(11, 12, 3) });
    expect(d.state.snapshot.metadata.index).toBe(10);
    expect(idx(d)).toEqual(['11/3', '12/3']);
    // Entries at or before the snapshot are skipped.
    d.apply({ entries: ents(9, 11, 3) });
    expect(idx(d)).toEqual(['11/3']);
    // An older snapshot is ignored.
    d.apply({ snapshot: newSnapshot({ index: 4, term: 1 }), entries: [] });
    expect(d.state.snapshot.metadata.index).toBe(10);
    expect(idx(d)).toEqual(['11/3']);
  });

  it('keeps only entries after its own snapshot', () => {
    const d = new Disk();
    d.apply({ entries: ents(1, 8, 1) });
    const snap = newSnapshot({ index: 6, term: 1, data: new Uint8Array([1]) });
    d.apply({ entries: [], ownSnapshot: { snapshot: snap, compactedTo: 3 } });
    expect(d.state.snapshot.metadata.index).toBe(6);
    expect(idx(d)).toEqual(['7/1', '8/1']);
  });

  it('clone is independent', () => {
    const d = new Disk();
    d.apply({ hardState: { term: 1, vote: 1, commit: 1 }, entries: ents(1, 2, 1) });
    const c = d.clone();
    d.apply({ hardState: { term: 2, vote: 2, commit: 2 }, entries: ents(3, 3, 2) });
    expect(c.state.hardState).toEqual({ term: 1, vote: 1, commit: 1 });
    expect(c.state.entries).toHaveLength(2);
    expect(d.state.entries).toHaveLength(3);
  });

  it('toStorage rebuilds a MemoryStorage with exactly the durable state', () => {
    const d = new Disk();
    const cs = newConfState({ voters: [1, 2, 3] });
    d.apply({
      snapshot: newSnapshot({ index: 5, term: 2, confState: cs, data: new Uint8Array([9]) }),
      entries: ents(6, 8, 2),
    });
    d.apply({ hardState: { term: 2, vote: 1, commit: 7 }, entries: [] });
    const ms = d.toStorage();
    expect(ms.firstIndex()).toBe(6);
    expect(ms.lastIndex()).toBe(8);
    expect(ms.term(5)).toBe(2);
    expect(() => ms.term(4)).toThrow(ErrCompacted);
    expect(ms.initialState().hardState).toEqual({ term: 2, vote: 1, commit: 7 });
    expect(ms.initialState().confState.voters).toEqual([1, 2, 3]);
    expect(ms.snapshot().data).toEqual(new Uint8Array([9]));
    expect(ms.entries(6, 9, Infinity).map((e) => e.index)).toEqual([6, 7, 8]);
    // An empty disk gives an empty storage.
    const empty = new Disk().toStorage();
    expect(empty.lastIndex()).toBe(0);
    expect(empty.firstIndex()).toBe(1);
  });
});

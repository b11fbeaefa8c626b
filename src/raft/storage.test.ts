import { describe, expect, it } from 'vitest';
import { ErrCompacted, ErrSnapOutOfDate, ErrUnavailable, RaftPanic } from './errors';
import { newConfState, newEntry, newSnapshot } from './raftpb/types';
import type { Entry } from './raftpb/types';
import { type MemoryStorage, newMemoryStorage } from './storage';
import { entrySize } from './util';

/** Entries at consecutive indices from `from`, with the given terms. */
function ents(from: number, ...terms: number[]): Entry[] {
  return terms.map((term, i) => newEntry({ index: from + i, term }));
}

/** A storage whose dummy entry is at index 3 (term 3), holding entries 4.. with the remaining terms. */
function storageWith(list: Entry[]): MemoryStorage {
  const s = newMemoryStorage();
  s.ents = list.slice();
  return s;
}

function ids(list: Entry[]): Array<[number, number]> {
  return list.map((e) => [e.index, e.term]);
}

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('MemoryStorage', () => {
  it('starts with only the dummy entry at (0, 0)', () => {
    const s = newMemoryStorage();
    expect(s.firstIndex()).toBe(1);
    expect(s.lastIndex()).toBe(0);
    expect(s.term(0)).toBe(0);
    expect(thrown(() => s.term(1))).toBe(ErrUnavailable);
    // The dummy entry alone: nothing is available.
    expect(thrown(() => s.entries(1, 1, Infinity))).toBe(ErrUnavailable);
    expect(thrown(() => s.entries(0, 1, Infinity))).toBe(ErrCompacted);
    const st = s.initialState();
    expect(st.hardState).toEqual({ term: 0, vote: 0, commit: 0 });
    expect(st.confState).toEqual(newConfState());
  });

  it.each([
    [2, ErrCompacted, 0],
    [3, undefined, 3],
    [4, undefined, 4],
    [5, undefined, 5],
    [6, ErrUnavailable, 0],
  ])('term(%i)', (i, werr, wterm) => {
    const s = storageWith(ents(3, 3, 4, 5));
    if (werr !== undefined) {
      expect(thrown(() => s.term(i))).toBe(werr);
    } else {
      expect(s.term(i)).toBe(wterm);
    }
  });

  describe('entries', () => {
    const list = ents(3, 3, 4, 5, 6);
    const sz = (i: number): number => entrySize(list[i]!);
    it.each<[number, number, number, Error | undefined, Array<[number, number]>]>([
      [2, 6, Infinity, ErrCompacted, []],
      [3, 4, Infinity, ErrCompacted, []],
      [4, 5, Infinity, undefined, [[4, 4]]],
      [
        4,
        6,
        Infinity,
        undefined,
        [
          [4, 4],
          [5, 5],
        ],
      ],
      [
        4,
        7,
        Infinity,
        undefined,
        [
          [4, 4],
          [5, 5],
          [6, 6],
        ],
      ],
      // Even with no budget at all, the first entry comes back.
      [4, 7, 0, undefined, [[4, 4]]],
      [
        4,
        7,
        sz(1) + sz(2),
        undefined,
        [
          [4, 4],
          [5, 5],
        ],
      ],
      [
        4,
        7,
        sz(1) + sz(2) + sz(3) / 2,
        undefined,
        [
          [4, 4],
          [5, 5],
        ],
      ],
      [
        4,
        7,
        sz(1) + sz(2) + sz(3) - 1,
        undefined,
        [
          [4, 4],
          [5, 5],
        ],
      ],
      [
        4,
        7,
        sz(1) + sz(2) + sz(3),
        undefined,
        [
          [4, 4],
          [5, 5],
          [6, 6],
        ],
      ],
    ])('entries(%i, %i, %d)', (lo, hi, maxSize, werr, want) => {
      const s = storageWith(list);
      if (werr !== undefined) {
        expect(thrown(() => s.entries(lo, hi, maxSize))).toBe(werr);
      } else {
        expect(ids(s.entries(lo, hi, maxSize))).toEqual(want);
      }
    });

    it('panics when hi is past the end', () => {
      const s = storageWith(list);
      const e = thrown(() => s.entries(4, 8, Infinity));
      expect(e).toBeInstanceOf(RaftPanic);
      expect((e as Error).message).toBe("entries' hi(8) is out of bound lastindex(6)");
    });

    it('returns an array the caller may modify without affecting the storage', () => {
      const s = storageWith(list);
      const got = s.entries(4, 6, Infinity);
      got.push(newEntry({ index: 99, term: 99 }));
      got[0] = newEntry({ index: 4, term: 42 });
      expect(s.term(4)).toBe(4);
      expect(ids(s.entries(4, 7, Infinity))).toEqual([
        [4, 4],
        [5, 5],
        [6, 6],
      ]);
    });
  });

  it('lastIndex follows appends', () => {
    const s = storageWith(ents(3, 3, 4, 5));
    expect(s.lastIndex()).toBe(5);
    s.append(ents(6, 5));
    expect(s.lastIndex()).toBe(6);
  });

  it('firstIndex follows compaction', () => {
    const s = storageWith(ents(3, 3, 4, 5));
    expect(s.firstIndex()).toBe(4);
    s.compact(4);
    expect(s.firstIndex()).toBe(5);
  });

  it.each<[number, Error | undefined, number, number, number]>([
    [2, ErrCompacted, 3, 3, 3],
    [3, ErrCompacted, 3, 3, 3],
    [4, undefined, 4, 4, 2],
    [5, undefined, 5, 5, 1],
  ])('compact(%i)', (i, werr, windex, wterm, wlen) => {
    const s = storageWith(ents(3, 3, 4, 5));
    expect(thrown(() => s.compact(i))).toBe(werr);
    expect(s.ents[0]!.index).toBe(windex);
    expect(s.ents[0]!.term).toBe(wterm);
    expect(s.ents.length).toBe(wlen);
  });

  it('compact past the end panics', () => {
    const s = storageWith(ents(3, 3, 4, 5));
    const e = thrown(() => s.compact(6));
    expect(e).toBeInstanceOf(RaftPanic);
    expect((e as Error).message).toBe('compact 6 is out of bound lastindex(5)');
  });

  it('compaction keeps the compacted entry as a data-less dummy and leaves returned arrays alone', () => {
    const s = storageWith(ents(3, 3, 4, 5).map((e) => ({ ...e, data: new Uint8Array([e.index]) })));
    const before = s.entries(4, 6, Infinity);
    s.compact(4);
    expect(s.ents[0]!.data.length).toBe(0);
    expect(s.term(4)).toBe(4);
    expect(thrown(() => s.entries(4, 5, Infinity))).toBe(ErrCompacted);
    expect(before.map((e) => e.data[0])).toEqual([4, 5]);
  });

  it.each([4, 5])('createSnapshot(%i)', (i) => {
    const s = storageWith(ents(3, 3, 4, 5));
    const cs = newConfState({ voters: [1, 2, 3] });
    const data = new TextEncoder().encode('data');
    const snap = s.createSnapshot(i, cs, data);
    expect(snap).toEqual({ data, metadata: { index: i, term: i, confState: newConfState({ voters: [1, 2, 3] }) } });
    // The snapshot keeps its own copy of the ConfState.
    cs.voters.push(4);
    expect(s.snapshot().metadata.confState.voters).toEqual([1, 2, 3]);
    // A second snapshot at or below the current one is out of date.
    expect(thrown(() => s.createSnapshot(i, cs, data))).toBe(ErrSnapOutOfDate);
    // createSnapshot does not compact.
    expect(s.firstIndex()).toBe(4);
  });

  it('createSnapshot without a ConfState keeps the previous one; past the end panics', () => {
    const s = storageWith(ents(3, 3, 4, 5));
    s.createSnapshot(4, newConfState({ voters: [7] }), new Uint8Array());
    const snap = s.createSnapshot(5, undefined, new Uint8Array([1]));
    expect(snap.metadata.confState.voters).toEqual([7]);
    const e = thrown(() => storageWith(ents(3, 3, 4, 5)).createSnapshot(6, undefined, new Uint8Array()));
    expect(e).toBeInstanceOf(RaftPanic);
    expect((e as Error).message).toBe('snapshot 6 is out of bound lastindex(5)');
  });

  it('snapshot() returns copies', () => {
    const s = newMemoryStorage();
    s.applySnapshot(newSnapshot({ index: 4, term: 2, confState: newConfState({ voters: [1] }) }));
    const a = s.snapshot();
    a.metadata.confState.voters.push(9);
    a.metadata.index = 100;
    expect(s.snapshot().metadata).toEqual({ index: 4, term: 2, confState: newConfState({ voters: [1] }) });
  });

  it.each<[string, Entry[], Array<[number, number]>]>([
    [
      'all compacted: ignored',
      ents(1, 1, 2),
      [
        [3, 3],
        [4, 4],
        [5, 5],
      ],
    ],
    [
      'identical',
      ents(3, 3, 4, 5),
      [
        [3, 3],
        [4, 4],
        [5, 5],
      ],
    ],
    [
      'conflicting suffix replaced',
      ents(3, 3, 6, 6),
      [
        [3, 3],
        [4, 6],
        [5, 6],
      ],
    ],
    [
      'extends',
      ents(3, 3, 4, 5, 5),
      [
        [3, 3],
        [4, 4],
        [5, 5],
        [6, 5],
      ],
    ],
    [
      'compacted prefix cut, then truncate and append',
      ents(2, 3, 3, 5),
      [
        [3, 3],
        [4, 5],
      ],
    ],
    [
      'truncate and append',
      ents(4, 5),
      [
        [3, 3],
        [4, 5],
      ],
    ],
    [
      'direct append',
      ents(6, 5),
      [
        [3, 3],
        [4, 4],
        [5, 5],
        [6, 5],
      ],
    ],
  ])('append: %s', (_name, toAppend, want) => {
    const s = storageWith(ents(3, 3, 4, 5));
    s.append(toAppend);
    expect(ids(s.ents)).toEqual(want);
  });

  it('append with a gap panics; empty append is a no-op', () => {
    const s = storageWith(ents(3, 3, 4, 5));
    s.append([]);
    expect(s.lastIndex()).toBe(5);
    const e = thrown(() => s.append(ents(7, 5)));
    expect(e).toBeInstanceOf(RaftPanic);
    expect((e as Error).message).toBe('missing log entry [last: 5, append at: 7]');
  });

  it('append does not alias the caller array', () => {
    const s = newMemoryStorage();
    const mine = ents(1, 1, 1);
    s.append(mine);
    mine.push(newEntry({ index: 3, term: 1 }));
    expect(s.lastIndex()).toBe(2);
  });

  describe('applySnapshot', () => {
    const cs = newConfState({ voters: [1, 2, 3] });
    const data = new TextEncoder().encode('data');

    it('replaces the log with the snapshot', () => {
      const s = newMemoryStorage();
      s.append(ents(1, 1, 1, 2));
      s.applySnapshot(newSnapshot({ data, index: 4, term: 4, confState: cs }));
      expect(s.firstIndex()).toBe(5);
      expect(s.lastIndex()).toBe(4);
      expect(s.term(4)).toBe(4);
      expect(s.initialState().confState).toEqual(cs);
      expect(s.snapshot().metadata.index).toBe(4);
    });

    it('refuses an older snapshot', () => {
      const s = newMemoryStorage();
      s.applySnapshot(newSnapshot({ data, index: 4, term: 4, confState: cs }));
      expect(thrown(() => s.applySnapshot(newSnapshot({ data, index: 3, term: 3, confState: cs })))).toBe(
        ErrSnapOutOfDate,
      );
      expect(thrown(() => s.applySnapshot(newSnapshot({ data, index: 4, term: 4, confState: cs })))).toBe(
        ErrSnapOutOfDate,
      );
    });

    it('accepts a bootstrap snapshot with index 0 carrying only a ConfState', () => {
      const s = newMemoryStorage();
      s.applySnapshot(newSnapshot({ data, confState: cs }));
      expect(s.initialState().confState).toEqual(cs);
      expect(s.lastIndex()).toBe(0);
      // ...and, while the stored snapshot index is 0, another one.
      s.applySnapshot(newSnapshot({ data, confState: newConfState({ voters: [1] }) }));
      expect(s.initialState().confState.voters).toEqual([1]);
    });
  });

  it('setHardState is reported by initialState', () => {
    const s = newMemoryStorage();
    s.setHardState({ term: 3, vote: 2, commit: 1 });
    expect(s.initialState().hardState).toEqual({ term: 3, vote: 2, commit: 1 });
  });

  it('counts calls in callStats', () => {
    const s = newMemoryStorage();
    s.firstIndex();
    s.lastIndex();
    s.lastIndex();
    s.term(0);
    s.snapshot();
    s.initialState();
    expect(s.callStats).toEqual({ initialState: 1, firstIndex: 1, lastIndex: 2, entries: 0, term: 1, snapshot: 1 });
  });
});

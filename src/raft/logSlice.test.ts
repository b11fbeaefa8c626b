import { describe, expect, it } from 'vitest';
import { LogSlice, logSlice, logSliceValid, pbEntryID } from './logSlice';
import type { EntryID } from './logSlice';
import { newEntry } from './raftpb/types';
import type { Entry } from './raftpb/types';

const id = (index: number, term: number): EntryID => ({ term, index });
const e = (index: number, term: number): Entry => newEntry({ index, term });

describe('pbEntryID', () => {
  it('takes term and index', () => {
    expect(pbEntryID(newEntry())).toEqual(id(0, 0));
    expect(pbEntryID(newEntry({ term: 1, index: 2, data: new Uint8Array([1]) }))).toEqual(id(2, 1));
    expect(pbEntryID(e(123, 10))).toEqual(id(123, 10));
  });
});

describe('LogSlice', () => {
  // term, prev, entries -> undefined if invalid, else the last entry id
  it.each<[number, EntryID, Entry[], EntryID | undefined]>([
    // the empty slice at the origin
    [0, id(0, 0), [], id(0, 0)],
    // empty, after prev: valid iff term >= prev.term
    [0, id(123, 10), [], undefined],
    [9, id(123, 10), [], undefined],
    [10, id(123, 10), [], id(123, 10)],
    [11, id(123, 10), [], id(123, 10)],
    // one entry
    [0, id(0, 0), [e(1, 1)], undefined],
    [1, id(0, 0), [e(1, 1)], id(1, 1)],
    [2, id(0, 0), [e(1, 1)], id(1, 1)],
    // several entries
    [2, id(0, 0), [e(2, 1), e(3, 1), e(4, 2)], undefined],
    [1, id(1, 1), [e(2, 1), e(3, 1), e(4, 2)], undefined],
    [2, id(1, 1), [e(2, 1), e(3, 1), e(4, 2)], id(4, 2)],
    // first entry does not follow prev
    [10, id(123, 5), [e(111, 5)], undefined],
    [10, id(123, 5), [e(124, 4)], undefined],
    [10, id(123, 5), [e(234, 6)], undefined],
    [10, id(123, 5), [e(124, 6)], id(124, 6)],
    // entries do not follow each other
    [10, id(12, 2), [e(13, 2), e(12, 2)], undefined],
    [10, id(12, 2), [e(13, 2), e(15, 2)], undefined],
    [10, id(12, 2), [e(13, 2), e(14, 1)], undefined],
    [10, id(12, 2), [e(13, 2), e(14, 3)], id(14, 3)],
  ])('%# term %i', (term, prev, entries, wantLast) => {
    const s = new LogSlice(term, prev, entries);
    if (wantLast === undefined) {
      expect(() => s.valid()).toThrow(Error);
      expect(() => logSliceValid({ term, prev, entries })).toThrow(Error);
      return;
    }
    s.valid();
    expect(s.lastEntryID()).toEqual(wantLast);
    expect(s.lastIndex()).toBe(wantLast.index);
  });

  it('explains what is wrong in Go %+v form', () => {
    expect(() => new LogSlice(10, id(12, 2), [e(13, 2), e(15, 2)]).valid()).toThrow(
      'leader term 10: entries {term:2 index:13} and {term:2 index:15} not consistent',
    );
    expect(() => new LogSlice(1, id(1, 1), [e(2, 2)]).valid()).toThrow(
      'leader term 1: entry {term:2 index:2} has a newer term',
    );
  });

  it('logSlice builds a LogSlice from plain data', () => {
    const s = logSlice({ term: 3, prev: id(4, 2), entries: [e(5, 3)] });
    expect(s).toBeInstanceOf(LogSlice);
    expect(s.lastEntryID()).toEqual(id(5, 3));
  });
});

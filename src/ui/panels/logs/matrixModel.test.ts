import { describe, expect, it } from 'vitest';
import { newEntry } from '../../../raft/raftpb/types';
import {
  buildRow,
  cellOf,
  conflictAt,
  laneMarks,
  matrixWidth,
  referenceTerms,
  scrollForIndex,
  termAt,
  type MatrixRow,
  type RowSource,
} from './matrixModel';

/** Entries from `first` on with these terms. */
function ents(first: number, terms: number[]) {
  return terms.map((term, k) => newEntry({ index: first + k, term }));
}

function src(over: Partial<RowSource> & { id: number; terms: number[] }): RowSource {
  const { terms, ...rest } = over;
  const diskSnapIndex = rest.diskSnapIndex ?? 0;
  const last = diskSnapIndex + terms.length;
  const entries = ents(diskSnapIndex + 1, terms);
  return {
    firstIndex: diskSnapIndex + 1,
    lastIndex: last,
    persistedLastIndex: last,
    commit: 0,
    applied: 0,
    diskSnapIndex,
    diskSnapTerm: 0,
    // As Cluster.diskEntryTerm: the disk's entry at an index, by offset from the first.
    diskTerm: (i) => entries.find((e) => e.index === i)?.term,
    ...rest,
  };
}

describe('log matrix rows', () => {
  it('knows the term of persisted entries, of the snapshot index, and not of unstable ones', () => {
    const r = buildRow(src({ id: 1, terms: [2, 3, 3], diskSnapIndex: 4, diskSnapTerm: 2, lastIndex: 9 }));
    expect(r.snapIndex).toBe(4);
    expect(termAt(r, 4)).toBe(2);
    expect(termAt(r, 3)).toBeUndefined(); // inside the snapshot: gone
    expect([5, 6, 7].map((i) => termAt(r, i))).toEqual([2, 3, 3]);
    expect(r.persistedLastIndex).toBe(7);
    expect(termAt(r, 8)).toBeUndefined(); // unstable
    expect(cellOf(r, 8, undefined, undefined)).toMatchObject({ kind: 'entry', term: undefined, persisted: false });
    expect(cellOf(r, 10, undefined, undefined).kind).toBe('none');
    expect(cellOf(r, 2, undefined, undefined).kind).toBe('snapshot');
  });

  it("draws raft's own compaction as part of the snapshot block", () => {
    // raft compacted to 6 (firstIndex 7) while the disk's snapshot is at 3.
    const r = buildRow(src({ id: 2, terms: [1, 1, 2, 2, 2], diskSnapIndex: 3, diskSnapTerm: 1, firstIndex: 7 }));
    expect(r.snapIndex).toBe(6);
    expect(r.snapTerm).toBe(2);
    expect(termAt(r, 7)).toBe(2);
    expect(termAt(r, 5)).toBeUndefined();
  });

  it('marks committed and applied as the node sees them', () => {
    const r = buildRow(src({ id: 1, terms: [1, 1, 1, 1], commit: 3, applied: 2 }));
    expect([1, 2, 3, 4].map((i) => cellOf(r, i, undefined, undefined)).map((c) => [c.committed, c.applied])).toEqual([
      [true, true],
      [true, true],
      [true, false],
      [false, false],
    ]);
  });
});

describe('conflicting suffixes', () => {
  // The Raft paper's Figure 7 in small: the leader (term 3) and a follower that kept
  // an uncommitted term-2 suffix from an old leader, and one that has extra entries.
  const leader = buildRow(src({ id: 1, terms: [1, 1, 3, 3], commit: 2 }));
  const stale = buildRow(src({ id: 2, terms: [1, 1, 2, 2, 2], commit: 2 }));
  const behind = buildRow(src({ id: 3, terms: [1, 1], commit: 2 }));
  const rows = [leader, stale, behind];

  it("takes the leader's terms as the reference", () => {
    expect(referenceTerms(rows, leader, 1, 7)).toEqual([1, 1, 3, 3, undefined, undefined]);
  });

  it("marks entries whose term differs from the leader's, and those past the leader's last index", () => {
    const ref = referenceTerms(rows, leader, 1, 6);
    const marks = [1, 2, 3, 4, 5].map((i) => conflictAt(stale, i, ref[i - 1], leader));
    expect(marks).toEqual([undefined, undefined, 'term', 'term', 'beyond-leader']);
    expect([1, 2, 3, 4].map((i) => conflictAt(leader, i, ref[i - 1], leader))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    // A shorter log is behind, not conflicting.
    expect([1, 2].map((i) => conflictAt(behind, i, ref[i - 1], leader))).toEqual([undefined, undefined]);
  });

  it('without a leader, compares with committed entries only', () => {
    const a = buildRow(src({ id: 1, terms: [1, 2, 2], commit: 2 }));
    const b = buildRow(src({ id: 2, terms: [1, 3, 3], commit: 1 }));
    const ref = referenceTerms([a, b], undefined, 1, 4);
    expect(ref).toEqual([1, 2, undefined]);
    expect(conflictAt(b, 2, ref[1], undefined)).toBe('term');
    // Index 3 is committed nowhere: the two uncommitted entries cannot be judged.
    expect(conflictAt(b, 3, ref[2], undefined)).toBeUndefined();
    expect(conflictAt(a, 3, ref[2], undefined)).toBeUndefined();
  });

  it("falls back to committed entries inside the leader's snapshot", () => {
    const l = buildRow(src({ id: 1, terms: [2, 2], diskSnapIndex: 3, diskSnapTerm: 1, commit: 5 }));
    const f = buildRow(src({ id: 2, terms: [1, 1, 1, 2, 2], commit: 5 }));
    expect(referenceTerms([l, f], l, 1, 6)).toEqual([1, 1, 1, 2, 2]);
  });
});

describe('lane marks and scrolling', () => {
  it('groups the letters of marks at the same index, in c a p m n order', () => {
    const r: MatrixRow = {
      ...buildRow(src({ id: 2, terms: [1, 1, 1, 1, 1], commit: 4, applied: 4 })),
      persistedLastIndex: 5,
      lastIndex: 6,
    };
    expect(laneMarks(r, { match: 4, next: 5 })).toEqual([
      { index: 4, text: 'cam' },
      { index: 5, text: 'pn' },
    ]);
    expect(laneMarks({ ...r, commit: 0, applied: 0, persistedLastIndex: 6 }, undefined)).toEqual([]);
  });

  it('spans the longest log, and centres a column when asked', () => {
    const rows = [buildRow(src({ id: 1, terms: [1, 1] })), buildRow(src({ id: 2, terms: [1, 1, 1, 1] }))];
    expect(matrixWidth(rows)).toBe(4);
    expect(scrollForIndex(50, 30, 300, 100)).toBe(49 * 30 + 15 - 150);
    expect(scrollForIndex(1, 30, 300, 100)).toBe(0);
    expect(scrollForIndex(100, 30, 300, 100)).toBe(100 * 30 - 300);
  });
});

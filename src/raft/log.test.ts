import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrCompacted, ErrUnavailable, RaftPanic } from './errors';
import { type RaftLog, newLog, newLogWithSize } from './log';
import type { EntryID } from './logSlice';
import { LogSlice, pbEntryID } from './logSlice';
import { LogLevel, SinkLogger } from './logger';
import { newEntry, newSnapshot } from './raftpb/types';
import type { Entry, Snapshot } from './raftpb/types';
import { type MemoryStorage, newMemoryStorage } from './storage';
import { entrySize, entsSize, noLimit } from './util';

const logger = new SinkLogger(() => {}, LogLevel.NONE);

/** Entries at consecutive indices from `from`, with the given terms. */
function ents(from: number, ...terms: number[]): Entry[] {
  return terms.map((term, i) => newEntry({ index: from + i, term }));
}

/** Entries at consecutive indices from `from`, with consecutive terms lo, lo+1, ..., hi-1. */
function termRange(from: number, lo: number, hi: number): Entry[] {
  const out: Entry[] = [];
  for (let t = lo; t < hi; t++) out.push(newEntry({ index: from + t - lo, term: t }));
  return out;
}

function ids(list: readonly Entry[]): Array<[number, number]> {
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

function snapAt(index: number, term: number): Snapshot {
  return newSnapshot({ index, term });
}

function storageAt(index: number, term: number): MemoryStorage {
  const s = newMemoryStorage();
  s.applySnapshot(snapAt(index, term));
  return s;
}

describe('RaftLog', () => {
  it('starts committed and applied at the storage snapshot point', () => {
    const l = newLog(storageAt(1000, 1000), logger);
    expect(l.allEntries()).toEqual([]);
    expect(l.firstIndex()).toBe(1001);
    expect(l.lastIndex()).toBe(1000);
    expect(l.committed).toBe(1000);
    expect(l.applying).toBe(1000);
    expect(l.applied).toBe(1000);
    expect(l.unstable.offset).toBe(1001);
    expect(l.unstable.offsetInProgress).toBe(1001);
    expect(l.term(1000)).toBe(1000);
    expect(l.maxApplyingEntsSize).toBe(Infinity);
    expect(l.toString()).toBe(
      'committed=1000, applied=1000, applying=1000, unstable.offset=1001, unstable.offsetInProgress=1001, len(unstable.Entries)=0',
    );
  });

  it.each<[Entry[], number]>([
    [[], 0],
    [ents(1, 1, 2, 3), 0],
    [ents(2, 2, 3), 0],
    [ents(3, 3), 0],
    [ents(1, 1, 2, 3, 4, 4), 4],
    [ents(2, 2, 3, 4, 5), 4],
    [ents(3, 3, 4, 4), 4],
    [ents(4, 4, 4), 4],
    [ents(1, 4, 4), 1],
    [ents(2, 1, 4, 4), 2],
    [ents(3, 1, 2, 4, 4), 3],
  ])('findConflict %#', (given, want) => {
    const l = newLog(newMemoryStorage(), logger);
    l.append(...ents(1, 1, 2, 3));
    expect(l.findConflict(given)).toBe(want);
  });

  it('findConflict logs the conflicting terms', () => {
    const lines: string[] = [];
    const l = newLog(newMemoryStorage(), new SinkLogger((_lv, m) => lines.push(m), LogLevel.DEBUG));
    l.append(ents(1, 1, 2, 3));
    l.findConflict(ents(2, 1, 4));
    l.findConflict(ents(4, 4));
    expect(lines).toEqual(['found conflict at index 2 [existing term: 2, conflicting term: 1]']);
  });

  describe('findConflictByTerm', () => {
    // [snapshot index, snapshot term, terms of the following entries], index, term, want
    const fresh: [number, number, number[]] = [0, 0, [2, 2, 5, 5, 5]];
    const compacted: [number, number, number[]] = [10, 3, [3, 3, 4, 4, 4]];
    it.each<[[number, number, number[]], number, number, number]>([
      [fresh, 100, 2, 100], // unavailable: assume a match
      [fresh, 5, 6, 5],
      [fresh, 5, 5, 5],
      [fresh, 5, 4, 2],
      [fresh, 5, 2, 2],
      [fresh, 5, 1, 0],
      [fresh, 1, 2, 1],
      [fresh, 1, 1, 0],
      [fresh, 0, 0, 0],
      [compacted, 30, 3, 30],
      [compacted, 14, 9, 14],
      [compacted, 14, 4, 14],
      [compacted, 14, 3, 12],
      [compacted, 14, 2, 9],
      [compacted, 11, 5, 11],
      [compacted, 10, 5, 10],
      [compacted, 10, 3, 10],
      [compacted, 10, 2, 9],
      [compacted, 9, 2, 9], // compacted: assume a match
      [compacted, 4, 2, 4],
      [compacted, 0, 0, 0],
    ])('%# index %i term %i', ([si, st, terms], index, term, want) => {
      const s = newMemoryStorage();
      s.applySnapshot(snapAt(si, st));
      const l = newLog(s, logger);
      l.append(...ents(si + 1, ...terms));
      const [gotIndex, gotTerm] = l.findConflictByTerm(index, term);
      expect(gotIndex).toBe(want);
      expect(gotTerm).toBe(l.zeroTermOnOutOfBounds(() => l.term(gotIndex)));
    });
  });

  it.each<[number, number, boolean]>([
    [2, 4, true],
    [3, 4, true],
    [4, 4, true],
    [2, 2, false],
    [3, 2, false],
    [4, 2, false],
    [2, 3, false],
    [3, 3, true],
    [4, 3, true],
  ])('isUpToDate(index %i, term %i)', (index, term, want) => {
    const l = newLog(newMemoryStorage(), logger);
    l.append(ents(1, 1, 2, 3));
    expect(l.isUpToDate({ index, term })).toBe(want);
    expect(l.lastEntryID()).toEqual({ index: 3, term: 3 });
    expect(l.lastTerm()).toBe(3);
  });

  it.each<[Entry[], number, Array<[number, number]>, number]>([
    [
      [],
      2,
      [
        [1, 1],
        [2, 2],
      ],
      3,
    ],
    [
      ents(3, 2),
      3,
      [
        [1, 1],
        [2, 2],
        [3, 2],
      ],
      3,
    ],
    [ents(1, 2), 1, [[1, 2]], 1], // replaces from index 1
    [
      ents(2, 3, 3),
      3,
      [
        [1, 1],
        [2, 3],
        [3, 3],
      ],
      2,
    ], // replaces from index 2
  ])('append %#', (toAppend, wIndex, want, wOffset) => {
    const s = newMemoryStorage();
    s.append(ents(1, 1, 2));
    const l = newLog(s, logger);
    expect(l.append(...toAppend)).toBe(wIndex);
    expect(ids(l.entries(1, noLimit))).toEqual(want);
    expect(l.unstable.offset).toBe(wOffset);
  });

  it('append accepts an array as well as spread entries, and refuses to rewrite committed entries', () => {
    const l = newLog(newMemoryStorage(), logger);
    expect(l.append(ents(1, 1, 1))).toBe(2);
    expect(l.append(...ents(3, 1))).toBe(3);
    l.commitTo(2);
    expect(() => l.append(ents(2, 2))).toThrow(new RaftPanic('after(1) is out of range [committed(2)]'));
    expect(l.append(ents(3, 2))).toBe(3);
  });

  describe('maybeAppend', () => {
    const lastindex = 3;
    const lastterm = 3;
    const commit = 1;
    // prev, committed, entries -> last new index (undefined = rejected), committed after, panics
    it.each<[EntryID, number, Entry[], number | undefined, number, boolean]>([
      // prev does not match: different term, or beyond the end
      [{ term: lastterm - 1, index: lastindex }, lastindex, ents(lastindex + 1, 4), undefined, commit, false],
      [{ term: lastterm, index: lastindex + 1 }, lastindex, ents(lastindex + 2, 4), undefined, commit, false],
      // prev is the last entry
      [{ term: lastterm, index: lastindex }, lastindex, [], lastindex, lastindex, false],
      [{ term: lastterm, index: lastindex }, lastindex + 1, [], lastindex, lastindex, false],
      [{ term: lastterm, index: lastindex }, lastindex - 1, [], lastindex, lastindex - 1, false],
      [{ term: lastterm, index: lastindex }, 0, [], lastindex, commit, false],
      [{ term: 0, index: 0 }, lastindex, [], 0, commit, false],
      [{ term: lastterm, index: lastindex }, lastindex, ents(lastindex + 1, 4), lastindex + 1, lastindex, false],
      [
        { term: lastterm, index: lastindex },
        lastindex + 1,
        ents(lastindex + 1, 4),
        lastindex + 1,
        lastindex + 1,
        false,
      ],
      [
        { term: lastterm, index: lastindex },
        lastindex + 2,
        ents(lastindex + 1, 4),
        lastindex + 1,
        lastindex + 1,
        false,
      ],
      [
        { term: lastterm, index: lastindex },
        lastindex + 2,
        ents(lastindex + 1, 4, 4),
        lastindex + 2,
        lastindex + 2,
        false,
      ],
      // prev in the middle
      [{ term: lastterm - 1, index: lastindex - 1 }, lastindex, ents(lastindex, 4), lastindex, lastindex, false],
      [
        { term: lastterm - 2, index: lastindex - 2 },
        lastindex,
        ents(lastindex - 1, 4),
        lastindex - 1,
        lastindex - 1,
        false,
      ],
      // would overwrite the committed entry 1
      [{ term: lastterm - 3, index: lastindex - 3 }, lastindex, ents(lastindex - 2, 4), undefined, commit, true],
      [{ term: lastterm - 2, index: lastindex - 2 }, lastindex, ents(lastindex - 1, 4, 4), lastindex, lastindex, false],
    ])('%#', (prev, committed, toAppend, wLast, wCommit, wPanic) => {
      const a = new LogSlice(100, prev, toAppend);
      a.valid();
      const l = newLog(newMemoryStorage(), logger);
      l.append(ents(1, 1, 2, 3));
      l.committed = commit;
      if (wPanic) {
        expect(() => l.maybeAppend(a, committed)).toThrow(
          new RaftPanic('entry 1 conflict with committed entry [committed(1)]'),
        );
        return;
      }
      expect(l.maybeAppend(a, committed)).toBe(wLast);
      expect(l.committed).toBe(wCommit);
      if (wLast !== undefined && toAppend.length !== 0) {
        const got = l.slice(l.lastIndex() - toAppend.length + 1, l.lastIndex() + 1, noLimit);
        expect(got).toEqual(toAppend);
      }
    });

    it('accepts a plain { term, prev, entries } object and does not keep the caller array', () => {
      const l = newLog(newMemoryStorage(), logger);
      const entries = ents(1, 1, 1);
      expect(l.maybeAppend({ term: 1, prev: { term: 0, index: 0 }, entries }, 0)).toBe(2);
      entries.push(newEntry({ index: 3, term: 1 }));
      expect(l.lastIndex()).toBe(2);
    });
  });

  it('keeps working after storage compaction', () => {
    const lastIndex = 1000;
    const unstableIndex = 750;
    const s = newMemoryStorage();
    s.append(termRange(1, 1, unstableIndex + 1));
    const l = newLog(s, logger);
    l.append(termRange(unstableIndex + 1, unstableIndex + 1, lastIndex + 1));
    expect(l.maybeCommit(l.lastEntryID())).toBe(true);
    l.appliedTo(l.committed, 0);

    s.compact(500);
    expect(l.lastIndex()).toBe(lastIndex);
    for (let j = 500; j <= lastIndex; j++) {
      expect(l.term(j)).toBe(j);
      expect(l.matchTerm({ term: j, index: j })).toBe(true);
    }
    expect(thrown(() => l.term(499))).toBe(ErrCompacted);
    const unstableEnts = l.nextUnstableEnts();
    expect(unstableEnts.length).toBe(250);
    expect(unstableEnts[0]!.index).toBe(751);

    const prev = l.lastIndex();
    l.append(newEntry({ index: l.lastIndex() + 1, term: l.lastIndex() + 1 }));
    expect(l.lastIndex()).toBe(prev + 1);
    expect(l.entries(l.lastIndex(), noLimit).length).toBe(1);
  });

  // A log with snapshot at 3 (term 1), entry 4 stable, entries 5 and 6 unstable, committed 5.
  function applyLog(maxSize = noLimit): RaftLog {
    const s = storageAt(3, 1);
    const all = ents(4, 1, 1, 1);
    s.append(all.slice(0, 1));
    const l = newLogWithSize(s, logger, maxSize);
    l.append(...all);
    l.stableTo({ term: 1, index: 4 });
    l.maybeCommit({ term: 1, index: 5 });
    return l;
  }

  // applied, applying, allowUnstable, paused, pending snapshot -> expected indices of nextCommittedEnts
  const nextCases: Array<[number, number, boolean, boolean, boolean, number[]]> = [
    [3, 3, true, false, false, [4, 5]],
    [3, 4, true, false, false, [5]],
    [3, 5, true, false, false, []],
    [4, 4, true, false, false, [5]],
    [4, 5, true, false, false, []],
    [5, 5, true, false, false, []],
    [3, 3, false, false, false, [4]],
    [3, 4, false, false, false, []],
    [3, 5, false, false, false, []],
    [4, 4, false, false, false, []],
    [4, 5, false, false, false, []],
    [5, 5, false, false, false, []],
    [3, 3, true, true, false, []],
    [3, 3, true, false, true, []],
  ];
  it.each(nextCases)(
    'nextCommittedEnts / hasNextCommittedEnts: applied %i applying %i unstable %s paused %s snap %s',
    (applied, applying, allowUnstable, paused, snap, want) => {
      const l = applyLog();
      l.appliedTo(applied, 0);
      l.acceptApplying(applying, 0, allowUnstable);
      l.applyingEntsPaused = paused;
      if (snap) l.restore(snapAt(4, 1));
      expect(l.nextCommittedEnts(allowUnstable).map((e) => e.index)).toEqual(want);
      expect(l.hasNextCommittedEnts(allowUnstable)).toBe(want.length > 0);
    },
  );

  it('nextCommittedEnts respects the applying budget', () => {
    const one = entrySize(newEntry({ index: 4, term: 1 }));
    const l = applyLog(one + 1);
    // Only one entry fits into the budget.
    expect(l.nextCommittedEnts(true).map((e) => e.index)).toEqual([4]);
    l.acceptApplying(4, one, true);
    // Paused: the hand-out stopped short of what was appliable.
    expect(l.applyingEntsPaused).toBe(true);
    expect(l.nextCommittedEnts(true)).toEqual([]);
    l.appliedTo(4, one);
    expect(l.applyingEntsPaused).toBe(false);
    expect(l.nextCommittedEnts(true).map((e) => e.index)).toEqual([5]);
  });

  const maxSize = 100;
  it.each<[number, boolean, number, boolean]>([
    [3, true, maxSize - 1, true],
    [3, true, maxSize, true],
    [3, true, maxSize + 1, true],
    [4, true, maxSize - 1, true],
    [4, true, maxSize, true],
    [4, true, maxSize + 1, true],
    [5, true, maxSize - 1, false],
    [5, true, maxSize, true],
    [5, true, maxSize + 1, true],
    [3, false, maxSize - 1, true],
    [3, false, maxSize, true],
    [3, false, maxSize + 1, true],
    [4, false, maxSize - 1, false],
    [4, false, maxSize, true],
    [4, false, maxSize + 1, true],
    [5, false, maxSize - 1, false],
    [5, false, maxSize, true],
    [5, false, maxSize + 1, true],
  ])('acceptApplying(%i, unstable %s, size %i) pauses: %s', (index, allowUnstable, size, wPaused) => {
    const l = applyLog(maxSize);
    l.appliedTo(3, 0);
    l.acceptApplying(index, size, allowUnstable);
    expect(l.applyingEntsPaused).toBe(wPaused);
  });

  const overshoot = 5;
  it.each<[number, number, number, boolean]>([
    [4, overshoot - 1, maxSize + 1, true],
    [4, overshoot, maxSize, true],
    [4, overshoot + 1, maxSize - 1, false],
    [5, overshoot - 1, maxSize + 1, true],
    [5, overshoot, maxSize, true],
    [5, overshoot + 1, maxSize - 1, false],
    [4, maxSize + overshoot, 0, false],
    // Over-reporting does not make the outstanding size negative.
    [4, maxSize + overshoot + 1, 0, false],
  ])('appliedTo(%i, %i)', (index, size, wSize, wPaused) => {
    const l = applyLog(maxSize);
    l.appliedTo(3, 0);
    l.acceptApplying(5, maxSize + overshoot, false);
    l.appliedTo(index, size);
    expect(l.applied).toBe(index);
    expect(l.applying).toBe(5);
    expect(l.applyingEntsSize).toBe(wSize);
    expect(l.applyingEntsPaused).toBe(wPaused);
  });

  it('appliedTo and acceptApplying panic outside [applied, committed]', () => {
    const l = applyLog();
    l.appliedTo(4, 0);
    expect(() => l.appliedTo(3, 0)).toThrow(new RaftPanic('applied(3) is out of range [prevApplied(4), committed(5)]'));
    expect(() => l.appliedTo(6, 0)).toThrow(new RaftPanic('applied(6) is out of range [prevApplied(4), committed(5)]'));
    expect(() => l.acceptApplying(6, 0, true)).toThrow(
      new RaftPanic('applying(6) is out of range [prevApplying(4), committed(5)]'),
    );
  });

  it.each<[number, number[]]>([
    [3, []],
    [1, [1, 2]],
  ])('nextUnstableEnts with unstable from %i', (unstable, want) => {
    const previous = ents(1, 1, 2);
    const s = newMemoryStorage();
    s.append(previous.slice(0, unstable - 1));
    const l = newLog(s, logger);
    l.append(...previous.slice(unstable - 1));
    const got = l.nextUnstableEnts();
    const last = got[got.length - 1];
    if (last !== undefined) l.stableTo(pbEntryID(last));
    expect(got.map((e) => e.index)).toEqual(want);
    expect(l.unstable.offset).toBe(3);
    expect(l.hasNextUnstableEnts()).toBe(false);
    expect(l.hasNextOrInProgressUnstableEnts()).toBe(false);
  });

  it('acceptUnstable marks unstable entries and snapshot in progress', () => {
    const l = newLog(newMemoryStorage(), logger);
    l.append(ents(1, 1, 1));
    expect(l.hasNextUnstableEnts()).toBe(true);
    l.acceptUnstable();
    expect(l.hasNextUnstableEnts()).toBe(false);
    expect(l.hasNextOrInProgressUnstableEnts()).toBe(true);
    l.restore(snapAt(5, 2));
    expect(l.hasNextUnstableSnapshot()).toBe(true);
    expect(l.nextUnstableSnapshot()?.metadata.index).toBe(5);
    l.acceptUnstable();
    expect(l.hasNextUnstableSnapshot()).toBe(false);
    expect(l.nextUnstableSnapshot()).toBeUndefined();
    expect(l.hasNextOrInProgressSnapshot()).toBe(true);
    expect(l.snapshot().metadata.index).toBe(5);
    l.stableSnapTo(5);
    expect(l.hasNextOrInProgressSnapshot()).toBe(false);
  });

  it.each<[number, number, number]>([
    [3, 3, 3],
    [1, 2, 2], // never decreases
  ])('commitTo(%i)', (to, _unused, want) => {
    const l = newLog(newMemoryStorage(), logger);
    l.append(ents(1, 1, 2, 3));
    l.committed = 2;
    l.commitTo(to);
    expect(l.committed).toBe(want);
  });

  it('commitTo past the end panics', () => {
    const l = newLog(newMemoryStorage(), logger);
    l.append(ents(1, 1, 2, 3));
    expect(() => l.commitTo(4)).toThrow(
      new RaftPanic('tocommit(4) is out of range [lastIndex(3)]. Was the raft log corrupted, truncated, or lost?'),
    );
  });

  it.each<[number, number, number]>([
    [1, 1, 2],
    [2, 2, 3],
    [2, 1, 1], // wrong term
    [3, 1, 1], // no such entry
  ])('stableTo(index %i, term %i)', (index, term, wOffset) => {
    const l = newLog(newMemoryStorage(), logger);
    l.append(ents(1, 1, 2));
    l.stableTo({ index, term });
    expect(l.unstable.offset).toBe(wOffset);
  });

  describe('stableTo with a snapshot in storage', () => {
    const si = 5;
    const st = 2;
    it.each<[number, number, Entry[], number]>([
      [si + 1, st, [], si + 1],
      [si, st, [], si + 1],
      [si - 1, st, [], si + 1],
      [si + 1, st + 1, [], si + 1],
      [si, st + 1, [], si + 1],
      [si - 1, st + 1, [], si + 1],
      [si + 1, st, ents(si + 1, st), si + 2],
      [si, st, ents(si + 1, st), si + 1],
      [si - 1, st, ents(si + 1, st), si + 1],
      [si + 1, st + 1, ents(si + 1, st), si + 1],
      [si, st + 1, ents(si + 1, st), si + 1],
      [si - 1, st + 1, ents(si + 1, st), si + 1],
    ])('%#', (index, term, newEnts, wOffset) => {
      const l = newLog(storageAt(si, st), logger);
      l.append(...newEnts);
      l.stableTo({ index, term });
      expect(l.unstable.offset).toBe(wOffset);
    });
  });

  it.each<[number[], number[], boolean]>([
    [[1001], [], false], // past the end: panics
    [[300, 500, 800, 900], [700, 500, 200, 100], true],
    [[300, 299], [700], false], // 299 is already compacted
  ])('compaction %#', (compacts, wLeft, wAllow) => {
    const s = newMemoryStorage();
    s.append(termRange(1, 1, 1001));
    const l = newLog(s, logger);
    expect(l.maybeCommit({ term: 0, index: 1000 })).toBe(false); // term 0 never commits
    l.appliedTo(l.committed, 0);
    const left: number[] = [];
    let failed = false;
    for (const c of compacts) {
      const e = thrown(() => s.compact(c));
      if (e !== undefined) {
        failed = true;
        expect(e === ErrCompacted || e instanceof RaftPanic).toBe(true);
        continue;
      }
      left.push(l.allEntries().length);
    }
    expect(left).toEqual(wLeft);
    expect(failed).toBe(!wAllow);
  });

  describe('mustCheckOutOfBounds', () => {
    const offset = 100;
    const num = 100;
    const first = offset + 1;
    function mk(): RaftLog {
      const l = newLog(storageAt(offset, 0), logger);
      l.append(termRange(offset + 1, offset + 1, offset + num + 1));
      return l;
    }
    it.each<[number, number, 'ok' | 'compacted' | 'panic']>([
      [first - 2, first + 1, 'compacted'],
      [first - 1, first + 1, 'compacted'],
      [first, first, 'ok'],
      [first + num / 2, first + num / 2, 'ok'],
      [first + num - 1, first + num - 1, 'ok'],
      [first + num, first + num, 'ok'],
      [first + num, first + num + 1, 'panic'],
      [first + num + 1, first + num + 1, 'panic'],
      [first + 5, first + 4, 'panic'],
    ])('[%i, %i): %s', (lo, hi, want) => {
      const e = thrown(() => mk().mustCheckOutOfBounds(lo, hi));
      if (want === 'ok') expect(e).toBeUndefined();
      else if (want === 'compacted') expect(e).toBe(ErrCompacted);
      else expect(e).toBeInstanceOf(RaftPanic);
    });
    it('panic texts', () => {
      expect(() => mk().mustCheckOutOfBounds(first + 5, first + 4)).toThrow(new RaftPanic('invalid slice 106 > 105'));
      expect(() => mk().mustCheckOutOfBounds(first, first + num + 1)).toThrow(
        new RaftPanic('slice[101,202) out of bound [101,200]'),
      );
    });
  });

  it.each<[number, number | Error]>([
    [99, ErrCompacted],
    [100, 1],
    [150, 50],
    [199, 99],
    [200, ErrUnavailable],
  ])('term(%i)', (i, want) => {
    const l = newLog(storageAt(100, 1), logger);
    l.append(termRange(101, 1, 100));
    if (typeof want === 'number') expect(l.term(i)).toBe(want);
    else expect(thrown(() => l.term(i))).toBe(want);
    expect(l.zeroTermOnOutOfBounds(() => l.term(i))).toBe(typeof want === 'number' ? want : 0);
  });

  it.each<[number, number | Error]>([
    [100, ErrCompacted], // storage's snapshot point is hidden by the unstable snapshot
    [101, ErrCompacted], // gap between storage and the unstable snapshot
    [104, ErrCompacted],
    [105, 1],
    [106, ErrUnavailable],
  ])('term(%i) with an unstable snapshot', (i, want) => {
    const l = newLog(storageAt(100, 1), logger);
    l.restore(snapAt(105, 1));
    if (typeof want === 'number') expect(l.term(i)).toBe(want);
    else expect(thrown(() => l.term(i))).toBe(want);
  });

  it('zeroTermOnOutOfBounds panics on other errors', () => {
    const l = newLog(newMemoryStorage(), logger);
    expect(() =>
      l.zeroTermOnOutOfBounds(() => {
        throw new Error('disk on fire');
      }),
    ).toThrow(new RaftPanic('unexpected error (disk on fire)'));
  });

  describe('slice', () => {
    const offset = 100;
    const num = 100;
    const last = offset + num;
    const half = offset + num / 2;
    function mk(): RaftLog {
      const s = storageAt(offset, 0);
      s.append(termRange(offset + 1, offset + 1, half));
      const l = newLog(s, logger);
      l.append(termRange(half, half, last));
      return l;
    }
    const l = mk();
    const everything = termRange(offset + 1, offset + 1, last);
    /** The greedy prefix of [lo, hi) within lim bytes, at least one entry. */
    function expected(lo: number, hi: number, lim: number): Array<[number, number]> {
      const range = everything.slice(lo - offset - 1, hi - offset - 1);
      const out: Entry[] = [];
      let size = 0;
      for (const e of range) {
        size += entrySize(e);
        if (out.length > 0 && size > lim) break;
        out.push(e);
      }
      return ids(out);
    }

    it('throws ErrCompacted below the first index and panics on bad ranges', () => {
      expect(thrown(() => l.slice(offset - 1, offset + 1, noLimit))).toBe(ErrCompacted);
      expect(thrown(() => l.slice(offset, offset + 1, noLimit))).toBe(ErrCompacted);
      expect(thrown(() => l.slice(half, half - 1, noLimit))).toBeInstanceOf(RaftPanic);
      expect(thrown(() => l.slice(last, last + 1, noLimit))).toBeInstanceOf(RaftPanic);
    });

    it('matches the greedy size-bounded prefix for every range around the stable/unstable border', () => {
      const unit = entrySize(newEntry({ index: half, term: half }));
      const limits = [0, unit - 1, unit, unit + 1, 2 * unit, 3 * unit - 1, 3 * unit, 10 * unit, noLimit];
      const points = [offset + 1, offset + 2, half - 2, half - 1, half, half + 1, half + 2, last - 1, last];
      let checked = 0;
      for (const lo of points) {
        for (const hi of points) {
          if (hi < lo) continue;
          for (const lim of limits) {
            expect(ids(l.slice(lo, hi, lim)), `[${lo}, ${hi}) @ ${lim}`).toEqual(expected(lo, hi, lim));
            checked++;
          }
        }
      }
      expect(checked).toBeGreaterThan(300);
    });

    it('returns arrays that do not alias the log', () => {
      const m = mk();
      const got = m.slice(half - 1, half + 2, noLimit);
      got.push(newEntry({ index: 999, term: 999 }));
      got.splice(0, 1);
      expect(ids(m.slice(half - 1, half + 2, noLimit))).toEqual(expected(half - 1, half + 2, noLimit));
      const unstableOnly = m.slice(half, half + 2, noLimit);
      m.append(ents(half + 1, 500));
      expect(ids(unstableOnly)).toEqual([
        [half, half],
        [half + 1, half + 1],
      ]);
    });

    it('never skips a large stable entry to take a small unstable one', () => {
      const s = newMemoryStorage();
      const e1 = newEntry({ index: 1, term: 1, data: new Uint8Array(1) });
      const e2 = newEntry({ index: 2, term: 1, data: new Uint8Array(50) });
      const e3 = newEntry({ index: 3, term: 1 });
      s.append([e1, e2]);
      const m = newLog(s, logger);
      m.append(e3);
      const lim = entrySize(e1) + entrySize(e3) + 1;
      expect(lim).toBeLessThan(entrySize(e1) + entrySize(e2));
      expect(ids(m.slice(1, 4, lim))).toEqual([[1, 1]]);
      // Budget for the stable part exactly: nothing more is added.
      expect(ids(m.slice(1, 4, entrySize(e1) + entrySize(e2)))).toEqual([
        [1, 1],
        [2, 1],
      ]);
      expect(ids(m.slice(2, 4, 0))).toEqual([[2, 1]]);
      expect(ids(m.slice(3, 4, 0))).toEqual([[3, 1]]);
    });

    it('panics when storage lacks entries it should have', () => {
      const s = newMemoryStorage();
      const m = newLog(s, logger);
      m.append(ents(1, 1, 1));
      m.stableTo({ index: 2, term: 1 }); // claims stable, but storage was never written
      expect(() => m.slice(1, 3, noLimit)).toThrow(RaftPanic);
    });
  });

  describe('scan', () => {
    const offset = 47;
    const num = 20;
    const last = offset + num;
    const half = offset + num / 2;
    const s = storageAt(offset, 0);
    s.append(termRange(offset + 1, offset + 1, half));
    const l = newLog(s, logger);
    l.append(termRange(half, half, last));
    const one = entsSize(termRange(half, half, half + 1));

    it('yields the same entries as slice, in pages within the size bound', () => {
      for (const pageSize of [0, 1, 10, 100, one, one + 1]) {
        for (let lo = offset + 1; lo < last; lo++) {
          for (let hi = lo; hi <= last; hi++) {
            const got: Entry[] = [];
            l.scan(lo, hi, pageSize, (page) => {
              expect(page.length === 1 || entsSize(page) <= pageSize).toBe(true);
              got.push(...page);
            });
            expect(got).toEqual(l.slice(lo, hi, noLimit));
          }
        }
      }
    });

    it('stops when the visitor throws, passing its error on', () => {
      const stop = new Error('break');
      let iters = 0;
      const e = thrown(() =>
        l.scan(offset + 1, half, 0, () => {
          iters++;
          if (iters === 2) throw stop;
        }),
      );
      expect(e).toBe(stop);
      expect(iters).toBe(2);
    });

    it('fills pages up to the limit', () => {
      // Entries 48..57 all have the same size (1-byte varints), so pages hold exactly two.
      const two = entsSize(termRange(48, 48, 50));
      let pages = 0;
      l.scan(offset + 1, offset + 11, two, (page) => {
        expect(page.length).toBe(2);
        expect(entsSize(page)).toBe(two);
        pages++;
      });
      expect(pages).toBe(5);
    });

    it('throws ErrCompacted for a compacted range', () => {
      expect(thrown(() => l.scan(offset, half, noLimit, () => {}))).toBe(ErrCompacted);
    });
  });

  it('restore logs and resets the log to the snapshot', () => {
    const lines: string[] = [];
    const l = newLog(newMemoryStorage(), new SinkLogger((_lv, m) => lines.push(m), LogLevel.INFO));
    l.append(ents(1, 1, 1, 2));
    l.commitTo(1);
    l.restore(snapAt(10, 3));
    expect(lines).toEqual([
      'log [committed=1, applied=0, applying=0, unstable.offset=1, unstable.offsetInProgress=1, len(unstable.Entries)=3] starts to restore snapshot [index: 10, term: 3]',
    ]);
    expect(l.committed).toBe(10);
    expect(l.firstIndex()).toBe(11);
    expect(l.lastIndex()).toBe(10);
    expect(l.lastEntryID()).toEqual({ index: 10, term: 3 });
    expect(l.allEntries()).toEqual([]);
  });

  it('maybeCommit only commits a matching entry above committed', () => {
    const l = newLog(newMemoryStorage(), logger);
    l.append(ents(1, 1, 2, 2));
    expect(l.maybeCommit({ index: 3, term: 1 })).toBe(false);
    expect(l.maybeCommit({ index: 2, term: 2 })).toBe(true);
    expect(l.committed).toBe(2);
    expect(l.maybeCommit({ index: 2, term: 2 })).toBe(false);
    expect(l.maybeCommit({ index: 4, term: 2 })).toBe(false);
  });
});

// ---- property test: random histories keep the log's invariants ----
//
// The histories respect Raft's Log Matching property, which the log layer relies on
// (an (index, term) pair identifies the whole prefix): each term has one leader log
// that only grows; a new term's leader log starts as a prefix of our log that keeps
// every committed entry. Our log receives slices of the current leader log.

type Op =
  | { k: 'append'; newTerm: boolean; keep: number; grow: number; back: number; count: number; commit: number }
  | { k: 'commit'; by: number }
  | { k: 'ready'; allowUnstable: boolean }
  | { k: 'persist' }
  | { k: 'apply' }
  | { k: 'compact'; back: number }
  | { k: 'snapshot'; ahead: number }
  | { k: 'read'; a: number; b: number; lim: number };

// Mostly leave the commit index alone, so that uncommitted tails exist to conflict with.
const commitArb = fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(4) });

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      k: fc.constant('append' as const),
      newTerm: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
      keep: fc.nat(4),
      grow: fc.nat(3),
      back: fc.nat(6),
      count: fc.nat(5),
      commit: commitArb,
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('commit' as const), by: fc.nat(3) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('ready' as const), allowUnstable: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('persist' as const) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('apply' as const) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('compact' as const), back: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('snapshot' as const), ahead: fc.integer({ min: 1, max: 4 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({ k: fc.constant('read' as const), a: fc.nat(1000), b: fc.nat(1000), lim: fc.nat(40) }),
  },
);

/** Data determined by (index, term), so entries with equal ids are equal. */
function mkEntry(index: number, term: number): Entry {
  // Sizes vary with (index, term), so that size limits cut at uneven places.
  const data = new Uint8Array(1 + ((index * 7 + term * 3) % 6));
  data[0] = index % 256;
  if (data.length > 1) data[1] = term % 256;
  return newEntry({ index, term, data });
}

interface Write {
  ents: Entry[];
  snap: Snapshot | undefined;
}

const propertyStats = new Map<string, number>();
let pauses = 0;
const statsLogger = new SinkLogger((_lv, m) => {
  const key = m.replace(/[0-9]+/g, 'N');
  propertyStats.set(key, (propertyStats.get(key) ?? 0) + 1);
}, LogLevel.INFO);

function runHistory(ops: Op[], maxApplyingEntsSize: number): void {
  const storage = newMemoryStorage();
  const l = newLogWithSize(storage, statsLogger, maxApplyingEntsSize);
  // Term of every index of our expected log (index 0: term 0), compacted part included.
  let mine: number[] = [0];
  // The current leader's log, same layout, and its term.
  let term = 1;
  let leader: number[] = [0];
  const writes: Write[] = [];
  const applies: Array<{ last: number; size: number }> = [];
  // Everything ever handed out, with the ids it had then: must never change.
  const handedOut: Array<{ arr: Entry[]; was: Array<[number, number]> }> = [];
  // Committed entries must never change: index -> term when first seen committed.
  const committedTerms = new Map<number, number>();

  const check = (): void => {
    const fi = l.firstIndex();
    const li = l.lastIndex();
    expect(li).toBe(mine.length - 1);
    if (!l.hasNextOrInProgressSnapshot()) expect(fi - 1).toBeLessThanOrEqual(l.applied);
    expect(l.applied).toBeLessThanOrEqual(l.applying);
    expect(l.applying).toBeLessThanOrEqual(l.committed);
    expect(l.committed).toBeLessThanOrEqual(li);
    let prevTerm = -1;
    for (let i = fi - 1; i <= li; i++) {
      const t = l.term(i);
      expect(t).toBeGreaterThanOrEqual(prevTerm);
      expect(t).toBe(mine[i]);
      prevTerm = t;
    }
    expect(ids(l.allEntries())).toEqual(mine.map((t, i): [number, number] => [i, t]).slice(fi));
    for (let i = Math.max(fi - 1, 1); i <= l.committed; i++) {
      const seen = committedTerms.get(i);
      if (seen !== undefined) expect(l.term(i)).toBe(seen);
      else committedTerms.set(i, l.term(i));
    }
    for (const h of handedOut) expect(ids(h.arr)).toEqual(h.was);
  };

  for (const op of ops) {
    switch (op.k) {
      case 'append': {
        if (op.newTerm) {
          // A new leader whose log agrees with ours up to some point at or after our commit index.
          term++;
          leader = mine.slice(0, Math.max(l.committed, mine.length - 1 - op.keep) + 1);
        }
        for (let k = 0; k < op.grow; k++) leader.push(term);
        const prevIndex = Math.max(l.committed, leader.length - 1 - op.back);
        const entries: Entry[] = [];
        for (let i = prevIndex + 1; i < Math.min(leader.length, prevIndex + 1 + op.count); i++) {
          entries.push(mkEntry(i, leader[i]!));
        }
        const slice = new LogSlice(term, { index: prevIndex, term: leader[prevIndex]! }, entries);
        slice.valid();
        const committedBefore = l.committed;
        const matches = mine[prevIndex] === leader[prevIndex];
        const got = l.maybeAppend(slice, committedBefore + op.commit);
        if (!matches) {
          expect(got).toBeUndefined();
          expect(l.committed).toBe(committedBefore);
          break;
        }
        expect(got).toBe(slice.lastIndex());
        // The first entry that differs from ours truncates our log there.
        for (const e of entries) {
          if (mine[e.index] === e.term) continue;
          mine = mine.slice(0, e.index);
          mine.push(e.term);
        }
        expect(l.committed).toBe(Math.max(committedBefore, Math.min(committedBefore + op.commit, got!)));
        break;
      }
      case 'commit': {
        l.commitTo(Math.min(l.lastIndex(), l.committed + op.by));
        break;
      }
      case 'ready': {
        const ents = l.nextUnstableEnts();
        const snap = l.nextUnstableSnapshot();
        const committed = l.nextCommittedEnts(op.allowUnstable);
        expect(l.hasNextCommittedEnts(op.allowUnstable)).toBe(committed.length > 0);
        handedOut.push({ arr: ents, was: ids(ents) }, { arr: committed, was: ids(committed) });
        for (const e of ents) expect(e.term).toBe(mine[e.index]);
        for (const e of committed) {
          expect(e.index).toBeLessThanOrEqual(l.committed);
          expect(e.term).toBe(mine[e.index]);
          expect(e.data).toEqual(mkEntry(e.index, e.term).data);
        }
        if (!op.allowUnstable && committed.length > 0) {
          expect(committed[committed.length - 1]!.index).toBeLessThan(l.unstable.offset);
        }
        if (l.applyingEntsPaused) pauses++;
        if (committed.length > 0) {
          expect(committed[0]!.index).toBe(l.applying + 1);
          expect(committed.length === 1 || entsSize(committed) <= l.maxApplyingEntsSize - l.applyingEntsSize).toBe(
            true,
          );
          const lastC = committed[committed.length - 1]!.index;
          const size = entsSize(committed);
          l.acceptApplying(lastC, size, op.allowUnstable);
          applies.push({ last: lastC, size });
        }
        l.acceptUnstable();
        expect(l.hasNextUnstableEnts()).toBe(false);
        if (ents.length > 0 || snap !== undefined) writes.push({ ents, snap });
        break;
      }
      case 'persist': {
        // Writes complete in the order they were handed out.
        const w = writes.shift();
        if (w === undefined) break;
        if (w.snap !== undefined) {
          storage.applySnapshot(w.snap);
          l.stableSnapTo(w.snap.metadata.index);
          // The application takes the snapshot as applied (etcd's appliedSnap).
          if (l.applied < w.snap.metadata.index) l.appliedTo(w.snap.metadata.index, 0);
        }
        if (w.ents.length > 0) {
          storage.append(w.ents);
          l.stableTo(pbEntryID(w.ents[w.ents.length - 1]!));
        }
        break;
      }
      case 'apply': {
        const a = applies.shift();
        if (a === undefined) break;
        if (a.last >= l.applied) l.appliedTo(a.last, a.size);
        break;
      }
      case 'compact': {
        // Only entries that are applied and durable (below the unstable offset).
        const upTo = Math.min(l.applied, l.unstable.offset - 1, storage.lastIndex()) - op.back;
        if (upTo < storage.firstIndex() || l.hasNextOrInProgressSnapshot()) break;
        const before = storage.term(upTo);
        storage.createSnapshot(upTo, undefined, new Uint8Array());
        storage.compact(upTo);
        expect(storage.term(upTo)).toBe(before);
        expect(thrown(() => l.term(upTo - 1))).toBe(ErrCompacted);
        break;
      }
      case 'snapshot': {
        // A new leader sends a snapshot past our commit index, while nothing is being applied.
        if (applies.length > 0) break;
        term++;
        const at = l.committed + op.ahead;
        leader = mine.slice(0, l.committed + 1);
        while (leader.length <= at) leader.push(term);
        l.restore(snapAt(at, term));
        mine = leader.slice();
        break;
      }
      case 'read': {
        const fi = l.firstIndex();
        const li = l.lastIndex();
        if (li < fi) break;
        const lo = fi + (op.a % (li - fi + 1));
        const hi = lo + (op.b % (li - lo + 2));
        const got = l.slice(lo, hi, op.lim);
        if (hi > lo) expect(got.length).toBeGreaterThanOrEqual(1);
        expect(got.length <= 1 || entsSize(got) <= op.lim).toBe(true);
        // Maximal: the next entry would not have fitted.
        const next = got.length > 0 ? got[got.length - 1]!.index + 1 : lo;
        if (got.length > 0 && next < hi) {
          expect(entsSize(got) + entrySize(mkEntry(next, mine[next]!))).toBeGreaterThan(op.lim);
        }
        got.forEach((e, k) => {
          expect(e.index).toBe(lo + k);
          expect(e.term).toBe(mine[e.index]);
          expect(e.data).toEqual(mkEntry(e.index, e.term).data);
        });
        expect(ids(l.entries(lo, noLimit).slice(0, hi - lo))).toEqual(ids(l.slice(lo, hi, noLimit)));
        break;
      }
    }
    check();
  }
}

describe('RaftLog properties', () => {
  it('random appends, commits, applies, persistence, compactions and snapshots keep the invariants', () => {
    propertyStats.clear();
    pauses = 0;
    fc.assert(
      fc.property(
        fc.array(opArb, { minLength: 1, maxLength: 80, size: 'max' }),
        fc.constantFrom(noLimit, 16, 40, 80),
        (ops, maxApplying) => {
          runHistory(ops, maxApplying);
        },
      ),
      { numRuns: 300 },
    );
    // The histories reach the interesting paths of the unstable log.
    const seen = (prefix: string): number =>
      [...propertyStats].filter(([k]) => k.startsWith(prefix)).reduce((a, [, n]) => a + n, 0);
    expect(seen('found conflict at index')).toBeGreaterThan(10);
    expect(seen('truncate the unstable entries before index')).toBeGreaterThan(0);
    expect(seen('replace the unstable entries from index')).toBeGreaterThan(0);
    expect(seen('entry at (index,term)')).toBeGreaterThan(0);
    expect(seen('log [')).toBeGreaterThan(0);
    expect(pauses).toBeGreaterThan(0);
  });
});

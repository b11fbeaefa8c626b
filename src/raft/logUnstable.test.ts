import { describe, expect, it } from 'vitest';
import { RaftPanic } from './errors';
import { LogLevel, SinkLogger } from './logger';
import { Unstable } from './logUnstable';
import { newEntry, newSnapshot } from './raftpb/types';
import type { Entry, Snapshot } from './raftpb/types';

function ents(from: number, ...terms: number[]): Entry[] {
  return terms.map((term, i) => newEntry({ index: from + i, term }));
}

function ids(list: Entry[]): Array<[number, number]> {
  return list.map((e) => [e.index, e.term]);
}

function recordingLogger(): { logger: SinkLogger; lines: string[] } {
  const lines: string[] = [];
  return { logger: new SinkLogger((_l, m) => lines.push(m), LogLevel.DEBUG), lines };
}

const logger = new SinkLogger(() => {}, LogLevel.NONE);

function snap(index: number, term: number): Snapshot {
  return newSnapshot({ index, term });
}

interface Case {
  entries: Entry[];
  offset: number;
  snap?: Snapshot | undefined;
  offsetInProgress?: number;
}

function mk(c: Case): Unstable {
  return new Unstable({
    logger,
    entries: c.entries,
    offset: c.offset,
    snapshot: c.snap,
    offsetInProgress: c.offsetInProgress ?? c.offset,
  });
}

describe('Unstable', () => {
  it.each<[Case, number | undefined]>([
    [{ entries: ents(5, 1), offset: 5 }, undefined],
    [{ entries: [], offset: 0 }, undefined],
    [{ entries: ents(5, 1), offset: 5, snap: snap(4, 1) }, 5],
    [{ entries: [], offset: 5, snap: snap(4, 1) }, 5],
  ])('maybeFirstIndex %#', (c, want) => {
    expect(mk(c).maybeFirstIndex()).toBe(want);
  });

  it.each<[Case, number | undefined]>([
    [{ entries: ents(5, 1), offset: 5 }, 5],
    [{ entries: ents(5, 1), offset: 5, snap: snap(4, 1) }, 5],
    [{ entries: [], offset: 5, snap: snap(4, 1) }, 4],
    [{ entries: [], offset: 0 }, undefined],
  ])('maybeLastIndex %#', (c, want) => {
    expect(mk(c).maybeLastIndex()).toBe(want);
  });

  it.each<[Case, number, number | undefined]>([
    [{ entries: ents(5, 1), offset: 5 }, 5, 1],
    [{ entries: ents(5, 1), offset: 5 }, 6, undefined],
    [{ entries: ents(5, 1), offset: 5 }, 4, undefined],
    [{ entries: ents(5, 1), offset: 5, snap: snap(4, 1) }, 5, 1],
    [{ entries: ents(5, 1), offset: 5, snap: snap(4, 1) }, 6, undefined],
    [{ entries: ents(5, 1), offset: 5, snap: snap(4, 1) }, 4, 1],
    [{ entries: ents(5, 1), offset: 5, snap: snap(4, 1) }, 3, undefined],
    [{ entries: [], offset: 5, snap: snap(4, 1) }, 5, undefined],
    [{ entries: [], offset: 5, snap: snap(4, 1) }, 4, 1],
    [{ entries: [], offset: 0 }, 5, undefined],
  ])('maybeTerm %#', (c, i, want) => {
    expect(mk(c).maybeTerm(i)).toBe(want);
  });

  it('restore resets to the snapshot', () => {
    const u = new Unstable({
      logger,
      entries: ents(5, 1),
      offset: 5,
      offsetInProgress: 6,
      snapshot: snap(4, 1),
      snapshotInProgress: true,
    });
    const s = snap(6, 2);
    u.restore(s);
    expect(u.offset).toBe(7);
    expect(u.offsetInProgress).toBe(7);
    expect(u.entries.length).toBe(0);
    expect(u.snapshot).toEqual(s);
    expect(u.snapshot).not.toBe(s);
    expect(u.snapshotInProgress).toBe(false);
  });

  it.each<[number, Array<[number, number]>]>([
    [
      5,
      [
        [5, 1],
        [6, 1],
      ],
    ],
    [6, [[6, 1]]],
    [7, []],
  ])('nextEntries with offsetInProgress %i', (oip, want) => {
    const u = mk({ entries: ents(5, 1, 1), offset: 5, offsetInProgress: oip });
    expect(ids(u.nextEntries())).toEqual(want);
  });

  it('nextEntries hands out an array that later appends and truncations do not touch', () => {
    const u = mk({ entries: ents(5, 1, 1), offset: 5 });
    const handed = u.nextEntries();
    u.truncateAndAppend(ents(7, 1));
    u.truncateAndAppend(ents(6, 2));
    u.stableTo({ index: 5, term: 1 });
    expect(ids(handed)).toEqual([
      [5, 1],
      [6, 1],
    ]);
  });

  it.each<[Snapshot | undefined, boolean, boolean]>([
    [undefined, false, false],
    [snap(4, 1), false, true],
    [snap(4, 1), true, false],
  ])('nextSnapshot %#', (s, inProgress, wantSome) => {
    const u = new Unstable({ logger, snapshot: s, snapshotInProgress: inProgress });
    const got = u.nextSnapshot();
    if (wantSome) {
      expect(got).toEqual(s);
      expect(got).not.toBe(s);
    } else {
      expect(got).toBeUndefined();
    }
  });

  // [entries, snapshot?, offsetInProgress, snapshotInProgress] -> [offsetInProgress, snapshotInProgress]
  const acceptCases: Array<[Entry[], Snapshot | undefined, number, boolean, number, boolean]> = [];
  for (const s of [undefined, snap(4, 1)]) {
    for (const already of s === undefined ? [false] : [false, true]) {
      const wsip = s !== undefined;
      acceptCases.push([[], s, 5, already, 5, wsip]);
      acceptCases.push([ents(5, 1), s, 5, already, 6, wsip]);
      acceptCases.push([ents(5, 1, 1), s, 5, already, 7, wsip]);
      acceptCases.push([ents(5, 1, 1), s, 6, already, 7, wsip]);
      acceptCases.push([ents(5, 1, 1), s, 7, already, 7, wsip]);
    }
  }
  it.each(acceptCases)('acceptInProgress %#', (entries, s, oip, sip, woip, wsip) => {
    const u = new Unstable({ logger, entries, snapshot: s, offset: 5, offsetInProgress: oip, snapshotInProgress: sip });
    u.acceptInProgress();
    expect(u.offsetInProgress).toBe(woip);
    expect(u.snapshotInProgress).toBe(wsip);
    // Nothing is left to hand out.
    expect(u.nextEntries()).toEqual([]);
    expect(u.nextSnapshot()).toBeUndefined();
  });

  it.each<[Case, number, number, number, number, number]>([
    [{ entries: [], offset: 0, offsetInProgress: 0 }, 5, 1, 0, 0, 0],
    [{ entries: ents(5, 1), offset: 5, offsetInProgress: 6 }, 5, 1, 6, 6, 0],
    [{ entries: ents(5, 1, 1), offset: 5, offsetInProgress: 6 }, 5, 1, 6, 6, 1],
    [{ entries: ents(5, 1, 1), offset: 5, offsetInProgress: 7 }, 5, 1, 6, 7, 1],
    // term mismatch
    [{ entries: ents(6, 2), offset: 6, offsetInProgress: 7 }, 6, 1, 6, 7, 1],
    // old entry
    [{ entries: ents(5, 1), offset: 5, offsetInProgress: 6 }, 4, 1, 5, 6, 1],
    [{ entries: ents(5, 1), offset: 5, offsetInProgress: 6 }, 4, 2, 5, 6, 1],
    // with snapshot
    [{ entries: ents(5, 1), offset: 5, offsetInProgress: 6, snap: snap(4, 1) }, 5, 1, 6, 6, 0],
    [{ entries: ents(5, 1, 1), offset: 5, offsetInProgress: 6, snap: snap(4, 1) }, 5, 1, 6, 6, 1],
    [{ entries: ents(5, 1, 1), offset: 5, offsetInProgress: 7, snap: snap(4, 1) }, 5, 1, 6, 7, 1],
    [{ entries: ents(6, 2), offset: 6, offsetInProgress: 7, snap: snap(5, 1) }, 6, 1, 6, 7, 1],
    // matches the snapshot, not an entry: ignored
    [{ entries: ents(5, 1), offset: 5, offsetInProgress: 6, snap: snap(4, 1) }, 4, 1, 5, 6, 1],
    [{ entries: ents(5, 2), offset: 5, offsetInProgress: 6, snap: snap(4, 2) }, 4, 1, 5, 6, 1],
  ])('stableTo %#', (c, index, term, woffset, woip, wlen) => {
    const u = mk(c);
    u.stableTo({ index, term });
    expect(u.offset).toBe(woffset);
    expect(u.offsetInProgress).toBe(woip);
    expect(u.entries.length).toBe(wlen);
  });

  it('stableTo explains why it ignores a request', () => {
    const { logger: l, lines } = recordingLogger();
    const u = new Unstable({ logger: l, entries: ents(5, 2), offset: 5, offsetInProgress: 6, snapshot: snap(4, 2) });
    u.stableTo({ index: 9, term: 2 });
    u.stableTo({ index: 4, term: 2 });
    u.stableTo({ index: 5, term: 1 });
    expect(lines).toEqual([
      'entry at index 9 missing from unstable log; ignoring',
      'entry at index 4 matched unstable snapshot; ignoring',
      'entry at (index,term)=(5,1) mismatched with entry at (5,2) in unstable log; ignoring',
    ]);
  });

  it('stableSnapTo clears only the matching snapshot', () => {
    const u = new Unstable({ logger, snapshot: snap(4, 1), snapshotInProgress: true, offset: 5, offsetInProgress: 5 });
    u.stableSnapTo(3);
    expect(u.snapshot).toBeDefined();
    u.stableSnapTo(4);
    expect(u.snapshot).toBeUndefined();
    expect(u.snapshotInProgress).toBe(false);
  });

  it.each<[Case, Entry[], number, number, Array<[number, number]>]>([
    // append at the end
    [
      { entries: ents(5, 1), offset: 5, offsetInProgress: 5 },
      ents(6, 1, 1),
      5,
      5,
      [
        [5, 1],
        [6, 1],
        [7, 1],
      ],
    ],
    [
      { entries: ents(5, 1), offset: 5, offsetInProgress: 6 },
      ents(6, 1, 1),
      5,
      6,
      [
        [5, 1],
        [6, 1],
        [7, 1],
      ],
    ],
    // replace everything
    [
      { entries: ents(5, 1), offset: 5, offsetInProgress: 5 },
      ents(5, 2, 2),
      5,
      5,
      [
        [5, 2],
        [6, 2],
      ],
    ],
    [
      { entries: ents(5, 1), offset: 5, offsetInProgress: 5 },
      ents(4, 2, 2, 2),
      4,
      4,
      [
        [4, 2],
        [5, 2],
        [6, 2],
      ],
    ],
    [
      { entries: ents(5, 1), offset: 5, offsetInProgress: 6 },
      ents(5, 2, 2),
      5,
      5,
      [
        [5, 2],
        [6, 2],
      ],
    ],
    // truncate, then append
    [
      { entries: ents(5, 1, 1, 1), offset: 5, offsetInProgress: 5 },
      ents(6, 2),
      5,
      5,
      [
        [5, 1],
        [6, 2],
      ],
    ],
    [
      { entries: ents(5, 1, 1, 1), offset: 5, offsetInProgress: 5 },
      ents(7, 2, 2),
      5,
      5,
      [
        [5, 1],
        [6, 1],
        [7, 2],
        [8, 2],
      ],
    ],
    [
      { entries: ents(5, 1, 1, 1), offset: 5, offsetInProgress: 6 },
      ents(6, 2),
      5,
      6,
      [
        [5, 1],
        [6, 2],
      ],
    ],
    [
      { entries: ents(5, 1, 1, 1), offset: 5, offsetInProgress: 7 },
      ents(6, 2),
      5,
      6,
      [
        [5, 1],
        [6, 2],
      ],
    ],
  ])('truncateAndAppend %#', (c, toAppend, woffset, woip, want) => {
    const u = mk(c);
    u.truncateAndAppend(toAppend);
    expect(u.offset).toBe(woffset);
    expect(u.offsetInProgress).toBe(woip);
    expect(ids(u.entries)).toEqual(want);
  });

  it('truncateAndAppend logs what it does and does not keep the caller array', () => {
    const { logger: l, lines } = recordingLogger();
    const u = new Unstable({ logger: l, entries: ents(5, 1, 1, 1), offset: 5, offsetInProgress: 5 });
    u.truncateAndAppend(ents(6, 2));
    const mine = ents(4, 3);
    u.truncateAndAppend(mine);
    u.truncateAndAppend(ents(5, 3));
    expect(mine.length).toBe(1);
    expect(lines).toEqual([
      'truncate the unstable entries before index 6',
      'replace the unstable entries from index 4',
    ]);
  });

  it('truncateAndAppend past the end panics', () => {
    const u = mk({ entries: ents(5, 1), offset: 5 });
    expect(() => u.truncateAndAppend(ents(8, 1))).toThrow(new RaftPanic('unstable.slice[5,8) out of bound [5,6]'));
  });

  it('slice returns copies and checks bounds', () => {
    const u = mk({ entries: ents(5, 1, 1, 2), offset: 5 });
    const s = u.slice(6, 8);
    expect(ids(s)).toEqual([
      [6, 1],
      [7, 2],
    ]);
    s.push(newEntry({ index: 8, term: 9 }));
    expect(u.entries.length).toBe(3);
    expect(u.slice(5, 5)).toEqual([]);
    expect(() => u.slice(7, 6)).toThrow(new RaftPanic('invalid unstable.slice 7 > 6'));
    expect(() => u.slice(4, 6)).toThrow(new RaftPanic('unstable.slice[4,6) out of bound [5,8]'));
    expect(() => u.slice(5, 9)).toThrow(new RaftPanic('unstable.slice[5,9) out of bound [5,8]'));
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MajorityConfig } from './majority';
import { mapAckIndexer, VoteLost, VotePending, VoteWon, indexToString, voteResultString } from './quorum';

const acks = (entries: Array<[number, number]>) => mapAckIndexer(new Map(entries));

/** The committed index by brute force: the largest index that a majority has reached. */
function naiveCommitted(voters: number[], known: Map<number, number>): number {
  if (voters.length === 0) return Infinity;
  const q = Math.floor(voters.length / 2) + 1;
  const vals = voters.map((id) => known.get(id) ?? 0);
  let best = 0;
  for (const cand of vals) {
    if (vals.filter((v) => v >= cand).length >= q) best = Math.max(best, cand);
  }
  return best;
}

describe('MajorityConfig', () => {
  it('prints members sorted, in hex', () => {
    expect(new MajorityConfig([3, 1, 2]).toString()).toBe('(1 2 3)');
    expect(new MajorityConfig([16, 10]).toString()).toBe('(a 10)');
    expect(new MajorityConfig().toString()).toBe('()');
  });

  it('slice returns a sorted copy', () => {
    const c = new MajorityConfig([5, 2, 9]);
    const s = c.slice();
    expect(s).toEqual([2, 5, 9]);
    s.push(100);
    expect(c.slice()).toEqual([2, 5, 9]);
  });

  it('describe draws the bar chart', () => {
    const c = new MajorityConfig([1, 2, 3]);
    expect(
      c.describe(
        acks([
          [1, 101],
          [2, 102],
          [3, 103],
        ]),
      ),
    ).toBe('       idx\n>      101    (id=1)\nx>     102    (id=2)\nxx>    103    (id=3)\n');
    expect(
      c.describe(
        acks([
          [1, 100],
          [2, 100],
          [3, 100],
        ]),
      ),
    ).toBe('       idx\n>      100    (id=1)\n>      100    (id=2)\n>      100    (id=3)\n');
    expect(
      c.describe(
        acks([
          [1, 100],
          [2, 102],
          [3, 102],
        ]),
      ),
    ).toBe('       idx\n>      100    (id=1)\nx>     102    (id=2)\nx>     102    (id=3)\n');
    expect(
      c.describe(
        acks([
          [1, 101],
          [3, 103],
        ]),
      ),
    ).toBe('       idx\nx>     101    (id=1)\n?        0    (id=2)\nxx>    103    (id=3)\n');
    expect(new MajorityConfig().describe(acks([]))).toBe('<empty majority quorum>');
  });

  it('committedIndex picks the median-like quorum index', () => {
    expect(new MajorityConfig().committedIndex(acks([]))).toBe(Infinity);
    expect(indexToString(Infinity)).toBe('∞');
    expect(new MajorityConfig([1]).committedIndex(acks([]))).toBe(0);
    expect(new MajorityConfig([1]).committedIndex(acks([[1, 12]]))).toBe(12);
    expect(
      new MajorityConfig([1, 2]).committedIndex(
        acks([
          [1, 12],
          [2, 5],
        ]),
      ),
    ).toBe(5);
    expect(
      new MajorityConfig([1, 2, 3]).committedIndex(
        acks([
          [1, 100],
          [2, 101],
          [3, 99],
        ]),
      ),
    ).toBe(100);
    expect(new MajorityConfig([1, 2, 3]).committedIndex(acks([[1, 100]]))).toBe(0);
    expect(
      new MajorityConfig([1, 2, 3, 4]).committedIndex(
        acks([
          [1, 10],
          [2, 20],
          [3, 30],
          [4, 40],
        ]),
      ),
    ).toBe(20);
  });

  it('committedIndex follows membership changes', () => {
    const c = new MajorityConfig([1, 2, 3]);
    const l = acks([
      [1, 5],
      [2, 7],
      [3, 9],
      [4, 11],
      [5, 13],
    ]);
    expect(c.committedIndex(l)).toBe(7);
    c.add(4).add(5);
    expect(c.committedIndex(l)).toBe(9);
    c.delete(1);
    c.delete(2);
    expect(c.committedIndex(l)).toBe(11);
    c.clear();
    expect(c.committedIndex(l)).toBe(Infinity);
  });

  it('voteResult', () => {
    const c = new MajorityConfig([1, 2, 3]);
    expect(new MajorityConfig().voteResult(new Map())).toBe(VoteWon);
    expect(c.voteResult(new Map())).toBe(VotePending);
    expect(c.voteResult(new Map([[1, true]]))).toBe(VotePending);
    expect(
      c.voteResult(
        new Map([
          [1, true],
          [2, true],
        ]),
      ),
    ).toBe(VoteWon);
    expect(
      c.voteResult(
        new Map([
          [1, false],
          [2, false],
        ]),
      ),
    ).toBe(VoteLost);
    expect(
      c.voteResult(
        new Map([
          [1, true],
          [2, false],
        ]),
      ),
    ).toBe(VotePending);
    // Votes from non-members do not count.
    expect(
      c.voteResult(
        new Map([
          [1, true],
          [7, true],
          [8, true],
        ]),
      ),
    ).toBe(VotePending);
    expect(voteResultString(VoteWon)).toBe('VoteWon');
    expect(voteResultString(VoteLost)).toBe('VoteLost');
    expect(voteResultString(VotePending)).toBe('VotePending');
    expect(voteResultString(7)).toBe('VoteResult(7)');
  });

  it('committedIndex agrees with a brute-force computation (property)', () => {
    const arb = fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { maxLength: 25 }).chain((voters) =>
      fc.tuple(
        fc.constant(voters),
        // For each voter (and some non-voters), maybe a known index.
        fc.array(fc.tuple(fc.integer({ min: 1, max: 45 }), fc.integer({ min: 0, max: 20 })), { maxLength: 30 }),
      ),
    );
    fc.assert(
      fc.property(arb, ([voters, pairs]) => {
        const known = new Map(pairs);
        const c = new MajorityConfig(voters);
        // Call twice: the scratch buffer must not leak state between calls.
        expect(c.committedIndex(mapAckIndexer(known))).toBe(naiveCommitted(voters, known));
        expect(c.committedIndex(mapAckIndexer(known))).toBe(naiveCommitted(voters, known));
      }),
      { numRuns: 2000 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JointConfig } from './joint';
import { MajorityConfig } from './majority';
import { mapAckIndexer, VoteLost, VotePending, VoteWon } from './quorum';

/** The largest index committed in a majority of each non-empty half, by brute force. */
function naiveJointCommitted(halves: number[][], known: Map<number, number>): number {
  let result = Infinity;
  for (const voters of halves) {
    if (voters.length === 0) continue;
    const q = Math.floor(voters.length / 2) + 1;
    let best = 0;
    for (let idx = 0; idx <= 20; idx++) {
      if (voters.filter((id) => (known.get(id) ?? 0) >= idx).length >= q) best = idx;
    }
    result = Math.min(result, best);
  }
  return result;
}

describe('JointConfig', () => {
  it('prints one or both halves', () => {
    expect(new JointConfig(new MajorityConfig([1, 2, 3])).toString()).toBe('(1 2 3)');
    expect(new JointConfig(new MajorityConfig([1, 2, 3]), new MajorityConfig([1, 2])).toString()).toBe(
      '(1 2 3)&&(1 2)',
    );
    expect(new JointConfig().toString()).toBe('()');
  });

  it('indexes and destructures like a pair', () => {
    const a = new MajorityConfig([1]);
    const b = new MajorityConfig([2]);
    const j = new JointConfig(a, b);
    expect(j[0]).toBe(a);
    expect(j[1]).toBe(b);
    const [x, y] = j;
    expect(x).toBe(a);
    expect(y).toBe(b);
    expect([...j.ids()].sort()).toEqual([1, 2]);
  });

  it('clone is deep', () => {
    const j = new JointConfig(new MajorityConfig([1, 2]), new MajorityConfig([3]));
    const k = j.clone();
    k[0].add(9);
    k[1].delete(3);
    expect(j.toString()).toBe('(1 2)&&(3)');
    expect(k.toString()).toBe('(1 2 9)');
  });

  it('describe covers the union of both halves', () => {
    const j = new JointConfig(new MajorityConfig([1, 2]), new MajorityConfig([2, 3]));
    expect(
      j.describe(
        mapAckIndexer(
          new Map([
            [1, 5],
            [3, 7],
          ]),
        ),
      ),
    ).toBe('       idx\nx>       5    (id=1)\n?        0    (id=2)\nxx>      7    (id=3)\n');
  });

  it('voteResult needs both halves', () => {
    const j = new JointConfig(new MajorityConfig([1, 2, 3]), new MajorityConfig([3, 4, 5]));
    expect(
      j.voteResult(
        new Map([
          [1, true],
          [2, true],
        ]),
      ),
    ).toBe(VotePending);
    expect(
      j.voteResult(
        new Map([
          [1, true],
          [2, true],
          [3, true],
          [4, true],
        ]),
      ),
    ).toBe(VoteWon);
    expect(
      j.voteResult(
        new Map([
          [4, false],
          [5, false],
          [1, true],
          [2, true],
        ]),
      ),
    ).toBe(VoteLost);
    expect(new JointConfig(new MajorityConfig([1])).voteResult(new Map([[1, false]]))).toBe(VoteLost);
  });

  it('committedIndex agrees with a brute-force computation and is symmetric (property)', () => {
    const ids = fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { maxLength: 7 });
    const known = fc.array(fc.tuple(fc.integer({ min: 1, max: 14 }), fc.integer({ min: 0, max: 20 })), {
      maxLength: 16,
    });
    fc.assert(
      fc.property(ids, ids, known, (a, b, pairs) => {
        const m = new Map(pairs);
        const l = mapAckIndexer(m);
        const j = new JointConfig(new MajorityConfig(a), new MajorityConfig(b));
        const got = j.committedIndex(l);
        expect(got).toBe(naiveJointCommitted([a, b], m));
        expect(new JointConfig(new MajorityConfig(b), new MajorityConfig(a)).committedIndex(l)).toBe(got);
        // Joining a majority config with itself or with the empty one changes nothing.
        const ma = new MajorityConfig(a);
        expect(new JointConfig(ma, ma).committedIndex(l)).toBe(ma.committedIndex(l));
        expect(new JointConfig(ma).committedIndex(l)).toBe(ma.committedIndex(l));
      }),
      { numRuns: 2000 },
    );
  });
});

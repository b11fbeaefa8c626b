import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { confStateEquivalent } from '../raftpb/confstate';
import { newConfState, type ConfState } from '../raftpb/types';
import { makeProgressTracker } from '../tracker/tracker';
import { Changer } from './confchange';
import { restore, toConfChangeSingle } from './restore';
import { confChangesToString } from '../raftpb/confchange';

function roundTrip(cs: ConfState): void {
  const chg = new Changer(makeProgressTracker(20, 0), 10);
  const [cfg, trk] = restore(chg, cs);
  // restore leaves chg's tracker alone.
  expect(chg.tracker.progress.size).toBe(0);
  chg.tracker.config = cfg;
  chg.tracker.progress = trk;
  const sorted = (a: number[]): number[] => a.slice().sort((x, y) => x - y);
  const want: ConfState = {
    voters: sorted(cs.voters),
    learners: sorted(cs.learners),
    votersOutgoing: sorted(cs.votersOutgoing),
    learnersNext: sorted(cs.learnersNext),
    autoLeave: cs.autoLeave,
  };
  const got = chg.tracker.confState();
  expect(got).toEqual(want);
  confStateEquivalent(cs, got);
  confStateEquivalent(got, cs);
}

describe('restore', () => {
  it('splits a joint ConfState into outgoing and incoming changes', () => {
    const [out, inc] = toConfChangeSingle(
      newConfState({ voters: [1, 2, 3], learners: [5], votersOutgoing: [1, 2, 4, 6], learnersNext: [4] }),
    );
    expect(confChangesToString(out)).toBe('v1 v2 v4 v6');
    expect(confChangesToString(inc)).toBe('r1 r2 r4 r6 v1 v2 v3 l5 l4');
  });

  it('restores fixed ConfStates', () => {
    for (const cs of [
      newConfState(),
      newConfState({ voters: [1, 2, 3] }),
      newConfState({ voters: [1, 2, 3], learners: [4, 5, 6] }),
      newConfState({ voters: [1, 2, 3], learners: [5], votersOutgoing: [1, 2, 4, 6], learnersNext: [4] }),
      newConfState({ voters: [3, 1], votersOutgoing: [2], autoLeave: true }),
    ]) {
      roundTrip(cs);
    }
    const chg = new Changer(makeProgressTracker(20, 0), 10);
    const [cfg] = restore(
      chg,
      newConfState({
        voters: [1, 2, 3],
        learners: [5],
        votersOutgoing: [1, 2, 4, 6],
        learnersNext: [4],
        autoLeave: true,
      }),
    );
    expect(cfg.toString()).toBe('voters=(1 2 3)&&(1 2 4 6) learners=(5) learners_next=(4) autoleave');
  });

  it('rejects an illegal ConfState', () => {
    const chg = new Changer(makeProgressTracker(20, 0), 10);
    // Learners without voters.
    expect(() => restore(chg, newConfState({ learners: [1] }))).toThrow('removed all voters');
  });

  it('round-trips random ConfStates (property)', () => {
    const arb = fc
      .record({
        nVoters: fc.integer({ min: 1, max: 5 }),
        nLearners: fc.integer({ min: 0, max: 4 }),
        nRemoved: fc.integer({ min: 0, max: 2 }),
        retained: fc.nat(),
        nextPick: fc.nat(),
        auto: fc.boolean(),
      })
      .chain((p) =>
        fc
          .shuffledSubarray(
            Array.from({ length: 2 * (p.nVoters + p.nLearners + p.nRemoved) }, (_, i) => i + 1),
            { minLength: p.nVoters + p.nLearners + p.nRemoved, maxLength: p.nVoters + p.nLearners + p.nRemoved },
          )
          .map((ids) => ({ p, ids })),
      )
      .map(({ p, ids }) => {
        const voters = ids.slice(0, p.nVoters);
        const learners = ids.slice(p.nVoters, p.nVoters + p.nLearners);
        const removed = ids.slice(p.nVoters + p.nLearners);
        const nRetained = p.retained % (p.nVoters + 1);
        const votersOutgoing = [...voters.slice(0, nRetained), ...removed];
        const learnersNext = removed.slice(0, p.nRemoved > 0 ? p.nextPick % (p.nRemoved + 1) : 0);
        return newConfState({
          voters,
          learners,
          votersOutgoing,
          learnersNext,
          autoLeave: votersOutgoing.length > 0 && p.auto,
        });
      });
    fc.assert(fc.property(arb, roundTrip), { numRuns: 1000 });
  });
});

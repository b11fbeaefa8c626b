import { describe, expect, it } from 'vitest';
import { confStateEquivalent } from './confstate';
import { newConfState } from './types';

describe('confStateEquivalent', () => {
  it('ignores order', () => {
    expect(() =>
      confStateEquivalent(
        newConfState({ voters: [1, 2, 3], learners: [5, 4, 6], votersOutgoing: [9, 8, 7], learnersNext: [10, 20, 15] }),
        newConfState({ voters: [1, 2, 3], learners: [4, 5, 6], votersOutgoing: [7, 9, 8], learnersNext: [20, 10, 15] }),
      ),
    ).not.toThrow();
    expect(() => confStateEquivalent(newConfState(), newConfState())).not.toThrow();
  });

  it('reports differences', () => {
    expect(() =>
      confStateEquivalent(newConfState({ voters: [1, 2, 3, 4] }), newConfState({ voters: [2, 1, 3] })),
    ).toThrow('ConfStates not equivalent after sorting:\n&raftpb.ConfState{Voters:[]uint64{1, 2, 3, 4}');
    expect(() => confStateEquivalent(newConfState({ voters: [1, 4, 3] }), newConfState({ voters: [2, 1, 3] }))).toThrow(
      'not equivalent',
    );
    expect(() => confStateEquivalent(newConfState({ learners: [1] }), newConfState({ learnersNext: [1] }))).toThrow(
      'not equivalent',
    );
    expect(() => confStateEquivalent(newConfState({ autoLeave: true }), newConfState())).toThrow('not equivalent');
    expect(() => confStateEquivalent(undefined, newConfState())).toThrow(
      'cannot compare ConfState: nil input (left=true, right=false)',
    );
  });
});

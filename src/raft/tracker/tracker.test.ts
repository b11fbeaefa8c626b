import { describe, expect, it } from 'vitest';
import { JointConfig } from '../quorum/joint';
import { MajorityConfig } from '../quorum/majority';
import { VoteLost, VotePending, VoteWon } from '../quorum/quorum';
import { Progress } from './progress';
import { Config, makeProgressTracker, type ProgressTracker } from './tracker';

function trackerWith(voters: number[], outgoing: number[] = [], learners: number[] = []): ProgressTracker {
  const t = makeProgressTracker(10, 0);
  t.config.voters = new JointConfig(new MajorityConfig(voters), new MajorityConfig(outgoing));
  if (learners.length > 0) t.config.learners = new Set(learners);
  for (const id of new Set([...voters, ...outgoing])) t.progress.set(id, new Progress({ next: 1, recentActive: true }));
  for (const id of learners) t.progress.set(id, new Progress({ next: 1, isLearner: true, recentActive: true }));
  return t;
}

describe('Config', () => {
  it('prints like etcd, distinguishing absent from empty sets', () => {
    const c = new Config({
      voters: new JointConfig(new MajorityConfig([1, 2, 3]), new MajorityConfig([1, 2])),
      learners: new Set([4]),
      learnersNext: new Set([5]),
      autoLeave: true,
    });
    expect(c.toString()).toBe('voters=(1 2 3)&&(1 2) learners=(4) learners_next=(5) autoleave');
    expect(new Config().toString()).toBe('voters=()');
    expect(new Config({ learners: new Set() }).toString()).toBe('voters=() learners=()');
  });

  it('clone is deep and, like etcd, drops autoLeave', () => {
    const c = new Config({
      voters: new JointConfig(new MajorityConfig([1]), new MajorityConfig([2])),
      learners: new Set([3]),
      autoLeave: true,
    });
    const d = c.clone();
    d.voters[0].add(7);
    d.learners!.add(8);
    expect(c.toString()).toBe('voters=(1)&&(2) learners=(3) autoleave');
    expect(d.toString()).toBe('voters=(1 7)&&(2) learners=(3 8)');
    expect(d.learnersNext).toBeUndefined();
  });
});

describe('ProgressTracker', () => {
  it('committed uses match of the voters only', () => {
    const t = trackerWith([1, 2, 3], [], [4]);
    t.progress.get(1)!.match = 10;
    t.progress.get(2)!.match = 8;
    t.progress.get(3)!.match = 3;
    t.progress.get(4)!.match = 100;
    expect(t.committed()).toBe(8);
    // The progress map may be replaced wholesale; committed follows it.
    const t2 = trackerWith([1, 2, 3]);
    t.progress = t2.progress;
    expect(t.committed()).toBe(0);
  });

  it('committed in a joint config is the minimum of both halves', () => {
    const t = trackerWith([1, 2, 3], [3, 4, 5]);
    const m: Record<number, number> = { 1: 10, 2: 10, 3: 10, 4: 2, 5: 1 };
    for (const [id, pr] of t.progress) pr.match = m[id]!;
    expect(t.committed()).toBe(2);
  });

  it('visit goes in id order', () => {
    const t = trackerWith([5, 3, 9], [], [7, 1]);
    const seen: number[] = [];
    t.visit((id) => seen.push(id));
    expect(seen).toEqual([1, 3, 5, 7, 9]);
  });

  it('confState, voterNodes, learnerNodes, isSingleton', () => {
    const t = trackerWith([3, 1], [1, 2], [6, 5]);
    t.config.learnersNext = undefined;
    t.config.autoLeave = true;
    expect(t.confState()).toEqual({
      voters: [1, 3],
      learners: [5, 6],
      votersOutgoing: [1, 2],
      learnersNext: [],
      autoLeave: true,
    });
    expect(t.voterNodes()).toEqual([1, 2, 3]);
    expect(t.learnerNodes()).toEqual([5, 6]);
    expect(t.isSingleton()).toBe(false);
    expect(trackerWith([1]).isSingleton()).toBe(true);
    expect(trackerWith([1], [2]).isSingleton()).toBe(false);
    expect(makeProgressTracker(1, 0).learnerNodes()).toEqual([]);
    expect(makeProgressTracker(1, 0).confState()).toEqual({
      voters: [],
      learners: [],
      votersOutgoing: [],
      learnersNext: [],
      autoLeave: false,
    });
  });

  it('quorumActive counts recently active voters', () => {
    const t = trackerWith([1, 2, 3], [], [4]);
    expect(t.quorumActive()).toBe(true);
    t.progress.get(2)!.recentActive = false;
    expect(t.quorumActive()).toBe(true);
    t.progress.get(3)!.recentActive = false;
    expect(t.quorumActive()).toBe(false);
  });

  it('records and tallies votes', () => {
    const t = trackerWith([1, 2, 3], [], [4]);
    t.recordVote(1, true);
    t.recordVote(1, false); // only the first vote counts
    t.recordVote(4, true); // learner: not counted
    t.recordVote(9, false); // unknown peer: not counted
    expect(t.tallyVotes()).toEqual({ granted: 1, rejected: 0, result: VotePending });
    t.recordVote(2, true);
    expect(t.tallyVotes()).toEqual({ granted: 2, rejected: 0, result: VoteWon });
    t.resetVotes();
    t.recordVote(2, false);
    t.recordVote(3, false);
    expect(t.tallyVotes()).toEqual({ granted: 0, rejected: 2, result: VoteLost });
  });
});

// The leader's bookkeeping for the whole group: the membership configuration, the
// progress of every peer, and the votes of an election.

import { JointConfig } from '../quorum/joint';
import { MajorityConfig } from '../quorum/majority';
import { VoteWon, type AckedIndexer, type VoteResult } from '../quorum/quorum';
import type { ConfState } from '../raftpb/types';
import { type Progress, ProgressMap } from './progress';

/**
 * A membership configuration.
 *
 * Invariants: learners and voters (either half) are disjoint; every member of
 * learnersNext is an outgoing voter that becomes a learner when the joint
 * configuration is left; learnersNext is undefined and autoLeave false unless
 * the configuration is joint.
 *
 * learners and learnersNext are undefined rather than empty when there are none
 * (etcd's nil map); the text form shows a set that exists even if it is empty.
 */
export class Config {
  voters: JointConfig;
  /** Whether raft leaves the joint configuration on its own once that is safe. */
  autoLeave: boolean;
  learners: Set<number> | undefined;
  /** Outgoing voters that become learners on leaving the joint configuration. */
  learnersNext: Set<number> | undefined;

  constructor(
    init: { voters?: JointConfig; autoLeave?: boolean; learners?: Set<number>; learnersNext?: Set<number> } = {},
  ) {
    this.voters = init.voters ?? new JointConfig();
    this.autoLeave = init.autoLeave ?? false;
    this.learners = init.learners;
    this.learnersNext = init.learnersNext;
  }

  /** etcd's text, e.g. "voters=(1 2 3)&&(1 2) learners=(4) learners_next=(5) autoleave". */
  toString(): string {
    let s = `voters=${this.voters.toString()}`;
    if (this.learners !== undefined) s += ` learners=${new MajorityConfig(this.learners).toString()}`;
    if (this.learnersNext !== undefined) s += ` learners_next=${new MajorityConfig(this.learnersNext).toString()}`;
    if (this.autoLeave) s += ' autoleave';
    return s;
  }

  /**
   * A deep copy of the membership sets.
   *
   * Note: like etcd's Config.Clone, the copy does not carry autoLeave (it is
   * false); callers that need it copy it themselves.
   */
  clone(): Config {
    return new Config({
      voters: this.voters.clone(),
      learners: this.learners === undefined ? undefined : new Set(this.learners),
      learnersNext: this.learnersNext === undefined ? undefined : new Set(this.learnersNext),
    });
  }
}

/** The result of ProgressTracker.tallyVotes. */
export interface VoteTally {
  /** Yes votes from current voters. */
  granted: number;
  /** No votes from current voters. */
  rejected: number;
  result: VoteResult;
}

/** The configuration, the progress of each peer, and the votes of the current election. */
export class ProgressTracker {
  config: Config;
  progress: ProgressMap;
  votes: Map<number, boolean>;
  /** Per-peer limits on in-flight appends (Infinity / 0: unlimited bytes). */
  maxInflight: number;
  maxInflightBytes: number;

  /** Reads match indexes from the current progress map; made once, used on every commit check. */
  private readonly matchIndexer: AckedIndexer;

  constructor(maxInflight: number, maxInflightBytes: number) {
    this.maxInflight = maxInflight;
    this.maxInflightBytes = maxInflightBytes;
    this.config = new Config();
    this.votes = new Map();
    this.progress = new ProgressMap();
    this.matchIndexer = {
      ackedIndex: (id: number): number | undefined => {
        const pr = this.progress.get(id);
        return pr === undefined ? undefined : pr.match;
      },
    };
  }

  /**
   * A tracker sharing this one's config, progress and votes objects (etcd copies
   * the ProgressTracker struct this way when it hands it to a confchange.Changer).
   */
  shallowCopy(): ProgressTracker {
    const t = new ProgressTracker(this.maxInflight, this.maxInflightBytes);
    t.config = this.config;
    t.progress = this.progress;
    t.votes = this.votes;
    return t;
  }

  /** The configuration as a ConfState, every list sorted ascending. */
  confState(): ConfState {
    return {
      voters: this.config.voters[0].slice(),
      learners: sortedIds(this.config.learners),
      votersOutgoing: this.config.voters[1].slice(),
      learnersNext: sortedIds(this.config.learnersNext),
      autoLeave: this.config.autoLeave,
    };
  }

  /** Whether the group is a single voter (and not joint). */
  isSingleton(): boolean {
    return this.config.voters[0].size === 1 && this.config.voters[1].size === 0;
  }

  /** The highest index acknowledged (matched) by a quorum of the voters. */
  committed(): number {
    return this.config.voters.committedIndex(this.matchIndexer);
  }

  /** Calls f for every tracked peer (voters and learners) in ascending id order. */
  visit(f: (id: number, pr: Progress) => void): void {
    const progress = this.progress;
    const ids = progress.ids();
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const pr = progress.get(id);
      // A peer removed by an earlier callback of this same visit is skipped.
      if (pr !== undefined) f(id, pr);
    }
  }

  /** Whether a quorum of voters has been recently active. */
  quorumActive(): boolean {
    const votes = new Map<number, boolean>();
    this.visit((id, pr) => {
      if (pr.isLearner) return;
      votes.set(id, pr.recentActive);
    });
    return this.config.voters.voteResult(votes) === VoteWon;
  }

  /** The voters of both halves, ascending. */
  voterNodes(): number[] {
    return Array.from(this.config.voters.ids()).sort((a, b) => a - b);
  }

  /** The learners, ascending (empty when none). */
  learnerNodes(): number[] {
    return sortedIds(this.config.learners);
  }

  /** Forgets the votes of the last election. */
  resetVotes(): void {
    this.votes = new Map();
  }

  /** Records id's vote; only the first vote of a peer counts. */
  recordVote(id: number, v: boolean): void {
    if (!this.votes.has(id)) this.votes.set(id, v);
  }

  /**
   * Counts the votes of currently tracked non-learners, and decides the
   * election. (Votes from peers no longer in the configuration are not counted.)
   */
  tallyVotes(): VoteTally {
    let granted = 0;
    let rejected = 0;
    for (const [id, pr] of this.progress) {
      if (pr.isLearner) continue;
      const v = this.votes.get(id);
      if (v === undefined) continue;
      if (v) granted++;
      else rejected++;
    }
    return { granted, rejected, result: this.config.voters.voteResult(this.votes) };
  }
}

/** etcd's MakeProgressTracker: an empty configuration with no peers. */
export function makeProgressTracker(maxInflight: number, maxInflightBytes: number): ProgressTracker {
  return new ProgressTracker(maxInflight, maxInflightBytes);
}

function sortedIds(s: Set<number> | undefined): number[] {
  if (s === undefined || s.size === 0) return [];
  return Array.from(s).sort((a, b) => a - b);
}

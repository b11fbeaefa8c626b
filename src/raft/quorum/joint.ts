// Two majority configurations that must agree: the configuration in force while
// membership moves from an outgoing set of voters to an incoming one.

import { MajorityConfig } from './majority';
import { VoteLost, VotePending, type AckedIndexer, type Index, type VoteResult } from './quorum';

/**
 * A joint configuration: [0] is the incoming (or only) majority config, [1] the
 * outgoing one, empty unless a joint transition is under way. A decision needs
 * both majorities; an empty half agrees with anything.
 *
 * differs from etcd: etcd's JointConfig is a two-element array type. This class
 * keeps that shape (`voters[0]`, `voters[1]`, and `const [a, b] = voters`) and
 * adds the methods.
 */
export class JointConfig {
  0: MajorityConfig;
  1: MajorityConfig;

  constructor(incoming: MajorityConfig = new MajorityConfig(), outgoing: MajorityConfig = new MajorityConfig()) {
    this[0] = incoming;
    this[1] = outgoing;
  }

  *[Symbol.iterator](): IterableIterator<MajorityConfig> {
    yield this[0];
    yield this[1];
  }

  /** "(1 2 3)" or, when joint, "(1 2 3)&&(1 2)". */
  toString(): string {
    if (this[1].size > 0) return this[0].toString() + '&&' + this[1].toString();
    return this[0].toString();
  }

  /** A new set of every voter in either half. */
  ids(): Set<number> {
    const m = new Set<number>();
    for (const id of this[0]) m.add(id);
    for (const id of this[1]) m.add(id);
    return m;
  }

  /** The chart of MajorityConfig.describe over the union of both halves. */
  describe(l: AckedIndexer): string {
    return new MajorityConfig(this.ids()).describe(l);
  }

  /** The highest index committed in both halves. */
  committedIndex(l: AckedIndexer): Index {
    const a = this[0].committedIndex(l);
    const b = this[1].committedIndex(l);
    return a < b ? a : b;
  }

  /** Won only if both halves won; lost if either lost; pending otherwise. */
  voteResult(votes: ReadonlyMap<number, boolean>): VoteResult {
    const r1 = this[0].voteResult(votes);
    const r2 = this[1].voteResult(votes);
    if (r1 === r2) return r1;
    if (r1 === VoteLost || r2 === VoteLost) return VoteLost;
    return VotePending;
  }

  clone(): JointConfig {
    return new JointConfig(this[0].clone(), this[1].clone());
  }
}

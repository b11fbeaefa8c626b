// Shared vocabulary of the quorum package: log indexes as seen by a quorum, the
// lookup of what each voter has acknowledged, and the outcome of a vote.

/** A raft log position. `Infinity` stands for etcd's MaxUint64 ("everything"). */
export type Index = number;

/** Prints an Index as etcd does: the maximal index is "∞", others in decimal. */
export function indexToString(i: Index): string {
  return i === Infinity ? '∞' : String(i);
}

/**
 * Looks up the highest log index a voter is known to have acknowledged.
 * Returns undefined when nothing is known about the voter (which is different
 * from having acknowledged index 0).
 */
export interface AckedIndexer {
  ackedIndex(voterId: number): Index | undefined;
}

/** An AckedIndexer backed by a map from voter id to acknowledged index. */
export function mapAckIndexer(m: ReadonlyMap<number, Index>): AckedIndexer {
  return { ackedIndex: (id) => m.get(id) };
}

/** The outcome of a vote. Numbering matches etcd's VoteResult (it starts at 1). */
export const VoteResult = { VotePending: 1, VoteLost: 2, VoteWon: 3 } as const;
export type VoteResult = (typeof VoteResult)[keyof typeof VoteResult];
export const { VotePending, VoteLost, VoteWon } = VoteResult;

/** etcd's name of a vote result, e.g. "VoteWon"; out-of-range values print as "VoteResult(n)". */
export function voteResultString(r: number): string {
  switch (r) {
    case VotePending:
      return 'VotePending';
    case VoteLost:
      return 'VoteLost';
    case VoteWon:
      return 'VoteWon';
    default:
      return `VoteResult(${r})`;
  }
}

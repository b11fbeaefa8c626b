// Deliberate bugs for the deterministic simulation fuzzer (src/cluster/dst).
//
// Each flag, when set, makes exactly one spot of the implementation wrong in a
// known way, so that the fuzzer can prove its checkers catch that class of bug.
// Every flag is false by default and the guarded branches are inert: the library
// behaves exactly as etcd unless a test harness flips one. Only src/cluster/dst may
// call setMutant.

export interface MutationFlags {
  /** log.maybeCommit: commit a quorum-replicated index even if its entry is from an older term (Raft §5.4.2). */
  oldTermCommit: boolean;
  /** nodeHost.persist: the vote is not written to the disk (a restart forgets it). */
  voteNotPersisted: boolean;
  /** raft.step MsgVote: grant a vote even after voting for someone else in this term. */
  doubleVote: boolean;
  /** log.maybeAppend: accept an append whose previous entry does not match (no consistency check). */
  noLogCheck: boolean;
  /** nodeHost.apply: apply appended entries before they are committed. */
  applyBeforeCommit: boolean;
  /** log.maybeAppend: on a conflict, keep our existing (conflicting) entries instead of truncating them. */
  keepConflictingSuffix: boolean;
  /** raft.step: a pre-vote request for a higher term raises the receiver's term. */
  prevoteRaisesTerm: boolean;
  /** client.get: serve a read asked as linearizable from local state, without ReadIndex. */
  staleLocalRead: boolean;
}

/** The mutants by name, as the fuzzer's --mutant flag spells them. */
export const mutantFlags = {
  'old-term-commit': 'oldTermCommit',
  'vote-not-persisted': 'voteNotPersisted',
  'double-vote': 'doubleVote',
  'no-log-check': 'noLogCheck',
  'apply-before-commit': 'applyBeforeCommit',
  'keep-conflicting-suffix': 'keepConflictingSuffix',
  'prevote-raises-term': 'prevoteRaisesTerm',
  'stale-local-read': 'staleLocalRead',
} as const satisfies Record<string, keyof MutationFlags>;

export type MutantName = keyof typeof mutantFlags;

export const mutantNames = Object.keys(mutantFlags) as MutantName[];

export function isMutantName(s: string): s is MutantName {
  return Object.prototype.hasOwnProperty.call(mutantFlags, s);
}

/** The live flags (read at the mutated spots). All false: no mutation. */
export const mutation: MutationFlags = {
  oldTermCommit: false,
  voteNotPersisted: false,
  doubleVote: false,
  noLogCheck: false,
  applyBeforeCommit: false,
  keepConflictingSuffix: false,
  prevoteRaisesTerm: false,
  staleLocalRead: false,
};

/** Turns on exactly one mutant (undefined: none). */
export function setMutant(name: MutantName | undefined): void {
  for (const k of Object.keys(mutation) as (keyof MutationFlags)[]) mutation[k] = false;
  if (name !== undefined) mutation[mutantFlags[name]] = true;
}

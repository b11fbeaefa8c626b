// Comparison of ConfStates up to the order of their id lists.

import type { ConfState } from './types';

function sortedCopy(cs: ConfState): ConfState {
  const s = (a: readonly number[]): number[] => a.slice().sort((x, y) => x - y);
  return {
    voters: s(cs.voters),
    learners: s(cs.learners),
    votersOutgoing: s(cs.votersOutgoing),
    learnersNext: s(cs.learnersNext),
    autoLeave: cs.autoLeave,
  };
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A Go-like literal of a ConfState, for error messages. */
export function formatConfState(cs: ConfState): string {
  const l = (a: readonly number[]): string => `[]uint64{${a.join(', ')}}`;
  return (
    `&raftpb.ConfState{Voters:${l(cs.voters)}, Learners:${l(cs.learners)}, ` +
    `VotersOutgoing:${l(cs.votersOutgoing)}, LearnersNext:${l(cs.learnersNext)}, AutoLeave:${String(cs.autoLeave)}}`
  );
}

/**
 * Throws an Error describing the difference unless a and b describe the same
 * configuration (equal id lists once sorted, equal autoLeave).
 *
 * differs from etcd: the message has etcd's wording, but the ConfStates are
 * printed by formatConfState rather than Go's %+#v (which, for etcd's proto2
 * ConfState, prints AutoLeave as a pointer address and the message's internals).
 */
export function confStateEquivalent(a: ConfState | undefined, b: ConfState | undefined): void {
  if (a === undefined || b === undefined) {
    throw new Error(
      `cannot compare ConfState: nil input (left=${String(a === undefined)}, right=${String(b === undefined)})`,
    );
  }
  const sa = sortedCopy(a);
  const sb = sortedCopy(b);
  if (
    sameIds(sa.voters, sb.voters) &&
    sameIds(sa.learners, sb.learners) &&
    sameIds(sa.votersOutgoing, sb.votersOutgoing) &&
    sameIds(sa.learnersNext, sb.learnersNext) &&
    sa.autoLeave === sb.autoLeave
  ) {
    return;
  }
  throw new Error(
    `ConfStates not equivalent after sorting:\n${formatConfState(sa)}\n${formatConfState(sb)}\n` +
      `Inputs were:\n${formatConfState(a)}\n${formatConfState(b)}`,
  );
}

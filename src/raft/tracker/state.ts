// The replication state of a follower, as tracked by the leader.

/**
 * How the leader talks to one follower. Numbering matches etcd's tracker.StateType.
 * - StateProbe: the follower's last index is unknown; send one append at a time
 *   and learn from the reply.
 * - StateReplicate: the steady state; stream appends optimistically.
 * - StateSnapshot: the follower needs entries the leader no longer has; wait for
 *   a snapshot to land.
 */
export const StateType = { StateProbe: 0, StateReplicate: 1, StateSnapshot: 2 } as const;
export type StateType = (typeof StateType)[keyof typeof StateType];
export const { StateProbe, StateReplicate, StateSnapshot } = StateType;

/** stateTypeNames[s] is etcd's name of progress state s, e.g. "StateReplicate". */
export const stateTypeNames: readonly string[] = ['StateProbe', 'StateReplicate', 'StateSnapshot'];

export function stateTypeString(s: StateType): string {
  const name = stateTypeNames[s];
  if (name === undefined) throw new RangeError(`unknown progress state ${String(s)}`);
  return name;
}

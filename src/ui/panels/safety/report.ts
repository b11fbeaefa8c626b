// What the safety panel shows, as plain data: the rows of invariants, the
// linearizability view, and what the checkers are given. engine.ts computes a
// SafetyReport (through checkers.ts) and SafetyPanel.tsx draws it; both import these
// shapes from here, so neither imports the other's module for its types.

import type { ModelStep } from '../../../check/model';
import type { ClientOp } from '../../../cluster/client';
import type { ClusterObservation } from '../../../cluster/cluster';
import type { RecordedAction, TraceEvent } from '../../../cluster/recorder';

export type InvariantId =
  | 'election-safety'
  | 'leader-append-only'
  | 'log-matching'
  | 'leader-completeness'
  | 'state-machine-safety'
  | 'durability'
  | 'liveness';

/** ok: holds so far; violated: broken at `step`; waiting: nothing to judge yet; unavailable: no checker. */
export type CheckStatus = 'ok' | 'violated' | 'waiting' | 'unavailable';

export interface InvariantRow {
  id: InvariantId;
  title: string;
  /** One sentence: what the property says. */
  explain: string;
  status: CheckStatus;
  /** The recorder step where it first broke (a click seeks there). */
  step?: number;
  time?: number;
  detail?: string;
}

export interface LinearizabilityView {
  status: 'ok' | 'violated' | 'undecided' | 'unavailable';
  /** Linearization point (virtual time) of each operation, by op id. */
  points: ReadonlyMap<number, number>;
  /** The operation that cannot be placed, and the time from which no order works. */
  failOp?: number;
  failTime?: number;
  detail?: string;
}

export interface SafetyReport {
  step: number;
  traceHash: string;
  invariants: InvariantRow[];
  linearizability: LinearizabilityView;
  /** How long the checkers took (ms). */
  elapsedMs: number;
}

/** What the checkers are given. */
export interface SafetyInput {
  observation: ClusterObservation;
  /** Observations seen so far on this branch, oldest first, by step (the current one last). */
  observations: readonly ClusterObservation[];
  actions: readonly RecordedAction[];
  history: readonly ClientOp[];
  trace: readonly TraceEvent[];
  /**
   * The checkers' model of the same steps as `observations` (src/check/model.ts): each
   * node's volatile state plus its durable log (the newest `logWindow` entries).
   */
  modelSteps: readonly ModelStep[];
  /** Liveness: ticks a whole cluster may go without a committing leader. */
  livenessBound: number;
  /** Steps the linearizability search may take before answering 'undecided'. */
  linearizabilityBudget: number;
}

export const invariantInfo: readonly { id: InvariantId; title: string; explain: string }[] = [
  { id: 'election-safety', title: 'Election safety', explain: 'At most one leader is elected in any term.' },
  {
    id: 'leader-append-only',
    title: 'Leader append-only',
    explain: 'A leader never overwrites or deletes entries in its log; it only appends.',
  },
  {
    id: 'log-matching',
    title: 'Log matching',
    explain: 'Two logs with an entry of the same index and term are identical up to that index.',
  },
  {
    id: 'leader-completeness',
    title: 'Leader completeness',
    explain: 'An entry committed in a term is in the log of every leader of a later term.',
  },
  {
    id: 'state-machine-safety',
    title: 'State machine safety',
    explain: 'No two nodes apply different entries at the same index.',
  },
  {
    id: 'durability',
    title: 'Durability',
    explain: 'What a node persisted (term, vote, entries, commit) survives its crash and restart.',
  },
  {
    id: 'liveness',
    title: 'Liveness after healing',
    explain: 'Once a majority is up and connected, a leader is elected within a bounded time.',
  },
];

// The common face of a replicated state machine run by a NodeHost. The host decodes
// entries and talks to raft; the state machine only sees payloads, in log order.

import type { StateMachineKind } from '../protocol';

/** What applying one normal entry did, for the cycle record. */
export interface ApplyOutcome {
  /** Human-readable summary, e.g. "put x=1". */
  summary: string;
  /** The client request id carried by the entry, if any. */
  requestId?: string;
}

export interface StateMachine {
  readonly kind: StateMachineKind;
  /** Applies the payload of a non-empty EntryNormal entry. Never throws on bad input. */
  applyNormal(data: Uint8Array): ApplyOutcome;
  /** Applies a configuration-change entry's contribution: its ConfChange context. */
  applyConfChange(context: Uint8Array): void;
  /** The whole state, serialised (the data of a raft snapshot). */
  snapshot(): Uint8Array;
  /** Replaces the whole state with one produced by snapshot() (empty = initial state). */
  restore(data: Uint8Array): void;
  /** A local read of one key (undefined when absent or not a key-value machine). */
  get(key: string): string | undefined;
  /** The key-value contents for display (empty for machines without keys). */
  view(): Record<string, string>;
}

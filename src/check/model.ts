// The observation model the checkers consume: plain data, one record per step of a run.
// src/check knows nothing of the cluster: src/cluster/check/fromCluster.ts builds these
// steps from a live cluster's observations and disks.
//
// A step is one moment at which the whole cluster was looked at (in the UI: one recorded
// action). For every node it holds the volatile state the host reported (role, term,
// commit, applied, a hash of the KV map) when the node is running, and its durable state
// (HardState and log) from the disk, which outlives crashes. Log entries carry only
// (index, term, a short hash of the payload): enough to tell two entries apart.
//
// Logs may be windowed (`log.start` > snapshot index + 1): entries below `start` were
// left out to bound memory and are unknown to the checkers, exactly like compacted ones.

import type { StateType } from '../raft/types';

export interface ModelEntry {
  index: number;
  term: number;
  /** Short hash of the entry's type and data. */
  hash: string;
}

/** A node's durable log: the snapshot point and the entries known after it. */
export interface ModelLog {
  snapshotIndex: number;
  snapshotTerm: number;
  /** Index of entries[0] (snapshotIndex + 1 unless windowed). */
  start: number;
  /** Contiguous entries from `start` on. */
  entries: readonly ModelEntry[];
}

export interface ModelNode {
  id: number;
  /** Running (not crashed, not removed). A paused node is alive but frozen. */
  alive: boolean;
  paused: boolean;
  removed: boolean;
  /** Bumped by every restart. */
  incarnation: number;
  /** Volatile state; when not alive: the durable term/vote/commit, role undefined, applied 0. */
  term: number;
  vote: number;
  role: StateType | undefined;
  lead: number;
  commit: number;
  applied: number;
  /** Hash of the KV map (undefined when not alive). */
  kvHash: string | undefined;
  /** Durable HardState. */
  disk: { term: number; vote: number; commit: number };
  /** Durable log. */
  log: ModelLog;
}

export type ModelEvent =
  { kind: 'crash'; node: number } | { kind: 'restart'; node: number } | { kind: 'remove'; node: number };

export interface ModelStep {
  step: number;
  time: number;
  nodes: ModelNode[];
  /** Crashes and restarts since the previous step (derived from status and incarnation). */
  events: ModelEvent[];
  /**
   * The cluster is not whole enough to make progress: no running, unpaused voter is
   * connected both ways to a majority of running, unpaused voters (see majorityWhole).
   * Liveness is only judged while this is false.
   */
  faulty: boolean;
}

export interface Model {
  steps: ModelStep[];
}

// ---- helpers ----

export function logLastIndex(l: ModelLog): number {
  return l.entries.length > 0 ? l.start + l.entries.length - 1 : Math.max(l.snapshotIndex, l.start - 1);
}

/** The entry at `index`, or undefined when not known (compacted, windowed out, or beyond the end). */
export function entryAt(l: ModelLog, index: number): ModelEntry | undefined {
  return l.entries[index - l.start];
}

/** The term at `index` if known (the snapshot point counts). */
export function termAt(l: ModelLog, index: number): number | undefined {
  if (index === l.snapshotIndex) return l.snapshotTerm;
  return entryAt(l, index)?.term;
}

/** Builds a log from entries given as [term, hash?] pairs starting at `start` (for tests and tools). */
export function makeLog(start: number, ents: readonly (readonly [number, string?])[], snapshotTerm = 0): ModelLog {
  return {
    snapshotIndex: start - 1,
    snapshotTerm,
    start,
    entries: ents.map(([term, h], i) => ({ index: start + i, term, hash: h ?? `t${term}i${start + i}` })),
  };
}

/**
 * Re-derives each step's crash/restart/remove events from consecutive steps (for steps
 * assembled out of order, as the UI does after seeks). Returns new step objects; nodes
 * and logs are shared.
 */
export function relinkEvents(steps: readonly ModelStep[]): ModelStep[] {
  const prev = new Map<number, ModelNode>();
  return steps.map((s) => {
    const events: ModelEvent[] = [];
    for (const n of s.nodes) {
      const p = prev.get(n.id);
      prev.set(n.id, n);
      if (p === undefined) continue;
      if (p.alive && !n.alive && !n.removed) events.push({ kind: 'crash', node: n.id });
      if (n.alive && (!p.alive || n.incarnation > p.incarnation)) {
        if (p.alive) events.push({ kind: 'crash', node: n.id });
        events.push({ kind: 'restart', node: n.id });
      }
      if (!p.removed && n.removed) events.push({ kind: 'remove', node: n.id });
    }
    return { ...s, events };
  });
}

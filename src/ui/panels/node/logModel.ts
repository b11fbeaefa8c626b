// The log strip's model: which indices a node's log holds, what is known of each one
// (its term, whether it is persisted, committed, applied), and which range of cells a
// horizontally scrolled window shows. Pure functions, so the windowing is testable.
//
// Sources: the node's durable log (its Disk: snapshot + entries, read on the main
// thread) gives the entries and their terms up to persistedLastIndex; entries after
// that are unstable (still in raft's memory only) and their terms are not observed
// until the persist stage writes them, so those cells are drawn with an unknown term.

import type { Entry } from '../../../raft/raftpb/types';

/** What the strip draws for one node. Invariant: snapshotIndex < firstIndex <= lastIndex + 1. */
export interface LogModel {
  /** Index of the last entry covered by the snapshot (0 without one); its term. */
  snapshotIndex: number;
  snapshotTerm: number;
  /** First index still in the log (snapshotIndex + 1 after compaction). */
  firstIndex: number;
  /** Last index, including unstable entries. */
  lastIndex: number;
  /** Last index in stable storage: entries after it are unstable. */
  persistedLastIndex: number;
  commit: number;
  applied: number;
  /** Entries known by index (the persisted ones). */
  entries: ReadonlyMap<number, Entry>;
}

export interface LogCell {
  index: number;
  /** undefined: not observed (unstable, or dropped from the disk already). */
  entry: Entry | undefined;
  persisted: boolean;
  committed: boolean;
  applied: boolean;
}

/** Indexes entries by their index. */
export function indexEntries(entries: readonly Entry[]): Map<number, Entry> {
  const m = new Map<number, Entry>();
  for (const e of entries) m.set(e.index, e);
  return m;
}

/** Number of cells the strip draws (firstIndex..lastIndex). */
export function cellCount(m: LogModel): number {
  return Math.max(0, m.lastIndex - m.firstIndex + 1);
}

export function cellAt(m: LogModel, index: number): LogCell {
  return {
    index,
    entry: m.entries.get(index),
    persisted: index <= m.persistedLastIndex,
    committed: index <= m.commit,
    applied: index <= m.applied,
  };
}

/**
 * The cells to render for a horizontal window: positions [from, to) (0 = firstIndex),
 * with `overscan` extra cells each side, clamped to [0, count).
 */
export function visibleCells(
  count: number,
  cellWidth: number,
  scrollLeft: number,
  viewportWidth: number,
  overscan = 8,
): { from: number; to: number } {
  if (count <= 0 || cellWidth <= 0) return { from: 0, to: 0 };
  const from = Math.max(0, Math.floor(scrollLeft / cellWidth) - overscan);
  const to = Math.min(count, Math.ceil((scrollLeft + Math.max(0, viewportWidth)) / cellWidth) + overscan);
  return { from: Math.min(from, to), to };
}

/** A one-line description of a cell, for its tooltip. */
export function cellTitle(c: LogCell, text: string | undefined): string {
  const parts = [`index ${c.index}`];
  parts.push(c.entry === undefined ? 'term not observed yet' : `term ${c.entry.term}`);
  if (text !== undefined) parts.push(text);
  parts.push(c.persisted ? 'persisted' : 'unstable (not persisted yet)');
  parts.push(c.committed ? 'committed' : 'not committed');
  if (c.applied) parts.push('applied');
  return parts.join(' · ');
}

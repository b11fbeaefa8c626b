// The log matrix's model: the cluster's logs side by side, as in the Raft paper's
// figures (one row per node, one column per index). Pure functions over plain data,
// so the windowing, the reference log and the conflict marks are unit-tested.
//
// Sources, per node: its Disk (main thread, survives crashes) gives the persisted
// entries' terms (looked up by index, nothing copied); entries after persistedLastIndex are unstable (in raft's
// memory only) and their terms are unknown until the persist stage writes them. The
// prefix compacted into a snapshot is one block: its entries are gone, only the last
// one's term (the snapshot's) is known.
//
// "Conflicting" means the entry cannot survive: its term differs from the reference
// entry at that index, or it lies past the end of the leader's log. The reference is
// the leader's entry where the leader's term there is known, else the entry of any
// node that has committed that index (committed entries agree on every node).

/** One node's row. Invariant: snapIndex <= persistedLastIndex <= lastIndex (unless the log is empty). */
export interface MatrixRow {
  id: number;
  /** Entries up to here are compacted into the snapshot (0: none); snapTerm is the term at snapIndex. */
  snapIndex: number;
  snapTerm: number;
  /** First index of raft's in-memory log (it may still hold entries the disk's snapshot covers). */
  logFirst: number;
  /** Last index, unstable entries included. */
  lastIndex: number;
  /** Last index in stable storage. */
  persistedLastIndex: number;
  commit: number;
  applied: number;
  /** The term of the disk's entry at an index (undefined: none there, or compacted). */
  diskTerm: (index: number) => number | undefined;
}

export interface RowSource {
  id: number;
  /** First index still in raft's log, and its last index (both as the node's view gives them). */
  firstIndex: number;
  lastIndex: number;
  persistedLastIndex: number;
  commit: number;
  applied: number;
  /** The disk: snapshot (index, term), and the term of its entry at an index. */
  diskSnapIndex: number;
  diskSnapTerm: number;
  diskTerm: (index: number) => number | undefined;
}

/** Builds a row. The snapshot block covers what either raft's log or the disk has compacted. */
export function buildRow(s: RowSource): MatrixRow {
  const byLog = s.firstIndex - 1;
  let snapIndex = s.diskSnapIndex;
  let snapTerm = s.diskSnapTerm;
  if (byLog > snapIndex) {
    snapTerm = s.diskTerm(byLog) ?? 0;
    snapIndex = byLog;
  }
  const lastIndex = Math.max(s.lastIndex, snapIndex);
  return {
    id: s.id,
    snapIndex,
    snapTerm,
    logFirst: s.firstIndex,
    lastIndex,
    persistedLastIndex: Math.min(Math.max(s.persistedLastIndex, snapIndex), lastIndex),
    commit: s.commit,
    applied: s.applied,
    diskTerm: s.diskTerm,
  };
}

/** The term at `index` as far as it is observed: the snapshot's term at snapIndex, a persisted entry's after it. */
export function termAt(r: MatrixRow, index: number): number | undefined {
  if (index === r.snapIndex && index > 0) return r.snapTerm;
  if (index <= r.snapIndex || index > r.persistedLastIndex) return undefined;
  return r.diskTerm(index);
}

/**
 * The reference term at each index of [from, to): the leader's where known, else the
 * term of any node that committed the index and knows it. undefined: nothing to compare with.
 */
export function referenceTerms(
  rows: readonly MatrixRow[],
  leader: MatrixRow | undefined,
  from: number,
  to: number,
): (number | undefined)[] {
  const out: (number | undefined)[] = [];
  for (let i = from; i < to; i++) {
    let t = leader === undefined ? undefined : termAt(leader, i);
    if (t === undefined) {
      for (const r of rows) {
        if (r.commit < i) continue;
        t = termAt(r, i);
        if (t !== undefined) break;
      }
    }
    out.push(t);
  }
  return out;
}

/** How a cell differs from the reference (undefined: it does not, or it cannot be told). */
export type Conflict = 'term' | 'beyond-leader' | undefined;

/** Whether the entry at `index` of `row` conflicts, given the reference term there and the leader's row. */
export function conflictAt(
  row: MatrixRow,
  index: number,
  ref: number | undefined,
  leader: MatrixRow | undefined,
): Conflict {
  if (index <= row.snapIndex || index > row.lastIndex) return undefined;
  const t = termAt(row, index);
  if (t === undefined) return undefined;
  if (ref !== undefined) return t === ref ? undefined : 'term';
  if (leader !== undefined && leader !== row && index > leader.lastIndex) return 'beyond-leader';
  return undefined;
}

/** What a cell shows. `kind` 'none': the node has no entry at that index. */
export interface MatrixCell {
  index: number;
  kind: 'entry' | 'snapshot' | 'none';
  /** undefined: an unstable entry (term not observed yet) or one inside the snapshot. */
  term: number | undefined;
  persisted: boolean;
  committed: boolean;
  applied: boolean;
  conflict: Conflict;
}

export function cellOf(
  row: MatrixRow,
  index: number,
  ref: number | undefined,
  leader: MatrixRow | undefined,
): MatrixCell {
  const kind = index > row.lastIndex || index < 1 ? 'none' : index <= row.snapIndex ? 'snapshot' : 'entry';
  return {
    index,
    kind,
    term: kind === 'none' ? undefined : termAt(row, index),
    persisted: kind !== 'none' && index <= row.persistedLastIndex,
    committed: kind !== 'none' && index <= row.commit,
    applied: kind !== 'none' && index <= row.applied,
    conflict: kind === 'entry' ? conflictAt(row, index, ref, leader) : undefined,
  };
}

/** Short marks under a row's cells: c commit, a applied, p persisted (when behind last), m/n the leader's match/next. */
export interface LaneMark {
  index: number;
  /** Letters, in a fixed order (c a p m n). */
  text: string;
}

export function laneMarks(row: MatrixRow, progress: { match: number; next: number } | undefined): LaneMark[] {
  const at = new Map<number, string>();
  const add = (i: number, ch: string) => {
    if (i > 0) at.set(i, (at.get(i) ?? '') + ch);
  };
  add(row.commit, 'c');
  add(row.applied, 'a');
  if (row.persistedLastIndex < row.lastIndex) add(row.persistedLastIndex, 'p');
  if (progress !== undefined) {
    add(progress.match, 'm');
    add(progress.next, 'n');
  }
  return [...at].map(([index, text]) => ({ index, text })).sort((a, b) => a.index - b.index);
}

/** Highest last index over the rows (the matrix has columns 1..that). */
export function matrixWidth(rows: readonly MatrixRow[]): number {
  let w = 0;
  for (const r of rows) w = Math.max(w, r.lastIndex);
  return w;
}

/** The scroll offset that centres column `index` (1-based) in a viewport, clamped to the track. */
export function scrollForIndex(index: number, cellWidth: number, viewport: number, columns: number): number {
  const max = Math.max(0, columns * cellWidth - viewport);
  const x = (index - 1) * cellWidth + cellWidth / 2 - viewport / 2;
  return Math.min(max, Math.max(0, Math.round(x)));
}

/** What a conflicting cell's tooltip says about it. */
const conflictText = {
  term: "conflicts with the leader's entry (different term): it will be overwritten",
  'beyond-leader': "past the end of the leader's log: it will be overwritten",
};

/** A cell's tooltip (also the details' heading): node, index, term and markers in words. */
export function cellTitle(node: number, c: MatrixCell): string {
  if (c.kind === 'snapshot') return `node ${node} · index ${c.index} · compacted into the snapshot`;
  const parts = [`node ${node}`, `index ${c.index}`, c.term === undefined ? 'term not observed yet' : `term ${c.term}`];
  parts.push(c.persisted ? 'persisted' : 'unstable (not persisted yet)');
  parts.push(c.committed ? 'committed' : 'not committed');
  parts.push(c.applied ? 'applied' : 'not applied');
  if (c.conflict !== undefined) parts.push(conflictText[c.conflict]);
  return parts.join(' · ');
}

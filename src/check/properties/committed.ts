// What the run shows as committed: an entry at index i in a node's durable log with
// i <= that node's durable commit index. Shared by the properties that need it.

import { entryAt, logLastIndex, type ModelEntry, type ModelStep } from '../model';

export interface CommittedEntry {
  entry: ModelEntry;
  node: number;
  step: number;
}

export class CommittedTracker {
  /** Committed entries by index (the first seen). */
  readonly byIndex = new Map<number, CommittedEntry>();
  private readonly scanned = new Map<number, number>();
  maxIndex = 0;

  /** Adds what this step shows committed; returns the indexes where a node's committed entry differs. */
  observe(s: ModelStep): { index: number; node: number; was: CommittedEntry; now: ModelEntry }[] {
    const conflicts: { index: number; node: number; was: CommittedEntry; now: ModelEntry }[] = [];
    for (const n of s.nodes) {
      const l = n.log;
      const upTo = Math.min(n.disk.commit, logLastIndex(l));
      const from = Math.max((this.scanned.get(n.id) ?? 0) + 1, l.start);
      for (let i = from; i <= upTo; i++) {
        const e = entryAt(l, i);
        if (e === undefined) continue;
        const was = this.byIndex.get(i);
        if (was === undefined) this.byIndex.set(i, { entry: e, node: n.id, step: s.step });
        else if (was.entry.term !== e.term || was.entry.hash !== e.hash)
          conflicts.push({ index: i, node: n.id, was, now: e });
      }
      if (upTo > (this.scanned.get(n.id) ?? 0)) this.scanned.set(n.id, upTo);
      if (upTo > this.maxIndex) this.maxIndex = upTo;
    }
    return conflicts;
  }
}

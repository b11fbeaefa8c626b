// Leader completeness: every entry committed before a node became leader of a term is
// in that leader's log (compacted entries count as present).

import { StateLeader } from '../../raft/types';
import { entryAt, logLastIndex, type Model } from '../model';
import { CommittedTracker } from './committed';
import { Collector, type PropertyOptions, type PropertyResult } from './types';

export function checkLeaderCompleteness(model: Model, opts: PropertyOptions = {}): PropertyResult {
  const c = new Collector('leader-completeness', opts);
  const committed = new CommittedTracker();
  const checked = new Set<string>();
  for (const s of model.steps) {
    // Leaders first seen at this step are judged against what was committed before it.
    for (const n of s.nodes) {
      if (!n.alive || n.role !== StateLeader || c.full) continue;
      const key = `${n.id}:${n.term}`;
      if (checked.has(key)) continue;
      checked.add(key);
      const l = n.log;
      const last = logLastIndex(l);
      for (const [i, ce] of committed.byIndex) {
        if (i <= l.snapshotIndex || i < l.start) continue;
        const e = i <= last ? entryAt(l, i) : undefined;
        if (e === undefined || e.term !== ce.entry.term || e.hash !== ce.entry.hash) {
          c.add(
            s.step,
            s.time,
            `leader ${n.id} of term ${n.term} lacks entry ${i} (term ${ce.entry.term}), committed at step ${ce.step}`,
          );
          break;
        }
      }
    }
    committed.observe(s);
  }
  return c.result();
}

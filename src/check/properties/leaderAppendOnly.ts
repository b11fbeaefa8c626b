// Leader append-only: while a node stays leader of one term, its log only grows; no
// entry it held is overwritten or removed (compaction into a snapshot excepted).

import { StateLeader } from '../../raft/types';
import { entryAt, logLastIndex, type Model, type ModelNode } from '../model';
import { Collector, type PropertyOptions, type PropertyResult } from './types';

export function checkLeaderAppendOnly(model: Model, opts: PropertyOptions = {}): PropertyResult {
  const c = new Collector('leader-append-only', opts);
  const prev = new Map<number, ModelNode>();
  for (const s of model.steps) {
    for (const n of s.nodes) {
      const p = prev.get(n.id);
      prev.set(n.id, n);
      if (p === undefined || c.full) continue;
      const leaderBoth =
        p.alive &&
        n.alive &&
        p.role === StateLeader &&
        n.role === StateLeader &&
        p.term === n.term &&
        p.incarnation === n.incarnation &&
        p.disk.term === n.term &&
        n.disk.term === n.term;
      if (!leaderBoth || p.log === n.log) continue;
      const pl = p.log;
      const nl = n.log;
      const pLast = logLastIndex(pl);
      const nLast = logLastIndex(nl);
      if (nLast < pLast) {
        c.add(s.step, s.time, `leader ${n.id} (term ${n.term}) shrank its log from last index ${pLast} to ${nLast}`);
        continue;
      }
      const from = Math.max(pl.start, nl.start, nl.snapshotIndex + 1);
      for (let i = from; i <= pLast; i++) {
        const a = entryAt(pl, i);
        const b = entryAt(nl, i);
        if (a === undefined || b === undefined) continue;
        if (a.term !== b.term || a.hash !== b.hash) {
          c.add(
            s.step,
            s.time,
            `leader ${n.id} (term ${n.term}) overwrote its entry ${i} (term ${a.term} → ${b.term})`,
          );
          break;
        }
      }
    }
  }
  return c.result();
}

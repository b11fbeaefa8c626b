// Election safety: at most one node is leader in any term (over the whole run).

import { StateLeader } from '../../raft/types';
import type { Model } from '../model';
import { Collector, type PropertyOptions, type PropertyResult } from './types';

export function checkElectionSafety(model: Model, opts: PropertyOptions = {}): PropertyResult {
  const c = new Collector('election-safety', opts);
  const leaderOf = new Map<number, number>();
  const reported = new Set<number>();
  for (const s of model.steps) {
    for (const n of s.nodes) {
      if (!n.alive || n.role !== StateLeader) continue;
      const prev = leaderOf.get(n.term);
      if (prev === undefined) leaderOf.set(n.term, n.id);
      else if (prev !== n.id && !reported.has(n.term)) {
        reported.add(n.term);
        c.add(s.step, s.time, `nodes ${prev} and ${n.id} were both leader in term ${n.term}`);
      }
    }
  }
  return c.result();
}

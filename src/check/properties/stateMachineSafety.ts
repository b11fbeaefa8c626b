// State machine safety: no two nodes apply different entries at the same index. Seen
// two ways: the entries in a node's log up to its applied index agree across nodes,
// and nodes that applied the same prefix hold the same KV state.

import { entryAt, logLastIndex, type Model, type ModelEntry } from '../model';
import { Collector, type PropertyOptions, type PropertyResult } from './types';

export function checkStateMachineSafety(model: Model, opts: PropertyOptions = {}): PropertyResult {
  const c = new Collector('state-machine-safety', opts);
  const applied = new Map<number, { entry: ModelEntry; node: number }>();
  const checkedUpTo = new Map<number, number>();
  const kvAt = new Map<number, { node: number; hash: string; step: number }>();
  for (const s of model.steps) {
    if (c.full) break;
    for (const n of s.nodes) {
      if (!n.alive) continue;
      let done = checkedUpTo.get(n.id) ?? 0;
      if (n.applied < done) done = n.applied; // restarted: applies again from its snapshot
      const upTo = Math.min(n.applied, logLastIndex(n.log));
      for (let i = Math.max(done + 1, n.log.start); i <= upTo; i++) {
        const e = entryAt(n.log, i);
        if (e === undefined) continue;
        const a = applied.get(i);
        if (a === undefined) applied.set(i, { entry: e, node: n.id });
        else if (a.entry.term !== e.term || a.entry.hash !== e.hash) {
          c.add(
            s.step,
            s.time,
            `node ${n.id} applied entry ${i} of term ${e.term} but node ${a.node} applied one of term ${a.entry.term}${a.entry.term === e.term ? ' with other data' : ''}`,
          );
          break;
        }
      }
      checkedUpTo.set(n.id, Math.max(done, upTo));
      if (n.kvHash === undefined || n.applied === 0) continue;
      const k = kvAt.get(n.applied);
      if (k === undefined) kvAt.set(n.applied, { node: n.id, hash: n.kvHash, step: s.step });
      else if (k.hash !== n.kvHash)
        c.add(s.step, s.time, `nodes ${k.node} and ${n.id} applied up to index ${n.applied} but hold different data`);
    }
  }
  return c.result();
}

// Durability: what a node persisted survives. Per node: the durable term and commit
// never go back, the vote of a term never changes once cast, nothing on disk changes
// while the node is down, and committed entries on its disk are never replaced or
// dropped (compaction into a snapshot excepted). Across the cluster: no index ever
// shows two different committed entries.

import { entryAt, logLastIndex, type Model, type ModelNode } from '../model';
import { CommittedTracker } from './committed';
import { Collector, type PropertyOptions, type PropertyResult } from './types';

export function checkDurability(model: Model, opts: PropertyOptions = {}): PropertyResult {
  const c = new Collector('durability', opts);
  const prev = new Map<number, ModelNode>();
  const committed = new CommittedTracker();
  for (const s of model.steps) {
    if (c.full) break;
    for (const n of s.nodes) {
      const p = prev.get(n.id);
      prev.set(n.id, n);
      if (p === undefined) continue;
      const d = n.disk;
      const pd = p.disk;
      const restarted = s.events.some((e) => e.kind === 'restart' && e.node === n.id);
      const across = restarted ? ' across a restart' : '';
      if (d.term < pd.term) {
        c.add(s.step, s.time, `node ${n.id}'s durable term went back${across} (${pd.term} → ${d.term})`);
        continue;
      }
      if (d.commit < pd.commit) {
        c.add(s.step, s.time, `node ${n.id}'s durable commit went back${across} (${pd.commit} → ${d.commit})`);
        continue;
      }
      if (d.term === pd.term && pd.vote !== 0 && d.vote !== pd.vote) {
        c.add(s.step, s.time, `node ${n.id}'s vote in term ${d.term} changed${across} (${pd.vote} → ${d.vote})`);
        continue;
      }
      if (
        !p.alive &&
        !n.alive &&
        !n.removed &&
        (d.term !== pd.term ||
          d.vote !== pd.vote ||
          d.commit !== pd.commit ||
          logLastIndex(n.log) !== logLastIndex(p.log))
      ) {
        c.add(s.step, s.time, `node ${n.id}'s disk changed while it was down`);
        continue;
      }
      if (n.log !== p.log) {
        // Entries up to the previous durable commit must still be there, unchanged.
        const upTo = Math.min(pd.commit, logLastIndex(p.log));
        const nLast = logLastIndex(n.log);
        if (nLast < upTo && n.log.snapshotIndex < upTo) {
          c.add(s.step, s.time, `node ${n.id} lost committed entries ${nLast + 1}..${upTo}${across}`);
          continue;
        }
        const from = Math.max(p.log.start, n.log.start, n.log.snapshotIndex + 1);
        for (let i = from; i <= upTo; i++) {
          const a = entryAt(p.log, i);
          const b = entryAt(n.log, i);
          if (a === undefined || b === undefined) continue;
          if (a.term !== b.term || a.hash !== b.hash) {
            c.add(s.step, s.time, `node ${n.id} replaced committed entry ${i} (term ${a.term} → ${b.term})${across}`);
            break;
          }
        }
      }
    }
    for (const k of committed.observe(s))
      c.add(
        s.step,
        s.time,
        `committed entry ${k.index} (term ${k.was.entry.term}, seen on node ${k.was.node}) is lost: node ${k.node} committed an entry of term ${k.now.term} there`,
      );
  }
  return c.result();
}

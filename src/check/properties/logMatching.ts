// Log matching: if two logs hold an entry with the same index and term, they hold the
// same entries at every index up to it. Judged on the durable logs at every step.

import type { Model, ModelLog } from '../model';
import { entryAt, logLastIndex } from '../model';
import { Collector, type PropertyOptions, type PropertyResult } from './types';

/** The first index at which the two logs disagree below a common (index, term), or undefined. */
export function logMismatch(a: ModelLog, b: ModelLog): { at: number; anchor: number } | undefined {
  const lo = Math.max(a.start, b.start);
  const hi = Math.min(logLastIndex(a), logLastIndex(b));
  let anchor: number | undefined;
  let bad: number | undefined;
  for (let i = hi; i >= lo; i--) {
    const x = entryAt(a, i)!;
    const y = entryAt(b, i)!;
    if (anchor === undefined) {
      if (x.term === y.term) {
        anchor = i;
        if (x.hash !== y.hash) bad = i;
      }
    } else if (x.term !== y.term || x.hash !== y.hash) bad = i;
  }
  return anchor !== undefined && bad !== undefined ? { at: bad, anchor } : undefined;
}

export function checkLogMatching(model: Model, opts: PropertyOptions = {}): PropertyResult {
  const c = new Collector('log-matching', opts);
  // Pairs already compared with exactly these two log values.
  const seen = new Map<string, [ModelLog, ModelLog]>();
  const reported = new Set<string>();
  for (const s of model.steps) {
    const ns = s.nodes;
    for (let i = 0; i < ns.length && !c.full; i++) {
      for (let j = i + 1; j < ns.length; j++) {
        const a = ns[i]!;
        const b = ns[j]!;
        const key = `${a.id},${b.id}`;
        const last = seen.get(key);
        if (last !== undefined && last[0] === a.log && last[1] === b.log) continue;
        seen.set(key, [a.log, b.log]);
        const m = logMismatch(a.log, b.log);
        if (m !== undefined && !reported.has(key)) {
          reported.add(key);
          c.add(
            s.step,
            s.time,
            `nodes ${a.id} and ${b.id} agree on the term of entry ${m.anchor} but differ at entry ${m.at}`,
          );
        }
      }
    }
  }
  return c.result();
}

// Linearizability of the client history against a KV register model, key by key (a
// history is linearizable iff each key's sub-history is: P-compositionality).

import { checkKey } from './register';
import type { HistoryOp, LinFailure, LinOp, LinOptions, LinResult } from './types';

export type { HistoryOp, LinFailure, LinOp, LinOptions, LinResult } from './types';
export { checkKey } from './register';

/** The KV operations of a client history as checker ops; stale and unusable ones listed apart. */
export function toLinOps(history: readonly HistoryOp[]): { ops: LinOp[]; stale: number[]; excluded: number[] } {
  const ops: LinOp[] = [];
  const stale: number[] = [];
  const excluded: number[] = [];
  for (const h of history) {
    if ((h.kind !== 'put' && h.kind !== 'get') || h.key === undefined) {
      excluded.push(h.id);
      continue;
    }
    if (h.kind === 'put') {
      // A failed or pending put may still have been committed: it may or may not take effect.
      const complete = h.status === 'ok' && h.completeTime !== undefined ? h.completeTime : Infinity;
      ops.push({ id: h.id, key: h.key, kind: 'put', value: h.value ?? '', invoke: h.invokeTime, complete });
      continue;
    }
    if (h.consistency === 'stale-possible') {
      stale.push(h.id);
      continue;
    }
    if (h.status !== 'ok' || h.completeTime === undefined) {
      excluded.push(h.id);
      continue;
    }
    const value = h.found === false ? undefined : h.result;
    ops.push({ id: h.id, key: h.key, kind: 'get', value, invoke: h.invokeTime, complete: h.completeTime });
  }
  return { ops, stale, excluded };
}

/** Checks register ops (any keys). */
export function checkRegister(ops: readonly LinOp[], opts: LinOptions = {}): Omit<LinResult, 'stale' | 'excluded'> {
  let budget = opts.budget ?? 1_000_000;
  const byKey = new Map<string, LinOp[]>();
  for (const o of ops) {
    const l = byKey.get(o.key);
    if (l === undefined) byKey.set(o.key, [o]);
    else l.push(o);
  }
  const points = new Map<number, number>();
  const order = new Map<string, number[]>();
  let steps = 0;
  let unknown = false;
  let fail: LinFailure | undefined;
  for (const [key, kops] of [...byKey].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const r = checkKey(kops, budget);
    steps += r.steps;
    budget -= r.steps;
    if (r.status === 'unknown') {
      unknown = true;
      break;
    }
    const ids = r.order.map((i) => kops[i]!.id);
    order.set(key, ids);
    let p = -Infinity;
    for (const i of r.order) {
      const o = kops[i]!;
      p = Math.max(p, o.invoke);
      points.set(o.id, Math.min(p, o.complete));
    }
    if (r.status === 'violated') {
      const o = kops[r.failAt!]!;
      const f: LinFailure = {
        op: o.id,
        key,
        time: o.complete,
        message:
          o.kind === 'get'
            ? `get ${key} → ${o.value ?? '(none)'} (op ${o.id}) fits no order of the writes to ${key}`
            : `put ${key}=${o.value ?? ''} (op ${o.id}) fits no order of the operations on ${key}`,
      };
      if (fail === undefined || f.time < fail.time) fail = f;
    }
  }
  const status = fail !== undefined ? 'violated' : unknown ? 'unknown' : 'ok';
  const res: Omit<LinResult, 'stale' | 'excluded'> = { status, points, order, steps };
  if (fail !== undefined) res.fail = fail;
  return res;
}

/** Checks a client history (a Cluster's history is one). */
export function checkLinearizability(history: readonly HistoryOp[], opts: LinOptions = {}): LinResult {
  const { ops, stale, excluded } = toLinOps(history);
  return { ...checkRegister(ops, opts), stale, excluded };
}

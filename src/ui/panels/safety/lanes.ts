// The client history laid out for drawing (pure): one lane per client, each operation
// a bar from its invocation to its completion, with its linearization point if the
// checker found one.

import type { ClientOp } from '../../../cluster/client';

export interface OpBar {
  op: ClientOp;
  lane: number;
  /** Row within the lane (overlapping operations of one client stack). */
  row: number;
  start: number;
  /** Completion time; for a pending op, the present. */
  end: number;
  pending: boolean;
  /** A local read that may be stale (served without ReadIndex). */
  stale: boolean;
  /** Linearization point (time), if the checker gave one. */
  point: number | undefined;
}

export interface LaneLayout {
  clients: string[];
  /** Rows per lane (>= 1). */
  rows: number[];
  bars: OpBar[];
  t0: number;
  t1: number;
}

/** Only key-value operations are part of the linearizability check. */
export function isKvOp(op: ClientOp): boolean {
  return op.kind === 'put' || op.kind === 'get';
}

export function opLabel(op: ClientOp): string {
  if (op.kind === 'put') return `put ${op.key ?? ''}=${op.value ?? ''}`;
  if (op.kind === 'get') {
    const v = op.status === 'ok' ? (op.found === false ? ' → (none)' : ` → ${op.result ?? ''}`) : '';
    return `get ${op.key ?? ''}${v}`;
  }
  return op.kind;
}

export function layoutHistory(
  history: readonly ClientOp[],
  now: number,
  points: ReadonlyMap<number, number>,
): LaneLayout {
  const ops = history.filter(isKvOp);
  const clients = [...new Set(ops.map((o) => o.client))].sort();
  const laneOf = new Map(clients.map((c, i) => [c, i]));
  // Per lane, per row: end time of the last bar placed (greedy interval packing).
  const rowEnds: number[][] = clients.map(() => []);
  const bars: OpBar[] = [];
  let t0 = Infinity;
  let t1 = now;
  for (const op of [...ops].sort((a, b) => a.invokeTime - b.invokeTime || a.id - b.id)) {
    const lane = laneOf.get(op.client)!;
    const pending = op.completeTime === undefined;
    const start = op.invokeTime;
    const end = op.completeTime ?? Math.max(now, start);
    const ends = rowEnds[lane]!;
    let row = ends.findIndex((e) => e < start);
    if (row < 0) {
      row = ends.length;
      ends.push(end);
    } else ends[row] = end;
    if (start < t0) t0 = start;
    if (end > t1) t1 = end;
    bars.push({
      op,
      lane,
      row,
      start,
      end,
      pending,
      stale: op.kind === 'get' && op.consistency === 'stale-possible',
      point: points.get(op.id),
    });
  }
  return {
    clients,
    rows: rowEnds.map((r) => Math.max(1, r.length)),
    bars,
    t0: Number.isFinite(t0) ? t0 : 0,
    t1: Math.max(t1, Number.isFinite(t0) ? t0 + 1 : 1),
  };
}

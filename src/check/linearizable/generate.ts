// A seeded simulated linearizable KV register: clients issue overlapping operations,
// each takes effect at a random point within its interval, and reads return what the
// register held at their point. The result is a valid history (for tests and benches).

import type { LinOp } from './types';

/** mulberry32: a small seeded generator of floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GenerateOptions {
  seed: number;
  ops: number;
  clients: number;
  keys: number;
  /** Probability that an op is a put (default 0.4). */
  putRatio?: number;
  /** Probability that a put never completes (default 0.01); half of those take effect. */
  pendingRatio?: number;
  /** Longest op duration in time units (default 20). */
  maxDuration?: number;
}

export function generateRegisterHistory(o: GenerateOptions): LinOp[] {
  const rnd = seededRandom(o.seed);
  const putRatio = o.putRatio ?? 0.4;
  const pendingRatio = o.pendingRatio ?? 0.01;
  const maxDur = o.maxDuration ?? 20;
  const keys = Array.from({ length: o.keys }, (_, i) => String.fromCharCode(97 + i));
  const free = new Array<number>(o.clients).fill(0);
  const planned: { op: LinOp; point: number | undefined }[] = [];
  for (let i = 0; i < o.ops; i++) {
    // The client that is free first issues the next operation.
    let c = 0;
    for (let j = 1; j < o.clients; j++) if (free[j]! < free[c]!) c = j;
    const invoke = free[c]! + Math.floor(rnd() * 4);
    const dur = 1 + Math.floor(rnd() * maxDur);
    const key = keys[Math.floor(rnd() * keys.length)]!;
    const put = rnd() < putRatio;
    const pending = put && rnd() < pendingRatio;
    const complete = pending ? Infinity : invoke + dur;
    const point = pending ? (rnd() < 0.5 ? undefined : invoke + rnd() * dur) : invoke + rnd() * dur;
    const op: LinOp = {
      id: i + 1,
      key,
      kind: put ? 'put' : 'get',
      value: put ? `v${i + 1}` : undefined,
      invoke,
      complete,
    };
    planned.push({ op, point });
    // A client whose op stays pending gives up on it and goes on (as after a timeout).
    free[c] = pending ? invoke + maxDur : complete;
  }
  const reg = new Map<string, string>();
  for (const p of [...planned]
    .filter((p) => p.point !== undefined)
    .sort((a, b) => a.point! - b.point! || a.op.id - b.op.id)) {
    if (p.op.kind === 'put') reg.set(p.op.key, p.op.value!);
    else p.op.value = reg.get(p.op.key);
  }
  return planned.map((p) => p.op);
}

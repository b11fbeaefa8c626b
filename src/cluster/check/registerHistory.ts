// A seeded simulated linearizable KV register: clients issue overlapping operations,
// each takes effect at a random point within its interval, and reads return what the
// register held at their point. The result is a valid history for the linearizability
// checker (src/check/linearizable), for its tests and for `npm run bench:lin`. It lives
// on the cluster side because it draws from the cluster's seeded generator (random.ts):
// src/check itself has no randomness.

import type { LinOp } from '../../check/linearizable/types';
import { createRandom } from '../random';

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
  const r = createRandom(o.seed);
  const rnd = () => r.nextFloat();
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

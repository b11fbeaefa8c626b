// Helpers shared by the Cluster façade's tests (not used by the product code).

import type { Cluster } from './cluster';

/** Advances one tick at a time until pred holds; throws after max ticks. */
export async function until(c: Cluster, pred: () => boolean | Promise<boolean>, max = 300): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await pred()) return;
    await c.advance(1);
  }
  throw new Error(`condition not reached within ${max} ticks (t=${c.time})`);
}

/** Advances until a leader is elected and every running node knows it; returns its id. */
export async function settled(c: Cluster, max = 300): Promise<number> {
  await until(
    c,
    async () => {
      const l = c.leader();
      if (l === 0) return false;
      const o = await c.observe();
      return o.nodes.every((n) => n.status !== 'alive' || n.observation?.lead === l);
    },
    max,
  );
  return c.leader();
}

// The workload of bench:seek: a long run of a 9-node cluster made mostly of short
// actions (one scheduler step, or one tick of virtual time), with puts and gets from
// clients, crashes and restarts, partitions and heals, campaigns and leadership
// transfers. Every choice comes from a seeded source; an action whose precondition
// does not hold (no crashed node to restart, ...) becomes a step, so the run has
// exactly the number of actions asked for.

import type { Cluster } from '../src/cluster/cluster';
import { createRandom } from '../src/cluster/random';

/** Relative weights of the action kinds (per 1000). */
const weights = {
  step: 545,
  advance: 235,
  put: 120,
  get: 40,
  crash: 8,
  restart: 16,
  partition: 4,
  heal: 12,
  campaign: 1,
  transfer: 2,
  advance3: 17,
};

export async function runSeekWorkload(
  c: Cluster,
  actions: number,
  seed: number,
  progress?: (done: number) => void,
): Promise<void> {
  const r = createRandom(seed);
  const kinds = Object.keys(weights) as (keyof typeof weights)[];
  const total = kinds.reduce((s, k) => s + weights[k], 0);
  const maxCrashed = 2;
  let partitioned = false;
  let n = 0;
  const alive = () => c.nodeIds().filter((id) => c.nodeStatus(id).status === 'alive');
  const crashed = () => c.nodeIds().filter((id) => c.nodeStatus(id).status === 'crashed');
  while (c.recorder.actions.length < actions) {
    let x = r.nextInt(total);
    let kind: keyof typeof weights = 'step';
    for (const k of kinds) {
      if (x < weights[k]) {
        kind = k;
        break;
      }
      x -= weights[k];
    }
    const up = alive();
    const down = crashed();
    try {
      switch (kind) {
        case 'advance':
          await c.advance(1);
          break;
        case 'advance3':
          await c.advance(3);
          break;
        case 'put':
          if (up.length === 0) await c.step();
          else await c.put(`k${r.nextInt(32)}`, `v${n++}`, { node: up[r.nextInt(up.length)]! });
          break;
        case 'get':
          if (up.length === 0) await c.step();
          else await c.get(`k${r.nextInt(32)}`, { node: up[r.nextInt(up.length)]!, linearizable: r.nextInt(2) === 0 });
          break;
        case 'crash':
          if (down.length >= maxCrashed || up.length === 0) await c.step();
          else await c.crash(up[r.nextInt(up.length)]!);
          break;
        case 'restart':
          if (down.length === 0) await c.step();
          else await c.restart(down[r.nextInt(down.length)]!);
          break;
        case 'partition': {
          if (partitioned) {
            await c.step();
            break;
          }
          // A minority of 2-4 nodes on one side.
          const ids = c.nodeIds();
          const size = 2 + r.nextInt(3);
          const group: number[] = [];
          while (group.length < size) {
            const id = ids[r.nextInt(ids.length)]!;
            if (!group.includes(id)) group.push(id);
          }
          await c.partition([group.sort((a, b) => a - b)]);
          partitioned = true;
          break;
        }
        case 'heal':
          if (!partitioned) await c.step();
          else {
            await c.heal();
            partitioned = false;
          }
          break;
        case 'campaign':
          if (up.length === 0) await c.step();
          else await c.campaign(up[r.nextInt(up.length)]!);
          break;
        case 'transfer':
          if (up.length < 2) await c.step();
          else await c.transferLeadership(up[r.nextInt(up.length)]!);
          break;
        case 'step':
          await c.step();
          break;
      }
    } catch {
      // A refused action (no leader to send to, ...) is recorded as such and is part of the run.
    }
    if (progress !== undefined && c.recorder.actions.length % 10_000 === 0) progress(c.recorder.actions.length);
  }
}

// Recorded runs whose trace hashes are pinned by runs.test.ts. They exercise what a
// shared run depends on: the seeded PRNGs (bus jitter and loss, election timeouts),
// the trace text, and every family of recorded action (time, manual message actions,
// Ready stages, client operations, membership, faults). Never edit a run here: a
// change that alters one of their hashes breaks every run people have shared.

import type { Cluster, ClusterConfig } from '../../src/cluster/cluster';

export interface GoldenRun {
  name: string;
  config: Omit<ClusterConfig, 'runtime'>;
  play(c: Cluster): Promise<void>;
}

export const goldenRuns: GoldenRun[] = [
  {
    name: 'election, writes, crash and restart',
    config: { nodes: 3, seed: 7 },
    async play(c) {
      await c.advance(20);
      await c.put('x', '1');
      await c.put('y', '2', { client: 'c2' });
      await c.advance(6);
      await c.crash(c.leader());
      await c.advance(25);
      await c.restart(1 + (c.leader() % 3));
      await c.get('x', { linearizable: true });
      await c.advance(10);
    },
  },
  {
    name: 'partition, lossy links and healing with five nodes',
    config: { nodes: 5, seed: 1234, network: { latency: 1, jitter: 1, loss: 0.05 } },
    async play(c) {
      await c.advance(25);
      await c.partition([
        [1, 2],
        [3, 4, 5],
      ]);
      await c.put('a', '1', { node: 1 });
      await c.put('b', '2', { node: 3 });
      await c.advance(30);
      await c.setLinkFaults(3, 4, { duplication: 0.5 });
      await c.heal();
      await c.advance(20);
      await c.setLinkFaults(null, null);
      await c.cut(1, 2, { oneWay: true });
      await c.advance(15);
      await c.cut(1, 2, { up: true });
      await c.advance(10);
    },
  },
  {
    name: 'manual mode: stages, chosen messages, membership',
    config: { nodes: 3, seed: 99, mode: 'manual' },
    async play(c) {
      await c.campaign(1);
      for (let i = 0; i < 12; i++) {
        const o = await c.observe();
        const ready = o.nodes.find((n) => n.observation?.hasReady === true);
        if (ready !== undefined) await c.runCycle(ready.id);
        const m = c.inFlight()[0];
        if (m !== undefined) {
          if (i === 5) await c.duplicate(m.id);
          else if (i === 7) await c.drop(m.id);
          else await c.deliver(m.id);
        }
      }
      await c.setMode('play');
      await c.advance(20);
      await c.addLearner(4);
      await c.advance(20);
      await c.promote(4);
      await c.advance(20);
      await c.transferLeadership(4);
      await c.advance(20);
      await c.compact(3, { node: 2 });
      await c.advance(5);
    },
  },
];

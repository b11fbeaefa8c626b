// Narration of real runs: the sentences the issue asks for, with the run's own ids,
// terms and indices, each linked to its step, nodes and messages.

import { describe, expect, it } from 'vitest';
import { Cluster } from '../cluster/cluster';
import { settled, until } from '../cluster/clusterTestSupport';
import type { ClusterEvent } from '../cluster/events';
import { inProcessRuntime } from '../cluster/runtime/inProcess';
import { createNarrationContext, narrate, narrateAll } from './narrate';
import { cycleAll, dropWhere, elect, inFlight, manualCluster, pump } from './whyTestSupport';

describe('narration', () => {
  it('tells an election and a commit in plain words, with the run’s ids and terms', async () => {
    const c = await Cluster.create({ nodes: 5, seed: 4, runtime: inProcessRuntime });
    try {
      const leader = await settled(c);
      const h = await c.put('x', '1', { node: leader });
      await until(c, () => h.op.status === 'ok');
      const lines = narrateAll(c.clusterEvents());
      const texts = lines.map((l) => l.text);
      const term = (await c.observeNode(leader))!.term;
      // "node 2's election timer ran out; it starts a pre-vote for term 3"
      expect(texts.some((t) => /^Node \d's election timer ran out; it starts a pre-vote for term \d/.test(t))).toBe(
        true,
      );
      // "node 4 grants its vote to node 2 (term 3)"
      expect(
        texts.some((t) => new RegExp(`^Node \\d grants its vote to node ${leader} \\(term ${term}\\)$`).test(t)),
      ).toBe(true);
      // "node 2 becomes leader of term 3 with votes from 2, 4, 5"
      const won = lines.find((l) => l.text.startsWith(`Node ${leader} becomes leader of term ${term} with votes from`));
      expect(won).toBeDefined();
      expect(won!.level).toBe('major');
      expect(won!.nodes).toContain(leader);
      // "entry 7 (put x=1) is committed: stored on 1, 2, 4 (a majority of 5)"
      const index = Number(h.op.result!.replace('index ', ''));
      const committed = lines.find((l) => l.text.startsWith(`Entry ${index} (put x=1) is committed: stored on`));
      expect(committed, texts.filter((t) => t.includes('committed')).join('\n')).toBeDefined();
      expect(committed!.text).toMatch(/stored on (\d, ){2,4}?\d \(a majority of 5\)$/);
      expect(committed!.nodes).toContain(leader);
      // The client's request and answer.
      expect(texts).toContain(`Client c1 asks node ${leader} to put x=1 (op 1)`);
      expect(texts).toContain(`op 1 (put x=1) is done: index ${index}`);
      // Every line points at its event's step; messages are envelope ids of the run.
      const bySeq = new Map(c.clusterEvents().map((e) => [e.seq, e]));
      for (const l of lines) {
        expect(bySeq.get(l.seq)!.step).toBe(l.step);
        expect(l.unknown).toBeUndefined();
      }
      // Routine things (heartbeats, ticks) are not narrated.
      expect(texts.some((t) => t.includes('MsgHeartbeat'))).toBe(false);
    } finally {
      await c.dispose();
    }
  });

  it('tells why a follower rejects an append whose previous entry has another term', async () => {
    const c = await manualCluster();
    try {
      await elect(c, 1);
      // Leader 1 (term 2) appends entry 5, which nobody else gets.
      await c.put('lost', '1', { node: 1 });
      await cycleAll(c);
      await dropWhere(c, () => true);
      // Node 2 becomes leader of term 3 (node 3 votes); its empty entry 5 reaches node 3 only.
      await c.campaign(2);
      await pump(c, (e) => e.to !== 1 && e.from !== 1);
      await dropWhere(c, (e) => e.to === 1);
      // Node 3 becomes leader of term 4 (node 2 votes): it first probes node 1 after entry 5 (term 3).
      await c.campaign(3);
      await pump(c, (e) => e.to !== 1 && e.from !== 1);
      await pump(c);
      const lines = narrateAll(c.clusterEvents()).map((l) => l.text);
      // Node 1's entry 5 is the one it appended as leader of term 2.
      expect(lines).toContain(
        "Node 1 rejects the append at index 5: its entry at index 5 is from term 2, the leader's from term 3; the leader will back up",
      );
      expect(
        lines.some((l) => /^Leader 3 backs up for node 1: next index 6 → 5 \(hint: index 5, term 2\)/.test(l)),
      ).toBe(true);
      // Node 1 ends up with the leader's log.
      expect(lines.some((l) => /^Node 1 appends entr(y|ies) 5/.test(l))).toBe(true);
      expect(inFlight(c)).toEqual([]);
    } finally {
      await c.dispose();
    }
  });

  it('says "unknown event" for what it does not know, and skips what the rules skip', () => {
    const ctx = createNarrationContext();
    const base = { seq: 7, step: 3, time: 2, node: 1 };
    const odd = { ...base, kind: 'teleport' } as unknown as ClusterEvent;
    const l = narrate(odd, ctx);
    expect(l).toMatchObject({ text: 'unknown event: teleport', unknown: true, step: 3, seq: 7 });
    const msg = {
      type: 'MsgTeleport',
      from: 1,
      to: 2,
      term: 1,
      logTerm: 0,
      index: 0,
      commit: 0,
      vote: 0,
      reject: false,
      rejectHint: 0,
    };
    expect(narrate({ ...base, kind: 'send', to: 2, envelope: 4, msg, due: 3 }, ctx)?.unknown).toBe(true);
    expect(narrate({ ...base, kind: 'tick', count: 1 }, ctx)).toBeUndefined();
    expect(narrate({ ...base, kind: 'log', level: 'INFO', text: '1 became leader at term 2' }, ctx)).toBeUndefined();
    const hb = { ...msg, type: 'MsgHeartbeat' };
    expect(narrate({ ...base, kind: 'send', to: 2, envelope: 5, msg: hb, due: 3 }, ctx)).toBeUndefined();
    expect(narrate({ ...base, kind: 'drop', from: 1, envelope: 5, msg: hb, reason: 'loss' }, ctx)).toBeUndefined();
  });
});

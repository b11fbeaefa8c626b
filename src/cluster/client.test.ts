import { describe, expect, it } from 'vitest';
import {
  ConfChangeAddLearnerNode,
  ConfChangeAddNode,
  ConfChangeRemoveNode,
  ConfChangeTransitionJointExplicit,
} from '../raft/raftpb/types';
import { StateLeader } from '../raft/types';
import { Cluster, type ClusterConfig } from './cluster';
import { inProcessRuntime } from './runtime/inProcess';
import { settled, until } from './clusterTestSupport';

function config(over: Partial<ClusterConfig> = {}): ClusterConfig {
  return { nodes: 3, seed: 21, runtime: inProcessRuntime, ...over };
}

async function confState(c: Cluster, id: number) {
  const o = await c.observeNode(id);
  return o!.confState;
}

describe('client: membership', () => {
  it('adds a voter (v1) that catches up and votes', async () => {
    const c = await Cluster.create(config());
    await settled(c);
    const p = await c.put('before', 'join');
    await until(c, () => p.op.status === 'ok');
    const h = await c.addNode();
    expect(c.nodeIds()).toEqual([1, 2, 3, 4]);
    await until(c, () => h.op.status === 'ok');
    expect(h.op.kind).toBe('addNode');
    await c.advance(20);
    expect((await confState(c, c.leader())).voters).toEqual([1, 2, 3, 4]);
    const o4 = await c.observeNode(4);
    expect(o4!.kv['before']).toBe('join');
    expect(o4!.confState.voters).toEqual([1, 2, 3, 4]);
    await c.dispose();
  });

  it('adds a learner, promotes it, then removes a node (v2 single changes)', async () => {
    const c = await Cluster.create(config({ seed: 22 }));
    await settled(c);
    const l = await c.addLearner(4, { v2: true });
    await until(c, () => l.op.status === 'ok');
    await c.advance(10);
    let cs = await confState(c, c.leader());
    expect(cs.learners).toEqual([4]);
    expect(cs.voters).toEqual([1, 2, 3]);
    const pr = await c.promote(4);
    await until(c, () => pr.op.status === 'ok');
    await c.advance(5);
    cs = await confState(c, c.leader());
    expect(cs.voters).toEqual([1, 2, 3, 4]);
    expect(cs.learners).toEqual([]);
    const victim = [1, 2, 3, 4].find((i) => i !== c.leader())!;
    const r = await c.removeNode(victim, { v2: true });
    await until(c, () => r.op.status === 'ok');
    await c.advance(5);
    expect(c.nodeStatus(victim).status).toBe('removed');
    cs = await confState(c, c.leader());
    expect(cs.voters).not.toContain(victim);
    expect(cs.voters).toHaveLength(3);
    // the cluster still commits
    const p = await c.put('after', 'remove');
    await until(c, () => p.op.status === 'ok');
    await c.dispose();
  });

  it('joint consensus: explicit enter, then leave', async () => {
    const c = await Cluster.create(config({ seed: 23 }));
    await settled(c);
    const lead = c.leader();
    const out = [1, 2, 3].find((i) => i !== lead)!;
    const h = await c.changeMembership(
      [
        { type: ConfChangeAddNode, nodeId: 4 },
        { type: ConfChangeAddLearnerNode, nodeId: 5 },
        { type: ConfChangeRemoveNode, nodeId: out },
      ],
      { transition: ConfChangeTransitionJointExplicit },
    );
    await until(c, () => h.op.status === 'ok');
    await c.advance(3);
    let cs = await confState(c, c.leader());
    expect(cs.votersOutgoing).toEqual([1, 2, 3]);
    expect(cs.voters).toEqual([1, 2, 3, 4].filter((i) => i !== out));
    expect(cs.learners).toEqual([5]);
    const lv = await c.leaveJoint();
    await until(c, () => lv.op.status === 'ok');
    await c.advance(3);
    cs = await confState(c, c.leader());
    expect(cs.votersOutgoing).toEqual([]);
    expect(cs.voters).toEqual([1, 2, 3, 4].filter((i) => i !== out));
    await c.dispose();
  });

  it('transfers leadership', async () => {
    const c = await Cluster.create(config({ seed: 24 }));
    await settled(c);
    const to = [1, 2, 3].find((i) => i !== c.leader())!;
    const h = await c.transferLeadership(to);
    await until(c, () => h.op.status === 'ok', 50);
    expect(c.leader()).toBe(to);
    expect((await c.observeNode(to))!.role).toBe(StateLeader);
    await c.dispose();
  });
});

describe('client: reads', () => {
  it('ReadIndex reads the latest committed value; a partitioned old leader serves stale local reads', async () => {
    const c = await Cluster.create(config({ seed: 25, raft: { checkQuorum: false, preVote: false } }));
    await settled(c);
    const old = c.leader();
    const p1 = await c.put('x', '1', { node: old });
    await until(c, () => p1.op.status === 'ok');
    await c.advance(3);
    const others = [1, 2, 3].filter((i) => i !== old);
    await c.partition([[old], others]);
    await until(c, async () => {
      const l = c.leader();
      if (l === 0 || l === old) return false;
      return (await c.observeNode(others.find((i) => i !== l)!))?.lead === l;
    });
    const nl = c.leader();
    const p2 = await c.put('x', '2', { node: nl });
    await until(c, () => p2.op.status === 'ok');

    // linearizable read on the majority side: the new value
    const r1 = await c.get('x', { node: others.find((i) => i !== nl)!, linearizable: true });
    await until(c, () => r1.op.status !== 'pending', 50);
    expect(r1.op.status).toBe('ok');
    expect(r1.op.result).toBe('2');
    expect(r1.op.consistency).toBe('linearizable');
    expect(r1.op.readIndex).toBeGreaterThan(0);

    // local read at the isolated old leader (it still thinks it leads): stale, and labelled so
    expect((await c.observeNode(old))!.role).toBe(StateLeader);
    const r2 = await c.get('x', { node: old });
    expect(r2.op.status).toBe('ok');
    expect(r2.op.result).toBe('1');
    expect(r2.op.consistency).toBe('stale-possible');
    expect(r2.op.completeTime).toBe(r2.op.invokeTime);

    // a linearizable read at the old leader cannot complete while it is cut off
    const r3 = await c.get('x', { node: old, linearizable: true });
    await c.advance(20);
    expect(r3.op.status).toBe('pending');

    // history records every operation with invoke/complete times
    const kinds = c.history.map((o) => o.kind);
    expect(kinds).toEqual(['put', 'put', 'get', 'get', 'get']);
    for (const o of c.history.filter((h) => h.status === 'ok'))
      expect(o.completeTime!).toBeGreaterThanOrEqual(o.invokeTime);
    await c.dispose();
  });

  it('puts at a node that crashes: queued ones fail, proposed ones stay pending', async () => {
    const c = await Cluster.create(config({ seed: 26 }));
    await settled(c);
    const f = [1, 2, 3].find((i) => i !== c.leader())!;
    // proposed (forwarded to the leader) but the node dies before applying: outcome unknown
    const proposed = await c.put('z', '0', { node: f });
    await c.advance(0);
    await c.crash(f);
    await c.advance(10);
    expect(proposed.op.status).toBe('pending');
    await c.restart(f);
    await c.advance(20);
    expect(proposed.op.status).toBe('pending');
    // the entry did commit: the restarted node applied it
    expect((await c.observeNode(f))!.kv['z']).toBe('0');
    // queued at a paused node that then crashes: never proposed, failed
    await c.pause(f);
    const queued = await c.put('z', '1', { node: f });
    await c.crash(f);
    expect(queued.op.status).toBe('failed');
    const refused = await c.put('z', '2', { node: f });
    expect(refused.op.status).toBe('failed');
    await c.dispose();
  });
});

// "Why?" answers, table-driven, from real in-process cluster runs driven by hand
// (manual mode: each message delivered, dropped or held on purpose). Every case checks
// the reason code and the fields the answer names (value and where it was read).

import { describe, expect, it } from 'vitest';
import type { Cluster } from '../cluster/cluster';
import { ConfChangeAddNode, ConfChangeTransitionJointExplicit } from '../raft/raftpb/types';
import type { WhyAnswer, WhyQuestion, WhyReason } from './types';
import { canExplain, explain, questionsForEntry, questionsForMessage, questionsForNode, questionsForOp } from './why';
import { cycleAll, dropWhere, elect, inFlight, manualCluster, pump, typeIs, why } from './whyTestSupport';

interface Field {
  name: string;
  value?: string | number | boolean;
  /** A piece of the source text. */
  source?: string;
}

interface Case {
  name: string;
  /** Which bullet of the issue it covers. */
  bullet: 'vote' | 'append' | 'entry' | 'applied' | 'proposal' | 'campaign' | 'follower';
  /** Builds the situation; returns the question to ask. */
  run: (c: { make: typeof manualCluster; keep: (c: Cluster) => Cluster }) => Promise<{ c: Cluster; q: WhyQuestion }>;
  reason: WhyReason;
  fields: Field[];
  /** Words the answer's text must contain. */
  says?: string[];
}

const cases: Case[] = [
  {
    name: 'a vote request from a second candidate of the same term',
    bullet: 'vote',
    run: async ({ make }) => {
      const c = await make();
      await c.campaign(1);
      await c.campaign(2);
      await cycleAll(c);
      const v13 = inFlight(c, (e) => e.from === 1 && e.to === 3)[0]!;
      const v23 = inFlight(c, (e) => e.from === 2 && e.to === 3)[0]!;
      await c.deliver(v13.id);
      await c.deliver(v23.id);
      await cycleAll(c);
      // Asked about the rejection itself (the MsgVoteResp on its way back).
      const rej = inFlight(c, (e) => e.from === 3 && e.to === 2)[0]!;
      return { c, q: { about: 'message', envelope: rej.id } };
    },
    reason: 'vote-already-voted',
    fields: [
      { name: 'voted for', value: 1, source: 'node 3 HardState.Vote' },
      { name: 'request term', value: 2, source: 'MsgVote.Term' },
    ],
    says: ['already voted for node 1'],
  },
  {
    name: 'a candidate whose log lacks an entry the voter has',
    bullet: 'vote',
    run: async ({ make }) => {
      const c = await make();
      await elect(c, 1);
      await c.put('x', '1', { node: 1 });
      await pump(c, (e) => e.to !== 3);
      await c.campaign(3);
      await cycleAll(c);
      const v = inFlight(c, (e) => e.from === 3 && e.to === 2 && typeIs('MsgVote')(e))[0]!;
      await c.deliver(v.id);
      await cycleAll(c);
      return { c, q: { about: 'message', envelope: v.id } };
    },
    reason: 'vote-log-behind',
    fields: [
      { name: 'candidate last entry (term, index)', value: '(2, 4)', source: 'MsgVote.LogTerm' },
      { name: 'voter last entry (term, index)', value: '(2, 5)', source: 'node 2 raftLog.lastEntryID()' },
    ],
  },
  {
    name: 'a vote request while the voter hears its leader (CheckQuorum)',
    bullet: 'vote',
    run: async ({ make }) => {
      const c = await make({ checkQuorum: true });
      await elect(c, 1);
      await c.campaign(3);
      await cycleAll(c);
      const v = inFlight(c, (e) => e.from === 3 && e.to === 2 && typeIs('MsgVote')(e))[0]!;
      await c.deliver(v.id);
      await cycleAll(c);
      // Ignored: no answer at all.
      expect(inFlight(c, (e) => e.from === 2 && e.to === 3)).toEqual([]);
      return { c, q: { about: 'message', envelope: v.id } };
    },
    reason: 'vote-lease-not-expired',
    fields: [
      { name: 'leader', value: 1, source: 'node 2 SoftState.Lead' },
      { name: 'electionElapsed', value: 0, source: 'node 2 raft.electionElapsed' },
      { name: 'electionTimeout', value: 10 },
      { name: 'CheckQuorum', value: true },
    ],
  },
  {
    name: 'a vote request from an older term',
    bullet: 'vote',
    run: async ({ make }) => {
      const c = await make();
      await c.campaign(3);
      await cycleAll(c);
      const v = inFlight(c, (e) => e.from === 3 && e.to === 1)[0]!;
      await c.campaign(1);
      await c.campaign(1);
      await cycleAll(c);
      await c.deliver(v.id);
      await cycleAll(c);
      return { c, q: { about: 'message', envelope: v.id } };
    },
    reason: 'vote-stale-term',
    fields: [
      { name: 'request term', value: 2 },
      { name: 'voter term', value: 3, source: 'node 1 HardState.Term' },
    ],
  },
  {
    name: 'an append past the end of a follower that missed entries, and the leader backing up',
    bullet: 'append',
    run: async ({ make }) => {
      const c = await make();
      await elect(c, 1);
      for (let i = 0; i < 3; i++) await c.put(`k${i}`, 'v', { node: 1 });
      await cycleAll(c);
      await dropWhere(c, (e) => e.to === 3);
      await pump(c, (e) => e.to !== 3);
      await c.put('z', '1', { node: 1 });
      await cycleAll(c);
      const app = inFlight(c, (e) => e.to === 3 && typeIs('MsgApp')(e))[0]!;
      await c.deliver(app.id);
      await cycleAll(c);
      const rej = inFlight(c, (e) => e.from === 3 && e.to === 1)[0]!;
      await c.deliver(rej.id);
      await cycleAll(c);
      return { c, q: { about: 'message', envelope: rej.id } };
    },
    reason: 'append-log-mismatch',
    fields: [
      { name: 'previous entry (index, term)', value: '(7, 2)', source: 'MsgApp.Index' },
      { name: 'follower last index', value: 4, source: 'node 3 raftLog.lastIndex()' },
      { name: 'follower entry term at previous index', value: 'none', source: 'node 3 raftLog.term(7)' },
      { name: 'hint (index, term)', value: '(4, 2)', source: 'MsgAppResp.RejectHint' },
      { name: 'leader next before', value: 9, source: 'leader 1 Progress[3].Next' },
      { name: 'leader next after', value: 5, source: 'leader 1 Progress[3].Next' },
    ],
    says: ['no entry at index 7', 'from 9 to 5'],
  },
  {
    name: 'an entry only the leader has',
    bullet: 'entry',
    run: async ({ make }) => {
      const c = await make();
      await elect(c, 1);
      await c.put('x', '1', { node: 1 });
      await cycleAll(c);
      return { c, q: { about: 'entry', node: 1, index: 5 } };
    },
    reason: 'not-committed-no-quorum',
    fields: [
      { name: 'match of node 1', value: 5, source: 'leader 1 MemoryStorage.LastIndex()' },
      { name: 'match of node 2', value: 4, source: 'leader 1 Progress[2].Match' },
      { name: 'match of node 3', value: 4, source: 'leader 1 Progress[3].Match' },
      { name: 'leader commit index', value: 4 },
    ],
    says: ['stored on 1 and missing on 2, 3', '2 of the 3 voters'],
  },
  {
    name: 'an entry in a joint configuration, on a majority of neither half',
    bullet: 'entry',
    run: async ({ make }) => {
      const c = await make();
      await elect(c, 1);
      await c.changeMembership([{ type: ConfChangeAddNode, nodeId: 4 }], {
        at: 1,
        transition: ConfChangeTransitionJointExplicit,
      });
      await pump(c);
      await c.put('j', '1', { node: 1 });
      await cycleAll(c);
      await pump(c, (e) => e.to === 4 || e.from === 4);
      return { c, q: { about: 'entry', node: 1, index: 6 } };
    },
    reason: 'not-committed-no-quorum',
    fields: [
      { name: 'match of node 4', value: 6, source: 'leader 1 Progress[4].Match' },
      { name: 'match of node 2', value: 5 },
    ],
    says: [
      'new voters (1, 2, 3, 4): stored on 1, 4, missing on 2, 3, needs 3 of 4',
      'old voters (1, 2, 3): stored on 1, missing on 2, 3, needs 2 of 3',
    ],
  },
  {
    name: 'an older term entry on a majority, before the new leader commits one of its own (Figure 8)',
    bullet: 'entry',
    run: async ({ make }) => {
      // One entry per append, so that node 3 can hold entry 5 without the leader's entry 6.
      const c = await make({ maxSizePerMsg: 1 });
      await elect(c, 1);
      await c.put('f', '8', { node: 1 });
      await cycleAll(c);
      await pump(c, (e) => e.from === 1 && e.to === 2); // entry 5 reaches node 2, its ack goes nowhere
      await dropWhere(c, () => true);
      await c.campaign(2);
      await pump(c, typeIs('MsgVote', 'MsgVoteResp'));
      await cycleAll(c);
      for (let r = 0; r < 20 && (await c.observe()).nodes[2]!.observation!.lastIndex < 5; r++) {
        const m = inFlight(c, (e) => e.from === 2 && e.to === 3)[0]!;
        await c.deliver(m.id);
        await cycleAll(c);
        for (const b of inFlight(c, (e) => e.from === 3 && e.to === 2)) await c.deliver(b.id);
        await cycleAll(c);
      }
      return { c, q: { about: 'entry', node: 2, index: 5 } };
    },
    reason: 'not-committed-old-term',
    fields: [
      { name: 'entry term', value: 2, source: 'leader 2 log term at 5' },
      { name: 'leader term', value: 3, source: 'leader 2 HardState.Term' },
      { name: 'match of node 3', value: 5, source: 'leader 2 Progress[3].Match' },
      { name: 'leader commit index', value: 4 },
    ],
    says: ['Figure 8'],
  },
  {
    name: 'an entry committed on a follower whose apply stage has not run',
    bullet: 'applied',
    run: async ({ make }) => {
      const c = await make();
      await elect(c, 1);
      await c.put('x', '1', { node: 1 });
      await pump(c, (e) => e.to !== 3 && !(e.to === 2 && e.msg.commit >= 5));
      const m = inFlight(c, (e) => e.to === 2)[0]!;
      await c.deliver(m.id); // node 2 learns commit 5, and runs no Ready
      return { c, q: { about: 'entry', node: 2, index: 5 } };
    },
    reason: 'committed-not-applied',
    fields: [
      { name: 'commit index', value: 5, source: 'node 2 raftLog.committed' },
      { name: 'applied index', value: 4 },
      { name: 'Ready waiting', value: true, source: 'node 2 RawNode.HasReady()' },
    ],
  },
  {
    name: 'a put at a node that knows no leader',
    bullet: 'proposal',
    run: async ({ make }) => {
      const c = await make();
      const h = await c.put('a', '1', { node: 2 });
      expect(h.op.status).toBe('failed');
      return { c, q: { about: 'op', op: h.op.id } };
    },
    reason: 'proposal-no-leader',
    fields: [
      { name: 'lead', value: 0, source: 'node 2 SoftState.Lead' },
      { name: 'role', value: 'follower' },
    ],
  },
  {
    name: 'a put at a leader handing leadership over',
    bullet: 'proposal',
    run: async ({ make }) => {
      const c = await make();
      await elect(c, 1);
      await c.put('a', '1', { node: 1 });
      await pump(c, (e) => e.to !== 3 && e.from !== 3);
      await dropWhere(c, () => true);
      await c.transferLeadership(3, { at: 1 }); // node 3 lags: the leader first catches it up
      await cycleAll(c);
      const h = await c.put('b', '2', { node: 1 });
      return { c, q: { about: 'op', op: h.op.id } };
    },
    reason: 'proposal-dropped-transfer',
    fields: [{ name: 'leadTransferee', value: 3, source: 'node 1 raft.leadTransferee' }],
  },
  {
    name: 'a put over the leader’s MaxUncommittedEntriesSize',
    bullet: 'proposal',
    run: async ({ make }) => {
      const c = await make({ maxUncommittedEntriesSize: 30 });
      await elect(c, 1);
      await c.put('a', '1', { node: 1 });
      await cycleAll(c);
      const h = await c.put('b', '2', { node: 1 });
      return { c, q: { about: 'op', op: h.op.id } };
    },
    reason: 'proposal-too-large-uncommitted',
    fields: [
      { name: 'uncommittedSize', value: 26, source: 'node 1 raft.uncommittedSize' },
      { name: 'maxUncommittedSize', value: 30, source: 'Config.MaxUncommittedEntriesSize' },
    ],
  },
  {
    name: 'a put forwarded to a leader that lost leadership before it arrived',
    bullet: 'proposal',
    run: async ({ make }) => {
      const c = await make();
      await elect(c, 1);
      const h = await c.put('a', '1', { node: 2 });
      await cycleAll(c);
      const prop = inFlight(c, typeIs('MsgProp'))[0]!;
      await c.campaign(3);
      await cycleAll(c);
      await c.deliver(inFlight(c, (e) => e.from === 3 && e.to === 1)[0]!.id);
      await cycleAll(c);
      await c.deliver(prop.id);
      await cycleAll(c);
      expect(h.op.status).toBe('pending');
      return { c, q: { about: 'op', op: h.op.id } };
    },
    reason: 'proposal-leader-lost',
    fields: [
      { name: 'role', value: 'follower', source: 'node 1 SoftState.RaftState' },
      { name: 'term', value: 3, source: 'node 1 HardState.Term' },
      { name: 'forwarded to', value: 1 },
    ],
  },
  {
    name: 'a put at a leader that has applied its own removal',
    bullet: 'proposal',
    run: async ({ make }) => {
      const c = await make({ stepDownOnRemoval: false });
      await elect(c, 1);
      await c.removeNode(1, { at: 2 });
      await cycleAll(c);
      // Node 2 forwards the change; leader 1 commits and applies it with node 3; node 2 never hears.
      await pump(c, (e) => (e.to !== 2 && e.from !== 2) || typeIs('MsgProp')(e));
      const h = await c.put('z', '9', { node: 1 });
      return { c, q: { about: 'op', op: h.op.id } };
    },
    reason: 'proposal-learner-or-removed',
    fields: [{ name: 'inConfig', value: false, source: 'node 1 raft.trk.Progress' }],
  },
  {
    name: 'a forwarded put whose message was lost',
    bullet: 'proposal',
    run: async ({ make }) => {
      const c = await make();
      await elect(c, 1);
      const h = await c.put('a', '1', { node: 2 });
      await cycleAll(c);
      await dropWhere(c, typeIs('MsgProp'));
      return { c, q: { about: 'op', op: h.op.id } };
    },
    reason: 'proposal-message-lost',
    fields: [
      { name: 'drop reason', value: 'manual' },
      { name: 'forwarded to', value: 1 },
    ],
  },
  {
    name: 'a learner',
    bullet: 'campaign',
    run: async ({ make }) => {
      const c = await make();
      await elect(c, 1);
      await c.addLearner(4, { at: 1 });
      await pump(c);
      return { c, q: { about: 'campaign', node: 4 } };
    },
    reason: 'campaign-learner',
    fields: [
      { name: 'isLearner', value: true, source: 'node 4 raft.isLearner' },
      { name: 'learners', value: '4', source: 'node 4 ConfState.Learners' },
    ],
  },
  {
    name: 'a joining node that has not learned the configuration',
    bullet: 'campaign',
    run: async ({ make }) => {
      const c = await make();
      await elect(c, 1);
      await c.addNode(4, { at: 1 });
      return { c, q: { about: 'campaign', node: 4 } };
    },
    reason: 'campaign-not-in-config',
    fields: [{ name: 'voters', value: 'none', source: 'node 4 ConfState.Voters' }],
  },
  {
    name: 'a follower that hears its leader',
    bullet: 'campaign',
    run: async ({ make }) => {
      const c = await make();
      await elect(c, 1);
      await c.tick(2, 3);
      return { c, q: { about: 'campaign', node: 2 } };
    },
    reason: 'campaign-timer-not-expired',
    fields: [
      { name: 'electionElapsed', value: 3, source: 'node 2 raft.electionElapsed' },
      { name: 'randomizedElectionTimeout', source: 'node 2 raft.randomizedElectionTimeout' },
      { name: 'leader', value: 1 },
    ],
  },
  {
    name: 'a follower with a committed conf change it has not applied',
    bullet: 'campaign',
    run: async ({ make }) => {
      const c = await make();
      await elect(c, 1);
      await c.addLearner(4, { at: 1 });
      await cycleAll(c);
      await pump(c, (e) => e.to !== 2 || e.msg.commit === 0 || (typeIs('MsgApp')(e) && e.msg.entries.length > 0));
      await c.put('q', '1', { node: 1 });
      await cycleAll(c);
      await c.deliver(inFlight(c, (e) => e.to === 2 && typeIs('MsgApp')(e))[0]!.id);
      return { c, q: { about: 'campaign', node: 2 } };
    },
    reason: 'campaign-unapplied-conf-change',
    fields: [
      { name: 'unapplied conf change', value: true, source: 'node 2 raft.hasUnappliedConfChanges()' },
      { name: 'commit index', value: 5 },
      { name: 'applied index', value: 4 },
    ],
  },
  {
    name: 'a follower the leader probes after a rejection',
    bullet: 'follower',
    run: async ({ make }) => {
      const c = await make();
      await elect(c, 1);
      await c.put('k', 'v', { node: 1 });
      await cycleAll(c);
      await dropWhere(c, (e) => e.to === 3);
      await pump(c, (e) => e.to !== 3);
      await c.put('z', '1', { node: 1 });
      await cycleAll(c);
      await c.deliver(inFlight(c, (e) => e.to === 3 && typeIs('MsgApp')(e))[0]!.id);
      await cycleAll(c);
      await c.deliver(inFlight(c, (e) => e.from === 3 && e.to === 1)[0]!.id);
      await cycleAll(c);
      return { c, q: { about: 'follower', node: 3 } };
    },
    reason: 'follower-probe',
    fields: [
      { name: 'state', value: 'StateProbe', source: 'leader 1 Progress[3].State' },
      { name: 'paused', value: true },
      { name: 'match', value: 4 },
    ],
  },
  {
    name: 'a follower waiting for a snapshot',
    bullet: 'follower',
    run: async ({ make }) => {
      const c = await make({ snapshotCatchUpEntries: 0 });
      await elect(c, 1);
      for (let i = 0; i < 3; i++) await c.put(`a${i}`, '1', { node: 1 });
      await pump(c, (e) => e.to !== 3 && e.from !== 3);
      await dropWhere(c, () => true);
      await c.compact(c.nodeStatus(1).applied, { node: 1 });
      await cycleAll(c);
      await c.tick(1, 1);
      await pump(c, (e) => !typeIs('MsgSnap')(e));
      return { c, q: { about: 'follower', node: 3 } };
    },
    reason: 'follower-snapshot',
    fields: [
      { name: 'state', value: 'StateSnapshot' },
      { name: 'pendingSnapshot', value: 7, source: 'leader 1 Progress[3].PendingSnapshot' },
    ],
  },
  {
    name: 'a follower behind a full Inflights window',
    bullet: 'follower',
    run: async ({ make }) => {
      const c = await make({ maxInflightMsgs: 1 });
      await elect(c, 1);
      await c.put('a', '1', { node: 1 });
      await pump(c);
      await c.put('b', '2', { node: 1 });
      await cycleAll(c);
      return { c, q: { about: 'follower', node: 2 } };
    },
    reason: 'follower-inflights-full',
    fields: [
      { name: 'state', value: 'StateReplicate' },
      { name: 'inflight', value: 1, source: 'leader 1 Progress[2].Inflights.Count()' },
    ],
  },
];

function fieldOf(a: WhyAnswer, name: string) {
  return a.fields.find((f) => f.name === name);
}

describe('why', () => {
  it('covers every bullet of the issue', () => {
    expect(new Set(cases.map((c) => c.bullet))).toEqual(
      new Set(['vote', 'append', 'entry', 'applied', 'proposal', 'campaign', 'follower']),
    );
  });

  for (const t of cases) {
    it(`${t.reason}: ${t.name}`, async () => {
      const { c, q } = await t.run({ make: manualCluster, keep: (x) => x });
      try {
        const state = await why(c);
        const a = explain(q, state);
        expect(a, 'an answer').toBeDefined();
        expect(a!.reason).toBe(t.reason);
        expect(canExplain(q, state)).toBe(true);
        for (const f of t.fields) {
          const got = fieldOf(a!, f.name);
          expect(got, `field ${f.name} in ${a!.fields.map((x) => x.name).join(', ')}`).toBeDefined();
          if (f.value !== undefined) expect(got!.value, f.name).toBe(f.value);
          if (f.source !== undefined) expect(got!.source, f.name).toContain(f.source);
        }
        for (const w of t.says ?? []) expect(a!.text).toContain(w);
        expect(a!.text.length).toBeGreaterThan(20);
        expect(a!.nodes.length).toBeGreaterThan(0);
      } finally {
        await c.dispose();
      }
    }, 20_000);
  }

  it('offers questions only where an answer exists', async () => {
    const c = await manualCluster();
    try {
      await elect(c, 1);
      const h = await c.put('x', '1', { node: 1 });
      await cycleAll(c);
      const state = await why(c);
      expect(questionsForOp(h.op.id, state)).toEqual([{ about: 'op', op: h.op.id }]);
      expect(questionsForEntry(1, 5, state)).toEqual([{ about: 'entry', node: 1, index: 5 }]);
      expect(questionsForNode(2, state).map((q) => q.about)).toEqual(['campaign', 'follower']);
      // The leader has no "follower" question about itself; a heartbeat has nothing to explain.
      expect(questionsForNode(1, state).map((q) => q.about)).toEqual(['campaign']);
      await pump(c);
      await c.tick(1, 1);
      await cycleAll(c);
      const hb = inFlight(c, typeIs('MsgHeartbeat'))[0]!;
      const s2 = await why(c);
      expect(questionsForMessage(hb.id, s2)).toEqual([]);
      // A finished operation needs no answer; an unknown one has none.
      expect(h.op.status).toBe('ok');
      expect(questionsForOp(h.op.id, s2)).toEqual([]);
      expect(questionsForOp(999, s2)).toEqual([]);
    } finally {
      await c.dispose();
    }
  });
});

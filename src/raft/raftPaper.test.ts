// Tests tied to sections of the Raft paper ("In Search of an Understandable
// Consensus Algorithm", Ongaro & Ousterhout): §5.1 terms, §5.2 leader election,
// §5.3 log replication, §5.4 safety, with the Figure 7 and Figure 8 situations.
// etcd raft departs from the paper in a few documented ways (e.g. a new leader
// appends an empty entry of its term at once); the tests state the paper's rule
// as etcd implements it.

import { describe, expect, it } from 'vitest';
import { Raft } from './raft';
import {
  MsgApp,
  MsgAppResp,
  MsgHeartbeat,
  MsgHup,
  MsgProp,
  MsgVote,
  MsgVoteResp,
  newEntry,
  newHardState,
  newMessage,
  type Entry,
  type Message,
  type MessageType,
} from './raftpb/types';
import type { MemoryStorage } from './storage';
import {
  newNetwork,
  newTestConfig,
  newTestMemoryStorage,
  nextEnts,
  nopStepper,
  readMessages,
  type Network,
} from './testing/network';
import { None, StateCandidate, StateFollower, StateLeader, type StateType } from './types';

const enc = new TextEncoder();
const dec = new TextDecoder();

// ---------------------------------------------------------------------------
// helpers

/** A fresh node `id` of a cluster of `peers`, with an empty log. */
function node(id: number, peers: number[], election = 10, heartbeat = 1): { r: Raft; s: MemoryStorage } {
  const s = newTestMemoryStorage({ peers });
  return { r: new Raft(newTestConfig(id, election, heartbeat, s)), s };
}

/** Entries at indexes 1.. with the given terms (and a recognisable payload). */
function entsOfTerms(terms: number[]): Entry[] {
  return terms.map((term, i) => newEntry({ index: i + 1, term, data: enc.encode(`e${i + 1}t${term}`) }));
}

/** Node `id` of `peers` whose durable log holds entries of the given terms, at `term`. */
function nodeWithLog(id: number, peers: number[], terms: number[], term: number, commit = 0): Raft {
  const s = newTestMemoryStorage({ peers });
  s.append(entsOfTerms(terms));
  s.setHardState(newHardState({ term, commit }));
  const r = new Raft(newTestConfig(id, 10, 1, s));
  storages.set(r, s);
  return r;
}

const storages = new WeakMap<Raft, MemoryStorage>();

function msg(init: Partial<Message>): Message {
  return newMessage(init);
}

function prop(to: number, data: string): Message {
  return msg({ from: to, to, type: MsgProp, entries: [newEntry({ data: enc.encode(data) })] });
}

/** The terms of every entry in r's log, from index 1. */
function logTerms(r: Raft): number[] {
  return r.raftLog.allEntries().map((e) => e.term);
}

function ofType(msgs: Message[], t: MessageType): Message[] {
  return msgs.filter((m) => m.type === t);
}

/** The follower's acknowledgement of an append message it accepted in full. */
function ackOf(m: Message): Message {
  return msg({
    from: m.to,
    to: m.from,
    type: MsgAppResp,
    term: m.term,
    index: m.index + m.entries.length,
  });
}

/** Makes r (a fresh candidate-capable node) leader of its next term without any peer. */
function forceLeader(r: Raft): void {
  r.becomeCandidate();
  r.becomeLeader();
}

/**
 * Commits the empty entry a new leader appends: sends it out, acknowledges it from
 * every follower, persists and applies it. Leaves no messages behind.
 */
function commitNoop(r: Raft, s: MemoryStorage): void {
  r.bcastAppend();
  for (const m of readMessages(r)) {
    if (m.type === MsgApp) r.step(ackOf(m));
  }
  readMessages(r);
  nextEnts(r, s);
  expect(r.raftLog.committed).toBe(r.raftLog.lastIndex());
}

function tick(r: Raft, n: number): void {
  for (let i = 0; i < n; i++) r.tick();
}

function sortedByTo(msgs: Message[]): Message[] {
  return msgs.slice().sort((a, b) => a.to - b.to);
}

// ---------------------------------------------------------------------------
// §5.1 Raft basics: terms

describe('§5.1 terms', () => {
  const roles: Array<[string, (r: Raft) => void]> = [
    ['follower', (r) => r.becomeFollower(1, 2)],
    ['candidate', (r) => r.becomeCandidate()],
    ['leader', (r) => forceLeader(r)],
  ];

  it('a node starts as a follower at term 0 with no leader and no vote', () => {
    const { r } = node(1, [1, 2, 3]);
    expect(r.state).toBe(StateFollower);
    expect(r.term).toBe(0);
    expect(r.lead).toBe(None);
    expect(r.vote).toBe(None);
  });

  for (const [role, setup] of roles) {
    it(`a ${role} that sees a higher term in an append adopts it and follows the sender`, () => {
      const { r } = node(1, [1, 2, 3]);
      setup(r);
      expect(r.term).toBe(1);
      r.step(msg({ from: 2, to: 1, type: MsgApp, term: 5, logTerm: 0, index: 0 }));
      expect(r.term).toBe(5);
      expect(r.state).toBe(StateFollower);
      expect(r.lead).toBe(2);
    });

    it(`a ${role} that sees a higher term in a vote request reverts to follower without a leader`, () => {
      const { r } = node(1, [1, 2, 3]);
      setup(r);
      r.step(msg({ from: 3, to: 1, type: MsgVote, term: 4, logTerm: 9, index: 9 }));
      expect(r.term).toBe(4);
      expect(r.state).toBe(StateFollower);
      expect(r.lead).toBe(None);
      // It had not voted in term 4, and 3's log is at least as up to date: vote granted.
      expect(r.vote).toBe(3);
    });
  }

  it('a follower ignores an append from a stale term: log, term and leader unchanged', () => {
    const r = nodeWithLog(1, [1, 2, 3], [1, 2], 3);
    r.becomeFollower(3, 2);
    readMessages(r);
    r.step(
      msg({ from: 3, to: 1, type: MsgApp, term: 2, logTerm: 2, index: 2, entries: [newEntry({ index: 3, term: 2 })] }),
    );
    expect(r.term).toBe(3);
    expect(r.lead).toBe(2);
    expect(logTerms(r)).toEqual([1, 2]);
    // Without CheckQuorum/PreVote the stale message is dropped silently.
    expect(readMessages(r)).toEqual([]);
  });

  it('a stale vote request is not granted', () => {
    const { r } = node(1, [1, 2, 3]);
    r.becomeFollower(3, None);
    r.step(msg({ from: 2, to: 1, type: MsgVote, term: 2, logTerm: 5, index: 5 }));
    expect(r.vote).toBe(None);
    expect(r.term).toBe(3);
    expect(ofType(readMessages(r), MsgVoteResp).filter((m) => !m.reject)).toEqual([]);
  });

  it('a leader is not deposed by a message from a stale term', () => {
    const { r } = node(1, [1, 2, 3]);
    r.becomeFollower(2, None);
    r.becomeCandidate();
    r.becomeLeader();
    expect(r.term).toBe(3);
    r.step(msg({ from: 2, to: 1, type: MsgApp, term: 2, logTerm: 0, index: 0 }));
    r.step(msg({ from: 2, to: 1, type: MsgHeartbeat, term: 1 }));
    expect(r.state).toBe(StateLeader);
    expect(r.term).toBe(3);
    expect(r.lead).toBe(1);
  });
});

// ---------------------------------------------------------------------------
// §5.2 Leader election

describe('§5.2 leader election', () => {
  it('a leader sends heartbeats to every follower each heartbeat timeout', () => {
    const { r, s } = node(1, [1, 2, 3], 10, 3);
    forceLeader(r);
    commitNoop(r, s);
    tick(r, 2);
    expect(ofType(readMessages(r), MsgHeartbeat)).toEqual([]);
    tick(r, 1);
    const hb = sortedByTo(readMessages(r));
    expect(hb.map((m) => [m.type, m.from, m.to, m.term])).toEqual([
      [MsgHeartbeat, 1, 2, 1],
      [MsgHeartbeat, 1, 3, 1],
    ]);
  });

  for (const start of ['follower', 'candidate'] as const) {
    it(`a ${start} whose election timeout passes starts an election in a new term`, () => {
      const r = nodeWithLog(1, [1, 2, 3], [1, 1], 1);
      if (start === 'follower') r.becomeFollower(1, 2);
      else r.becomeCandidate(); // term 2, as if a previous election had split
      const before = r.term;
      // The randomized timeout is below 2 * electionTimeout.
      tick(r, 2 * r.electionTimeout);
      expect(r.state).toBe(StateCandidate);
      expect(r.term).toBe(before + 1);
      expect(r.vote).toBe(1); // votes for itself
      const votes = sortedByTo(ofType(readMessages(r), MsgVote));
      // Each request carries the candidate's last log position (for §5.4.1).
      expect(votes.map((m) => [m.to, m.term, m.logTerm, m.index])).toEqual([
        [2, before + 1, 1, 2],
        [3, before + 1, 1, 2],
      ]);
    });
  }

  it('a candidate wins with votes from a majority, stays candidate without, loses on a majority of rejections', () => {
    // [cluster size, granted votes from others, rejections from others, resulting state]
    const cases: Array<[number, number[], number[], StateType]> = [
      [1, [], [], StateLeader],
      [3, [2], [], StateLeader],
      [3, [2, 3], [], StateLeader],
      [3, [], [], StateCandidate],
      [3, [], [2], StateCandidate],
      [3, [], [2, 3], StateFollower],
      [5, [2, 3], [], StateLeader],
      [5, [2], [], StateCandidate],
      [5, [2], [3, 4], StateCandidate],
      [5, [2], [3, 4, 5], StateFollower],
      [5, [], [2, 3, 4], StateFollower],
    ];
    for (const [size, granted, rejected, want] of cases) {
      const peers = Array.from({ length: size }, (_, i) => i + 1);
      const { r } = node(1, peers);
      r.step(msg({ from: 1, to: 1, type: MsgHup }));
      readMessages(r);
      for (const id of granted) r.step(msg({ from: id, to: 1, type: MsgVoteResp, term: r.term }));
      for (const id of rejected) r.step(msg({ from: id, to: 1, type: MsgVoteResp, term: r.term, reject: true }));
      expect([size, granted, rejected, r.state]).toEqual([size, granted, rejected, want]);
      expect(r.term).toBe(1);
    }
  });

  it('a follower votes at most once per term, first come first served', () => {
    // [already voted for, candidate asking, granted?]
    const cases: Array<[number, number, boolean]> = [
      [None, 2, true],
      [None, 3, true],
      [2, 2, true], // a repeated request from the same candidate is granted again
      [3, 3, true],
      [2, 3, false],
      [3, 2, false],
    ];
    for (const [voted, cand, want] of cases) {
      const { r } = node(1, [1, 2, 3]);
      r.loadState(newHardState({ term: 1, vote: voted }));
      r.step(msg({ from: cand, to: 1, type: MsgVote, term: 1, logTerm: 0, index: 0 }));
      const resp = ofType(readMessages(r), MsgVoteResp);
      expect(resp.map((m) => [m.to, m.term, m.reject])).toEqual([[cand, 1, !want]]);
      expect(r.vote).toBe(want ? cand : voted);
    }
  });

  it('the first candidate to ask gets the vote; a second in the same term is refused', () => {
    const { r } = node(1, [1, 2, 3]);
    r.step(msg({ from: 2, to: 1, type: MsgVote, term: 1 }));
    r.step(msg({ from: 3, to: 1, type: MsgVote, term: 1 }));
    expect(readMessages(r).map((m) => [m.to, m.reject])).toEqual([
      [2, false],
      [3, true],
    ]);
    expect(r.vote).toBe(2);
  });

  it('a candidate steps down when it hears from a leader of its term (or a later one)', () => {
    for (const term of [1, 2]) {
      const { r } = node(1, [1, 2, 3]);
      r.step(msg({ from: 1, to: 1, type: MsgHup }));
      expect(r.state).toBe(StateCandidate);
      r.step(msg({ from: 2, to: 1, type: MsgApp, term }));
      expect(r.state).toBe(StateFollower);
      expect(r.term).toBe(term);
      expect(r.lead).toBe(2);
    }
  });

  it('a candidate that neither wins nor loses times out and starts a new election', () => {
    const { r } = node(1, [1, 2, 3]);
    r.step(msg({ from: 1, to: 1, type: MsgHup }));
    readMessages(r);
    expect([r.state, r.term]).toEqual([StateCandidate, 1]);
    tick(r, 2 * r.electionTimeout);
    expect([r.state, r.term, r.vote]).toEqual([StateCandidate, 2, 1]);
    expect(ofType(readMessages(r), MsgVote).map((m) => m.term)).toEqual([2, 2]);
  });

  for (const role of ['follower', 'candidate'] as const) {
    it(`a ${role}'s election timeout is randomized within [et, 2et) and varies between elections`, () => {
      const et = 10;
      const { r } = node(1, [1, 2, 3], et);
      const seen = new Set<number>();
      for (let round = 0; round < 200; round++) {
        const term = r.term + 1;
        if (role === 'follower') r.becomeFollower(term, 2);
        else r.becomeCandidate();
        const startTerm = r.term;
        let ticks = 0;
        while (r.term === startTerm) {
          r.tick();
          ticks++;
          expect(ticks).toBeLessThan(2 * et);
        }
        readMessages(r);
        seen.add(ticks);
        expect(ticks).toBeGreaterThanOrEqual(et);
      }
      // Every value of the range shows up over 200 elections.
      expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: et }, (_, i) => et + i));
    });
  }

  it('nodes with different random seeds draw different timeouts', () => {
    const et = 10;
    const ids = [1, 2, 3, 4, 5];
    const timeouts = ids.map((id) => node(id, ids, et).r.randomizedElectionTimeout);
    for (const t of timeouts) {
      expect(t).toBeGreaterThanOrEqual(et);
      expect(t).toBeLessThan(2 * et);
    }
    expect(new Set(timeouts).size).toBeGreaterThan(1);
  });

  for (const role of ['follower', 'candidate'] as const) {
    it(`${role}s of one cluster rarely time out on the same tick (split votes are rare)`, () => {
      const et = 10;
      const ids = [1, 2, 3, 4, 5];
      const rs = ids.map((id) => node(id, ids, et).r);
      let conflicts = 0;
      const rounds = 500;
      for (let round = 0; round < rounds; round++) {
        for (const r of rs) {
          if (role === 'follower') r.becomeFollower(r.term + 1, None);
          else r.becomeCandidate();
        }
        let fired = 0;
        while (fired === 0) {
          for (const r of rs) {
            const t = r.term;
            r.tick();
            if (r.term !== t) fired++;
            readMessages(r);
          }
        }
        if (fired > 1) conflicts++;
      }
      // With 5 nodes and 10 possible timeouts, a collision of the two earliest
      // is common but far from certain; etcd's bound is 30%.
      expect(conflicts / rounds).toBeLessThanOrEqual(0.3);
    });
  }
});

// ---------------------------------------------------------------------------
// §5.3 Log replication

describe('§5.3 log replication', () => {
  it('the leader appends a proposal to its log and sends it to every follower', () => {
    const { r, s } = node(1, [1, 2, 3]);
    forceLeader(r);
    commitNoop(r, s);
    const li = r.raftLog.lastIndex();
    r.step(prop(1, 'some data'));
    expect(r.raftLog.lastIndex()).toBe(li + 1);
    const apps = sortedByTo(readMessages(r));
    expect(apps.map((m) => [m.type, m.to, m.term, m.logTerm, m.index, m.commit])).toEqual([
      [MsgApp, 2, 1, 1, li, li],
      [MsgApp, 3, 1, 1, li, li],
    ]);
    for (const m of apps) {
      expect(m.entries.map((e) => [e.index, e.term, dec.decode(e.data)])).toEqual([[li + 1, 1, 'some data']]);
    }
    expect(r.raftLog.nextUnstableEnts().map((e) => [e.index, e.term])).toEqual([[li + 1, 1]]);
  });

  it('an entry commits once a majority has it, and the leader applies it', () => {
    const { r, s } = node(1, [1, 2, 3]);
    forceLeader(r);
    commitNoop(r, s);
    const li = r.raftLog.lastIndex();
    r.step(prop(1, 'x'));
    const apps = sortedByTo(readMessages(r));
    // Durable at the leader only: not committed.
    expect(nextEnts(r, s)).toEqual([]);
    expect(r.raftLog.committed).toBe(li);
    // One follower acknowledges: leader + follower = 2 of 3.
    r.step(ackOf(apps[0]!));
    expect(r.raftLog.committed).toBe(li + 1);
    expect(nextEnts(r, s).map((e) => [e.index, dec.decode(e.data)])).toEqual([[li + 1, 'x']]);
    // Followers learn the new commit index from the next appends.
    const next = sortedByTo(ofType(readMessages(r), MsgApp));
    expect(next.map((m) => [m.to, m.commit])).toEqual([
      [2, li + 1],
      [3, li + 1],
    ]);
  });

  it('commitment needs acknowledgements from a majority of the cluster', () => {
    // [cluster size, followers that acknowledge, committed?]
    const cases: Array<[number, number[], boolean]> = [
      [1, [], true],
      [3, [], false],
      [3, [2], true],
      [3, [2, 3], true],
      [5, [], false],
      [5, [2], false],
      [5, [2, 3], true],
      [5, [2, 3, 4, 5], true],
    ];
    for (const [size, ackers, want] of cases) {
      const peers = Array.from({ length: size }, (_, i) => i + 1);
      const { r, s } = node(1, peers);
      forceLeader(r);
      commitNoop(r, s);
      const li = r.raftLog.lastIndex();
      r.step(prop(1, 'p'));
      nextEnts(r, s); // the leader's own copy is durable now
      for (const m of readMessages(r)) {
        if (m.type === MsgApp && ackers.includes(m.to)) r.step(ackOf(m));
      }
      expect([size, ackers, r.raftLog.committed > li]).toEqual([size, ackers, want]);
    }
  });

  it('committing an entry commits every entry before it, including earlier terms', () => {
    for (const prior of [[], [2], [1, 2], [1, 1, 2], [1, 2, 2]]) {
      const s = newTestMemoryStorage({ peers: [1, 2, 3] });
      s.append(entsOfTerms(prior));
      s.setHardState(newHardState({ term: 2 }));
      const r = new Raft(newTestConfig(1, 10, 1, s));
      forceLeader(r); // term 3, empty entry at prior.length + 1
      r.step(prop(1, 'new'));
      nextEnts(r, s);
      for (const m of readMessages(r)) {
        if (m.type === MsgApp) r.step(ackOf(m));
      }
      // The follower acks above cover the whole log (they were optimistic appends
      // from index prior.length, i.e. a follower that already had the prefix).
      expect(r.raftLog.committed).toBe(prior.length + 2);
      const applied = nextEnts(r, s);
      expect(applied.map((e) => e.index)).toEqual(Array.from({ length: prior.length + 2 }, (_, i) => i + 1));
      expect(applied.map((e) => e.term)).toEqual([...prior, 3, 3]);
    }
  });

  it('a follower commits what the leader says is committed (no further than its own log) and applies in order', () => {
    // [entries sent, leader commit, follower's committed afterwards]
    const cases: Array<[Entry[], number, number]> = [
      [[newEntry({ term: 1, index: 1, data: enc.encode('a') })], 1, 1],
      [
        [
          newEntry({ term: 1, index: 1, data: enc.encode('a') }),
          newEntry({ term: 1, index: 2, data: enc.encode('b') }),
        ],
        2,
        2,
      ],
      [
        [
          newEntry({ term: 1, index: 1, data: enc.encode('a') }),
          newEntry({ term: 1, index: 2, data: enc.encode('b') }),
        ],
        1,
        1,
      ],
      // The leader's commit may be ahead of what this message carries.
      [[newEntry({ term: 1, index: 1, data: enc.encode('a') })], 5, 1],
    ];
    for (const [ents, commit, want] of cases) {
      const { r, s } = node(1, [1, 2, 3]);
      r.becomeFollower(1, 2);
      r.step(msg({ from: 2, to: 1, type: MsgApp, term: 1, logTerm: 0, index: 0, entries: ents, commit }));
      expect(r.raftLog.committed).toBe(want);
      const applied = nextEnts(r, s);
      expect(applied.map((e) => e.index)).toEqual(Array.from({ length: want }, (_, i) => i + 1));
      expect(applied.map((e) => dec.decode(e.data))).toEqual(ents.slice(0, want).map((e) => dec.decode(e.data)));
    }
  });

  it('all nodes apply the same committed entries in the same order', () => {
    const n = newNetwork(undefined, undefined, undefined);
    n.send(msg({ from: 1, to: 1, type: MsgHup }));
    for (const d of ['a', 'b', 'c', 'd']) n.send(prop(1, d));
    // A proposal at a follower is forwarded and takes its place in the same order.
    n.send(prop(2, 'e'));
    const applied = [1, 2, 3].map((id) =>
      nextEnts(n.raft(id), n.storage.get(id)!).map((e) => `${e.index}/${e.term}:${dec.decode(e.data)}`),
    );
    expect(applied[0]).toEqual(['1/1:', '2/1:a', '3/1:b', '4/1:c', '5/1:d', '6/1:e']);
    expect(applied[1]).toEqual(applied[0]);
    expect(applied[2]).toEqual(applied[0]);
  });

  it('the consistency check: a follower accepts an append only if it has the preceding entry', () => {
    // follower log: 1/1, 2/2 — [prev term, prev index, rejected?, response index, reject hint]
    const cases: Array<[number, number, boolean, number, number]> = [
      [0, 0, false, 0, 0],
      [1, 1, false, 1, 0],
      [2, 2, false, 2, 0],
      // term mismatch at index 2; the hint is the last index whose term is <= 1
      [1, 2, true, 2, 1],
      // index 3 is missing; the hint is the follower's last index
      [3, 3, true, 3, 2],
    ];
    for (const [logTerm, index, reject, rIndex, hint] of cases) {
      const r = nodeWithLog(1, [1, 2, 3], [1, 2], 2);
      r.becomeFollower(2, 2);
      r.step(msg({ from: 2, to: 1, type: MsgApp, term: 2, logTerm, index }));
      const resp = readMessages(r);
      expect(resp.length).toBe(1);
      const m = resp[0]!;
      expect([logTerm, index, m.type, m.reject, m.index, m.rejectHint]).toEqual([
        logTerm,
        index,
        MsgAppResp,
        reject,
        rIndex,
        hint,
      ]);
      expect(logTerms(r)).toEqual([1, 2]); // nothing appended or removed by a heartbeat-like append
    }
  });

  it('a follower deletes conflicting entries and appends the new ones; matching ones stay', () => {
    // follower log: 1/1, 2/2 — [prev index, prev term, entries (index, term), resulting log terms]
    const cases: Array<[number, number, Array<[number, number]>, number[]]> = [
      [2, 2, [[3, 3]], [1, 2, 3]],
      [
        1,
        1,
        [
          [2, 3],
          [3, 4],
        ],
        [1, 3, 4],
      ], // 2/2 conflicts with 2/3: truncated
      [0, 0, [[1, 1]], [1, 2]], // already there: nothing changes
      [0, 0, [[1, 3]], [3]], // conflict at the first index
    ];
    for (const [index, logTerm, ents, want] of cases) {
      const r = nodeWithLog(1, [1, 2, 3], [1, 2], 2);
      r.becomeFollower(2, 2);
      r.step(
        msg({
          from: 2,
          to: 1,
          type: MsgApp,
          term: 2,
          logTerm,
          index,
          entries: ents.map(([i, t]) => newEntry({ index: i, term: t })),
        }),
      );
      expect(logTerms(r)).toEqual(want);
    }
  });

  it('a leader never overwrites or deletes entries in its own log', () => {
    const r = nodeWithLog(1, [1, 2, 3], [1, 1, 2], 2);
    forceLeader(r); // term 3, appends 4/3
    const before = logTerms(r);
    expect(before).toEqual([1, 1, 2, 3]);
    // A stale append (an old leader's) and a follower's rejection must not touch it.
    r.step(
      msg({ from: 2, to: 1, type: MsgApp, term: 2, logTerm: 1, index: 1, entries: [newEntry({ index: 2, term: 2 })] }),
    );
    r.step(msg({ from: 2, to: 1, type: MsgAppResp, term: 3, index: 4, reject: true, rejectHint: 1, logTerm: 1 }));
    // An append of the leader's own term from someone else cannot exist; at a
    // higher term the leader would step down first (and then it is a follower).
    expect(r.state).toBe(StateLeader);
    expect(logTerms(r)).toEqual(before);
  });
});

// ---------------------------------------------------------------------------
// §5.3 Figure 7: a new leader brings every follower log into agreement

describe('§5.3 Figure 7: log repair', () => {
  // The leader of term 8 (its log; indexes 1..10).
  const leaderTerms = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6];
  const followers: Array<[string, number[]]> = [
    ['(a) missing one entry', [1, 1, 1, 4, 4, 5, 5, 6, 6]],
    ['(b) missing many entries', [1, 1, 1, 4]],
    ['(c) one extra uncommitted entry of the same term', [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6]],
    ['(d) extra entries of a later term', [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7]],
    ['(e) missing entries and extra ones of an old term', [1, 1, 1, 4, 4, 4, 4]],
    ['(f) many extra entries of terms the leader never saw', [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3]],
  ];
  const term = 8;

  for (const [name, fterms] of followers) {
    it(`follower ${name}`, () => {
      const lead = nodeWithLog(1, [1, 2, 3], leaderTerms, term, leaderTerms.length);
      const follower = nodeWithLog(2, [1, 2, 3], fterms, term - 1);
      // Node 3 is a black hole that votes for node 1, so that node 1 wins even when
      // node 2's log is more up to date (case d).
      const n: Network = newNetwork(lead, follower, nopStepper);
      n.send(msg({ from: 1, to: 1, type: MsgHup }));
      n.send(msg({ from: 3, to: 1, type: MsgVoteResp, term: term + 1 }));
      expect(lead.state).toBe(StateLeader);
      n.send(prop(1, 'after repair'));

      const want = [...leaderTerms, term + 1, term + 1];
      // The leader kept its log and added its own entries.
      expect(logTerms(lead)).toEqual(want);
      expect(lead.raftLog.allEntries().slice(0, 10)).toEqual(entsOfTerms(leaderTerms));
      // The follower's log is now identical, entry by entry.
      expect(logTerms(follower)).toEqual(want);
      expect(follower.raftLog.allEntries()).toEqual(lead.raftLog.allEntries());
      // Leader + this follower are a majority: everything is committed on both.
      expect(lead.raftLog.committed).toBe(want.length);
      expect(follower.raftLog.committed).toBe(want.length);
    });
  }
});

// ---------------------------------------------------------------------------
// §5.4 Safety

describe('§5.4.1 election restriction', () => {
  it("a vote is granted only to a candidate whose log is at least as up to date as the voter's", () => {
    // voter's log: 1/1, 2/2 (last term 2, last index 2)
    // [candidate's last term, last index, granted?]
    const cases: Array<[number, number, boolean]> = [
      [2, 2, true], // same
      [2, 3, true], // same last term, longer
      [3, 1, true], // later last term wins even if shorter
      [3, 3, true],
      [2, 1, false], // same last term, shorter
      [1, 1, false],
      [1, 5, false], // longer but older last term
      [0, 0, false],
    ];
    for (const [logTerm, index, want] of cases) {
      const r = nodeWithLog(1, [1, 2, 3], [1, 2], 2);
      r.step(msg({ from: 2, to: 1, type: MsgVote, term: 3, logTerm, index }));
      const resp = ofType(readMessages(r), MsgVoteResp);
      expect([logTerm, index, resp.map((m) => !m.reject)]).toEqual([logTerm, index, [want]]);
    }
  });

  it('a node whose log lacks a committed entry cannot become leader', () => {
    const n = newNetwork(undefined, undefined, undefined);
    n.send(msg({ from: 1, to: 1, type: MsgHup }));
    n.isolate(3);
    n.send(prop(1, 'committed without 3'));
    expect(n.raft(1).raftLog.committed).toBe(2);
    n.recover();
    n.isolate(1); // the leader goes away; 3 is behind, 2 has everything
    n.send(msg({ from: 3, to: 3, type: MsgHup }));
    expect(n.raft(3).state).toBe(StateCandidate); // 2 refuses: 3's log is behind
    n.send(msg({ from: 2, to: 2, type: MsgHup }));
    expect(n.raft(2).state).toBe(StateLeader); // 3 grants: 2's log is ahead
    expect(logTerms(n.raft(2)).slice(0, 2)).toEqual([1, 1]);
  });
});

describe('§5.4.2 committing entries from previous terms', () => {
  it('a leader does not commit a previous-term entry by counting replicas, only through one of its own term', () => {
    // [index acknowledged by both followers, committed afterwards]
    const cases: Array<[number, number]> = [
      [1, 0],
      [2, 0],
      [3, 3],
    ];
    for (const [ackIndex, want] of cases) {
      const r = nodeWithLog(1, [1, 2, 3], [1, 2], 2);
      forceLeader(r); // term 3, empty entry 3/3
      readMessages(r);
      nextEnts(r, storages.get(r)!);
      for (const from of [2, 3]) r.step(msg({ from, to: 1, type: MsgAppResp, term: r.term, index: ackIndex }));
      expect([ackIndex, r.raftLog.committed]).toEqual([ackIndex, want]);
    }
  });

  // The situation of Figure 8, with five servers S1..S5.
  //   (a) S1 led term 2 and got entry 2/2 to S2 only.
  //   (b) S5 led term 3 (votes from S3, S4, S5) and wrote 2/3 only to itself.
  //   (c) S1 leads again in term 4 and gets its 2/2 onto S3 (and S4): a majority
  //       holds it, but it is not committed.
  //   (d) S1 fails; S5 can still win (its last term 3 beats 2) and replaces index 2
  //       everywhere. Had S1 committed 2/2 in (c), a committed entry would be lost.
  //   (e) Had S1 instead replicated an entry of term 4 to a majority, that commits
  //       2/2 with it, and S5 can no longer win.
  function figure8(): Network {
    const peers = [1, 2, 3, 4, 5];
    // S1 has heard of term 3 meanwhile, so its next campaign is for term 4.
    const s1 = nodeWithLog(1, peers, [1, 2], 3, 1);
    const s2 = nodeWithLog(2, peers, [1, 2], 2, 1);
    const s3 = nodeWithLog(3, peers, [1], 3, 1);
    const s4 = nodeWithLog(4, peers, [1], 3, 1);
    const s5 = nodeWithLog(5, peers, [1, 3], 3, 1);
    for (const r of [s1, s2, s3, s4, s5]) r.maxMsgSize = 1; // one entry per append
    const n = newNetwork(s1, s2, s3, s4, s5);
    n.isolate(5); // S5 is down during (c)
    return n;
  }

  /** Drops the parts of appends that carry index 3 or later (they "get lost"). */
  function loseEntriesFrom(n: Network, index: number): void {
    n.msgHook = (m) => {
      if (m.type === MsgApp && m.entries.some((e) => e.index >= index)) {
        m.entries = m.entries.filter((e) => e.index < index);
      }
      return true;
    };
  }

  it('Figure 8 (c)+(d): a previous-term entry on a majority is not committed, and is rightly overwritten', () => {
    const n = figure8();
    loseEntriesFrom(n, 3);
    // (c) S1 campaigns for term 4; S2, S3, S4 vote for it.
    n.send(msg({ from: 1, to: 1, type: MsgHup }));
    const s1 = n.raft(1);
    expect([s1.state, s1.term]).toEqual([StateLeader, 4]);
    expect(logTerms(s1)).toEqual([1, 2, 4]);
    for (const id of [2, 3, 4]) expect(logTerms(n.raft(id))).toEqual([1, 2]);
    for (const id of [2, 3, 4]) expect(s1.trk.progress.get(id)!.match).toBe(2);
    // 2/2 is on four of five servers, yet S1 has not committed it.
    expect(s1.raftLog.committed).toBe(1);

    // (d) S1 crashes; S5 comes back and wins (after one term lost to stale votes).
    n.msgHook = undefined;
    n.recover();
    n.isolate(1);
    for (let i = 0; i < 3 && n.raft(5).state !== StateLeader; i++) n.send(msg({ from: 5, to: 5, type: MsgHup }));
    const s5 = n.raft(5);
    expect(s5.state).toBe(StateLeader);
    // Index 2 now holds S5's term-3 entry on the majority: the 2/2 entry is gone,
    // which is safe only because it was never committed.
    for (const id of [2, 3, 4, 5]) expect(logTerms(n.raft(id)).slice(0, 2)).toEqual([1, 3]);
    expect(s5.raftLog.committed).toBe(s5.raftLog.lastIndex());
  });

  it('Figure 8 (e): an entry of the current term on a majority commits the earlier one with it', () => {
    const n = figure8();
    // (c') S1 leads term 4 and its empty entry 3/4 reaches the majority too.
    n.send(msg({ from: 1, to: 1, type: MsgHup }));
    const s1 = n.raft(1);
    expect(s1.state).toBe(StateLeader);
    expect(s1.raftLog.committed).toBe(3);
    for (const id of [2, 3, 4]) expect(logTerms(n.raft(id))).toEqual([1, 2, 4]);
    // S5 cannot win any more: every other server has a later last term.
    n.recover();
    n.isolate(1);
    for (let i = 0; i < 3; i++) n.send(msg({ from: 5, to: 5, type: MsgHup }));
    expect(n.raft(5).state).not.toBe(StateLeader);
    for (const id of [2, 3, 4]) expect(logTerms(n.raft(id))).toEqual([1, 2, 4]);
  });
});

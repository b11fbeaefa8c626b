import { describe, expect, it } from 'vitest';
import { relinkEvents } from '../../check/model';
import type { Entry } from '../../raft/raftpb/types';
import { StateFollower, StateLeader } from '../../raft/types';
import type { ClusterObservation } from '../cluster';
import type { DiskState } from '../protocol';
import { kvHash, majorityWhole, ModelBuilder } from './fromCluster';

const enc = new TextEncoder();
function ents(from: number, terms: number[]): Entry[] {
  return terms.map((t, i) => ({ term: t, index: from + i, type: 0, data: enc.encode(`d${from + i}`) }) as Entry);
}
function disk(entries: Entry[], commit = 0, term = 1): DiskState {
  return {
    hardState: { term, vote: 1, commit },
    snapshot: { data: new Uint8Array(), metadata: { index: 0, term: 0, confState: {} } },
    entries,
  } as unknown as DiskState;
}

interface N {
  id: number;
  status?: 'alive' | 'crashed' | 'removed';
  paused?: boolean;
  incarnation?: number;
  role?: number;
  term?: number;
}
function obs(step: number, nodes: N[], links: { from: number; to: number; up: boolean }[] = []): ClusterObservation {
  const voters = nodes.map((n) => n.id);
  return {
    step,
    time: step * 10,
    nodes: nodes.map((n) => ({
      id: n.id,
      status: n.status ?? 'alive',
      paused: n.paused ?? false,
      incarnation: n.incarnation ?? 1,
      observation:
        (n.status ?? 'alive') === 'alive'
          ? {
              id: n.id,
              role: n.role ?? StateFollower,
              term: n.term ?? 1,
              vote: 1,
              lead: 0,
              commit: 1,
              applied: 1,
              kv: { a: String(n.id === 9 ? 2 : 1) },
              confState: { voters, learners: [], votersOutgoing: [], learnersNext: [], autoLeave: false },
            }
          : undefined,
      disk: { term: 1, vote: 1, commit: 1, snapshotIndex: 0, snapshotTerm: 0, firstIndex: 1, lastIndex: 1 },
    })),
    links: links.map((l) => ({
      ...l,
      faults: { loss: 0, duplication: 0, latency: 0.5, jitter: 0.5, hold: false },
      queued: 0,
    })),
  } as unknown as ClusterObservation;
}

describe('ModelBuilder', () => {
  it('records volatile state, hashes entries, reuses an unchanged log and windows long ones', () => {
    const b = new ModelBuilder({ logWindow: 3 });
    const e1 = ents(1, [1, 1]);
    const d1 = disk(e1, 1);
    const s0 = b.add(obs(0, [{ id: 1, role: StateLeader, term: 1 }]), () => d1);
    const n0 = s0.nodes[0]!;
    expect(n0).toMatchObject({ id: 1, alive: true, role: StateLeader, term: 1, commit: 1, applied: 1 });
    expect(n0.log.entries.map((e) => [e.index, e.term])).toEqual([
      [1, 1],
      [2, 1],
    ]);
    expect(n0.log.entries[0]!.hash).not.toBe(n0.log.entries[1]!.hash);
    expect(n0.kvHash).toMatch(/^[0-9a-f]{8}$/);
    // a copy of the same disk (as cluster.disk returns) keeps the same log value
    const s1 = b.add(obs(1, [{ id: 1, role: StateLeader }]), () => disk(e1.slice(), 1));
    expect(s1.nodes[0]!.log).toBe(n0.log);
    // a longer log is windowed to its newest 3 entries
    const s2 = b.add(obs(2, [{ id: 1, role: StateLeader }]), () => disk([...e1, ...ents(3, [1, 2, 2])], 1));
    expect(s2.nodes[0]!.log.start).toBe(3);
    expect(s2.nodes[0]!.log.entries.map((e) => e.index)).toEqual([3, 4, 5]);
  });

  it('derives crash and restart events', () => {
    const b = new ModelBuilder();
    const d = () => disk([]);
    b.add(obs(0, [{ id: 1 }, { id: 2 }]), d);
    const s1 = b.add(obs(1, [{ id: 1, status: 'crashed' }, { id: 2 }]), d);
    expect(s1.events).toEqual([{ kind: 'crash', node: 1 }]);
    expect(s1.nodes[0]).toMatchObject({ alive: false, role: undefined, kvHash: undefined });
    const s2 = b.add(obs(2, [{ id: 1, incarnation: 2 }, { id: 2 }]), d);
    expect(s2.events).toEqual([{ kind: 'restart', node: 1 }]);
    expect(relinkEvents([s2, s1, s2]).map((s) => s.events)).toEqual([
      [],
      [{ kind: 'crash', node: 1 }],
      [{ kind: 'restart', node: 1 }],
    ]);
  });
});

describe('kvHash', () => {
  it('ignores key order and tells keys and values apart', () => {
    expect(kvHash({ a: '1', b: '2' })).toBe(kvHash({ b: '2', a: '1' }));
    expect(kvHash({ a: '1', b: '2' })).not.toBe(kvHash({ a: '2', b: '1' }));
    // lengths are hashed too, so moving characters between key and value changes it
    expect(kvHash({ ab: 'c' })).not.toBe(kvHash({ a: 'bc' }));
    expect(kvHash({})).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe('majorityWhole', () => {
  it('needs a running voter linked both ways to a majority', () => {
    const five = [1, 2, 3, 4, 5].map((id) => ({ id }));
    expect(majorityWhole(obs(0, five))).toBe(true);
    // two nodes down: still a majority
    expect(
      majorityWhole(
        obs(
          0,
          five.map((n) => (n.id <= 2 ? { ...n, status: 'crashed' as const } : n)),
        ),
      ),
    ).toBe(true);
    // three down: no majority
    expect(
      majorityWhole(
        obs(
          0,
          five.map((n) => (n.id <= 3 ? { ...n, paused: true } : n)),
        ),
      ),
    ).toBe(false);
    // every node cut off from the others (one direction is enough to break a link)
    const cuts = [];
    for (let a = 1; a <= 5; a++) for (let b = 1; b <= 5; b++) if (a < b) cuts.push({ from: a, to: b, up: false });
    expect(majorityWhole(obs(0, five, cuts))).toBe(false);
    // a {1,2} | {3,4,5} partition leaves the larger side whole
    const part = [];
    for (const a of [1, 2])
      for (const b of [3, 4, 5]) part.push({ from: a, to: b, up: false }, { from: b, to: a, up: false });
    expect(majorityWhole(obs(0, five, part))).toBe(true);
  });
});

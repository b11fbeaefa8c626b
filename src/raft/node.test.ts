// Tests of the asynchronous Node API (the ground etcd's node_test.go covers), driven
// only through promise turns: no timers anywhere.

import { describe, expect, it } from 'vitest';
import { Deferred, FifoQueue } from './asyncQueue';
import { ErrProposalDropped, ErrStopped, RaftPanic } from './errors';
import { newNode, restartNode, startNode } from './node';
import type { Node } from './node';
import type { Config } from './raft';
import { unmarshalConfChange } from './raftpb/confchange';
import {
  ConfChangeAddNode,
  ConfChangeRemoveNode,
  EntryConfChange,
  EntryConfChangeV2,
  EntryNormal,
  MsgAppResp,
  MsgBeat,
  MsgHup,
  MsgStorageAppend,
  newConfChange,
  newEntry,
  newHardState,
  newMessage,
} from './raftpb/types';
import type { Entry, Message } from './raftpb/types';
import { newRawNode } from './rawNode';
import type { RawNode } from './rawNode';
import { newMemoryStorage } from './storage';
import type { MemoryStorage } from './storage';
import { isEmptyHardState, StateFollower, StateLeader } from './types';
import type { ReadState, Ready } from './types';

const enc = new TextEncoder();
const dec = new TextDecoder();

function testConfig(id: number, storage: MemoryStorage, extra: Partial<Config> = {}): Config {
  return {
    id,
    electionTick: 10,
    heartbeatTick: 1,
    storage,
    maxSizePerMsg: Infinity,
    maxInflightMsgs: 256,
    ...extra,
  } as Config;
}

/** A storage whose snapshot ConfState already lists the voters (etcd's withPeers). */
function storageWithPeers(...voters: number[]): MemoryStorage {
  const s = newMemoryStorage();
  s.snap.metadata.confState.voters = voters;
  return s;
}

/** Lets promise continuations run: n turns of the microtask queue. */
async function turns(n = 20): Promise<void> {
  for (let i = 0; i < n; i++) await Promise.resolve();
}

/** Waits (in promise turns) until cond holds; fails the test if it never does. */
async function until(cond: () => boolean, what: string, maxTurns = 20000): Promise<void> {
  for (let i = 0; i < maxTurns; i++) {
    if (cond()) return;
    await Promise.resolve();
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Tracks whether a promise has settled, and how. */
function watch<T>(p: Promise<T>): { settled: boolean; value?: T; error?: unknown } {
  const w: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  p.then(
    (v) => {
      w.settled = true;
      w.value = v;
    },
    (e: unknown) => {
      w.settled = true;
      w.error = e;
    },
  );
  return w;
}

/**
 * The application side of one node, as raftexample does it: persist, send, apply
 * (calling applyConfChange for conf change entries), advance.
 */
class Host {
  applied: Entry[] = [];
  readStates: ReadState[] = [];
  readies: Ready[] = [];
  running: Promise<void>;

  constructor(
    readonly node: Node,
    readonly storage: MemoryStorage,
    private readonly send: (m: Message) => void = () => {},
  ) {
    this.running = this.run();
  }

  private async run(): Promise<void> {
    for await (const rd of this.node.ready()) {
      this.readies.push(rd);
      if (!isEmptyHardState(rd.hardState)) this.storage.setHardState(rd.hardState!);
      this.storage.append(rd.entries);
      for (const m of rd.messages) this.send(m);
      for (const e of rd.committedEntries) {
        if (e.type === EntryConfChange || e.type === EntryConfChangeV2) {
          this.node.applyConfChange(unmarshalConfChange(e.type, e.data));
        }
        this.applied.push(e);
      }
      this.readStates.push(...rd.readStates);
      this.node.advance();
    }
  }

  appliedData(): string[] {
    return this.applied.filter((e) => e.type === EntryNormal && e.data.length > 0).map((e) => dec.decode(e.data));
  }
}

function singleNode(): { node: Node; storage: MemoryStorage; rn: RawNode } {
  const storage = storageWithPeers(1);
  const rn = newRawNode(testConfig(1, storage));
  const node = newNode(rn);
  return { node, storage, rn };
}

describe('Node', () => {
  it('propose waits for a leader, then is committed through the Ready loop', async () => {
    const { node, storage } = singleNode();
    const host = new Host(node, storage);
    const p = watch(node.propose(enc.encode('somedata')));
    await turns(50);
    expect(p.settled).toBe(false); // no leader yet: the proposal is parked
    await node.campaign();
    await until(() => p.settled, 'proposal accepted');
    expect(p.error).toBeUndefined();
    await until(() => host.appliedData().includes('somedata'), 'proposal applied');
    expect(node.status().softState.raftState).toBe(StateLeader);
    expect(storage.lastIndex()).toBeGreaterThanOrEqual(2);
    node.stop();
    await host.running;
  });

  it('parked proposals are stepped in arrival order', async () => {
    const { node, storage } = singleNode();
    const host = new Host(node, storage);
    const ps = ['a', 'b', 'c', 'd'].map((s) => node.propose(enc.encode(s)));
    await node.campaign();
    await Promise.all(ps);
    await until(() => host.appliedData().length === 4, 'four entries applied');
    expect(host.appliedData()).toEqual(['a', 'b', 'c', 'd']);
    node.stop();
  });

  it('offers one Ready per advance', async () => {
    const { node, storage, rn } = singleNode();
    await node.campaign();
    const it = node.ready()[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.done).toBe(false);
    storage.append(first.value.entries);
    // The self-vote is only counted on advance, so this proposal waits for the leader.
    const p = watch(node.propose(enc.encode('x')));
    // Without advance the candidate's election times out and it campaigns again at
    // term 2: new work, but the first Ready was not advanced, so nothing is offered.
    for (let i = 0; i < 20; i++) node.tick();
    expect(rn.hasReady()).toBe(true);
    const second = watch(it.next());
    await turns(50);
    expect(second.settled).toBe(false);
    node.advance();
    await until(() => second.settled, 'second Ready');
    expect((second.value as IteratorResult<Ready>).done).toBe(false);
    const rd2 = (second.value as IteratorResult<Ready>).value as Ready;
    expect(rd2.hardState?.term).toBe(2);
    storage.append(rd2.entries);
    node.advance();
    // Advancing counted the self-vote: leader now, the parked proposal went in.
    await until(() => p.settled, 'proposal accepted');
    expect(p.error).toBeUndefined();
    expect(node.status().softState.raftState).toBe(StateLeader);
    // A second advance with nothing outstanding is a no-op, not an error.
    node.advance();
    node.advance();
    node.stop();
  });

  it('batches calls made before the reader is served into one Ready', async () => {
    const { node, storage } = singleNode();
    const host = new Host(node, storage);
    await node.campaign();
    // Wait until the leader's empty entry is applied and the node is idle.
    await until(() => host.applied.length >= 1, 'empty entry applied');
    await turns(50);
    const before = host.readies.length;
    const ps: Promise<void>[] = [];
    for (let i = 0; i < 10; i++) ps.push(node.propose(enc.encode(`p${i}`)));
    await Promise.all(ps);
    await until(() => host.appliedData().length === 10, 'ten applied');
    // Ten synchronous proposals are persisted by one Ready.
    const withEntries = host.readies.slice(before).filter((rd) => rd.entries.length > 0);
    expect(withEntries[0]!.entries.length).toBe(10);
    node.stop();
  });

  it('stop rejects pending and later calls and ends the Ready stream', async () => {
    const { node } = singleNode();
    const pending = watch(node.propose(enc.encode('never')));
    const it = node.ready()[Symbol.asyncIterator]();
    // Nothing to do yet (no leader, empty log): the reader parks.
    const reader = watch(it.next());
    await turns();
    node.stop();
    node.stop(); // idempotent
    await turns();
    expect(pending.settled).toBe(true);
    expect(pending.error).toBe(ErrStopped);
    expect(reader.settled).toBe(true);
    expect((reader.value as IteratorResult<Ready>).done).toBe(true);
    await expect(node.propose(enc.encode('x'))).rejects.toBe(ErrStopped);
    await expect(node.campaign()).rejects.toBe(ErrStopped);
    await expect(node.step(newMessage({ type: MsgAppResp, from: 1, to: 1 }))).rejects.toBe(ErrStopped);
    await expect(node.readIndex(enc.encode('r'))).rejects.toBe(ErrStopped);
    await expect(node.forgetLeader()).rejects.toBe(ErrStopped);
    await expect(node.transferLeadership(1, 1)).rejects.toBe(ErrStopped);
    await expect(node.proposeConfChange(newConfChange({ type: ConfChangeAddNode, nodeId: 2 }))).rejects.toBe(
      ErrStopped,
    );
    expect(() => node.status()).toThrow(ErrStopped);
    expect(() => node.applyConfChange(newConfChange({ type: ConfChangeAddNode, nodeId: 2 }))).toThrow(ErrStopped);
    // Fire-and-forget calls do nothing.
    node.tick();
    node.advance();
    node.reportUnreachable(2);
    node.reportSnapshot(2, 2);
    expect((await it.next()).done).toBe(true);
  });

  it('an abort signal rejects a waiting proposal with its reason, and drops it', async () => {
    const { node, storage } = singleNode();
    const host = new Host(node, storage);
    const ac = new AbortController();
    const reason = new Error('gave up');
    const aborted = watch(node.propose(enc.encode('aborted'), ac.signal));
    const kept = watch(node.propose(enc.encode('kept')));
    await turns();
    expect(aborted.settled).toBe(false);
    ac.abort(reason);
    await turns();
    expect(aborted.error).toBe(reason);
    expect(kept.settled).toBe(false);
    // An already aborted signal rejects straight away, even for non-proposals.
    await expect(node.campaign(ac.signal)).rejects.toBe(reason);
    expect(node.status().softState.raftState).toBe(StateFollower);
    await node.campaign();
    await until(() => host.appliedData().includes('kept'), 'kept applied');
    expect(kept.error).toBeUndefined();
    expect(host.appliedData()).not.toContain('aborted');
    node.stop();
  });

  it('proposals raft drops reject with ErrProposalDropped', async () => {
    // A follower with proposal forwarding disabled drops proposals (etcd's DisableProposalForwarding).
    const cluster = makeCluster([1, 2, 3], (id) => (id === 2 ? { disableProposalForwarding: true } : {}));
    await cluster.bootstrapped();
    await cluster.hosts.get(1)!.node.campaign();
    await until(() => cluster.hosts.get(2)!.node.status().softState.lead === 1, 'node 2 knows the leader');
    await expect(cluster.hosts.get(2)!.node.propose(enc.encode('x'))).rejects.toBe(ErrProposalDropped);
    // Through step (no wait) the same drop is silent, as in etcd.
    await expect(
      cluster.hosts.get(2)!.node.proposeConfChange(newConfChange({ type: ConfChangeAddNode, nodeId: 4 })),
    ).resolves.toBeUndefined();
    await expect(cluster.hosts.get(3)!.node.propose(enc.encode('y'))).resolves.toBeUndefined();
    await until(() => [1, 2, 3].every((id) => cluster.hosts.get(id)!.appliedData().includes('y')), 'y applied');
    cluster.stop();
  });

  it('proposeConfChange is committed and applyConfChange returns the new ConfState', async () => {
    const { node, storage } = singleNode();
    await node.campaign();
    let confState: { voters: number[] } | undefined;
    let sawConfChange = false;
    const it = node.ready()[Symbol.asyncIterator]();
    let proposed = false;
    for (let i = 0; i < 20 && confState === undefined; i++) {
      const r = await it.next();
      if (r.done) break;
      const rd = r.value;
      storage.append(rd.entries);
      if (!isEmptyHardState(rd.hardState)) storage.setHardState(rd.hardState!);
      for (const e of rd.committedEntries) {
        if (e.type === EntryConfChange) {
          sawConfChange = true;
          const cc = unmarshalConfChange(e.type, e.data);
          confState = node.applyConfChange(cc);
        }
      }
      node.advance();
      if (!proposed && rd.softState?.lead === 1) {
        proposed = true;
        await node.proposeConfChange(newConfChange({ type: ConfChangeAddNode, nodeId: 2 }));
      }
    }
    expect(sawConfChange).toBe(true);
    expect(confState?.voters).toEqual([1, 2]);
    node.stop();
  });

  it('readIndex answers with a ReadState carrying the request context', async () => {
    const { node, storage } = singleNode();
    const host = new Host(node, storage);
    await node.campaign();
    // A leader answers read-index requests once it has committed an entry of its term.
    await node.propose(enc.encode('w'));
    await until(() => host.appliedData().includes('w'), 'w applied');
    await node.readIndex(enc.encode('ctx1'));
    await until(() => host.readStates.length > 0, 'read state');
    expect(dec.decode(host.readStates[0]!.requestCtx)).toBe('ctx1');
    expect(host.readStates[0]!.index).toBe(storage.lastIndex());
    node.stop();
  });

  it('step ignores local messages from peers and responses from unknown peers', async () => {
    const { node, storage } = singleNode();
    const host = new Host(node, storage);
    // MsgHup from the network must not make the node campaign.
    await expect(node.step(newMessage({ type: MsgHup, from: 1, to: 1 }))).resolves.toBeUndefined();
    await expect(node.step(newMessage({ type: MsgBeat, from: 1, to: 1 }))).resolves.toBeUndefined();
    await expect(node.step(newMessage({ type: MsgStorageAppend, from: 1, to: 1 }))).resolves.toBeUndefined();
    await turns(50);
    expect(node.status().softState.raftState).toBe(StateFollower);
    expect(host.readies.length).toBe(0);
    await node.campaign();
    await until(() => node.status().softState.raftState === StateLeader, 'leader');
    // A response from node 9, which is not in the configuration, is dropped.
    const before = node.status();
    await expect(
      node.step(newMessage({ type: MsgAppResp, from: 9, to: 1, term: before.hardState.term, index: 100 })),
    ).resolves.toBeUndefined();
    expect(node.status().progress.has(9)).toBe(false);
    node.stop();
  });

  it('tick drives elections', async () => {
    const { node, storage } = singleNode();
    const host = new Host(node, storage);
    let ticks = 0;
    while (node.status().softState.raftState === StateFollower && ticks < 30) {
      node.tick();
      ticks++;
    }
    // The randomized election timeout lies in [electionTick, 2*electionTick).
    expect(ticks).toBeGreaterThanOrEqual(10);
    expect(ticks).toBeLessThan(20);
    // The self-vote is counted once the Ready that persists it is advanced.
    await until(() => node.status().softState.raftState === StateLeader, 'leader');
    const p = watch(node.propose(enc.encode('after-tick')));
    await until(() => host.appliedData().includes('after-tick'), 'applied');
    expect(p.error).toBeUndefined();
    node.stop();
  });

  it('restartNode replays committed entries from storage', async () => {
    const storage = newMemoryStorage();
    storage.setHardState(newHardState({ term: 1, commit: 1 }));
    storage.append([newEntry({ term: 1, index: 1 }), newEntry({ term: 1, index: 2, data: enc.encode('foo') })]);
    const node = restartNode(testConfig(1, storage));
    const it = node.ready()[Symbol.asyncIterator]();
    const r = await it.next();
    expect(r.done).toBe(false);
    const rd = r.value as Ready;
    expect(rd.hardState).toBeUndefined();
    expect(rd.committedEntries.map((e) => e.index)).toEqual([1]);
    expect(rd.mustSync).toBe(false);
    node.advance();
    const next = watch(it.next());
    await turns(50);
    expect(next.settled).toBe(false);
    node.stop();
    await turns();
    expect((next.value as IteratorResult<Ready>).done).toBe(true);
  });

  it('startNode needs peers', () => {
    expect(() => startNode(testConfig(1, newMemoryStorage()), [])).toThrow(RaftPanic);
  });

  it('a node that removes itself stops taking proposals until a leader change', async () => {
    const cluster = makeCluster([1, 2, 3]);
    await cluster.bootstrapped();
    const n1 = cluster.hosts.get(1)!.node;
    await n1.campaign();
    await until(() => cluster.hosts.get(3)!.node.status().softState.lead === 1, 'leader known');
    await n1.proposeConfChange(newConfChange({ type: ConfChangeRemoveNode, nodeId: 3 }));
    await until(
      () => cluster.hosts.get(3)!.applied.some((e) => e.type === EntryConfChange && e.index > 3),
      'removal applied on 3',
    );
    const p = watch(cluster.hosts.get(3)!.node.propose(enc.encode('from-removed')));
    await turns(100);
    expect(p.settled).toBe(false);
    cluster.stop();
    await turns();
    expect(p.error).toBe(ErrStopped);
  });

  it('a 3-node cluster of Nodes wired in memory reaches agreement', async () => {
    const cluster = makeCluster([1, 2, 3]);
    // Proposals made on a follower before any election wait for the leader, then are forwarded.
    const early = cluster.hosts.get(2)!.node.propose(enc.encode('early'));
    await cluster.bootstrapped();
    await cluster.hosts.get(1)!.node.campaign();
    await early;
    const ps: Promise<void>[] = [];
    for (let i = 0; i < 20; i++) ps.push(cluster.hosts.get(1 + (i % 3))!.node.propose(enc.encode(`v${i}`)));
    await Promise.all(ps);
    await until(() => [1, 2, 3].every((id) => cluster.hosts.get(id)!.appliedData().length === 21), 'all applied');
    const logs = [1, 2, 3].map((id) => cluster.hosts.get(id)!.appliedData());
    expect(logs[1]).toEqual(logs[0]);
    expect(logs[2]).toEqual(logs[0]);
    expect(new Set(logs[0]).size).toBe(21);
    const commits = [1, 2, 3].map((id) => cluster.hosts.get(id)!.storage.hardState.commit);
    expect(new Set(commits).size).toBe(1);
    for (const id of [1, 2, 3]) expect(cluster.hosts.get(id)!.node.status().softState.lead).toBe(1);
    // Leadership moves on request.
    await cluster.hosts.get(1)!.node.transferLeadership(1, 2);
    await until(() => cluster.hosts.get(2)!.node.status().softState.raftState === StateLeader, 'node 2 leads');
    await cluster.hosts.get(3)!.node.propose(enc.encode('after-transfer'));
    await until(
      () => [1, 2, 3].every((id) => cluster.hosts.get(id)!.appliedData().includes('after-transfer')),
      'applied after transfer',
    );
    cluster.stop();
    await Promise.all([...cluster.hosts.values()].map((h) => h.running));
  });
});

describe('asyncQueue', () => {
  it('FifoQueue keeps arrival order across compaction, remove and drain', () => {
    const q = new FifoQueue<number>();
    for (let i = 0; i < 100; i++) q.push(i);
    for (let i = 0; i < 60; i++) expect(q.shift()).toBe(i);
    expect(q.length).toBe(40);
    expect(q.peek()).toBe(60);
    expect(q.remove(70)).toBe(true);
    expect(q.remove(70)).toBe(false);
    q.push(100);
    const rest = q.drain();
    expect(rest.length).toBe(40);
    expect(rest[0]).toBe(60);
    expect(rest.includes(70)).toBe(false);
    expect(rest[rest.length - 1]).toBe(100);
    expect(q.shift()).toBeUndefined();
    expect(q.length).toBe(0);
  });

  it('Deferred settles once', async () => {
    const d = new Deferred<number>();
    d.resolve(1);
    d.reject(new Error('late'));
    d.resolve(2);
    expect(d.settled).toBe(true);
    await expect(d.promise).resolves.toBe(1);
  });
});

/** Nodes started with startNode and wired through an in-memory, in-order network. */
function makeCluster(
  ids: number[],
  extra: (id: number) => Partial<Config> = () => ({}),
): { hosts: Map<number, Host>; stop: () => void; bootstrapped: () => Promise<void> } {
  const hosts = new Map<number, Host>();
  const send = (m: Message): void => {
    const h = hosts.get(m.to);
    if (h !== undefined) h.node.step(m).catch(() => {});
  };
  for (const id of ids) {
    const storage = newMemoryStorage();
    const node = startNode(
      testConfig(id, storage, extra(id)),
      ids.map((p) => ({ id: p, context: new Uint8Array(0) })),
    );
    hosts.set(id, new Host(node, storage, send));
  }
  return {
    hosts,
    // A node cannot campaign before it has applied the bootstrap conf changes (as in etcd).
    bootstrapped: () =>
      until(() => [...hosts.values()].every((h) => h.applied.length >= ids.length), 'bootstrap applied'),
    stop: () => {
      for (const h of hosts.values()) h.node.stop();
    },
  };
}

// Test-only helpers: an in-memory network of raft state machines that delivers
// messages synchronously until quiet (the shape of etcd's raft_test.go network),
// plus small constructors for configs, storages and rafts.

import { RaftError } from '../errors';
import { Raft, type Config } from '../raft';
import { MsgHup, newEntry, newHardState, type Entry, type Message, type MessageType } from '../raftpb/types';
import { newMemoryStorage, type MemoryStorage } from '../storage';
import type { Logger } from '../logger';
import { LogLevel, SinkLogger } from '../logger';
import { Progress } from '../tracker/progress';
import { makeProgressTracker } from '../tracker/tracker';

/** Something that takes messages: a raft, or a black hole that swallows everything. */
export interface StateMachine {
  step(m: Message): void;
  readMessages(): Message[];
  advanceMessagesAfterAppend(): void;
}

export class BlackHole implements StateMachine {
  step(): void {}
  readMessages(): Message[] {
    return [];
  }
  advanceMessagesAfterAppend(): void {}
}

/** Steps messages addressed to r itself, queues the others into r.msgs. */
export function stepOrSend(r: Raft, msgs: Message[]): void {
  for (const m of msgs) {
    if (m.to === r.id) r.step(m);
    else r.msgs.push(m);
  }
}

/** Acts as if the unstable state were durable: delivers the messages that waited for it. */
export function advanceMessagesAfterAppend(r: Raft): void {
  for (;;) {
    const msgs = r.msgsAfterAppend;
    if (msgs.length === 0) return;
    r.msgsAfterAppend = [];
    stepOrSend(r, msgs);
  }
}

/** Takes r's outgoing messages (after delivering the self-addressed ones). */
export function readMessages(r: Raft): Message[] {
  advanceMessagesAfterAppend(r);
  const msgs = r.msgs;
  r.msgs = [];
  return msgs;
}

/**
 * Persists r's unstable entries into s, delivers the post-append messages, and
 * returns the committed entries, marking them applied (etcd's nextEnts).
 */
export function nextEnts(r: Raft, s: MemoryStorage): Entry[] {
  s.append(r.raftLog.nextUnstableEnts());
  r.raftLog.stableTo(r.raftLog.lastEntryID());
  advanceMessagesAfterAppend(r);
  const ents = r.raftLog.nextCommittedEnts(true);
  r.raftLog.appliedTo(r.raftLog.committed, 0);
  return ents;
}

/** A StateMachine view of a Raft. */
export class RaftPeer implements StateMachine {
  constructor(public readonly r: Raft) {}
  step(m: Message): void {
    this.r.step(m);
  }
  readMessages(): Message[] {
    return readMessages(this.r);
  }
  advanceMessagesAfterAppend(): void {
    advanceMessagesAfterAppend(this.r);
  }
}

/** A logger collecting lines "LEVEL text" (for asserting on log output). */
export function collectingLogger(lines: string[], threshold: LogLevel = LogLevel.DEBUG): Logger {
  const names = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
  return new SinkLogger((lvl, msg) => lines.push(`${names[lvl] ?? '?'} ${msg}`), threshold);
}

/** A MemoryStorage whose snapshot ConfState lists the given voters (and learners). */
export function newTestMemoryStorage(opts: { peers?: number[]; learners?: number[] } = {}): MemoryStorage {
  const s = newMemoryStorage();
  if (opts.peers !== undefined) s.snap.metadata.confState.voters = opts.peers.slice();
  if (opts.learners !== undefined) s.snap.metadata.confState.learners = opts.learners.slice();
  return s;
}

/** etcd's newTestConfig: no message-size limit, 256 in-flight messages, random seeded by id. */
export function newTestConfig(id: number, election: number, heartbeat: number, storage: MemoryStorage): Config {
  return {
    id,
    electionTick: election,
    heartbeatTick: heartbeat,
    storage,
    maxSizePerMsg: Infinity,
    maxInflightMsgs: 256,
  };
}

export function newTestRaft(id: number, election: number, heartbeat: number, storage: MemoryStorage): Raft {
  return new Raft(newTestConfig(id, election, heartbeat, storage));
}

function connKey(from: number, to: number): string {
  return `${from}->${to}`;
}

/**
 * Peers 1..n, each a raft over its own storage listing all of them as voters
 * (or a given StateMachine). send() delivers a message and everything it causes,
 * breadth first, until no messages are left. Dropping is deterministic: a cut
 * connection loses every message.
 */
export class Network {
  peers = new Map<number, StateMachine>();
  storage = new Map<number, MemoryStorage>();
  /** Cut connections, keyed "from->to". */
  dropm = new Set<string>();
  ignorem = new Set<MessageType>();
  /** Optional filter: return false to drop a message. */
  msgHook: ((m: Message) => boolean) | undefined;
  /** Every message delivered, in order (for assertions). */
  delivered: Message[] = [];

  /**
   * peers[i] becomes peer i+1: undefined makes a fresh raft, a Raft is used as it
   * is (its storage should already list the peers), anything else as a StateMachine.
   */
  constructor(configFunc: ((c: Config) => void) | undefined, peers: Array<Raft | StateMachine | undefined>) {
    const ids = peers.map((_, i) => i + 1);
    peers.forEach((p, j) => {
      const id = ids[j]!;
      if (p === undefined) {
        const s = newTestMemoryStorage({ peers: ids });
        this.storage.set(id, s);
        const cfg = newTestConfig(id, 10, 1, s);
        configFunc?.(cfg);
        this.peers.set(id, new RaftPeer(new Raft(cfg)));
      } else if (p instanceof Raft) {
        // As etcd's test network does: the raft takes the id of its slot and a
        // tracker listing every peer (keeping its learners learners).
        const learners = new Set(p.trk.config.learners ?? []);
        p.id = id;
        p.trk = makeProgressTracker(p.trk.maxInflight, p.trk.maxInflightBytes);
        if (learners.size > 0) p.trk.config.learners = new Set();
        for (const pid of ids) {
          const pr = new Progress();
          if (learners.has(pid)) {
            pr.isLearner = true;
            p.trk.config.learners!.add(pid);
          } else {
            p.trk.config.voters[0].add(pid);
          }
          p.trk.progress.set(pid, pr);
        }
        p.reset(p.term);
        this.peers.set(id, new RaftPeer(p));
      } else {
        this.peers.set(id, p);
      }
    });
  }

  /** The raft of peer id (throws if it is not a raft). */
  raft(id: number): Raft {
    const p = this.peers.get(id);
    if (!(p instanceof RaftPeer)) throw new Error(`peer ${id} is not a raft`);
    return p.r;
  }

  send(...msgs: Message[]): void {
    const queue = msgs.slice();
    while (queue.length > 0) {
      const m = queue.shift()!;
      const p = this.peers.get(m.to);
      if (p === undefined) continue;
      this.delivered.push(m);
      try {
        p.step(m);
      } catch (e) {
        if (!(e instanceof RaftError)) throw e;
      }
      p.advanceMessagesAfterAppend();
      queue.push(...this.filter(p.readMessages()));
    }
  }

  cut(one: number, other: number): void {
    this.dropm.add(connKey(one, other));
    this.dropm.add(connKey(other, one));
  }

  isolate(id: number): void {
    for (const nid of this.peers.keys()) {
      if (nid !== id) this.cut(id, nid);
    }
  }

  ignore(t: MessageType): void {
    this.ignorem.add(t);
  }

  recover(): void {
    this.dropm.clear();
    this.ignorem.clear();
  }

  filter(msgs: Message[]): Message[] {
    const out: Message[] = [];
    for (const m of msgs) {
      if (this.ignorem.has(m.type)) continue;
      if (m.type === MsgHup) throw new Error('unexpected msgHup');
      if (this.dropm.has(connKey(m.from, m.to))) continue;
      if (this.msgHook !== undefined && !this.msgHook(m)) continue;
      out.push(m);
    }
    return out;
  }
}

export function newNetwork(...peers: Array<Raft | StateMachine | undefined>): Network {
  return new Network(undefined, peers);
}

export function newNetworkWithConfig(
  configFunc: ((c: Config) => void) | undefined,
  ...peers: Array<Raft | StateMachine | undefined>
): Network {
  return new Network(configFunc, peers);
}

export function preVoteConfig(c: Config): void {
  c.preVote = true;
}

/** A raft (id 1, election 5) whose storage holds one entry per given term, at term terms[last]. */
export function entsWithConfig(configFunc: ((c: Config) => void) | undefined, ...terms: number[]): Raft {
  const storage = newMemoryStorage();
  terms.forEach((term, i) => storage.append([newEntry({ index: i + 1, term })]));
  const cfg = newTestConfig(1, 5, 1, storage);
  configFunc?.(cfg);
  const sm = new Raft(cfg);
  sm.reset(terms[terms.length - 1]!);
  return sm;
}

/** A raft (id 1, election 5) that voted for vote in term, with an empty log. */
export function votedWithConfig(configFunc: ((c: Config) => void) | undefined, vote: number, term: number): Raft {
  const storage = newMemoryStorage();
  storage.setHardState(newHardState({ vote, term }));
  const cfg = newTestConfig(1, 5, 1, storage);
  configFunc?.(cfg);
  const sm = new Raft(cfg);
  sm.reset(term);
  return sm;
}

/** A StateMachine that ignores everything (etcd's nopStepper). */
export const nopStepper: StateMachine = new BlackHole();

// The Node API (etcd's node.go): an asynchronous, "fire calls at it from anywhere"
// front end over a RawNode.
//
// etcd runs a goroutine (node.run) that owns the RawNode and serves channels in a
// select loop. A JS runtime has one thread, so here the loop's work is done inside
// the calls themselves, and the places where a goroutine would block become Promises.
//
// Concurrency contract (read this before using a Node):
//  - Every method must be called from the one thread that owns the Node. Calls take
//    effect on the RawNode synchronously, in call order, before they return their
//    Promise. So `node.propose(a); node.propose(b)` appends a before b, and a call
//    made right after another one observes its effect.
//  - What a goroutine would block on becomes a pending Promise:
//      * propose / proposeConfChange / step(MsgProp) while no leader is known (etcd's
//        propc is nil then): the proposal is parked, in arrival order, and stepped
//        as soon as a leader becomes known; it rejects with ErrStopped if the node
//        stops first, or with signal.reason if its AbortSignal aborts first.
//      * the Ready stream: a reader's next() waits until the RawNode has a Ready and
//        the previous Ready was passed back through advance().
//  - Results are never delivered synchronously: promise callbacks and readers run
//    later, as ordinary promise continuations, so no user code is re-entered from
//    inside a Node method.
//  - A Ready is computed when it is handed to a reader, one promise turn after the
//    reader asked (or after the call that made work available). All calls made in
//    the meantime end up in that one Ready, which is how batching happens (etcd,
//    likewise, emits whatever accumulated while nobody was reading).
//  - Only one Ready is outstanding at a time: until advance() is called no further
//    Ready is offered (except with Config.asyncStorageWrites, where advance() must
//    not be called and the next Ready is offered straight away, as in etcd).
//  - stop(): pending proposals reject with ErrStopped, waiting readers see the end of
//    the stream, later Promise-returning calls reject with ErrStopped, later
//    synchronous calls with a result (status, applyConfChange) throw ErrStopped, and
//    fire-and-forget calls (tick, advance, reportUnreachable, reportSnapshot) do nothing.
//  - No timers, no microtask API, no clock: continuations go only through Promises.

import { Deferred, FifoQueue } from './asyncQueue';
import { ErrStopped, RaftError, RaftPanic } from './errors';
import { asV2, marshalConfChange } from './raftpb/confchange';
import type { ConfChangeI } from './raftpb/confchange';
import {
  isResponseMsg,
  isLocalMsg,
  MsgForgetLeader,
  MsgHup,
  MsgProp,
  MsgReadIndex,
  MsgSnapStatus,
  MsgTransferLeader,
  MsgUnreachable,
  makeMessage,
  newEntry,
  newMessage,
} from './raftpb/types';
import type { ConfState, Message } from './raftpb/types';
import type { Config } from './raft';
import { newRawNode } from './rawNode';
import type { RawNode } from './rawNode';
import type { Status } from './status';
import { isLocalMsgTarget, None, SnapshotFailure, type SnapshotStatus } from './types';
import type { Ready } from './types';
import type { Peer } from './bootstrap';
import { hex } from './util';

export { ErrStopped } from './errors';
export type { Peer } from './bootstrap';

// SnapshotStatus lives in types.ts (RawNode uses it too); re-exported here, where etcd defines it.
export { SnapshotStatus, SnapshotFinish, SnapshotFailure } from './types';

/**
 * A raft node driven asynchronously. See the concurrency contract at the top of
 * this file. Methods taking an AbortSignal reject with signal.reason if it is
 * already aborted when called, or if it aborts while the call is still waiting.
 */
export interface Node {
  /** Advances the logical clock by one tick (election and heartbeat timeouts count ticks). */
  tick(): void;
  /** Makes the node campaign to become leader. */
  campaign(signal?: AbortSignal): Promise<void>;
  /**
   * Proposes data for the log. Waits while no leader is known. Resolves once raft
   * accepted the proposal, rejects with ErrProposalDropped if raft dropped it.
   * Accepted proposals can still be lost; retrying is the application's job.
   */
  propose(data: Uint8Array, signal?: AbortSignal): Promise<void>;
  /**
   * Proposes a configuration change (a ConfChange or ConfChangeV2). Waits while no
   * leader is known. Like etcd, it does not report whether raft dropped it.
   */
  proposeConfChange(cc: ConfChangeI, signal?: AbortSignal): Promise<void>;
  /**
   * Feeds a message received from the network. Local message types (MsgHup, MsgBeat,
   * storage messages, ...) coming from a peer, and responses from peers that are not in
   * the configuration, are ignored and resolve without effect, as in etcd's node.
   */
  step(m: Message, signal?: AbortSignal): Promise<void>;
  /**
   * The stream of Readys. Several readers may iterate it; each Ready goes to one of
   * them, in the order they asked. The stream ends when the node stops.
   */
  ready(): AsyncIterable<Ready>;
  /** Tells the node that the last Ready was handled; the next one may then be offered. */
  advance(): void;
  /**
   * Applies a configuration change taken from a committed entry, returning the new
   * ConfState (to store in snapshots). Must be called for every applied conf change entry.
   */
  applyConfChange(cc: ConfChangeI): ConfState;
  /** Asks leader `lead` to hand leadership over to `transferee`. */
  transferLeadership(lead: number, transferee: number, signal?: AbortSignal): Promise<void>;
  /** Makes a follower forget its leader (useful with PreVote + CheckQuorum). */
  forgetLeader(signal?: AbortSignal): Promise<void>;
  /** Requests a read index; the answer arrives as a ReadState (carrying rctx) in a later Ready. */
  readIndex(rctx: Uint8Array, signal?: AbortSignal): Promise<void>;
  status(): Status;
  /** Reports that the last send to node id failed. */
  reportUnreachable(id: number): void;
  /** Reports the outcome of sending a snapshot to node id. */
  reportSnapshot(id: number, status: SnapshotStatus): void;
  /** Stops the node; see the concurrency contract for what happens to pending and later calls. */
  stop(): void;
}

/** A proposal parked while no leader is known. */
interface PendingProposal {
  m: Message;
  /** Whether the caller wants raft's verdict (propose) or only the hand-over (step, proposeConfChange). */
  wait: boolean;
  result: Deferred<void>;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

const doneResult: IteratorResult<Ready> = { done: true, value: undefined };

/** The result of every call that succeeds at once: a settled promise can be shared. */
const resolvedVoid: Promise<void> = Promise.resolve();

/**
 * The Node implementation: etcd's node struct, with its run loop spread over the calls.
 *
 * Invariants:
 *  - propcOpen is true iff etcd's propc would be non-nil: a leader is known and this
 *    node has not just removed itself from the configuration.
 *  - pending is empty whenever propcOpen is true and no call is in progress.
 *  - outstanding is the Ready handed to a reader and not yet advanced (never set in
 *    async-storage-writes mode).
 */
class NodeImpl implements Node {
  private readonly rn: RawNode;
  private stopped = false;
  /** The leader as last seen by the "loop" (etcd's local variable lead in run). */
  private lead = None;
  private propcOpen = false;
  private readonly pending = new FifoQueue<PendingProposal>();
  private readonly readers = new FifoQueue<Deferred<IteratorResult<Ready>>>();
  private outstanding: Ready | undefined = undefined;
  private deliveryScheduled = false;
  private readonly stream: AsyncIterable<Ready>;

  constructor(rn: RawNode) {
    this.rn = rn;
    const iterator: AsyncIterator<Ready> = {
      next: () => this.nextReady(),
      // Leaving a for-await loop ends that loop only; the node keeps running.
      return: () => Promise.resolve(doneResult),
    };
    this.stream = { [Symbol.asyncIterator]: () => iterator };
    this.afterOp();
  }

  // ---- the public API ----

  tick(): void {
    if (this.stopped) return;
    try {
      this.rn.tick();
    } finally {
      this.afterOp();
    }
  }

  campaign(signal?: AbortSignal): Promise<void> {
    return this.stepWithWaitOption(newMessage({ type: MsgHup }), false, signal);
  }

  propose(data: Uint8Array, signal?: AbortSignal): Promise<void> {
    return this.stepWithWaitOption(makeMessage(MsgProp, None, None, 0, [newEntry({ data })]), true, signal);
  }

  proposeConfChange(cc: ConfChangeI, signal?: AbortSignal): Promise<void> {
    const [type, data] = marshalConfChange(cc);
    return this.step(newMessage({ type: MsgProp, entries: [newEntry({ type, data })] }), signal);
  }

  step(m: Message, signal?: AbortSignal): Promise<void> {
    // A local message type arriving from a peer is not trusted; etcd drops it silently.
    if (isLocalMsg(m.type) && !isLocalMsgTarget(m.from)) {
      return this.stopped ? Promise.reject(ErrStopped) : resolvedVoid;
    }
    // The caller's object is not modified (the proposal path sets from).
    return this.stepWithWaitOption(m.type === MsgProp ? { ...m } : m, false, signal);
  }

  ready(): AsyncIterable<Ready> {
    return this.stream;
  }

  advance(): void {
    // differs from etcd: Go's Advance blocks until the loop takes it; with no Ready
    // outstanding (or after stop) it would block, here it does nothing.
    if (this.stopped || this.outstanding === undefined) return;
    const rd = this.outstanding;
    this.outstanding = undefined;
    try {
      this.rn.advance(rd);
    } finally {
      this.afterOp();
    }
  }

  applyConfChange(cc: ConfChangeI): ConfState {
    if (this.stopped) throw ErrStopped;
    const r = this.rn.raft;
    const okBefore = r.trk.progress.has(r.id);
    let cs: ConfState;
    try {
      cs = this.rn.applyConfChange(asV2(cc));
      // A node that was in the configuration and has just removed itself stops taking
      // proposals (until a leader change reopens them). A node that only catches up on
      // the log may not know it is a member yet, hence the okBefore condition.
      if (okBefore && !r.trk.progress.has(r.id)) {
        if (!cs.voters.includes(r.id) && !cs.votersOutgoing.includes(r.id)) this.propcOpen = false;
      }
    } finally {
      this.afterOp();
    }
    return cs;
  }

  transferLeadership(lead: number, transferee: number, signal?: AbortSignal): Promise<void> {
    // from and to are set by hand so that the leader transfers leadership on its own behalf.
    return this.stepWithWaitOption(newMessage({ type: MsgTransferLeader, from: transferee, to: lead }), false, signal);
  }

  forgetLeader(signal?: AbortSignal): Promise<void> {
    return this.stepWithWaitOption(newMessage({ type: MsgForgetLeader }), false, signal);
  }

  readIndex(rctx: Uint8Array, signal?: AbortSignal): Promise<void> {
    return this.stepWithWaitOption(
      newMessage({ type: MsgReadIndex, entries: [newEntry({ data: rctx })] }),
      false,
      signal,
    );
  }

  status(): Status {
    // differs from etcd: Go returns an empty Status after Stop; we throw ErrStopped.
    if (this.stopped) throw ErrStopped;
    return this.rn.status();
  }

  reportUnreachable(id: number): void {
    if (this.stopped) return;
    this.recvAndAfterOp(newMessage({ type: MsgUnreachable, from: id }));
  }

  reportSnapshot(id: number, status: SnapshotStatus): void {
    if (this.stopped) return;
    this.recvAndAfterOp(newMessage({ type: MsgSnapStatus, from: id, reject: status === SnapshotFailure }));
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.outstanding = undefined;
    for (const pm of this.pending.drain()) this.settle(pm, ErrStopped);
    for (const d of this.readers.drain()) d.resolve(doneResult);
  }

  // ---- the "run loop" ----

  /**
   * Hands m to raft. Non-proposals take etcd's recvc path and are never held back;
   * proposals take the propc path: stepped now if a leader is known, else parked.
   * wait: report raft's verdict on the proposal (etcd's stepWait).
   */
  private stepWithWaitOption(m: Message, wait: boolean, signal: AbortSignal | undefined): Promise<void> {
    if (this.stopped) return Promise.reject(ErrStopped);
    // differs from etcd: Go picks at random between a ready channel and a done
    // context; an already aborted signal always wins here.
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (m.type !== MsgProp) {
      try {
        this.recvAndAfterOp(m);
      } catch (e) {
        return Promise.reject(e);
      }
      return resolvedVoid;
    }
    if (this.propcOpen && this.pending.length === 0) {
      try {
        return this.stepProposal(m, wait);
      } finally {
        this.afterOp();
      }
    }
    // No known leader: park the proposal until one appears.
    const pm: PendingProposal = { m, wait, result: new Deferred<void>(), signal, onAbort: undefined };
    if (signal !== undefined) {
      pm.onAbort = () => {
        if (this.pending.remove(pm)) this.settle(pm, signal.reason);
      };
      signal.addEventListener('abort', pm.onAbort, { once: true });
    }
    this.pending.push(pm);
    return pm.result.promise;
  }

  /** etcd's propc case: step the proposal as coming from this node. */
  private stepProposal(m: Message, wait: boolean): Promise<void> {
    const r = this.rn.raft;
    m.from = r.id;
    try {
      r.step(m);
    } catch (e) {
      // raft's own refusals (ErrProposalDropped) are reported only to a waiting caller;
      // anything else is a bug or a panic and always surfaces.
      if (wait || !(e instanceof RaftError)) return Promise.reject(e);
    }
    return resolvedVoid;
  }

  private recvAndAfterOp(m: Message): void {
    try {
      this.recv(m);
    } finally {
      this.afterOp();
    }
  }

  /** etcd's recvc case. Errors raft returns are dropped, as etcd's loop drops them. */
  private recv(m: Message): void {
    const r = this.rn.raft;
    // A response from a node outside the configuration is ignored.
    if (isResponseMsg(m.type) && !isLocalMsgTarget(m.from) && !r.trk.progress.has(m.from)) return;
    try {
      r.step(m);
    } catch (e) {
      if (!(e instanceof RaftError)) throw e;
    }
  }

  /** Settles a parked proposal and detaches its abort listener. err undefined = success. */
  private settle(pm: PendingProposal, err: unknown): void {
    if (pm.signal !== undefined && pm.onAbort !== undefined) pm.signal.removeEventListener('abort', pm.onAbort);
    if (err === undefined) pm.result.resolve();
    else pm.result.reject(err);
  }

  /**
   * What etcd's loop does at the top of each iteration, run after every call:
   * notice leader changes (opening or closing the proposal path), feed parked
   * proposals once a leader is known, and wake a waiting reader of the Ready stream.
   */
  private afterOp(): void {
    if (this.stopped) return;
    const r = this.rn.raft;
    for (;;) {
      if (this.lead !== r.lead) {
        if (r.lead !== None) {
          if (this.lead === None) {
            r.logger.info(`raft.node: ${hex(r.id)} elected leader ${hex(r.lead)} at term ${r.term}`);
          } else {
            r.logger.info(
              `raft.node: ${hex(r.id)} changed leader from ${hex(this.lead)} to ${hex(r.lead)} at term ${r.term}`,
            );
          }
          this.propcOpen = true;
        } else {
          r.logger.info(`raft.node: ${hex(r.id)} lost leader ${hex(this.lead)} at term ${r.term}`);
          this.propcOpen = false;
        }
        this.lead = r.lead;
      }
      if (!this.propcOpen) break;
      const pm = this.pending.shift();
      if (pm === undefined) break;
      // Parked proposals are served one at a time, re-checking the leader in between,
      // exactly as the loop would receive them from propc.
      this.stepProposal(pm.m, pm.wait).then(
        () => this.settle(pm, undefined),
        (e: unknown) => this.settle(pm, e),
      );
    }
    this.kickReady();
  }

  private nextReady(): Promise<IteratorResult<Ready>> {
    if (this.stopped) return Promise.resolve(doneResult);
    const d = new Deferred<IteratorResult<Ready>>();
    this.readers.push(d);
    this.kickReady();
    return d.promise;
  }

  /** Arranges for deliverReady to run one promise turn from now, if it could hand out a Ready. */
  private kickReady(): void {
    if (this.deliveryScheduled || this.stopped || this.outstanding !== undefined || this.readers.length === 0) return;
    this.deliveryScheduled = true;
    void Promise.resolve().then(() => {
      this.deliveryScheduled = false;
      this.deliverReady();
    });
  }

  /** etcd's `readyc <- rd` case: hand the current Ready to the oldest waiting reader. */
  private deliverReady(): void {
    if (this.stopped || this.outstanding !== undefined || this.readers.length === 0) return;
    if (!this.rn.hasReady()) return;
    const reader = this.readers.shift()!;
    const rd = this.rn.ready();
    if (!this.rn.asyncStorageWrites) this.outstanding = rd;
    reader.resolve({ done: false, value: rd });
    // In async-storage-writes mode nothing waits for advance: more readers may be served.
    if (this.outstanding === undefined) this.kickReady();
  }
}

/** Wraps a RawNode in a Node (etcd's newNode). The RawNode must not be used directly afterwards. */
export function newNode(rn: RawNode): Node {
  return new NodeImpl(rn);
}

/**
 * Creates a Node for a brand-new cluster member: its log starts with one
 * ConfChangeAddNode entry per peer (etcd's StartNode). peers must not be empty;
 * use restartNode for a node that has state in its Storage.
 */
export function startNode(config: Config, peers: Peer[]): Node {
  if (peers.length === 0) throw new RaftPanic('no peers given; use RestartNode instead');
  const rn = newRawNode(config);
  try {
    rn.bootstrap(peers);
  } catch (e) {
    rn.raft.logger.warning(`error occurred during starting a new node: ${e instanceof Error ? e.message : String(e)}`);
  }
  return new NodeImpl(rn);
}

/**
 * Creates a Node from the state in config.storage (etcd's RestartNode); membership
 * comes from the Storage. Set config.applied to the last index the application applied.
 */
export function restartNode(config: Config): Node {
  return new NodeImpl(newRawNode(config));
}

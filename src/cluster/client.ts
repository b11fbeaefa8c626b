// The client: raftexample's HTTP API as calls, and the history of every call.
//
// put(key, value, at)   proposes a KV entry carrying a request id; the operation is
//                       done when the node it was sent to applies that entry. If the
//                       entry never applies (lost leader, crash) it stays pending: the
//                       client cannot know, exactly as over HTTP.
// get(key, at, {linearizable: true})
//                       ReadIndex: readIndex(ctx) at the node, wait for the ReadState
//                       carrying ctx, wait until applied >= its index, then read locally.
// get(key, at)          a local read, answered at once and labelled 'stale-possible'.
// membership changes    ConfChange v1 (one change) or ConfChangeV2 (several, joint);
//                       done when the change applies at the proposing node.
//
// Every operation enters the history when invoked and is updated when it completes;
// the history is what the linearizability checker reads.

import type { ConfChange, ConfChangeSingle, ConfChangeTransition, ConfChangeV2 } from '../raft/raftpb/types';
import {
  ConfChangeAddLearnerNode,
  ConfChangeAddNode,
  ConfChangeRemoveNode,
  ConfChangeTransitionAuto,
  newConfChange,
  newConfChangeV2,
} from '../raft/raftpb/types';
import { mutation } from '../raft/mutation';
import { StateLeader, type ReadState } from '../raft/types';
import type { AppliedEntry, CycleRecord, HostResult } from './protocol';
import type { Scheduler } from './scheduler';
import { serializedSize } from './serializedSize';

export type OpKind =
  | 'put'
  | 'get'
  | 'addNode'
  | 'addLearner'
  | 'promote'
  | 'removeNode'
  | 'changeMembership'
  | 'leaveJoint'
  | 'transferLeadership'
  | 'compact';

export type OpStatus = 'ok' | 'pending' | 'failed';

/** One client operation, as kept in the history. */
export interface ClientOp {
  id: number;
  /** Which client issued it ("c1" by default). */
  client: string;
  kind: OpKind;
  /** The node the operation was sent to. */
  node: number;
  key?: string;
  value?: string;
  invokeTime: number;
  completeTime?: number;
  /** For gets: the value read ('' shown as such; undefined key: result undefined, status ok). For others: a short text. */
  result?: string;
  status: OpStatus;
  /** For gets: how the read was served. */
  consistency?: 'linearizable' | 'stale-possible';
  /** For gets: whether the key existed. */
  found?: boolean;
  /** The request id carried in the entry (puts, conf changes) or the ReadIndex context (gets). */
  requestId: string;
  /** ReadIndex: the index the read waited for. */
  readIndex?: number;
}

/** What a caller holds while an operation runs. */
export interface OpHandle {
  op: ClientOp;
  /** Resolves when the operation completes (never, while it stays pending). */
  done: Promise<ClientOp>;
}

export interface ClientOptions {
  /** Encodes a KV put with its request id into an entry payload (the state machine's format). */
  encodePut: (key: string, value: string, requestId: string) => Uint8Array;
  /** Called when a removal is done: the cluster shuts the removed node down. */
  onRemoved?: (id: number) => void | Promise<void>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * What to do with the result of a command an operation queued at a node: plain data
 * (not a closure), so that a queue holding it can be checkpointed. The scheduler hands
 * it back with the result (SchedulerHooks.onResult) and Client.resume acts on it.
 */
export interface Continuation {
  /** The operation's id. */
  op: number;
  /** invoked: the command that starts the op (fail it if refused); read: a local read's answer; transfer, compact. */
  on: 'invoked' | 'read' | 'transfer' | 'compact';
}

/** The client's state in a checkpoint (see checkpoint.ts); the operations themselves are in the OpArchive. */
export interface ClientImage {
  /** history.length at the checkpoint. */
  count: number;
  /** Ids of the ops in waitingApply / waitingRead / waitingLeader, in their order. */
  waitingApply: number[];
  waitingRead: number[];
  waitingLeader: number[];
  /** Per pending conf-change op: the nodes to shut down once it is done. */
  removals: [number, number[]][];
}

/**
 * Every state each client operation had at some checkpoint, shared by all checkpoints
 * of a run: an operation changes at most a couple of times (it starts pending, a read
 * learns its index, it settles), so a checkpoint names the operations by index instead
 * of copying thousands of them.
 *
 * Per operation, versions ordered by the step of the checkpoint that first saw them;
 * the state at a checkpoint of step s is the latest version at or before s. A fork
 * drops the versions after the fork point (the new branch writes its own).
 */
export class OpArchive {
  private readonly versions: { step: number; op: ClientOp }[][] = [];
  /** Serialized size of the copies (see serializedSize). */
  bytes = 0;

  /** Records op's current state as its state from `step` on. */
  record(step: number, op: ClientOp): void {
    const i = op.id - 1;
    const vs = (this.versions[i] ??= []);
    const copy = Object.freeze({ ...op });
    let at = vs.length;
    while (at > 0 && vs[at - 1]!.step > step) at--;
    if (at > 0 && vs[at - 1]!.step === step) {
      this.bytes -= serializedSize(vs[at - 1]!.op);
      vs[at - 1] = { step, op: copy };
    } else vs.splice(at, 0, { step, op: copy });
    this.bytes += serializedSize(copy) + 16;
  }

  /** The state of operation `index` (0-based) at the checkpoint of `step`. */
  at(index: number, step: number): ClientOp | undefined {
    const vs = this.versions[index];
    if (vs === undefined) return undefined;
    for (let k = vs.length - 1; k >= 0; k--) if (vs[k]!.step <= step) return vs[k]!.op;
    return undefined;
  }

  /** Forgets the versions recorded after `step` (a fork). */
  dropAfter(step: number): void {
    for (const vs of this.versions) {
      if (vs === undefined) continue;
      while (vs.length > 0 && vs[vs.length - 1]!.step > step) this.bytes -= serializedSize(vs.pop()!.op) + 16;
    }
  }
}

export class Client {
  history: ClientOp[] = [];
  /** Entries awaited, by request id: the op id. */
  private waitingApply = new Map<string, number>();
  /** ReadIndex reads awaited, by context: the op id. */
  private waitingRead = new Map<string, number>();
  /** Transfers awaited (op ids), oldest first. */
  private waitingLeader: number[] = [];
  /** Nodes to shut down once a conf change op is done (removals), by op id. */
  private removals = new Map<number, number[]>();
  /** Resolvers of the handles' done promises, by op id (not checkpointed: a restored world has no callers). */
  private readonly resolvers = new Map<number, (op: ClientOp) => void>();
  /** Ids of the ops created or changed since the last checkpoint or restore (to archive). */
  private changed = new Set<number>();

  constructor(
    private readonly sched: Scheduler,
    private readonly opts: ClientOptions,
  ) {}

  private opOf(id: number): ClientOp {
    const op = this.history[id - 1];
    if (op?.id !== id) throw new Error(`client: no operation ${id}`);
    return op;
  }

  private begin(kind: OpKind, node: number, fields: Partial<ClientOp>, client: string): OpHandle {
    const id = this.history.length + 1;
    const op: ClientOp = {
      id,
      client,
      kind,
      node,
      invokeTime: this.sched.now,
      status: 'pending',
      requestId: `r${id}`,
      ...fields,
    };
    this.history.push(op);
    this.changed.add(id);
    const done = new Promise<ClientOp>((r) => this.resolvers.set(id, r));
    return { op, done };
  }

  private finish(op: ClientOp, status: 'ok' | 'failed', result: string | undefined): void {
    if (op.status !== 'pending') return;
    op.status = status;
    op.completeTime = this.sched.now;
    if (result !== undefined) op.result = result;
    this.changed.add(op.id);
    this.sched.trace.push(
      this.sched.now,
      'client',
      op.node,
      `op${op.id} ${op.kind} ${status}${result !== undefined ? ` ${result}` : ''}`,
    );
    this.sched.events.response(this.sched.now, op);
    const removed = this.removals.get(op.id);
    if (removed !== undefined) {
      this.removals.delete(op.id);
      for (const id of removed) void this.opts.onRemoved?.(id);
    }
    const resolve = this.resolvers.get(op.id);
    this.resolvers.delete(op.id);
    resolve?.(op);
  }

  private traceInvoke(op: ClientOp, detail: string): void {
    this.sched.trace.push(this.sched.now, 'client', op.node, `op${op.id} ${op.kind} invoke ${detail}`);
    this.sched.events.request(this.sched.now, op, detail);
  }

  /** Acts on the result of a command an operation queued (see Continuation). */
  resume(c: Continuation, r: HostResult): void {
    const op = this.opOf(c.op);
    switch (c.on) {
      case 'invoked':
        // The command that starts the op was refused: the op fails.
        if (r.kind === 'error') {
          this.waitingApply.delete(op.requestId);
          this.waitingRead.delete(op.requestId);
          this.finish(op, 'failed', r.message);
        }
        return;
      case 'read':
        this.completeRead(op, r);
        return;
      case 'transfer':
        if (r.kind === 'error') {
          const i = this.waitingLeader.indexOf(op.id);
          if (i >= 0) this.waitingLeader.splice(i, 1);
          this.finish(op, 'failed', r.message);
        }
        return;
      case 'compact':
        if (r.kind === 'error') this.finish(op, 'failed', r.message);
        else this.finish(op, 'ok', undefined);
        return;
    }
  }

  // ---- KV ----

  put(key: string, value: string, node: number, client = 'c1'): OpHandle {
    const h = this.begin('put', node, { key, value }, client);
    this.traceInvoke(h.op, `${key}=${value}`);
    this.waitingApply.set(h.op.requestId, h.op.id);
    this.sched.enqueue(
      node,
      { kind: 'propose', data: this.opts.encodePut(key, value, h.op.requestId), op: h.op.id },
      { op: h.op.id, on: 'invoked' },
    );
    return h;
  }

  /** A read. Linearizable reads go through ReadIndex; local reads answer at once (labelled stale-possible). */
  async get(key: string, node: number, opts: { linearizable?: boolean; client?: string } = {}): Promise<OpHandle> {
    const linearizable = opts.linearizable ?? false;
    const h = this.begin(
      'get',
      node,
      { key, consistency: linearizable ? 'linearizable' : 'stale-possible' },
      opts.client ?? 'c1',
    );
    const op = h.op;
    this.traceInvoke(op, `${key}${linearizable ? ' linearizable' : ' local'}`);
    // Mutant stale-local-read: a read asked as linearizable is served locally (still labelled linearizable).
    if (!linearizable || mutation.staleLocalRead) {
      if (this.sched.nodes.get(node)?.paused === true) {
        // A frozen process answers once it runs again.
        this.sched.enqueue(node, { kind: 'get', key }, { op: op.id, on: 'read' });
        return h;
      }
      let r: HostResult | undefined;
      try {
        [r] = await this.sched.runNow(node, [{ kind: 'get', key }], false);
      } catch (e) {
        this.finish(op, 'failed', (e as Error).message);
        return h;
      }
      this.completeRead(op, r);
      return h;
    }
    this.waitingRead.set(op.requestId, op.id);
    this.sched.enqueue(
      node,
      { kind: 'readIndex', ctx: encoder.encode(op.requestId), op: op.id },
      { op: op.id, on: 'invoked' },
    );
    return h;
  }

  private completeRead(op: ClientOp, r: HostResult | undefined): void {
    if (r === undefined || r.kind === 'error') {
      this.finish(op, 'failed', r?.message ?? 'no result');
    } else if (r.kind === 'value') {
      op.found = r.value !== undefined;
      this.changed.add(op.id);
      this.finish(op, 'ok', r.value ?? '');
    } else {
      this.finish(op, 'failed', `unexpected ${r.kind}`);
    }
  }

  // ---- membership ----

  private proposeConfChange(
    kind: OpKind,
    node: number,
    cc: ConfChange | ConfChangeV2,
    text: string,
    client: string,
    removed?: number[],
  ): OpHandle {
    const h = this.begin(kind, node, {}, client);
    if (removed !== undefined && removed.length > 0) this.removals.set(h.op.id, removed);
    cc.context = encoder.encode(h.op.requestId);
    this.traceInvoke(h.op, text);
    this.waitingApply.set(h.op.requestId, h.op.id);
    this.sched.enqueue(node, { kind: 'proposeConfChange', cc, op: h.op.id }, { op: h.op.id, on: 'invoked' });
    return h;
  }

  /** Adds a voter with a v1 ConfChange (v2: a single-change ConfChangeV2). */
  addNode(id: number, at: number, opts: { v2?: boolean; client?: string } = {}): OpHandle {
    return this.single('addNode', ConfChangeAddNode, id, at, opts);
  }

  addLearner(id: number, at: number, opts: { v2?: boolean; client?: string } = {}): OpHandle {
    return this.single('addLearner', ConfChangeAddLearnerNode, id, at, opts);
  }

  /** Promotes a learner to voter (ConfChangeAddNode for an existing learner). */
  promote(id: number, at: number, opts: { v2?: boolean; client?: string } = {}): OpHandle {
    return this.single('promote', ConfChangeAddNode, id, at, opts);
  }

  removeNode(id: number, at: number, opts: { v2?: boolean; client?: string } = {}): OpHandle {
    return this.single('removeNode', ConfChangeRemoveNode, id, at, opts, [id]);
  }

  private single(
    kind: OpKind,
    type: ConfChange['type'],
    id: number,
    at: number,
    opts: { v2?: boolean; client?: string },
    removed?: number[],
  ): OpHandle {
    const cc = opts.v2
      ? newConfChangeV2({ transition: ConfChangeTransitionAuto, changes: [{ type, nodeId: id }] })
      : newConfChange({ type, nodeId: id });
    return this.proposeConfChange(kind, at, cc, `${opts.v2 ? 'v2' : 'v1'} ${kind} ${id}`, opts.client ?? 'c1', removed);
  }

  /** Several changes at once through joint consensus (ConfChangeV2). */
  changeMembership(
    changes: ConfChangeSingle[],
    at: number,
    opts: { transition?: ConfChangeTransition; client?: string; onRemoved?: number[] } = {},
  ): OpHandle {
    const cc = newConfChangeV2({ transition: opts.transition ?? ConfChangeTransitionAuto, changes });
    const removed = changes.filter((c) => c.type === ConfChangeRemoveNode).map((c) => c.nodeId);
    const text = `v2 t${cc.transition} ${changes.map((c) => `${['v', 'r', 'u', 'l'][c.type]}${c.nodeId}`).join(' ')}`;
    return this.proposeConfChange('changeMembership', at, cc, text, opts.client ?? 'c1', removed);
  }

  /** Leaves an explicit joint configuration (an empty ConfChangeV2). */
  leaveJoint(at: number, client = 'c1'): OpHandle {
    return this.proposeConfChange('leaveJoint', at, newConfChangeV2(), 'v2 leave-joint', client);
  }

  // ---- leadership and log ----

  /** Asks `at` (normally the leader) to hand leadership to `to`; done when `to` becomes leader. */
  transferLeadership(to: number, at: number, client = 'c1'): OpHandle {
    const h = this.begin('transferLeadership', at, { value: String(to) }, client);
    this.traceInvoke(h.op, `to ${to}`);
    this.waitingLeader.push(h.op.id);
    this.sched.enqueue(at, { kind: 'transferLeader', to, op: h.op.id }, { op: h.op.id, on: 'transfer' });
    return h;
  }

  /** Compacts node `at`'s log up to index (its applied state is kept as a snapshot by the host). */
  compact(index: number, at: number, client = 'c1'): OpHandle {
    const h = this.begin('compact', at, { value: String(index) }, client);
    this.traceInvoke(h.op, `${index}`);
    this.sched.enqueue(at, { kind: 'compact', index }, { op: h.op.id, on: 'compact' });
    return h;
  }

  // ---- hooks from the scheduler ----

  onApplied(node: number, entries: AppliedEntry[]): void {
    for (const e of entries) {
      if (e.requestId === undefined) {
        // A conf change whose context the host did not report: credit the oldest
        // conf change awaited at this node (they apply in proposal order).
        if (e.kind === 'confchange') {
          for (const [k, id] of this.waitingApply) {
            const op = this.opOf(id);
            if (op.node !== node || op.kind === 'put') continue;
            this.waitingApply.delete(k);
            this.finish(op, 'ok', e.summary);
            break;
          }
        }
        continue;
      }
      const id = this.waitingApply.get(e.requestId);
      if (id === undefined) continue;
      const op = this.opOf(id);
      if (op.node !== node) continue;
      this.waitingApply.delete(e.requestId);
      this.finish(op, 'ok', e.kind === 'confchange' ? e.summary : `index ${e.index}`);
    }
    this.checkReads(node);
  }

  onReadStates(node: number, rs: ReadState[]): void {
    for (const s of rs) {
      const ctx = decoder.decode(s.requestCtx);
      const id = this.waitingRead.get(ctx);
      if (id === undefined) continue;
      const op = this.opOf(id);
      if (op.node !== node || op.readIndex !== undefined) continue;
      op.readIndex = s.index;
      this.changed.add(op.id);
    }
    this.checkReads(node);
  }

  onCycle(node: number, rec: CycleRecord): void {
    const ss = rec.ready.softState;
    if (ss === undefined || ss.raftState !== StateLeader || this.waitingLeader.length === 0) return;
    for (const id of [...this.waitingLeader]) {
      const op = this.opOf(id);
      if (op.value === String(node)) {
        this.waitingLeader.splice(this.waitingLeader.indexOf(id), 1);
        this.finish(op, 'ok', `leader ${node}`);
      }
    }
  }

  /** Serves the ReadIndex reads at node whose index the node has applied. */
  private checkReads(node: number): void {
    if (this.waitingRead.size === 0) return;
    const applied = this.sched.slot(node).applied;
    for (const [ctx, id] of this.waitingRead) {
      const op = this.opOf(id);
      if (op.node !== node || op.readIndex === undefined || applied < op.readIndex) continue;
      this.waitingRead.delete(ctx);
      this.sched.enqueue(node, { kind: 'get', key: op.key! }, { op: op.id, on: 'read' });
    }
  }

  /**
   * A node crashed: the requests it was serving are cut off. Their operations stay
   * pending (the client cannot know whether they took effect); later applies at a
   * restarted node no longer complete them.
   */
  onCrash(node: number): void {
    for (const [k, id] of this.waitingApply) if (this.opOf(id).node === node) this.waitingApply.delete(k);
    for (const [k, id] of this.waitingRead) if (this.opOf(id).node === node) this.waitingRead.delete(k);
  }

  /** Operations not yet complete. */
  pending(): ClientOp[] {
    return this.history.filter((o) => o.status === 'pending');
  }

  // ---- checkpoints ----

  /** The client's state at a checkpoint of `step` (the ops that changed since the last one go to the archive). */
  checkpoint(archive: OpArchive, step: number): ClientImage {
    for (const id of this.changed) archive.record(step, this.opOf(id));
    this.changed.clear();
    return {
      count: this.history.length,
      waitingApply: [...this.waitingApply.values()],
      waitingRead: [...this.waitingRead.values()],
      waitingLeader: this.waitingLeader.slice(),
      removals: [...this.removals].map(([id, ids]) => [id, ids.slice()]),
    };
  }

  /** Makes the next checkpoint archive every operation (after the archive was emptied). */
  markAllChanged(): void {
    for (const op of this.history) this.changed.add(op.id);
  }

  /** Restores a fresh client to the state of a checkpoint of `step`. */
  restore(img: ClientImage, archive: OpArchive, step: number): void {
    const h = new Array<ClientOp>(img.count);
    for (let i = 0; i < img.count; i++) {
      const op = archive.at(i, step);
      if (op === undefined) throw new Error(`client restore: operation ${i + 1} is not in the archive`);
      // A settled op never changes again: the archive's frozen copy serves as is.
      h[i] = op.status === 'pending' ? { ...op } : op;
    }
    this.history = h;
    this.changed = new Set();
    this.waitingApply = new Map(img.waitingApply.map((id) => [`r${id}`, id]));
    this.waitingRead = new Map(img.waitingRead.map((id) => [`r${id}`, id]));
    this.waitingLeader = img.waitingLeader.slice();
    this.removals = new Map(img.removals.map(([id, ids]) => [id, ids.slice()]));
  }
}

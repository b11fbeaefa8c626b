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

interface Waiter {
  op: ClientOp;
  resolve: (op: ClientOp) => void;
  /** For conf changes: what to do once done. */
  after?: () => void;
}

export class Client {
  readonly history: ClientOp[] = [];
  private nextId = 1;
  /** Entries awaited, by request id. */
  private readonly waitingApply = new Map<string, Waiter>();
  /** ReadIndex reads awaited, by context. */
  private readonly waitingRead = new Map<string, Waiter>();
  /** Transfers awaited, by target id. */
  private readonly waitingLeader: Waiter[] = [];

  constructor(
    private readonly sched: Scheduler,
    private readonly opts: ClientOptions,
  ) {}

  private begin(
    kind: OpKind,
    node: number,
    fields: Partial<ClientOp>,
    client: string,
  ): { w: Waiter; done: Promise<ClientOp> } {
    const id = this.nextId++;
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
    let resolve!: (op: ClientOp) => void;
    const done = new Promise<ClientOp>((r) => (resolve = r));
    return { w: { op, resolve }, done };
  }

  private finish(w: Waiter, status: 'ok' | 'failed', result: string | undefined): void {
    if (w.op.status !== 'pending') return;
    w.op.status = status;
    w.op.completeTime = this.sched.now;
    if (result !== undefined) w.op.result = result;
    this.sched.trace.push(
      this.sched.now,
      'client',
      w.op.node,
      `op${w.op.id} ${w.op.kind} ${status}${result !== undefined ? ` ${result}` : ''}`,
    );
    this.sched.events.response(this.sched.now, w.op);
    w.after?.();
    w.resolve(w.op);
  }

  private traceInvoke(op: ClientOp, detail: string): void {
    this.sched.trace.push(this.sched.now, 'client', op.node, `op${op.id} ${op.kind} invoke ${detail}`);
    this.sched.events.request(this.sched.now, op, detail);
  }

  /** Fails the operation if the command it was sent as was refused. */
  private onInvoked(w: Waiter): (r: HostResult) => void {
    return (r) => {
      if (r.kind === 'error') {
        this.waitingApply.delete(w.op.requestId);
        this.waitingRead.delete(w.op.requestId);
        this.finish(w, 'failed', r.message);
      }
    };
  }

  // ---- KV ----

  put(key: string, value: string, node: number, client = 'c1'): OpHandle {
    const { w, done } = this.begin('put', node, { key, value }, client);
    this.traceInvoke(w.op, `${key}=${value}`);
    this.waitingApply.set(w.op.requestId, w);
    this.sched.enqueue(
      node,
      { kind: 'propose', data: this.opts.encodePut(key, value, w.op.requestId), op: w.op.id },
      this.onInvoked(w),
    );
    return { op: w.op, done };
  }

  /** A read. Linearizable reads go through ReadIndex; local reads answer at once (labelled stale-possible). */
  async get(key: string, node: number, opts: { linearizable?: boolean; client?: string } = {}): Promise<OpHandle> {
    const linearizable = opts.linearizable ?? false;
    const { w, done } = this.begin(
      'get',
      node,
      { key, consistency: linearizable ? 'linearizable' : 'stale-possible' },
      opts.client ?? 'c1',
    );
    this.traceInvoke(w.op, `${key}${linearizable ? ' linearizable' : ' local'}`);
    // Mutant stale-local-read: a read asked as linearizable is served locally (still labelled linearizable).
    if (!linearizable || mutation.staleLocalRead) {
      if (this.sched.nodes.get(node)?.paused === true) {
        // A frozen process answers once it runs again.
        this.sched.enqueue(node, { kind: 'get', key }, (r) => this.completeRead(w, r));
        return { op: w.op, done };
      }
      let r: HostResult | undefined;
      try {
        [r] = await this.sched.runNow(node, [{ kind: 'get', key }], false);
      } catch (e) {
        this.finish(w, 'failed', (e as Error).message);
        return { op: w.op, done };
      }
      this.completeRead(w, r);
      return { op: w.op, done };
    }
    this.waitingRead.set(w.op.requestId, w);
    this.sched.enqueue(
      node,
      { kind: 'readIndex', ctx: encoder.encode(w.op.requestId), op: w.op.id },
      this.onInvoked(w),
    );
    return { op: w.op, done };
  }

  private completeRead(w: Waiter, r: HostResult | undefined): void {
    if (r === undefined || r.kind === 'error') {
      this.finish(w, 'failed', r?.message ?? 'no result');
    } else if (r.kind === 'value') {
      w.op.found = r.value !== undefined;
      this.finish(w, 'ok', r.value ?? '');
    } else {
      this.finish(w, 'failed', `unexpected ${r.kind}`);
    }
  }

  // ---- membership ----

  private proposeConfChange(
    kind: OpKind,
    node: number,
    cc: ConfChange | ConfChangeV2,
    text: string,
    client: string,
    after?: () => void,
  ): OpHandle {
    const { w, done } = this.begin(kind, node, {}, client);
    if (after !== undefined) w.after = after;
    cc.context = encoder.encode(w.op.requestId);
    this.traceInvoke(w.op, text);
    this.waitingApply.set(w.op.requestId, w);
    this.sched.enqueue(node, { kind: 'proposeConfChange', cc, op: w.op.id }, this.onInvoked(w));
    return { op: w.op, done };
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
    return this.single('removeNode', ConfChangeRemoveNode, id, at, opts, () => void this.opts.onRemoved?.(id));
  }

  private single(
    kind: OpKind,
    type: ConfChange['type'],
    id: number,
    at: number,
    opts: { v2?: boolean; client?: string },
    after?: () => void,
  ): OpHandle {
    const cc = opts.v2
      ? newConfChangeV2({ transition: ConfChangeTransitionAuto, changes: [{ type, nodeId: id }] })
      : newConfChange({ type, nodeId: id });
    return this.proposeConfChange(kind, at, cc, `${opts.v2 ? 'v2' : 'v1'} ${kind} ${id}`, opts.client ?? 'c1', after);
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
    return this.proposeConfChange('changeMembership', at, cc, text, opts.client ?? 'c1', () => {
      for (const id of removed) void this.opts.onRemoved?.(id);
    });
  }

  /** Leaves an explicit joint configuration (an empty ConfChangeV2). */
  leaveJoint(at: number, client = 'c1'): OpHandle {
    return this.proposeConfChange('leaveJoint', at, newConfChangeV2(), 'v2 leave-joint', client);
  }

  // ---- leadership and log ----

  /** Asks `at` (normally the leader) to hand leadership to `to`; done when `to` becomes leader. */
  transferLeadership(to: number, at: number, client = 'c1'): OpHandle {
    const { w, done } = this.begin('transferLeadership', at, { value: String(to) }, client);
    this.traceInvoke(w.op, `to ${to}`);
    this.waitingLeader.push(w);
    this.sched.enqueue(at, { kind: 'transferLeader', to, op: w.op.id }, (r) => {
      if (r.kind === 'error') {
        this.waitingLeader.splice(this.waitingLeader.indexOf(w), 1);
        this.finish(w, 'failed', r.message);
      }
    });
    return { op: w.op, done };
  }

  /** Compacts node `at`'s log up to index (its applied state is kept as a snapshot by the host). */
  compact(index: number, at: number, client = 'c1'): OpHandle {
    const { w, done } = this.begin('compact', at, { value: String(index) }, client);
    this.traceInvoke(w.op, `${index}`);
    this.sched.enqueue(at, { kind: 'compact', index }, (r) => {
      if (r.kind === 'error') this.finish(w, 'failed', r.message);
      else this.finish(w, 'ok', undefined);
    });
    return { op: w.op, done };
  }

  // ---- hooks from the scheduler ----

  onApplied(node: number, entries: AppliedEntry[]): void {
    for (const e of entries) {
      if (e.requestId === undefined) {
        // A conf change whose context the host did not report: credit the oldest
        // conf change awaited at this node (they apply in proposal order).
        if (e.kind === 'confchange') {
          for (const [k, w] of this.waitingApply) {
            if (w.op.node !== node || w.op.kind === 'put') continue;
            this.waitingApply.delete(k);
            this.finish(w, 'ok', e.summary);
            break;
          }
        }
        continue;
      }
      const w = this.waitingApply.get(e.requestId);
      if (w === undefined || w.op.node !== node) continue;
      this.waitingApply.delete(e.requestId);
      this.finish(w, 'ok', e.kind === 'confchange' ? e.summary : `index ${e.index}`);
    }
    this.checkReads(node);
  }

  onReadStates(node: number, rs: ReadState[]): void {
    for (const s of rs) {
      const ctx = decoder.decode(s.requestCtx);
      const w = this.waitingRead.get(ctx);
      if (w === undefined || w.op.node !== node || w.op.readIndex !== undefined) continue;
      w.op.readIndex = s.index;
    }
    this.checkReads(node);
  }

  onCycle(node: number, rec: CycleRecord): void {
    const ss = rec.ready.softState;
    if (ss === undefined || ss.raftState !== StateLeader || this.waitingLeader.length === 0) return;
    for (const w of [...this.waitingLeader]) {
      if (w.op.value === String(node)) {
        this.waitingLeader.splice(this.waitingLeader.indexOf(w), 1);
        this.finish(w, 'ok', `leader ${node}`);
      }
    }
  }

  /** Serves the ReadIndex reads at node whose index the node has applied. */
  private checkReads(node: number): void {
    if (this.waitingRead.size === 0) return;
    const applied = this.sched.slot(node).applied;
    for (const [ctx, w] of this.waitingRead) {
      if (w.op.node !== node || w.op.readIndex === undefined || applied < w.op.readIndex) continue;
      this.waitingRead.delete(ctx);
      this.sched.enqueue(node, { kind: 'get', key: w.op.key! }, (r) => this.completeRead(w, r));
    }
  }

  /**
   * A node crashed: the requests it was serving are cut off. Their operations stay
   * pending (the client cannot know whether they took effect); later applies at a
   * restarted node no longer complete them.
   */
  onCrash(node: number): void {
    for (const [k, w] of this.waitingApply) if (w.op.node === node) this.waitingApply.delete(k);
    for (const [k, w] of this.waitingRead) if (w.op.node === node) this.waitingRead.delete(k);
  }

  /** Operations not yet complete. */
  pending(): ClientOp[] {
    return this.history.filter((o) => o.status === 'pending');
  }
}

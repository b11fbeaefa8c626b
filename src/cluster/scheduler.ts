// The scheduler: the only thing that decides what happens next.
//
// Work is organised by instants of virtual time. At an instant t a node has work when
// its tick falls due, when messages addressed to it fall due on the bus, when a client
// command waits for it, or when its state changed outside a batch and a Ready cycle is
// owed. All of one node's work at one instant goes to its runtime as one batch, in a
// fixed order:
//
//   step(messages due, in (dueTime, id) order)  ->  tick  ->  queued commands  ->  cycle
//
// Time runs in windows. A message is never due sooner than the network's smallest
// latency L after it was sent (bus.minDelay, at least bus.minLatency), so whatever a
// node does at an instant t cannot reach another node before t + L. Hence every
// node's work at every instant of [t0, t0 + L) is known at t0: its deliveries are
// already on the bus, its ticks are on its timer, its commands are queued. The
// scheduler plans the window, sends each node ALL of its batches of the window in ONE
// call (workers run concurrently; a worker round trip is paid once per window, not
// once per instant), then merges the results strictly in (instant, node id) order, so
// the ids the bus gives to new messages, the trace, and every later decision do not
// depend on which worker answered first. Work that merging itself creates (a client
// callback's next command, a node that still owes a Ready after maxCycles, a snapshot
// report) waits for the next window. The one-node-at-a-time `step()` runs a single
// batch; it gives the same run as windows unless merging creates such work.
//
// Modes: 'play' and 'step' behave identically here (the UI calls advance() or step());
// in 'manual' nothing happens by itself: no ticks, no deliveries, no automatic Ready
// cycles; advance() only moves the clock and the user picks each action.

import { describeReady } from '../raft/describe';
import type { Message } from '../raft/raftpb/types';
import { MsgSnap, messageTypeNames } from '../raft/raftpb/types';
import type { ReadState } from '../raft/types';
import type { Bus, Envelope, DropReason } from './bus';
import { VirtualClock, NodeTimer } from './clock';
import { EventSink } from './eventSink';
import type {
  AppliedEntry,
  BootInfo,
  CycleRecord,
  DiskState,
  DiskWrite,
  HostCommand,
  HostResult,
  LogLine,
  NodeConfig,
  NodeObservation,
  NodeRuntime,
  ReadyStage,
  RuntimeFactory,
} from './protocol';
import type { CheckpointContext } from './checkpoint';
import type { Continuation } from './client';
import type { HostImage } from './hostImage';
import type { EntryTable } from './entryTable';
import type { Trace } from './recorder';

export type SchedulerMode = 'play' | 'step' | 'manual';
export type NodeStatus = 'alive' | 'crashed' | 'removed';

/** The durable side of a node as the scheduler needs it (implemented by disk.ts's Disk). */
export interface DiskLike {
  apply(w: DiskWrite): void;
  /** A copy of the durable state, safe to hand to a new host. */
  snapshotState(): DiskState;
  /** The durable state itself, read-only and without copying (for summaries). */
  peekState(): Readonly<DiskState>;
  /** True if nothing was ever written. */
  isEmpty(): boolean;
}

/** A command waiting for a node's next batch, with what to do with its result (plain data, see Continuation). */
export interface QueuedCommand {
  cmd: HostCommand;
  then?: Continuation;
}

/** The scheduler's record of one node. */
export interface NodeSlot {
  readonly id: number;
  config: NodeConfig;
  /** How the node was first started (a restart with an empty disk starts this way again). */
  firstBoot: BootInfo;
  runtime: NodeRuntime | undefined;
  status: NodeStatus;
  paused: boolean;
  timer: NodeTimer;
  disk: DiskLike;
  /** Highest index applied to the state machine, as reported by cycle records. */
  applied: number;
  queue: QueuedCommand[];
  /** A Ready cycle is owed (state changed outside a batch). */
  needsCycle: boolean;
  lastCycle: CycleRecord | undefined;
  /** Starts counted from 1; bumped by each restart. */
  incarnation: number;
  /** Why the node stopped, when its code threw (a panic, or its worker died); cleared by a restart. */
  panic: string | undefined;
}

/** A node's slot in a checkpoint (see checkpoint.ts). */
export interface SlotImage {
  id: number;
  config: NodeConfig;
  firstBoot: BootInfo;
  status: NodeStatus;
  paused: boolean;
  timer: { next: number; interval: number };
  disk: { hardState: DiskState['hardState']; snapshot: DiskState['snapshot']; entries: number[] };
  applied: number;
  queue: QueuedCommand[];
  needsCycle: boolean;
  lastCycle: CycleRecord | undefined;
  incarnation: number;
  panic: string | undefined;
  /** The host's image, when the node runs. */
  host: HostImage | undefined;
}

/** The scheduler in a checkpoint. */
export interface SchedulerImage {
  now: number;
  mode: SchedulerMode;
  stats: Scheduler['stats'];
  slots: SlotImage[];
}

/** What the scheduler reports to the layers above (client, cluster) while merging. */
export interface SchedulerHooks {
  onApplied?(node: number, entries: AppliedEntry[]): void;
  onReadStates?(node: number, rs: ReadState[]): void;
  onLogLines?(lines: LogLine[]): void;
  onCycle?(node: number, rec: CycleRecord): void;
  /** A node's runtime failed (threw): the node is now crashed. */
  onPanic?(node: number, message: string): void;
  /** The result of a queued command that carried a continuation. */
  onResult?(then: Continuation, result: HostResult): void;
}

/** An upcoming event, for display. */
export interface ScheduledEvent {
  time: number;
  node: number;
  kind: 'tick' | 'deliver' | 'command' | 'cycle';
  messageId?: number;
}

export interface SchedulerOptions {
  bus: Bus;
  trace: Trace;
  factory: RuntimeFactory;
  makeDisk: (initial?: DiskState) => DiskLike;
  mode?: SchedulerMode;
  /** Whole Ready cycles run per batch at most. */
  maxCyclesPerBatch?: number;
  hooks?: SchedulerHooks;
}

const defaultMaxCycles = 8;

/** Compact canonical description of a message for the trace. */
export function describeMsgShort(m: Message): string {
  let s = `${messageTypeNames[m.type] ?? m.type} ${m.from}->${m.to} t${m.term}`;
  if (m.logTerm !== 0 || m.index !== 0) s += ` l${m.logTerm}/${m.index}`;
  if (m.commit !== 0) s += ` c${m.commit}`;
  if (m.vote !== 0) s += ` v${m.vote}`;
  if (m.entries.length > 0) {
    const f = m.entries[0]!;
    const l = m.entries[m.entries.length - 1]!;
    s += ` e${f.index}/${f.term}..${l.index}/${l.term}#${m.entries.length}`;
  }
  if (m.reject) s += ` rej${m.rejectHint}`;
  if (m.snapshot !== undefined && m.snapshot.metadata.index !== 0)
    s += ` snap${m.snapshot.metadata.index}/${m.snapshot.metadata.term}`;
  if (m.context.length > 0) s += ` ctx${m.context.length}`;
  return s;
}

function describeCommand(c: HostCommand): string {
  switch (c.kind) {
    case 'tick':
      return `tick ${c.count}`;
    case 'step':
      return `step ${c.msgs.length}`;
    case 'propose':
      return `propose ${c.data.length}B`;
    case 'proposeConfChange':
      return `propose-conf-change`;
    case 'readIndex':
      return `read-index ${c.ctx.length}B`;
    case 'transferLeader':
      return `transfer-leader ${c.to}`;
    case 'reportUnreachable':
      return `report-unreachable ${c.id}`;
    case 'reportSnapshot':
      return `report-snapshot ${c.id} ${c.failed ? 'failed' : 'ok'}`;
    case 'compact':
      return `compact ${c.index}`;
    case 'cycle':
      return `cycle ${c.maxCycles}`;
    case 'stage':
      return `stage ${c.stage}`;
    case 'get':
      return `get ${c.key}`;
    default:
      return c.kind;
  }
}

function describeCycle(r: CycleRecord): string {
  const parts: string[] = [];
  const hs = r.persisted?.hardState;
  if (hs !== undefined) parts.push(`hs=${hs.term}/${hs.vote}/${hs.commit}`);
  const ents = r.persisted?.entries ?? [];
  if (ents.length > 0)
    parts.push(`ents=${ents[0]!.index}..${ents[ents.length - 1]!.index}/${ents[ents.length - 1]!.term}`);
  const snap = r.persisted?.snapshot;
  if (snap !== undefined) parts.push(`snap=${snap.metadata.index}/${snap.metadata.term}`);
  const own = r.persisted?.ownSnapshot;
  if (own !== undefined) parts.push(`own-snap=${own.snapshot.metadata.index} compact=${own.compactedTo}`);
  if (r.applied.length > 0) parts.push(`applied=[${r.applied.map((a) => `${a.index}:${a.summary}`).join(',')}]`);
  if (r.readStates.length > 0) parts.push(`rs=[${r.readStates.map((s) => s.index).join(',')}]`);
  parts.push(`msgs=${r.sent.length}`);
  parts.push(`stages=${r.stagesDone.join('+')}`);
  return parts.join(' ');
}

/** One node's work at one instant. */
interface Batch {
  time: number;
  slot: NodeSlot | undefined;
  /** The runtime the batch was planned for (undefined: the node is not running). */
  runtime: NodeRuntime | undefined;
  commands: HostCommand[];
  /** Per command: the continuation of a queued command, or undefined. */
  callbacks: (Continuation | undefined)[];
  delivered: Envelope[];
  /** Messages lost when they fell due (traced when the batch is merged). */
  lost: { env: Envelope; reason: DropReason }[];
}

/**
 * A cycle record as a checkpoint keeps it: without its text form (readyText is left
 * empty). Copied field by field, so that a restored record's lazy text is not made
 * just to be dropped.
 */
function withoutText(rec: CycleRecord): CycleRecord {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(rec)) if (k !== 'readyText') out[k] = rec[k as keyof CycleRecord];
  out.readyText = '';
  return out as unknown as CycleRecord;
}

/**
 * A cycle record whose readyText (etcd's describeReady of its Ready) is made on first
 * read and kept: every record a host sends (hosts leave the text empty) and every
 * restored one. After a node re-applied its log on a restart, its cycle holds
 * thousands of entries, and describing them took hundreds of milliseconds while only
 * the Ready panel ever reads the text.
 */
function withLazyText(rec: CycleRecord): CycleRecord {
  const out = withoutText(rec);
  let text: string | undefined;
  Object.defineProperty(out, 'readyText', {
    enumerable: true,
    configurable: true,
    get: () => (text ??= describeReady(rec.ready)),
  });
  return out;
}

export class Scheduler {
  readonly clock = new VirtualClock();
  readonly nodes = new Map<number, NodeSlot>();
  readonly bus: Bus;
  readonly trace: Trace;
  /** The typed event stream's source: every trace point also reports here (eventSink.ts). */
  readonly events = new EventSink();
  mode: SchedulerMode;
  hooks: SchedulerHooks;
  private factory: RuntimeFactory;
  private readonly makeDisk: (initial?: DiskState) => DiskLike;
  private readonly maxCycles: number;
  private readonly deferred: (QueuedCommand & { node: number })[] = [];
  /**
   * The checkpoint context of the last checkpoint taken or restored: its entry table
   * names a restarted node's disk entries by eid (see bootPayload.ts).
   */
  private interning: CheckpointContext | undefined;
  /**
   * Totals for summaries and benchmarks. entries: log entries that went through the
   * hosts' Readies (to persist, plus committed to apply), a measure of the work a
   * replay of the run repeats (checkpoint.ts takes a checkpoint after heavy stretches).
   */
  readonly stats = { batches: 0, ticks: 0, deliveries: 0, cycles: 0, instants: 0, windows: 0, calls: 0, entries: 0 };

  constructor(opts: SchedulerOptions) {
    this.bus = opts.bus;
    this.trace = opts.trace;
    this.factory = opts.factory;
    this.makeDisk = opts.makeDisk;
    this.mode = opts.mode ?? 'play';
    this.maxCycles = opts.maxCyclesPerBatch ?? defaultMaxCycles;
    this.hooks = opts.hooks ?? {};
  }

  get now(): number {
    return this.clock.now;
  }

  /** Node ids in ascending order. */
  ids(): number[] {
    return [...this.nodes.keys()].sort((a, b) => a - b);
  }

  /**
   * Entries in the largest last cycle record of any node (to persist, committed, applied).
   * A checkpoint copies every last cycle (the Ready panel shows them): right after a
   * heavy cycle this is what makes a checkpoint large.
   */
  largestLastCycle(): number {
    let max = 0;
    for (const s of this.nodes.values()) {
      const c = s.lastCycle;
      if (c !== undefined)
        max = Math.max(max, c.ready.entries.length + c.ready.committedEntries.length + c.applied.length);
    }
    return max;
  }

  slot(id: number): NodeSlot {
    const s = this.nodes.get(id);
    if (s === undefined) throw new Error(`cluster: no node ${id}`);
    return s;
  }

  // ---- node lifecycle ----

  /** Starts a new node (fresh or joining) whose ticks run every tickInterval of virtual time. */
  async startNode(boot: BootInfo, tickInterval: number): Promise<NodeSlot> {
    const id = boot.config.id;
    if (this.nodes.has(id)) throw new Error(`cluster: node ${id} already exists`);
    const runtime = await this.factory(boot);
    const slot: NodeSlot = {
      id,
      config: boot.config,
      firstBoot: boot,
      runtime,
      status: 'alive',
      paused: false,
      timer: new NodeTimer(this.now, tickInterval),
      disk: this.makeDisk(boot.disk),
      applied: boot.disk?.snapshot.metadata.index ?? 0,
      queue: [],
      needsCycle: true,
      lastCycle: undefined,
      incarnation: 1,
      panic: undefined,
    };
    this.nodes.set(id, slot);
    this.trace.push(this.now, 'fault', id, `start voters=${boot.voters.join(',')} learners=${boot.learners.join(',')}`);
    this.events.nodeStart(this.now, id, boot.voters, boot.learners);
    return slot;
  }

  /** Crash: the runtime is terminated, volatile state is gone, the disk stays. */
  async crash(id: number): Promise<void> {
    const s = this.slot(id);
    if (s.status !== 'alive') throw new Error(`cluster: node ${id} is not running (${s.status})`);
    this.trace.push(this.now, 'fault', id, 'crash');
    await this.stopRuntime(s, 'crashed');
  }

  /**
   * Marks the node stopped and fails its queued commands, synchronously (so that the
   * run does not depend on how long termination takes), then terminates the runtime.
   */
  private async stopRuntime(s: NodeSlot, status: NodeStatus): Promise<void> {
    const rt = s.runtime;
    if (status === 'crashed') this.events.crash(this.now, s.id, s.incarnation);
    else this.events.removed(this.now, s.id);
    s.runtime = undefined;
    s.status = status;
    s.paused = false;
    s.needsCycle = false;
    s.lastCycle = undefined;
    const q = s.queue;
    s.queue = [];
    for (const c of q) this.resolve(c.then, { kind: 'error', message: `node ${s.id} ${status}`, logLines: [] });
    if (rt !== undefined) await rt.terminate();
  }

  /** Restart from the disk alone (etcd's RestartNode); a node that never wrote boots as it first did. */
  async restart(id: number): Promise<void> {
    const s = this.slot(id);
    if (s.status !== 'crashed') throw new Error(`cluster: node ${id} is not crashed (${s.status})`);
    const ctx = this.interning;
    const bootFrom = this.factory.bootFrom;
    let boot: BootInfo;
    if (s.disk.isEmpty()) {
      boot = s.firstBoot;
      s.runtime = await this.factory(boot);
    } else if (ctx !== undefined && bootFrom !== undefined) {
      // The disk's entries go by eid: the host process usually holds most of them.
      const d = s.disk.peekState();
      const runs = ctx.logRuns(s.disk).of(ctx.table, d.entries);
      const disk = { hardState: { ...d.hardState }, snapshot: d.snapshot, entries: [] };
      boot = { config: s.config, voters: [], learners: [], disk };
      s.runtime = await bootFrom(boot as BootInfo & { disk: DiskState }, ctx.table, runs);
    } else {
      boot = { config: s.config, voters: [], learners: [], disk: s.disk.snapshotState() };
      s.runtime = await this.factory(boot);
    }
    s.status = 'alive';
    s.incarnation++;
    s.panic = undefined;
    s.applied = boot.disk?.snapshot.metadata.index ?? 0;
    s.needsCycle = true;
    s.timer.skipTo(this.now);
    this.trace.push(this.now, 'fault', id, `restart incarnation=${s.incarnation}`);
    this.events.restart(this.now, id, s.incarnation, s.disk.peekState().hardState);
  }

  /** Removes a node for good (after its removal from the configuration). */
  async remove(id: number): Promise<void> {
    const s = this.slot(id);
    if (s.status === 'removed') return;
    this.trace.push(this.now, 'fault', id, 'removed');
    await this.stopRuntime(s, 'removed');
  }

  setPaused(id: number, paused: boolean): void {
    const s = this.slot(id);
    if (s.status !== 'alive') throw new Error(`cluster: node ${id} is not running (${s.status})`);
    if (s.paused === paused) return;
    s.paused = paused;
    if (!paused) s.timer.skipTo(this.now);
    this.trace.push(this.now, 'fault', id, paused ? 'pause' : 'resume');
    this.events.pause(this.now, id, paused);
  }

  /** The runtime factory that starts and restarts this scheduler's hosts. */
  get runtimeFactory(): RuntimeFactory {
    return this.factory;
  }

  /**
   * Moves every running host into a runtime of `factory` (its image out of the old
   * runtime, restored in the new one; entries interned in `table`) and starts later
   * hosts there too. Nothing a run can observe changes: a host image is the host's whole
   * volatile state. Only between actions, as a checkpoint. If any host fails to move,
   * the new runtimes are ended and every host stays where it was.
   */
  async moveTo(factory: RuntimeFactory, table: EntryTable): Promise<void> {
    const restoreHost = factory.restore;
    if (restoreHost === undefined) throw new Error('scheduler: the target runtime cannot restore hosts');
    if (this.deferred.length > 0) throw new Error('scheduler: cannot move hosts with deferred commands');
    const running = [...this.nodes.values()].filter((s) => s.runtime !== undefined);
    const moved = await Promise.allSettled(
      running.map(async (s) => {
        const take = s.runtime!.checkpoint;
        if (take === undefined) throw new Error(`scheduler: node ${s.id}'s runtime cannot be checkpointed`);
        return restoreHost(await take(table), table);
      }),
    );
    const failed = moved.find((r) => r.status === 'rejected');
    if (failed !== undefined) {
      for (const r of moved) if (r.status === 'fulfilled') await r.value.terminate();
      throw (failed as PromiseRejectedResult).reason;
    }
    const old = running.map((s, i) => {
      const rt = s.runtime!;
      s.runtime = (moved[i] as PromiseFulfilledResult<NodeRuntime>).value;
      return rt;
    });
    this.factory = factory;
    await Promise.all(old.map((rt) => rt.terminate()));
  }

  /** Terminates every runtime (disposing the whole cluster). */
  async shutdown(): Promise<void> {
    for (const id of this.ids()) {
      const s = this.slot(id);
      const rt = s.runtime;
      s.runtime = undefined;
      if (rt !== undefined) await rt.terminate();
    }
  }

  // ---- checkpoints ----

  /**
   * The scheduler's state with each node's disk and, for running nodes, its host's
   * image (fetched from every runtime at once). Only between actions: nothing may be
   * deferred or in flight. Commands and cycle records are shared, not copied: nothing
   * changes them once made.
   */
  async checkpoint(ctx: CheckpointContext): Promise<SchedulerImage> {
    if (this.deferred.length > 0) throw new Error('scheduler: cannot checkpoint with deferred commands');
    this.interning = ctx;
    const ids = [...this.nodes.keys()];
    const hosts = await Promise.all(
      ids.map((id) => {
        const s = this.nodes.get(id)!;
        if (s.status !== 'alive' || s.runtime === undefined) return undefined;
        if (s.runtime.checkpoint === undefined)
          throw new Error(`scheduler: node ${id}'s runtime cannot be checkpointed`);
        return s.runtime.checkpoint(ctx.table).then((img) => ctx.adoptHost(id, img));
      }),
    );
    const slots = ids.map((id, i): SlotImage => {
      const s = this.nodes.get(id)!;
      const d = s.disk.peekState();
      return {
        id,
        config: ctx.share(s.config),
        firstBoot: ctx.share(s.firstBoot),
        status: s.status,
        paused: s.paused,
        timer: { next: s.timer.next, interval: s.timer.interval },
        disk: { hardState: d.hardState, snapshot: d.snapshot, entries: ctx.logRuns(s.disk).of(ctx.table, d.entries) },
        applied: s.applied,
        queue: s.queue.slice(),
        needsCycle: s.needsCycle,
        // Its text form is made again from the Ready after a restore (it is most of its size).
        lastCycle: s.lastCycle === undefined ? undefined : withoutText(s.lastCycle),
        incarnation: s.incarnation,
        panic: s.panic,
        host: hosts[i],
      };
    });
    return { now: this.now, mode: this.mode, stats: { ...this.stats }, slots };
  }

  /** Makes this (fresh) scheduler the one of a checkpoint: disks rebuilt, hosts restored in their runtimes. */
  async restore(img: SchedulerImage, ctx: CheckpointContext): Promise<void> {
    const restoreHost = this.factory.restore;
    if (restoreHost === undefined) throw new Error('scheduler: this runtime cannot restore hosts');
    this.interning = ctx;
    this.clock.restore(img.now);
    this.mode = img.mode;
    Object.assign(this.stats, img.stats);
    const runtimes = await Promise.allSettled(
      img.slots.map((s) => (s.host === undefined ? undefined : restoreHost(s.host, ctx.table))),
    );
    const failed = runtimes.find((r) => r.status === 'rejected');
    if (failed !== undefined) {
      for (const r of runtimes) if (r.status === 'fulfilled') await r.value?.terminate();
      throw (failed as PromiseRejectedResult).reason;
    }
    img.slots.forEach((s, i) => {
      const entries = ctx.table.entriesOf(s.disk.entries);
      const disk = this.makeDisk({ hardState: s.disk.hardState, snapshot: s.disk.snapshot, entries });
      // The restored disk holds the same entries in a new array: its runs need no lookups next time.
      ctx.logRuns(disk).seed(disk.peekState().entries, s.disk.entries);
      this.nodes.set(s.id, {
        id: s.id,
        config: s.config,
        firstBoot: s.firstBoot,
        runtime: (runtimes[i] as PromiseFulfilledResult<NodeRuntime | undefined>).value,
        status: s.status,
        paused: s.paused,
        timer: NodeTimer.at(s.timer.next, s.timer.interval),
        disk,
        applied: s.applied,
        queue: s.queue.slice(),
        needsCycle: s.needsCycle,
        lastCycle: s.lastCycle === undefined ? undefined : withLazyText(s.lastCycle),
        incarnation: s.incarnation,
        panic: s.panic,
      });
    });
  }

  // ---- the event queue ----

  private active(s: NodeSlot): boolean {
    return s.status === 'alive' && !s.paused && s.runtime !== undefined;
  }

  /** Deliveries go ahead for every destination except a paused one (crashed/unknown: dropped when due). */
  private readonly canReceive = (id: number): boolean => {
    const s = this.nodes.get(id);
    return s === undefined || !(s.status === 'alive' && s.paused);
  };

  /** Time of the next event, or Infinity. In manual mode nothing is ever scheduled. */
  nextEventTime(): number {
    if (this.mode === 'manual') return Infinity;
    let t = this.bus.nextDueTime(this.canReceive);
    for (const s of this.nodes.values()) {
      if (!this.active(s)) continue;
      if (s.queue.length > 0 || s.needsCycle) return this.now;
      if (s.timer.next < t) t = s.timer.next;
    }
    return Math.max(t, this.now);
  }

  /** Nodes with work at instant t (t must be the next event time), ascending. */
  private participants(t: number): number[] {
    const set = new Set<number>(this.bus.destinationsDue(t, this.canReceive));
    for (const s of this.nodes.values()) {
      if (!this.active(s)) continue;
      if (s.queue.length > 0 || s.needsCycle || s.timer.next <= t) set.add(s.id);
    }
    return [...set].sort((a, b) => a - b);
  }

  /** The upcoming events (next tick of each node, messages in flight, owed work), in execution order. */
  upcoming(limit = 50): ScheduledEvent[] {
    const out: ScheduledEvent[] = [];
    if (this.mode === 'manual') return out;
    for (const s of this.nodes.values()) {
      if (!this.active(s)) continue;
      if (s.queue.length > 0) out.push({ time: this.now, node: s.id, kind: 'command' });
      if (s.needsCycle) out.push({ time: this.now, node: s.id, kind: 'cycle' });
      out.push({ time: s.timer.next, node: s.id, kind: 'tick' });
    }
    for (const env of this.bus.inFlight()) {
      if (env.held || !this.canReceive(env.to)) continue;
      out.push({ time: Math.max(env.dueTime, this.now), node: env.to, kind: 'deliver', messageId: env.id });
    }
    const rank = { deliver: 0, tick: 1, command: 2, cycle: 3 } as const;
    out.sort(
      (a, b) =>
        a.time - b.time || a.node - b.node || rank[a.kind] - rank[b.kind] || (a.messageId ?? 0) - (b.messageId ?? 0),
    );
    return out.slice(0, limit);
  }

  /**
   * Runs every node's work in the window that starts at the next event time (instants
   * up to `limit` only). Returns false if there is nothing to do.
   */
  async runWindow(limit = Infinity): Promise<boolean> {
    const t0 = this.nextEventTime();
    if (t0 === Infinity || t0 > limit) return false;
    this.clock.advanceTo(t0);
    // Exclusive end, a hair early: due times are rounded to the time grid.
    const end = t0 + this.bus.minDelay() - 1e-9;
    const batches: Batch[] = [];
    let t = t0;
    while (t < end && t <= limit) {
      this.stats.instants++;
      for (const id of this.participants(t)) batches.push(this.buildBatch(id, t));
      t = this.nextPlannedTime();
    }
    await this.execute(batches);
    return true;
  }

  /** During planning: the next instant with deliveries or ticks (queued work was all taken at the window's start). */
  private nextPlannedTime(): number {
    let t = this.bus.nextDueTime(this.canReceive);
    for (const s of this.nodes.values()) if (this.active(s) && s.timer.next < t) t = s.timer.next;
    return t;
  }

  /** Exactly one event: the work of the lowest-id node with work at the next instant. */
  async step(): Promise<boolean> {
    const t = this.nextEventTime();
    if (t === Infinity) return false;
    this.clock.advanceTo(t);
    const ids = this.participants(this.now);
    if (ids.length === 0) return false;
    this.stats.instants++;
    await this.execute([this.buildBatch(ids[0]!, this.now)]);
    return true;
  }

  /** Runs events up to and including time `until`, then sets the clock to it. */
  async runUntil(until: number): Promise<void> {
    while (await this.runWindow(until)) {
      /* keep going */
    }
    this.clock.advanceTo(until);
  }

  async advance(ticks: number): Promise<void> {
    if (!(ticks >= 0)) throw new Error(`cluster: cannot advance by ${ticks}`);
    await this.runUntil(this.now + ticks);
  }

  /** Takes node id's work at instant `now` off the bus, its timer and its queue. */
  private buildBatch(id: number, now: number): Batch {
    const slot = this.nodes.get(id);
    const batch: Batch = {
      time: now,
      slot,
      runtime: undefined,
      commands: [],
      callbacks: [],
      delivered: [],
      lost: [],
    };
    const { deliver, dropped } = this.bus.takeDue(id, now);
    for (const env of dropped) batch.lost.push({ env, reason: 'link-down' });
    if (slot === undefined || slot.status !== 'alive' || slot.runtime === undefined) {
      // Messages for a node that is not running are lost when they arrive.
      const reason = this.notRunningReason(slot);
      for (const env of deliver) {
        this.countLate(env);
        batch.lost.push({ env, reason });
      }
      return batch;
    }
    batch.runtime = slot.runtime;
    batch.delivered = deliver;
    const { commands, callbacks } = batch;
    if (deliver.length > 0) {
      commands.push({ kind: 'step', msgs: deliver.map((e) => e.msg) });
      callbacks.push(undefined);
    }
    const ticks = slot.timer.takeDue(now);
    if (ticks > 0) {
      commands.push({ kind: 'tick', count: ticks });
      callbacks.push(undefined);
    }
    for (const q of slot.queue) {
      commands.push(q.cmd);
      callbacks.push(q.then);
    }
    slot.queue = [];
    if (this.mode !== 'manual') {
      commands.push({ kind: 'cycle', maxCycles: this.maxCycles });
      callbacks.push(undefined);
      slot.needsCycle = false;
    }
    return batch;
  }

  private notRunningReason(slot: NodeSlot | undefined): DropReason {
    return slot === undefined ? 'unknown-node' : slot.status === 'removed' ? 'removed' : 'crashed';
  }

  /** takeDue counted the envelope delivered; it was lost instead (its node is not running). */
  private countLate(env: Envelope): void {
    this.bus.counters.delivered--;
    this.bus.counters.bytesDelivered -= env.size;
    this.bus.counters.dropped++;
    this.bus.counters.bytesDropped += env.size;
  }

  private dropLate(env: Envelope, reason: DropReason): void {
    this.countLate(env);
    this.traceDrop(env, reason);
  }

  /** Every lost message passes here: it is traced, and a lost snapshot is reported to its sender. */
  traceDrop(env: Envelope, reason: DropReason): void {
    this.trace.push(this.now, 'drop', env.to, `#${env.id} ${reason} ${describeMsgShort(env.msg)}`);
    this.events.drop(this.now, env, reason);
    if (env.msg.type === MsgSnap) this.reportSnapshotOutcome(env, true);
  }

  /**
   * The transport's duty that etcd's rafthttp performs: tell the sender of a MsgSnap
   * whether it arrived (ReportSnapshot). Without the failure report a leader keeps the
   * follower in StateSnapshot forever once its snapshot is lost; the success report
   * moves it to probing even if the follower's answer is lost too. The report runs
   * with the sender's next batch; a sender that is no longer running ignores it.
   */
  private reportSnapshotOutcome(env: Envelope, failed: boolean): void {
    const s = this.nodes.get(env.from);
    if (s === undefined || s.status !== 'alive' || s.runtime === undefined) return;
    this.enqueue(env.from, { kind: 'reportSnapshot', id: env.to, failed });
  }

  /**
   * Runs planned batches (in (time, node id) order): one call per node with all of its
   * batches' commands, the calls concurrently; then merges every batch in order at
   * its own instant. A node whose call failed panicked: it is crashed at its first
   * batch and nothing of its window is merged. A node stopped by an earlier merge (a
   * removal) loses what it was sent in its later batches, as if it had not run them.
   */
  private async execute(batches: Batch[]): Promise<void> {
    const calls = new Map<number, { runtime: NodeRuntime; commands: HostCommand[] }>();
    for (const b of batches) {
      if (b.commands.length === 0) continue;
      const id = b.slot!.id;
      let c = calls.get(id);
      if (c === undefined) calls.set(id, (c = { runtime: b.runtime!, commands: [] }));
      for (const cmd of b.commands) c.commands.push(cmd);
    }
    if (calls.size > 0) this.stats.windows++;
    this.stats.calls += calls.size;
    // Every call starts now; each batch is merged as soon as its node has answered and
    // everything before it is merged, so merging overlaps the slower workers.
    const outcome = new Map<number, Promise<PromiseSettledResult<HostResult[]>>>();
    // The biggest call leaves first: it is the likeliest to be the last to answer.
    for (const [id, c] of [...calls].sort((x, y) => y[1].commands.length - x[1].commands.length))
      outcome.set(
        id,
        this.runOn(id, c.runtime, c.commands).then(
          (value) => ({ status: 'fulfilled', value }),
          (reason: unknown) => ({ status: 'rejected', reason }),
        ),
      );
    const offset = new Map<number, number>();
    for (const b of batches) {
      this.clock.advanceTo(b.time);
      for (const l of b.lost) this.traceDrop(l.env, l.reason);
      if (b.commands.length === 0) continue;
      const slot = b.slot!;
      const r = await outcome.get(slot.id)!;
      const from = offset.get(slot.id) ?? 0;
      offset.set(slot.id, from + b.commands.length);
      if (slot.runtime !== b.runtime || slot.status !== 'alive') {
        const reason = this.notRunningReason(slot);
        for (const env of b.delivered) this.dropLate(env, reason);
        for (const cb of b.callbacks)
          this.resolve(cb, { kind: 'error', message: `node ${slot.id} ${slot.status}`, logLines: [] });
        continue;
      }
      this.stats.batches++;
      for (const env of b.delivered) {
        this.stats.deliveries++;
        this.trace.push(this.now, 'deliver', slot.id, `#${env.id} ${describeMsgShort(env.msg)}`);
        if (env.msg.type === MsgSnap && r.status === 'fulfilled') this.reportSnapshotOutcome(env, false);
      }
      if (r.status === 'rejected') {
        this.events.deliver(this.now, slot.id, b.delivered, false);
        await this.panic(slot, r.reason);
        for (const cb of b.callbacks)
          this.resolve(cb, { kind: 'error', message: `node ${slot.id} panicked`, logLines: [] });
        continue;
      }
      this.absorb(slot, b.commands, r.value.slice(from, from + b.commands.length), b.callbacks, b.delivered);
    }
  }

  private async panic(slot: NodeSlot, reason: unknown): Promise<void> {
    const message = reason instanceof Error ? reason.message : String(reason);
    this.trace.push(this.now, 'panic', slot.id, message);
    this.events.panic(this.now, slot.id, message);
    this.hooks.onPanic?.(slot.id, message);
    if (slot.status === 'alive') {
      slot.panic = message;
      await this.stopRuntime(slot, 'crashed');
    }
  }

  /**
   * Merges one batch's results: disk writes, sends, applied entries, read states,
   * callbacks. delivered: the envelopes of its step command (events need them).
   */
  private absorb(
    slot: NodeSlot,
    commands: HostCommand[],
    results: HostResult[],
    callbacks: (Continuation | undefined)[],
    delivered: readonly Envelope[] = [],
    manual = false,
  ): void {
    for (let i = 0; i < commands.length; i++) {
      const cmd = commands[i]!;
      const res = results[i] ?? { kind: 'error', message: 'no result', logLines: [] };
      if (cmd.kind === 'tick') {
        this.stats.ticks += cmd.count;
        this.trace.push(this.now, 'tick', slot.id, `${cmd.count}`);
      } else if (cmd.kind !== 'step' && cmd.kind !== 'cycle' && cmd.kind !== 'observe') {
        this.trace.push(
          this.now,
          'command',
          slot.id,
          `${describeCommand(cmd)} -> ${res.kind === 'error' ? `error ${res.message}` : res.kind}`,
        );
      } else if (res.kind === 'error') {
        this.trace.push(this.now, 'command', slot.id, `${describeCommand(cmd)} -> error ${res.message}`);
      }
      if (cmd.kind === 'step') this.events.deliver(this.now, slot.id, delivered, manual, res);
      else this.events.command(this.now, slot.id, cmd, res);
      if (res.logLines.length > 0) {
        this.hooks.onLogLines?.(res.logLines);
        this.events.log(this.now, res.logLines);
      }
      if (res.kind === 'cycles') {
        this.absorbCycles(slot, res.records);
        if (cmd.kind === 'cycle' && res.records.length >= cmd.maxCycles) slot.needsCycle = true;
      }
      this.resolve(callbacks[i], res);
    }
  }

  /** Hands a queued command's result to whoever queued it. */
  private resolve(then: Continuation | undefined, r: HostResult): void {
    if (then !== undefined) this.hooks.onResult?.(then, r);
  }

  /** Merges a host's cycle records; each is replaced in `received` by its copy with the lazy text. */
  private absorbCycles(slot: NodeSlot, received: CycleRecord[]): void {
    for (let i = 0; i < received.length; i++) {
      const rec = withLazyText(received[i]!);
      received[i] = rec;
      this.stats.cycles++;
      this.stats.entries += rec.ready.entries.length + rec.ready.committedEntries.length;
      if (rec.persisted !== undefined) {
        slot.disk.apply(rec.persisted);
        const snap = rec.persisted.snapshot;
        if (snap !== undefined && snap.metadata.index > slot.applied) slot.applied = snap.metadata.index;
      }
      this.trace.push(this.now, 'cycle', slot.id, describeCycle(rec));
      this.events.cycle(this.now, slot.id, rec);
      for (const m of rec.sent) {
        const out = this.bus.send(m, this.now);
        if (out.dropped !== undefined) {
          this.trace.push(this.now, 'send', slot.id, `#${out.dropped.envelope.id} ${describeMsgShort(m)}`);
          this.events.send(this.now, out.dropped.envelope, false);
          this.traceDrop(out.dropped.envelope, out.dropped.reason);
        }
        for (const env of out.enqueued) {
          this.trace.push(
            this.now,
            'send',
            slot.id,
            `#${env.id} due=${env.dueTime}${env.duplicateOf !== undefined ? ` dup-of=${env.duplicateOf}` : ''} ${describeMsgShort(m)}`,
          );
          this.events.send(this.now, env, true);
        }
      }
      if (rec.applied.length > 0) {
        const last = rec.applied[rec.applied.length - 1]!.index;
        if (last > slot.applied) slot.applied = last;
        this.hooks.onApplied?.(slot.id, rec.applied);
      }
      if (rec.readStates.length > 0) this.hooks.onReadStates?.(slot.id, rec.readStates);
      this.events.cycleEnd(this.now, slot.id, rec);
      if (rec.logLines.length > 0) {
        this.hooks.onLogLines?.(rec.logLines);
        this.events.log(this.now, rec.logLines);
      }
      slot.lastCycle = rec;
      this.hooks.onCycle?.(slot.id, rec);
    }
  }

  // ---- commands outside the instant loop ----

  /** Queues a command for a node's next batch without waiting (its result goes to hooks.onResult with `then`). */
  enqueue(id: number, cmd: HostCommand, then?: Continuation): void {
    const s = this.slot(id);
    if (s.status !== 'alive' || s.runtime === undefined) {
      this.resolve(then, { kind: 'error', message: `node ${id} is not running (${s.status})`, logLines: [] });
      return;
    }
    if (this.mode === 'manual') {
      this.deferred.push(then === undefined ? { node: id, cmd } : { node: id, cmd, then });
      return;
    }
    s.queue.push(then === undefined ? { cmd } : { cmd, then });
  }

  /** Manual mode: runs the commands enqueued during the last action, one by one, in order. */
  async flushDeferred(): Promise<void> {
    while (this.deferred.length > 0) {
      const d = this.deferred.shift()!;
      const s = this.nodes.get(d.node);
      if (s === undefined || s.status !== 'alive' || s.runtime === undefined) {
        this.resolve(d.then, { kind: 'error', message: `node ${d.node} is not running`, logLines: [] });
        continue;
      }
      const [r] = await this.runNow(d.node, [d.cmd], false);
      this.resolve(d.then, r!);
    }
  }

  /**
   * Runs commands on one node immediately (a user-picked action), merging the results.
   * When owesCycle, the node gets a Ready cycle at the current instant (in auto modes).
   */
  async runNow(
    id: number,
    cmds: HostCommand[],
    owesCycle = this.mode !== 'manual',
    delivered: readonly Envelope[] = [],
  ): Promise<HostResult[]> {
    const s = this.slot(id);
    if (s.status !== 'alive' || s.runtime === undefined)
      throw new Error(`cluster: node ${id} is not running (${s.status})`);
    let results: HostResult[];
    try {
      results = await this.runOn(id, s.runtime, cmds);
    } catch (e) {
      if (delivered.length > 0) this.events.deliver(this.now, id, delivered, true);
      await this.panic(s, e);
      throw e;
    }
    this.stats.batches++;
    this.absorb(s, cmds, results, [], delivered, delivered.length > 0);
    if (owesCycle) s.needsCycle = true;
    return results;
  }

  /** Manual tick of one node (count ticks), outside its schedule. */
  async tickNode(id: number, count = 1): Promise<void> {
    await this.runNow(id, [{ kind: 'tick', count }]);
  }

  /** Delivers one message now, whatever its due time or hold. A message for a node not running is dropped. */
  async deliverMessage(msgId: number): Promise<void> {
    const env = this.bus.take(msgId);
    const s = this.nodes.get(env.to);
    this.trace.push(this.now, 'deliver', env.to, `#${env.id} manual ${describeMsgShort(env.msg)}`);
    this.stats.deliveries++;
    if (s === undefined || s.status !== 'alive' || s.runtime === undefined) {
      this.dropLate(env, s === undefined ? 'unknown-node' : s.status === 'removed' ? 'removed' : 'crashed');
      return;
    }
    await this.runNow(env.to, [{ kind: 'step', msgs: [env.msg] }], undefined, [env]);
    if (env.msg.type === MsgSnap) this.reportSnapshotOutcome(env, false);
  }

  /** Runs one stage of node id's Ready (manual mode's unit of work). */
  async runStage(id: number, stage: ReadyStage): Promise<CycleRecord | undefined> {
    const [r] = await this.runNow(id, [{ kind: 'stage', stage }], false);
    if (r?.kind === 'error') throw new Error(`cluster: node ${id}: ${r.message}`);
    return r?.kind === 'cycles' ? r.records[r.records.length - 1] : undefined;
  }

  /** Runs whole Ready cycles on node id until it has none (or maxCycles). */
  async runCycle(id: number, maxCycles = this.maxCycles): Promise<CycleRecord[]> {
    const [r] = await this.runNow(id, [{ kind: 'cycle', maxCycles }], false);
    return r?.kind === 'cycles' ? r.records : [];
  }

  /**
   * Every call that can change a host goes through here: it forgets the node's cached
   * observation. A host changes only when it runs commands, so a cached observation of
   * the same runtime stays exact until then.
   */
  private runOn(id: number, runtime: NodeRuntime, cmds: HostCommand[]): Promise<HostResult[]> {
    this.observed.delete(id);
    this.runs.set(id, (this.runs.get(id) ?? 0) + 1);
    return runtime.run(cmds);
  }

  /** Calls that could change each node, counted (an observation fetched across one is not cached). */
  private readonly runs = new Map<number, number>();

  /** The last observation of each node, with the runtime it came from. */
  private readonly observed = new Map<number, { runtime: NodeRuntime; observation: NodeObservation }>();

  /** Observations of every running node (ascending id): cached ones reused, the others fetched concurrently. */
  async observeAll(): Promise<Map<number, NodeObservation>> {
    const ids = this.ids().filter((id) => {
      const s = this.slot(id);
      return s.status === 'alive' && s.runtime !== undefined;
    });
    const got = await Promise.all(ids.map((id) => this.observe(id)));
    const out = new Map<number, NodeObservation>();
    ids.forEach((id, i) => {
      const o = got[i];
      if (o !== undefined) out.set(id, o);
    });
    return out;
  }

  /** A node's observation (undefined if it is not running); the same object while the node has not run since. */
  async observe(id: number): Promise<NodeObservation | undefined> {
    const s = this.slot(id);
    const rt = s.runtime;
    if (s.status !== 'alive' || rt === undefined) return undefined;
    const hit = this.observed.get(id);
    if (hit !== undefined && hit.runtime === rt) return hit.observation;
    const before = this.runs.get(id) ?? 0;
    const [r] = await rt.run([{ kind: 'observe' }]);
    if (r?.kind !== 'observation') return undefined;
    // Keep it only if nothing ran on the node meanwhile.
    if (s.runtime === rt && (this.runs.get(id) ?? 0) === before)
      this.observed.set(id, { runtime: rt, observation: r.observation });
    return r.observation;
  }
}

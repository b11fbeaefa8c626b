// The Cluster: the one façade the UI, the lessons, the tests and the fuzzer use.
//
// A cluster is (config, seed, user actions). Every public method that changes the run
// is an action: it is serialized behind the previous one, applied to the current
// "world" (scheduler + bus + client + faults), and appended to the recorder. Because
// the world is a deterministic function of (config, seed, actions), going back in time
// is rebuilding a fresh world and replaying a prefix of the actions (seek), a new
// branch is a seek that forgets the tail (fork), and a shared run is its action list
// (export / import).
//
// After each action, subscribers receive a ClusterObservation: plain data describing
// every node (alive, paused, crashed with its disk), the messages in flight, the
// client history, the last Ready cycle of each node and recent log lines.

import type { ConfChangeSingle, ConfChangeTransition } from '../raft/raftpb/types';
import { ConfChangeAddLearnerNode, ConfChangeAddNode } from '../raft/raftpb/types';
import { ReadOnlySafe, StateLeader, type StateType } from '../raft/types';
import { checkAction, type RecordedAction } from './actions';
import { Bus, type BusCounters, type Envelope, type LinkFaults, type LinkState } from './bus';
import { EnvelopeCopies, HistoryCopies } from './observationCopies';
import { Client, type ClientOp, type OpHandle } from './client';
import { tickIntervalFor } from './clock';
import { Disk } from './disk';
import { EventLog, type EventListener } from './eventLog';
import type { ClusterEvent, EventLogInfo } from './events';
import { Faults } from './faults';
import { decodeRunLink, type LinkedRun, type LinkView } from './runLink';
import type {
  BootInfo,
  CycleRecord,
  DiskState,
  LogLine,
  NodeConfig,
  NodeObservation,
  ReadyStage,
  RuntimeFactory,
} from './protocol';
import type { CheckpointPolicy, CheckpointStore, WorldImage, WorldParts } from './checkpoint';
import { fnv1a64 } from './fnv';
import type { HostImage } from './hostImage';
import { LogWindow } from './logWindow';
import { createRandom, restoreRandom } from './random';
import {
  Recorder,
  RunImportError,
  Trace,
  parseRun,
  runFormat,
  runFormatVersion,
  stringifyRun,
  type Action,
  type ActionKind,
  type ExportedRun,
  type SerializedConfig,
} from './recorder';
import { Scheduler, type DiskLike, type NodeStatus, type ScheduledEvent, type SchedulerMode } from './scheduler';
import { encodePut } from './stateMachines/kv';

/** Raft and host settings shared by every node (NodeConfig without id and seed). */
export type RaftSettings = Omit<NodeConfig, 'id' | 'seed'>;

/** raftexample's settings, with PreVote and CheckQuorum on as etcd's server runs them. */
export const defaultRaftSettings: RaftSettings = {
  electionTick: 10,
  heartbeatTick: 1,
  preVote: true,
  checkQuorum: true,
  readOnlyOption: ReadOnlySafe,
  maxSizePerMsg: 1024 * 1024,
  maxInflightMsgs: 256,
  maxUncommittedEntriesSize: 1 << 30,
  disableProposalForwarding: false,
  stepDownOnRemoval: true,
  snapCount: 10000,
  snapshotCatchUpEntries: 10000,
  stateMachine: 'kv',
};

export interface ClusterConfig {
  /** Initial voters, with ids 1..nodes. */
  nodes: number;
  seed: number;
  raft?: Partial<RaftSettings>;
  /** Global link settings (latency, jitter, loss, duplication, hold). */
  network?: Partial<LinkFaults>;
  /** Virtual time between two ticks of a node without skew (default 1). */
  tickInterval?: number;
  /** Per node id: clock skew (0.1 = ticks 10% slower). */
  skew?: Record<number, number>;
  mode?: SchedulerMode;
  /** How nodes are run: in-process, Web Workers, or Node worker_threads. */
  runtime: RuntimeFactory;
  /**
   * Where seeks and imports replay the past, when that is cheaper than `runtime`: the
   * in-process runtime, for a cluster whose nodes live in Web Workers, replays without a
   * thread hop per batch. The hosts move to `runtime` (their images, see hostImage.ts)
   * before the next action, or when toLiveRuntime() is called. Both must restore hosts.
   */
  replayRuntime?: RuntimeFactory;
  /** Keep at most this many trace events in memory (the hash covers all). Default: all. */
  keepEvents?: number;
  /**
   * When to take world checkpoints, which make seeking fast (see checkpoint.ts); false:
   * none (seeking replays from step 0). Runtimes that cannot restore hosts take none.
   */
  checkpoints?: Partial<CheckpointPolicy> | false;
  /** Keep at least this many typed events (ClusterEvent) in memory. Default 10,000. */
  keepClusterEvents?: number;
}

export interface DiskSummary {
  term: number;
  vote: number;
  commit: number;
  snapshotIndex: number;
  snapshotTerm: number;
  /** Index range of the entries on disk (after the snapshot); lastIndex = snapshotIndex when none. */
  firstIndex: number;
  lastIndex: number;
}

export interface ClusterNodeObservation {
  id: number;
  status: NodeStatus;
  paused: boolean;
  incarnation: number;
  /** Set when the node is crashed because its code threw (a raft panic, or its worker died): the error. */
  panic?: string;
  /** The host's observation (undefined unless the node is running). */
  observation: NodeObservation | undefined;
  disk: DiskSummary;
}

export interface ClusterObservation {
  time: number;
  /** Number of actions applied (the recorder's cursor). */
  step: number;
  mode: SchedulerMode;
  nodes: ClusterNodeObservation[];
  inFlight: Envelope[];
  links: LinkState[];
  history: ClientOp[];
  /** The most recent Ready cycle of each running node. */
  lastCycles: Record<number, CycleRecord>;
  /** Recent raft log lines, oldest first. */
  logLines: LogLine[];
  counters: BusCounters;
  upcoming: ScheduledEvent[];
  events: number;
  traceHash: string;
  /** Where the typed event log stands: read new events with Cluster.clusterEvents(fromSeq). */
  eventLog: EventLogInfo;
}

export type ClusterListener = (o: ClusterObservation) => void;

/** How a seek rebuilt its state. */
export interface SeekStats {
  step: number;
  /** Played on from the current world, restored from a checkpoint, or booted from the start. */
  from: 'current' | 'checkpoint' | 'start';
  /** The step it started from, and the actions it replayed from there. */
  base: number;
  replayed: number;
  /** Time to restore the checkpoint (or boot), and to replay (ms, wall clock). */
  baseMs: number;
  replayMs: number;
}

/** Derives a 32-bit seed for one purpose from the cluster seed. */
export function deriveSeed(seed: number, purpose: string): number {
  return Number.parseInt(fnv1a64(`${seed}:${purpose}`).slice(8), 16);
}

function diskSummary(d: Readonly<DiskState>): DiskSummary {
  const snap = d.snapshot.metadata;
  const first = d.entries[0]?.index ?? snap.index + 1;
  const last = d.entries[d.entries.length - 1]?.index ?? snap.index;
  return {
    term: d.hardState.term,
    vote: d.hardState.vote,
    commit: d.hardState.commit,
    snapshotIndex: snap.index,
    snapshotTerm: snap.term,
    firstIndex: first,
    lastIndex: last,
  };
}

/** Adapts disk.ts's Disk to what the scheduler needs. */
function makeDisk(initial?: DiskState): DiskLike {
  const disk = initial === undefined ? new Disk() : new Disk(initial);
  return {
    apply: (w) => disk.apply(w),
    snapshotState: () => disk.clone().state,
    peekState: () => disk.state,
    isEmpty: () => {
      const s = disk.state;
      return (
        s.entries.length === 0 && s.snapshot.metadata.index === 0 && s.hardState.term === 0 && s.hardState.commit === 0
      );
    },
  };
}

/** Everything that a replay rebuilds. */
class World {
  readonly trace: Trace;
  readonly bus: Bus;
  readonly sched: Scheduler;
  readonly client: Client;
  readonly faults: Faults;
  /** Recent raft log lines. */
  readonly log = new LogWindow();
  /** Latest role, leader and term each running node reported in its Ready cycles. */
  readonly roles = new Map<number, { raftState: StateType; lead: number; term: number }>();
  /** Work started during an action that must finish before the action returns. */
  background: Promise<unknown>[] = [];
  readonly settings: RaftSettings;

  constructor(readonly config: ClusterConfig) {
    this.settings = { ...defaultRaftSettings, ...config.raft };
    this.trace = new Trace(config.keepEvents ?? Infinity);
    this.bus = new Bus(createRandom(deriveSeed(config.seed, 'bus')), config.network ?? {});
    this.sched = new Scheduler({
      bus: this.bus,
      trace: this.trace,
      factory: config.runtime,
      makeDisk,
      mode: config.mode ?? 'play',
    });
    this.client = new Client(this.sched, {
      encodePut,
      onRemoved: (id) => {
        this.roles.delete(id);
        this.background.push(this.sched.remove(id));
      },
    });
    this.faults = new Faults(this.sched);
    this.sched.hooks = {
      onApplied: (n, e) => this.client.onApplied(n, e),
      onResult: (c, r) => this.client.resume(c, r),
      onReadStates: (n, rs) => this.client.onReadStates(n, rs),
      onCycle: (n, rec) => {
        const prev = this.roles.get(n) ?? { raftState: 0 as StateType, lead: 0, term: 0 };
        const ss = rec.ready.softState;
        const hs = rec.ready.hardState;
        this.roles.set(n, {
          raftState: ss?.raftState ?? prev.raftState,
          lead: ss?.lead ?? prev.lead,
          term: hs?.term ?? prev.term,
        });
        this.client.onCycle(n, rec);
      },
      onLogLines: (lines) => {
        this.log.push(lines);
      },
      onPanic: (n, message) => {
        this.roles.delete(n);
        this.client.onCrash(n);
        // The lines the node logged before it threw died with it: say why it stopped.
        this.log.note({ node: n, level: 'PANIC', text: message });
      },
    };
  }

  nodeConfig(id: number): NodeConfig {
    return { ...this.settings, id, seed: deriveSeed(this.config.seed, `node${id}`) };
  }

  tickInterval(id: number): number {
    return tickIntervalFor(this.config.tickInterval ?? 1, this.config.skew?.[id] ?? 0);
  }

  async boot(): Promise<void> {
    const n = this.config.nodes;
    if (!(Number.isInteger(n) && n >= 1)) throw new Error(`cluster: nodes must be a positive integer, got ${n}`);
    const voters = Array.from({ length: n }, (_, i) => i + 1);
    // Runtimes start concurrently; slots are registered in id order.
    const boots: BootInfo[] = voters.map((id) => ({ config: this.nodeConfig(id), voters, learners: [] }));
    for (const b of boots) await this.sched.startNode(b, this.tickInterval(b.config.id));
  }

  /** The running node that most recently claimed leadership at the highest term, or 0. */
  leader(): number {
    let best = 0;
    let bestTerm = -1;
    for (const id of this.sched.ids()) {
      const s = this.sched.slot(id);
      const r = this.roles.get(id);
      if (s.status !== 'alive' || r === undefined || r.raftState !== StateLeader) continue;
      if (r.term > bestTerm) {
        best = id;
        bestTerm = r.term;
      }
    }
    return best;
  }

  /** Where a client sends a request when it did not choose: the leader, else the lowest running node. */
  defaultTarget(): number {
    const l = this.leader();
    if (l !== 0) return l;
    for (const id of this.sched.ids()) if (this.sched.slot(id).status === 'alive') return id;
    throw new Error('cluster: no node is running');
  }

  nextNodeId(): number {
    const ids = this.sched.ids();
    return (ids[ids.length - 1] ?? 0) + 1;
  }

  /** Starts a node that joins an existing cluster (no peers; it learns the config from the leader). */
  async startJoining(id: number): Promise<void> {
    if (this.sched.nodes.has(id)) return;
    await this.sched.startNode({ config: this.nodeConfig(id), voters: [], learners: [] }, this.tickInterval(id));
  }

  async settle(): Promise<void> {
    await this.sched.flushDeferred();
    while (this.background.length > 0) {
      const b = this.background;
      this.background = [];
      await Promise.all(b);
    }
  }

  async dispose(): Promise<void> {
    await this.settle();
    await this.sched.shutdown();
  }

  // ---- checkpoints (see checkpoint.ts: every piece of state that changes must be here) ----

  async checkpoint(store: CheckpointStore, step: number): Promise<WorldImage> {
    if (this.background.length > 0) throw new Error('cluster: cannot checkpoint while work is under way');
    const sched = await this.sched.checkpoint(store);
    const hosts: [number, HostImage][] = [];
    for (const s of sched.slots) if (s.host !== undefined) hosts.push([s.id, s.host]);
    const parts: WorldParts = {
      sched: { ...sched, slots: sched.slots.map((s) => ({ ...s, host: undefined })) },
      bus: this.bus.checkpoint(),
      client: this.client.checkpoint(store.archive, step),
      roles: [...this.roles].map(([id, r]) => [id, { ...r }]),
    };
    return { main: store.packWorld(parts), hosts, trace: this.trace.checkpoint(), lines: this.log.checkpoint() };
  }

  /** A world in the state of a checkpoint of `step` (its hosts restored in fresh runtimes). */
  static async restore(config: ClusterConfig, img: WorldImage, step: number, store: CheckpointStore): Promise<World> {
    const parts = store.unpackWorld(img.main);
    const hosts = new Map(img.hosts);
    const w = new World(config);
    w.trace.restore(img.trace);
    w.log.restore(img.lines);
    w.bus.restore(parts.bus, restoreRandom(parts.bus.random));
    w.client.restore(parts.client, store.archive, step);
    await w.sched.restore(
      { ...parts.sched, slots: parts.sched.slots.map((s) => ({ ...s, host: hosts.get(s.id) })) },
      store,
    );
    for (const [id, r] of parts.roles) w.roles.set(id, r);
    return w;
  }
}

/** The config a seek or import replays with: on the replay runtime when there is a usable one. */
function replayConfig(c: ClusterConfig): ClusterConfig {
  const r = c.replayRuntime;
  if (r === undefined || r === c.runtime || r.restore === undefined || c.runtime.restore === undefined) return c;
  return { ...c, runtime: r };
}

/** A run's config (from a file or a link) with this cluster's own settings, which runs do not carry. */
function withLocalSettings(run: SerializedConfig, local: ClusterConfig): ClusterConfig {
  const config: ClusterConfig = { ...(run as Omit<ClusterConfig, 'runtime'>), runtime: local.runtime };
  if (local.replayRuntime !== undefined) config.replayRuntime = local.replayRuntime;
  if (local.keepEvents !== undefined) config.keepEvents = local.keepEvents;
  if (local.keepClusterEvents !== undefined) config.keepClusterEvents = local.keepClusterEvents;
  if (local.checkpoints !== undefined) config.checkpoints = local.checkpoints;
  return config;
}

/** Whether a cluster with this config takes world checkpoints. */
function checkpointsOn(c: ClusterConfig): boolean {
  return c.checkpoints !== false && c.runtime.restore !== undefined;
}

function newRecorder(c: ClusterConfig): Recorder {
  return new Recorder(c.checkpoints === false ? {} : c.checkpoints);
}

/** An optional recorded argument: null (left out) becomes undefined. */
function opt<T>(v: T | null | undefined): T | undefined {
  return v ?? undefined;
}

/** Applies one action to a world. The single place where actions mean something. */
async function dispatch(w: World, a: Action): Promise<{ result: string; value?: unknown }> {
  const s = w.sched;
  switch (a.kind) {
    case 'advance':
      await s.advance(a.args[0]);
      return { result: `t=${s.now}` };
    case 'runUntil':
      await s.runUntil(a.args[0]);
      return { result: `t=${s.now}` };
    case 'step': {
      const did = await s.step();
      return { result: did ? `t=${s.now}` : 'idle', value: did };
    }
    case 'tick':
      await s.tickNode(a.args[0], opt(a.args[1]) ?? 1);
      return { result: 'ok' };
    case 'deliver':
      await s.deliverMessage(a.args[0]);
      return { result: 'ok' };
    case 'drop': {
      const env = s.bus.drop(a.args[0]);
      s.traceDrop(env, 'manual');
      return { result: 'ok' };
    }
    case 'duplicate': {
      const env = s.bus.duplicate(a.args[0], s.now, opt(a.args[1]));
      s.trace.push(s.now, 'send', env.from, `#${env.id} due=${env.dueTime} dup-of=${env.duplicateOf} manual`);
      s.events.send(s.now, env, true, true);
      return { result: `#${env.id}`, value: env.id };
    }
    case 'reorder': {
      const env = s.bus.reorder(a.args[0], a.args[1], s.now);
      s.trace.push(s.now, 'fault', env.to, `reorder #${env.id} due=${env.dueTime}`);
      s.events.reorder(s.now, env);
      return { result: 'ok' };
    }
    case 'hold': {
      const env = s.bus.setHeld(a.args[0], a.args[1]);
      s.trace.push(s.now, 'fault', env.to, `${env.held ? 'hold' : 'release'} #${env.id}`);
      s.events.hold(s.now, env);
      return { result: 'ok' };
    }
    case 'runStage': {
      const id = a.args[0];
      let stage: ReadyStage | undefined = opt(a.args[1]);
      if (stage === undefined) {
        const o = await s.observe(id);
        stage = o?.pendingStages[0] ?? 'persist';
      }
      const rec = await s.runStage(id, stage);
      return { result: stage, value: rec };
    }
    case 'runCycle': {
      const recs = await s.runCycle(a.args[0]);
      return { result: `${recs.length} cycles`, value: recs };
    }
    case 'campaign':
      await s.runNow(a.args[0], [{ kind: 'campaign' }]);
      return { result: 'ok' };
    case 'put': {
      const [key, value, node, client] = a.args;
      const h = w.client.put(key, value, opt(node) ?? w.defaultTarget(), opt(client) ?? 'c1');
      return { result: `op${h.op.id}`, value: h };
    }
    case 'get': {
      const [key, node, o] = a.args;
      const h = await w.client.get(key, opt(node) ?? w.defaultTarget(), opt(o) ?? {});
      return { result: `op${h.op.id}`, value: h };
    }
    case 'addNode':
    case 'addLearner': {
      const id = opt(a.args[0]) ?? w.nextNodeId();
      const o = opt(a.args[1]) ?? {};
      await w.startJoining(id);
      const at = o.at ?? w.defaultTarget();
      const h = a.kind === 'addNode' ? w.client.addNode(id, at, o) : w.client.addLearner(id, at, o);
      return { result: `op${h.op.id} node ${id}`, value: h };
    }
    case 'promote':
    case 'removeNode': {
      const id = a.args[0];
      const o = opt(a.args[1]) ?? {};
      const at = o.at ?? w.defaultTarget();
      const h = a.kind === 'promote' ? w.client.promote(id, at, o) : w.client.removeNode(id, at, o);
      return { result: `op${h.op.id}`, value: h };
    }
    case 'changeMembership': {
      const changes = a.args[0] as ConfChangeSingle[];
      const o = opt(a.args[1]) ?? {};
      for (const c of changes)
        if ((c.type === ConfChangeAddNode || c.type === ConfChangeAddLearnerNode) && !s.nodes.has(c.nodeId))
          await w.startJoining(c.nodeId);
      const at = o.at ?? w.defaultTarget();
      const transition = o.transition as ConfChangeTransition | undefined;
      const h = w.client.changeMembership(changes, at, transition === undefined ? {} : { transition });
      return { result: `op${h.op.id}`, value: h };
    }
    case 'leaveJoint': {
      const h = w.client.leaveJoint(opt(a.args[0]) ?? w.defaultTarget());
      return { result: `op${h.op.id}`, value: h };
    }
    case 'transferLeadership': {
      const h = w.client.transferLeadership(a.args[0], opt(a.args[1]) ?? w.defaultTarget());
      return { result: `op${h.op.id}`, value: h };
    }
    case 'compact': {
      const h = w.client.compact(a.args[0], opt(a.args[1]) ?? w.defaultTarget());
      return { result: `op${h.op.id}`, value: h };
    }
    case 'crash':
      w.client.onCrash(a.args[0]);
      w.roles.delete(a.args[0]);
      await w.faults.crash(a.args[0]);
      return { result: 'ok' };
    case 'restart':
      await w.faults.restart(a.args[0]);
      return { result: 'ok' };
    case 'pause':
      w.faults.pause(a.args[0]);
      return { result: 'ok' };
    case 'resume':
      w.faults.resume(a.args[0]);
      return { result: 'ok' };
    case 'partition':
      w.faults.partition(a.args[0]);
      return { result: 'ok' };
    case 'heal':
      w.faults.heal();
      return { result: 'ok' };
    case 'cut':
      w.faults.cut(a.args[0], a.args[1], opt(a.args[2]) ?? {});
      return { result: 'ok' };
    case 'setLinkFaults': {
      const [from, to, faults] = a.args;
      if (from === null || to === null) w.faults.clearLinkFaults();
      else w.faults.setLinkFaults(from, to, opt(faults) ?? {});
      return { result: 'ok' };
    }
    case 'setGlobalFaults':
      w.faults.setGlobalFaults(a.args[0]);
      return { result: 'ok' };
    case 'setMode':
      s.mode = a.args[0];
      s.trace.push(s.now, 'action', 0, `mode ${s.mode}`);
      return { result: 'ok' };
    default: {
      const never: never = a;
      throw new Error(`cluster: unknown action ${JSON.stringify(never)}`);
    }
  }
}

function serializeConfig(c: ClusterConfig): SerializedConfig {
  const out: SerializedConfig = { nodes: c.nodes, seed: c.seed };
  if (c.raft !== undefined) out.raft = { ...c.raft };
  if (c.network !== undefined) out.network = { ...c.network };
  if (c.tickInterval !== undefined) out.tickInterval = c.tickInterval;
  if (c.skew !== undefined) out.skew = Object.fromEntries(Object.entries(c.skew).map(([k, v]) => [k, v]));
  if (c.mode !== undefined) out.mode = c.mode;
  return out;
}

export class Cluster {
  private world: World;
  private config: ClusterConfig;
  /** The typed events of the current branch, per step (outlives worlds: see eventLog.ts). */
  private log: EventLog;
  recorder: Recorder;
  private readonly listeners = new Set<ClusterListener>();
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(config: ClusterConfig, world: World, log: EventLog) {
    this.config = config;
    this.world = world;
    this.recorder = newRecorder(config);
    this.log = log;
  }

  /** Builds and boots a cluster of config.nodes voters. */
  static async create(config: ClusterConfig): Promise<Cluster> {
    const w = new World(config);
    const log = new EventLog(config.keepClusterEvents);
    try {
      await w.boot();
      log.add(0, w.sched.events.drain());
    } catch (e) {
      await w.dispose().catch(() => undefined);
      throw e;
    }
    return new Cluster(config, w, log);
  }

  // ---- plumbing ----

  /** Runs fn after every earlier call finished (one action at a time). */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  /**
   * Records and applies one action. The arguments are normalised as they have always
   * been recorded (undefined becomes null, trailing nulls are dropped), then checked
   * against the action's schema (actions.ts): a malformed call is refused before it
   * touches the run, with a sentence naming the argument.
   */
  private act<T = unknown>(kind: ActionKind, args: readonly unknown[]): Promise<T> {
    return this.exclusive(async () => {
      const raw = args.map((x) => (x === undefined ? null : x));
      // Trailing nulls carry no meaning; keep recorded args short.
      while (raw.length > 0 && raw[raw.length - 1] === null) raw.pop();
      const checked = checkAction(kind, raw);
      if (!checked.ok) throw new Error(`cluster: ${checked.error}`);
      const a = checked.action;
      await this.live();
      const w = this.world;
      // Acting after a seek back starts a new branch: the old branch's later events go.
      const step = this.recorder.cursor + 1;
      this.log.truncateAfter(step - 1);
      w.trace.push(w.sched.now, 'action', 0, `${kind} ${JSON.stringify(a.args)}`);
      const actionEvent = w.sched.events.action(w.sched.now, kind, a.args);
      let r: { result: string; value?: unknown };
      try {
        r = await dispatch(w, a);
        await w.settle();
      } catch (e) {
        // A refused action is still part of the run (it may have left a trace line);
        // it is recorded as such, and a replay expects it to fail again.
        const result = `error: ${(e as Error).message}`;
        w.trace.push(w.sched.now, 'action', 0, result);
        if (actionEvent !== undefined) actionEvent.error = (e as Error).message;
        this.log.add(step, w.sched.events.drain());
        this.recorder.record(a, w.sched.now, result, {
          time: w.sched.now,
          events: w.trace.length,
          traceHash: w.trace.hash(),
        });
        throw e;
      }
      this.log.add(step, w.sched.events.drain());
      this.recorder.record(a, w.sched.now, r.result, {
        time: w.sched.now,
        events: w.trace.length,
        traceHash: w.trace.hash(),
      });
      await this.maybeCheckpoint(w, this.recorder);
      await this.emit();
      return r.value as T;
    });
  }

  /** Whether the hosts run on the replay runtime (after a seek or an import) rather than the live one. */
  get onReplayRuntime(): boolean {
    return this.world.sched.runtimeFactory !== this.config.runtime;
  }

  /** Moves the hosts to the live runtime if a replay left them on the replay runtime. */
  private async live(): Promise<void> {
    if (this.onReplayRuntime) await this.world.sched.moveTo(this.config.runtime, this.recorder.store.table);
  }

  /**
   * Moves the hosts from the replay runtime (where a seek or an import left them) to
   * the live one now, rather than before the next action (a UI calls it once the user
   * has stopped scrubbing). Does nothing when they are there already.
   */
  toLiveRuntime(): Promise<void> {
    return this.exclusive(() => this.live());
  }

  /** Takes a world checkpoint if the policy says one is due at the recorder's cursor. */
  private async maybeCheckpoint(w: World, rec: Recorder): Promise<void> {
    const store = rec.store;
    const work = w.sched.stats.entries;
    if (!checkpointsOn(this.config) || !store.due(rec.cursor, w.trace.length, work, w.sched.largestLastCycle())) return;
    store.add(rec.cursor, w.trace.length, work, await w.checkpoint(store, rec.cursor));
  }

  private async emit(): Promise<void> {
    if (this.listeners.size === 0) return;
    const o = await this.buildObservation();
    for (const l of this.listeners) l(o);
  }

  /** Receives an observation after every action (and once now). Returns the unsubscribe function. */
  subscribe(listener: ClusterListener): () => void {
    this.listeners.add(listener);
    void this.exclusive(async () => listener(await this.buildObservation()));
    return () => this.listeners.delete(listener);
  }

  /** The current observation. */
  observe(): Promise<ClusterObservation> {
    return this.exclusive(() => this.buildObservation());
  }

  private async buildObservation(): Promise<ClusterObservation> {
    const w = this.world;
    const s = w.sched;
    const obs = await s.observeAll();
    const ids = s.ids();
    const lastCycles: Record<number, CycleRecord> = {};
    for (const id of ids) {
      const lc = s.slot(id).lastCycle;
      if (lc !== undefined) lastCycles[id] = lc;
    }
    return {
      time: s.now,
      step: this.recorder.cursor,
      mode: s.mode,
      nodes: ids.map((id) => {
        const slot = s.slot(id);
        return {
          id,
          status: slot.status,
          paused: slot.paused,
          incarnation: slot.incarnation,
          ...(slot.panic === undefined ? {} : { panic: slot.panic }),
          observation: obs.get(id),
          disk: diskSummary(slot.disk.peekState()),
        };
      }),
      inFlight: this.envelopeCopies.view(s.bus.inFlight()),
      links: s.bus.links(ids),
      history: this.historyCopies.view(w.client.history),
      lastCycles,
      logLines: [...w.log.lines],
      counters: { ...s.bus.counters, sentByType: { ...s.bus.counters.sentByType } },
      upcoming: s.upcoming(),
      events: w.trace.length,
      traceHash: w.trace.hash(),
      eventLog: this.log.info(),
    };
  }

  /** What observations hand out of the envelopes and the history (see observationCopies.ts). */
  private readonly envelopeCopies = new EnvelopeCopies();
  private readonly historyCopies = new HistoryCopies();

  // ---- queries (no action) ----

  get time(): number {
    return this.world.sched.now;
  }
  get mode(): SchedulerMode {
    return this.world.sched.mode;
  }
  /** Number of actions applied so far (the step that seek/fork take). */
  get currentStep(): number {
    return this.recorder.cursor;
  }
  get history(): readonly ClientOp[] {
    return this.world.client.history;
  }
  get counters(): BusCounters {
    return this.world.bus.counters;
  }
  get stats(): Scheduler['stats'] {
    return this.world.sched.stats;
  }
  /** The trace events kept in memory. */
  get events(): readonly import('./recorder').TraceEvent[] {
    return this.world.trace.events;
  }

  // ---- the typed event stream (events.ts, eventLog.ts) ----

  /** The typed events of this branch with seq >= fromSeq that are still kept (oldest first). */
  clusterEvents(fromSeq = 0): ClusterEvent[] {
    return this.log.since(fromSeq);
  }
  /** The typed events of one step (those produced by action step-1; step 0: the boot). */
  eventsOfStep(step: number): ClusterEvent[] {
    return this.log.ofStep(step);
  }
  /** The kept event with this seq. */
  clusterEvent(seq: number): ClusterEvent | undefined {
    return this.log.get(seq);
  }
  eventLogInfo(): EventLogInfo {
    return this.log.info();
  }
  /**
   * Calls listener with every change of the event log (after each action; on a new
   * branch; on an import): drop what you hold from `from` on, then append `events`.
   * With fromSeq, it is first called at once with the kept events from there.
   */
  subscribeEvents(listener: EventListener, fromSeq?: number): () => void {
    return this.log.subscribe(listener, fromSeq);
  }
  get eventCount(): number {
    return this.world.trace.length;
  }
  traceHash(): string {
    return this.world.trace.hash();
  }
  inFlight(): Envelope[] {
    return this.world.bus.inFlight();
  }
  nodeIds(): number[] {
    return this.world.sched.ids();
  }
  nodeStatus(id: number): { status: NodeStatus; paused: boolean; applied: number } {
    const s = this.world.sched.slot(id);
    return { status: s.status, paused: s.paused, applied: s.applied };
  }
  /** The running node that last claimed leadership at the highest term (0: none known). */
  leader(): number {
    return this.world.leader();
  }
  /** Observation of one running node (undefined if it is not running). */
  observeNode(id: number): Promise<NodeObservation | undefined> {
    return this.exclusive(() => this.world.sched.observe(id));
  }
  /** The node's durable state (a copy). */
  disk(id: number): DiskState {
    return this.world.sched.slot(id).disk.snapshotState();
  }
  /**
   * The term of the entry at index on node id's disk, without copying the disk: the
   * snapshot's term at its index, undefined when the disk has no entry there.
   */
  diskEntryTerm(id: number, index: number): number | undefined {
    const d = this.world.sched.slot(id).disk.peekState();
    const snap = d.snapshot.metadata;
    if (index === snap.index && index > 0) return snap.term;
    const first = d.entries[0]?.index;
    if (first === undefined || index < first) return undefined;
    return d.entries[index - first]?.term;
  }
  upcoming(limit?: number): ScheduledEvent[] {
    return this.world.sched.upcoming(limit);
  }

  // ---- time ----

  /** Runs every event of the next `ticks` of virtual time. */
  advance(ticks: number): Promise<void> {
    return this.act('advance', [ticks]);
  }
  runUntil(t: number): Promise<void> {
    return this.act('runUntil', [t]);
  }
  /** Exactly one event (one node's work at the next instant). Resolves false when nothing is scheduled. */
  step(): Promise<boolean> {
    return this.act('step', []);
  }
  setMode(mode: SchedulerMode): Promise<void> {
    return this.act('setMode', [mode]);
  }

  // ---- manual actions ----

  tick(node: number, count = 1): Promise<void> {
    return this.act('tick', [node, count]);
  }
  deliver(msgId: number): Promise<void> {
    return this.act('deliver', [msgId]);
  }
  drop(msgId: number): Promise<void> {
    return this.act('drop', [msgId]);
  }
  /** Copies a message in flight; returns the copy's id. */
  duplicate(msgId: number, dueTime?: number): Promise<number> {
    return this.act('duplicate', [msgId, dueTime]);
  }
  reorder(msgId: number, dueTime: number): Promise<void> {
    return this.act('reorder', [msgId, dueTime]);
  }
  hold(msgId: number, held = true): Promise<void> {
    return this.act('hold', [msgId, held]);
  }
  /** Runs one stage of node's Ready (default: the next one). */
  runStage(node: number, stage?: ReadyStage): Promise<CycleRecord | undefined> {
    return this.act('runStage', [node, stage]);
  }
  runCycle(node: number): Promise<CycleRecord[]> {
    return this.act('runCycle', [node]);
  }
  campaign(node: number): Promise<void> {
    return this.act('campaign', [node]);
  }

  // ---- client ----

  put(key: string, value: string, opts: { node?: number; client?: string } = {}): Promise<OpHandle> {
    return this.act('put', [key, value, opts.node, opts.client]);
  }
  get(key: string, opts: { node?: number; linearizable?: boolean; client?: string } = {}): Promise<OpHandle> {
    const o: { linearizable?: boolean; client?: string } = {};
    if (opts.linearizable !== undefined) o.linearizable = opts.linearizable;
    if (opts.client !== undefined) o.client = opts.client;
    return this.act('get', [key, opts.node, o]);
  }
  /** Starts node `id` (default: next free id) joining, and proposes adding it as a voter. */
  addNode(id?: number, opts: { at?: number; v2?: boolean } = {}): Promise<OpHandle> {
    return this.act('addNode', [id, { ...opts }]);
  }
  addLearner(id?: number, opts: { at?: number; v2?: boolean } = {}): Promise<OpHandle> {
    return this.act('addLearner', [id, { ...opts }]);
  }
  promote(id: number, opts: { at?: number; v2?: boolean } = {}): Promise<OpHandle> {
    return this.act('promote', [id, { ...opts }]);
  }
  /** Proposes removing node id; once applied at the proposer, the node is shut down. */
  removeNode(id: number, opts: { at?: number; v2?: boolean } = {}): Promise<OpHandle> {
    return this.act('removeNode', [id, { ...opts }]);
  }
  /** Several changes at once (ConfChangeV2, joint consensus). Nodes being added are started. */
  changeMembership(
    changes: ConfChangeSingle[],
    opts: { at?: number; transition?: ConfChangeTransition } = {},
  ): Promise<OpHandle> {
    return this.act('changeMembership', [changes.map((c) => ({ type: c.type, nodeId: c.nodeId })), { ...opts }]);
  }
  leaveJoint(opts: { at?: number } = {}): Promise<OpHandle> {
    return this.act('leaveJoint', [opts.at]);
  }
  transferLeadership(to: number, opts: { at?: number } = {}): Promise<OpHandle> {
    return this.act('transferLeadership', [to, opts.at]);
  }
  compact(index: number, opts: { node?: number } = {}): Promise<OpHandle> {
    return this.act('compact', [index, opts.node]);
  }

  // ---- faults ----

  crash(id: number): Promise<void> {
    return this.act('crash', [id]);
  }
  restart(id: number): Promise<void> {
    return this.act('restart', [id]);
  }
  pause(id: number): Promise<void> {
    return this.act('pause', [id]);
  }
  resume(id: number): Promise<void> {
    return this.act('resume', [id]);
  }
  partition(groups: number[][]): Promise<void> {
    return this.act('partition', [groups]);
  }
  heal(): Promise<void> {
    return this.act('heal', []);
  }
  cut(from: number, to: number, opts: { oneWay?: boolean; up?: boolean } = {}): Promise<void> {
    return this.act('cut', [from, to, { ...opts }]);
  }
  /** Settings of one directed link; setLinkFaults(null, null) clears every link's own settings. */
  setLinkFaults(from: number | null, to: number | null, faults: Partial<LinkFaults> = {}): Promise<void> {
    return this.act('setLinkFaults', [from, to, { ...faults }]);
  }
  setGlobalFaults(faults: Partial<LinkFaults>): Promise<void> {
    return this.act('setGlobalFaults', [{ ...faults }]);
  }

  // ---- time travel ----

  /**
   * Applies recorded actions [from, to) to a world, as they were recorded: an action
   * recorded as failed must fail again, and the others must succeed. Takes the
   * checkpoints the policy asks for on the way (into rec's store). Throws on a mismatch.
   * Events of steps the log already holds are not built again (the sink is off while
   * those replay); steps it lacks (an import) are added.
   */
  private async play(
    w: World,
    actions: readonly (Action & { result?: string })[],
    from: number,
    to: number,
    rec: Recorder | undefined,
    log: EventLog,
    /** Called after each action with what the recorder would have kept of it. */
    onAction?: (i: number, w: World, rec: RecordedAction) => void,
  ): Promise<void> {
    const sink = w.sched.events;
    try {
      for (let i = from; i < to; i++) {
        const a = actions[i]!;
        sink.enabled = i + 1 > log.lastStep;
        w.trace.push(w.sched.now, 'action', 0, `${a.kind} ${JSON.stringify(a.args)}`);
        const actionEvent = sink.action(w.sched.now, a.kind, a.args);
        const failed = a.result?.startsWith('error: ') ?? false;
        let result: string;
        let threw = false;
        try {
          result = (await dispatch(w, a)).result;
          await w.settle();
        } catch (e) {
          if (!failed) throw new Error(`action ${i} (${a.kind}) failed: ${(e as Error).message}`, { cause: e });
          result = `error: ${(e as Error).message}`;
          w.trace.push(w.sched.now, 'action', 0, result);
          if (actionEvent !== undefined) actionEvent.error = (e as Error).message;
          threw = true;
        }
        if (failed && !threw) throw new Error(`action ${i} (${a.kind}) succeeded but was recorded as failed`);
        log.add(i + 1, sink.drain());
        onAction?.(i, w, { kind: a.kind, args: a.args, index: i, time: w.sched.now, result } as RecordedAction);
        if (rec !== undefined && checkpointsOn(this.config)) {
          const store = rec.store;
          const work = w.sched.stats.entries;
          if (store.due(i + 1, w.trace.length, work, w.sched.largestLastCycle()))
            store.add(i + 1, w.trace.length, work, await w.checkpoint(store, i + 1));
        }
      }
    } finally {
      sink.enabled = true;
    }
  }

  /**
   * A world at the latest checkpoint at or before `step` (else booted fresh), and the
   * step it is at. Throws (changing nothing) if that fails.
   */
  private async base(
    config: ClusterConfig,
    rec: Recorder,
    log: EventLog,
    step: number,
  ): Promise<{ w: World; at: number }> {
    // A restored world's event sink starts empty, like a fresh one: the sink keeps
    // nothing a run depends on (eventSink.ts), and the events of the steps before the
    // checkpoint are in the log.
    const cp = checkpointsOn(config) ? rec.store.latest(step) : undefined;
    const on = replayConfig(config);
    if (cp !== undefined) return { w: await World.restore(on, cp.world, cp.step, rec.store), at: cp.step };
    const w = new World(on);
    const sink = w.sched.events;
    try {
      sink.enabled = log.lastStep < 0;
      await w.boot();
      log.add(0, sink.drain());
      sink.enabled = true;
    } catch (e) {
      await w.dispose().catch(() => undefined);
      throw e;
    }
    return { w, at: 0 };
  }

  /**
   * A world at `step` of the recorded actions (`actions`, by default rec's): base()
   * played forward. Throws (changing nothing) if that fails.
   */
  private async rebuild(
    config: ClusterConfig,
    rec: Recorder,
    log: EventLog,
    step: number,
    actions: readonly (Action & { result?: string })[] = rec.actions,
    onAction?: (i: number, w: World, rec: RecordedAction) => void,
  ): Promise<World> {
    const { w, at } = await this.base(config, rec, log, step);
    try {
      await this.play(w, actions, at, step, rec, log, onAction);
    } catch (e) {
      await w.dispose().catch(() => undefined);
      throw e;
    }
    return w;
  }

  private async swap(w: World): Promise<void> {
    const old = this.world;
    this.world = w;
    await old.dispose();
  }

  /**
   * Brings the world to `step`: when it lies ahead of the current step and no
   * checkpoint is closer, the current world plays forward; otherwise the latest
   * checkpoint at or before it is restored (or a fresh world booted) and played forward.
   */
  private async goTo(step: number): Promise<void> {
    const rec = this.recorder;
    if (!(Number.isInteger(step) && step >= 0 && step <= rec.actions.length))
      throw new Error(`cluster: cannot seek to step ${step} (0..${rec.actions.length})`);
    const t0 = performance.now();
    const from = rec.cursor;
    const cp = checkpointsOn(this.config) ? rec.store.latest(step) : undefined;
    const stats: SeekStats = { step, from: 'current', base: from, replayed: step - from, baseMs: 0, replayMs: 0 };
    if (from <= step && from >= (cp?.step ?? 0)) {
      try {
        await this.play(this.world, rec.actions, from, step, rec, this.log);
      } catch (e) {
        // The current world is half-way: put it back where it was, then report.
        const back = await this.rebuild(this.config, rec, this.log, from);
        await this.swap(back);
        throw e;
      }
    } else {
      const { w, at } = await this.base(this.config, rec, this.log, step);
      stats.from = at === 0 && cp === undefined ? 'start' : 'checkpoint';
      stats.base = at;
      stats.replayed = step - at;
      stats.baseMs = performance.now() - t0;
      try {
        await this.play(w, rec.actions, at, step, rec, this.log);
      } catch (e) {
        await w.dispose().catch(() => undefined);
        throw e;
      }
      await this.swap(w);
    }
    stats.replayMs = performance.now() - t0 - stats.baseMs;
    rec.cursor = step;
    this.lastSeek = stats;
  }

  /** How the last seek or fork rebuilt its state (for benchmarks and the curious). */
  lastSeek: SeekStats | undefined;

  /** Rebuilds the state after `step` actions (0 = just created). Later actions are kept: seek forward works too. */
  seek(step: number): Promise<void> {
    return this.exclusive(async () => {
      await this.goTo(step);
      await this.emit();
    });
  }

  /** Seeks to `step` and starts a new branch there (the old tail is kept in recorder.branches). */
  fork(step: number): Promise<number> {
    return this.exclusive(async () => {
      if (!(Number.isInteger(step) && step >= 0 && step <= this.recorder.actions.length))
        throw new Error(`cluster: cannot fork at step ${step} (0..${this.recorder.actions.length})`);
      await this.goTo(step);
      const branch = this.recorder.fork(step);
      this.log.truncateAfter(step);
      await this.emit();
      return branch;
    });
  }

  /**
   * Forgets every checkpoint, freeing their memory; seeking then replays from the start
   * until the policy takes new ones. (Benchmarks use it to weigh what checkpoints hold.)
   */
  dropCheckpoints(): Promise<void> {
    return this.exclusive(async () => {
      this.recorder.store.clear();
      this.world.trace.forgetSegments();
      this.world.log.forgetSegments();
      this.world.client.markAllChanged();
    });
  }

  /** The run so far (up to the current step) as a JSON-ready object. */
  exportRun(): ExportedRun {
    const w = this.world;
    const c = w.bus.counters;
    const history = w.client.history;
    return {
      format: runFormat,
      version: runFormatVersion,
      config: serializeConfig(this.config),
      seed: this.config.seed,
      actions: this.recorder.actions.slice(0, this.recorder.cursor).map((a) => ({ ...a })),
      summary: {
        time: w.sched.now,
        events: w.trace.length,
        traceHash: w.trace.hash(),
        counts: {
          sent: c.sent,
          delivered: c.delivered,
          dropped: c.dropped,
          ops: history.length,
          opsOk: history.filter((o) => o.status === 'ok').length,
        },
      },
    };
  }

  /** exportRun as text. */
  exportRunJson(): string {
    return stringifyRun(this.exportRun());
  }

  /**
   * Replaces this run with an imported one (text or parsed JSON), replayed with this
   * cluster's runtime. Throws RunImportError on a malformed file or a replay that does
   * not reproduce the file's trace hash; then nothing is changed.
   */
  importRun(input: string | unknown): Promise<void> {
    return this.exclusive(async () => {
      const run = parseRun(input);
      const config = withLocalSettings(run.config, this.config);
      // A new recorder: the replay fills its checkpoints, so seeking in the imported run is fast.
      const rec = newRecorder(config);
      rec.actions = run.actions.map((a) => ({ ...a }));
      let w: World;
      const log = new EventLog(config.keepClusterEvents);
      try {
        w = await this.rebuild(config, rec, log, run.actions.length);
      } catch (e) {
        throw new RunImportError(`import: replay failed: ${(e as Error).message}`, { cause: e });
      }
      if (w.trace.hash() !== run.summary.traceHash) {
        await w.dispose();
        throw new RunImportError(
          `import: replay diverged (trace hash ${w.trace.hash()}, the file says ${run.summary.traceHash})`,
        );
      }
      await this.swap(w);
      this.config = config;
      log.replace(this.log);
      this.log = log;
      rec.cursor = rec.actions.length;
      rec.checkpoints = [
        { actionIndex: rec.cursor, time: w.sched.now, events: w.trace.length, traceHash: w.trace.hash() },
      ];
      this.recorder = rec;
      await this.emit();
    });
  }

  /**
   * The run as a link carries it (runLink.ts): every action of the current branch
   * (also those after the current step, after a seek back), the current step and the
   * trace hash there, and the given view.
   */
  linkedRun(view: LinkView = {}): LinkedRun {
    const r = this.recorder;
    return {
      config: serializeConfig(this.config),
      actions: r.actions.map((a) => {
        const plain = { kind: a.kind, args: a.args } as Action;
        return a.result.startsWith('error: ') ? { ...plain, failed: true } : plain;
      }),
      step: r.cursor,
      traceHash: this.world.trace.hash(),
      view,
    };
  }

  /**
   * Replaces this run with a linked one (the value of a link's run parameter, or an
   * already decoded LinkedRun): every action is replayed with this cluster's runtime,
   * the trace hash at the link's step must be the link's, and the run then stands at
   * that step with the later actions ahead of it (seek forward replays them). Throws
   * RunImportError, changing nothing, on a malformed link or a replay that differs.
   */
  openLink(link: string | LinkedRun): Promise<LinkView> {
    return this.exclusive(async () => {
      const run = typeof link === 'string' ? decodeRunLink(link) : link;
      const config = withLocalSettings(run.config, this.config);
      const actions = run.actions.map((a) => (a.failed === true ? { ...a, result: 'error: ' } : a));
      const recorded: RecordedAction[] = [];
      // A new recorder: the first replay fills its checkpoints, so the second one (and
      // seeking in the linked run) starts from the latest checkpoint instead of step 0.
      const rec = newRecorder(config);
      const log = new EventLog(config.keepClusterEvents);
      let w: World;
      try {
        // The whole branch once (the times and results the recorder keeps), then, when
        // the link opens earlier than its end, the prefix up to its step.
        w = await this.rebuild(config, rec, log, actions.length, actions, (_i, _w, r) => recorded.push(r));
        if (run.step < actions.length) {
          await w.dispose();
          w = await this.rebuild(config, rec, log, run.step, actions);
        }
      } catch (e) {
        throw new RunImportError(`run link: replay failed: ${(e as Error).message}`, { cause: e });
      }
      if (w.trace.hash() !== run.traceHash) {
        const got = w.trace.hash();
        await w.dispose();
        throw new RunImportError(
          `run link: the replay differs from the run that was shared (trace hash ${got} at step ${run.step}, the link says ${run.traceHash})`,
        );
      }
      await this.swap(w);
      this.config = config;
      log.replace(this.log);
      this.log = log;
      rec.actions = recorded;
      rec.cursor = run.step;
      rec.checkpoints = [
        { actionIndex: rec.cursor, time: w.sched.now, events: w.trace.length, traceHash: w.trace.hash() },
      ];
      this.recorder = rec;
      await this.emit();
      return run.view;
    });
  }

  /** Terminates every node runtime. */
  dispose(): Promise<void> {
    return this.exclusive(() => this.world.dispose());
  }
}

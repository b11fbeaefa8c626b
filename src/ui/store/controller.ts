// The controller: the only UI module that holds the Cluster.
//
// It builds the cluster from the settings slice (one Web Worker per node by default;
// in-process when workers are unavailable or fail, with a visible notice), feeds every
// observation into the store, runs the play loop, and exposes every user action as a
// method. Every action is caught: a failure becomes an error notice and the session
// goes on. Components call these methods; they never talk to the cluster themselves.
//
// The play loop: while playing, each animation frame moves the display clock
// (playback.virtualTime) forward by speed x elapsed wall time. Between cluster events
// nothing changes but message positions, so the loop asks the cluster to run only
// when the display clock reaches the next scheduled event (observation.upcoming[0]);
// then it calls runUntil(target) and holds the clock until that action returns. So a
// paused cluster records no actions, and a playing one records one per burst of events.

import { quantize, type Envelope, type LinkFaults } from '../../cluster/bus';
import type { OpHandle } from '../../cluster/client';
import { Cluster, type ClusterConfig, type RaftSettings } from '../../cluster/cluster';
import type { ClusterObservation } from '../../cluster/cluster';
import type { CycleRecord, DiskState, ReadyStage, RuntimeFactory } from '../../cluster/protocol';
import type { RecordedAction } from '../../cluster/recorder';
import { inProcessRuntime } from '../../cluster/runtime/inProcess';
import { runLinkUrl, type LinkView } from '../../cluster/runLink';
import type { SchedulerMode } from '../../cluster/scheduler';
import type { ConfChangeSingle, ConfChangeTransition } from '../../raft/raftpb/types';
import { ReadOnlyLeaseBased, ReadOnlySafe } from '../../raft/types';
import {
  addPending,
  applyObservation,
  pushNotice,
  selectNodeId,
  setActivePanel,
  setClusterStatus,
  setMode as setModeInStore,
  setPlaying,
  setSpeed as setSpeedInStore,
  setVirtualTime,
  updateSettings,
} from './actions';
import type { ClusterSettings, RuntimeKind } from './state';
import { getState } from './store';
import { newPanics } from './panics';

export interface ControllerStartOptions {
  /** Where nodes run; default 'worker' (falls back to 'in-process' if workers fail). */
  runtime?: RuntimeKind;
  /** Start playing once the cluster is up (default true). */
  autoplay?: boolean;
  /** Overrides of the settings slice applied before the first build. */
  settings?: Partial<ClusterSettings>;
}

/** How long the first worker boot may take before the controller falls back to in-process. */
const workerBootTimeoutMs = 15_000;
/**
 * A seek or an import replays on the main thread (ClusterConfig.replayRuntime); the
 * nodes go back to their workers once the user has not sought for this long, so
 * scrubbing the timeline never waits for them.
 */
const backToWorkersMs = 300;
/** Longest virtual-time jump per frame, so a stalled tab does not fast-forward minutes at once. */
const maxFrameSeconds = 0.25;

function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/**
 * When a message must fall due to arrive after every other message now on its link
 * (same sender and receiver): one tick after the latest of them, or one tick later than
 * its own due time if it is alone there. Throws if it is no longer on the wire.
 */
export function backOfLinkDue(msgId: number, inFlight: readonly Envelope[]): number {
  const env = inFlight.find((e) => e.id === msgId);
  if (env === undefined) throw new Error(`message ${msgId} is no longer on the wire`);
  let last = env.dueTime;
  for (const e of inFlight) if (e.from === env.from && e.to === env.to && e.dueTime > last) last = e.dueTime;
  return last + 1;
}

/** The cluster config a settings slice describes. */
export function clusterConfigFor(s: ClusterSettings, runtime: RuntimeFactory, mode: SchedulerMode): ClusterConfig {
  const raft: Partial<RaftSettings> = {
    electionTick: s.electionTick,
    heartbeatTick: s.heartbeatTick,
    preVote: s.preVote,
    checkQuorum: s.checkQuorum,
    readOnlyOption: s.readOnly === 'ReadOnlyLeaseBased' ? ReadOnlyLeaseBased : ReadOnlySafe,
    maxSizePerMsg: s.maxSizePerMsg,
    maxInflightMsgs: s.maxInflightMsgs,
    snapCount: s.snapCount,
    snapshotCatchUpEntries: Math.min(s.snapCount, 10000),
  };
  const network: Partial<LinkFaults> = {
    latency: s.latency,
    jitter: s.jitter,
    loss: s.loss,
    duplication: s.duplication,
  };
  // The typed events behind the narrated feed, "why" and the space-time view: keep a
  // long window (the trace itself is kept whole).
  return { nodes: s.nodes, seed: s.seed, raft, network, mode, runtime, keepClusterEvents: 50_000 };
}

async function loadWorkerRuntime(): Promise<RuntimeFactory> {
  if (typeof Worker === 'undefined') throw new Error('this browser has no Web Workers');
  const m = await import('../../cluster/runtime/workerRuntime.browser');
  return m.browserWorkerRuntime;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** A user action that script mode runs as a harness command (see ui/scripts/scriptController.ts). */
export type HarnessIntent =
  | { kind: 'step' }
  | { kind: 'tick' | 'campaign' | 'runCycle'; node: number }
  | { kind: 'runStage'; node: number; stage: ReadyStage | undefined }
  | { kind: 'deliver' | 'drop'; msgId: number }
  | { kind: 'transferLeadership'; to: number }
  | { kind: 'compact'; index: number; node: number | undefined };

/**
 * The seam for script mode: while one is attached, the store shows an etcd script's
 * harness instead of the cluster. Actions that map to a harness command go to `act`;
 * every other action is refused (`refuse` says why) and the cluster is left alone.
 */
export interface ScriptSeam {
  act(intent: HarnessIntent): Promise<void>;
  refuse(label: string): void;
  disk(id: number): DiskState | undefined;
}

export class Controller {
  /** The live cluster (undefined while booting or after a failed boot). */
  cluster: Cluster | undefined;
  private unsubscribe: (() => void) | undefined;
  /** Bumped by every rebuild: observations from an older cluster are ignored. */
  private generation = 0;
  private runtimeKind: RuntimeKind = 'worker';
  private frame = 0;
  private lastFrameTs: number | undefined;
  /** Target of the runUntil under way (undefined: none). */
  private advancing: number | undefined;
  private resetting: Promise<void> | undefined;
  /** A config to build instead of the settings slice's (a lesson's); reset() returns to the settings. */
  private custom: Omit<ClusterConfig, 'runtime'> | undefined;
  /** Set while an etcd script is shown instead of the cluster. */
  private script: ScriptSeam | undefined;
  /** The cluster's latest observation that arrived while a script was shown. */
  private held: [ClusterObservation, RecordedAction[], number] | undefined;

  // ---- lifecycle ----

  /** Builds the first cluster. Resolves when it is up (or failed, with a notice). */
  async start(opts: ControllerStartOptions = {}): Promise<void> {
    if (opts.settings !== undefined) updateSettings(opts.settings);
    this.runtimeKind = opts.runtime ?? 'worker';
    await this.rebuild();
    if (opts.autoplay ?? true) this.play();
  }

  /** Where the next build runs the nodes, for a first build that is not start()'s (a lesson link). */
  useRuntime(kind: RuntimeKind): void {
    this.runtimeKind = kind;
  }

  /** Rebuilds the cluster from an explicit config (a lesson's), paused; resolves to it (undefined if it failed). */
  async startCluster(config: Omit<ClusterConfig, 'runtime'>): Promise<Cluster | undefined> {
    if (this.script !== undefined) {
      this.script.refuse('starting a lesson');
      return undefined;
    }
    this.pause();
    this.custom = config;
    setModeInStore(config.mode ?? 'play');
    const p = this.rebuild();
    this.resetting = p;
    await p;
    return this.cluster;
  }

  /** Rebuilds the cluster from the settings slice (after updateSettings). Keeps playing if it was. */
  reset(partial?: Partial<ClusterSettings>): Promise<void> {
    this.custom = undefined;
    if (this.script !== undefined) {
      this.script.refuse('rebuilding the cluster');
      return Promise.resolve();
    }
    if (partial !== undefined) updateSettings(partial);
    const wasPlaying = getState().playback.playing;
    this.pause();
    const p = this.rebuild().then(() => {
      if (wasPlaying) this.play();
    });
    this.resetting = p;
    return p;
  }

  private async rebuild(): Promise<void> {
    const gen = ++this.generation;
    const old = this.cluster;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.cluster = undefined;
    this.publish();
    setClusterStatus('booting');
    if (old !== undefined) await old.dispose().catch(() => undefined);
    const settings = getState().settings.settings;
    const mode = getState().playback.mode;
    const custom = this.custom;
    const configFor = (rt: RuntimeFactory): ClusterConfig =>
      custom === undefined ? clusterConfigFor(settings, rt, mode) : { ...custom, runtime: rt };
    let cluster: Cluster | undefined;
    if (this.runtimeKind === 'worker') {
      try {
        const rt = await loadWorkerRuntime();
        const config = { ...configFor(rt), replayRuntime: inProcessRuntime };
        cluster = await withTimeout(Cluster.create(config), workerBootTimeoutMs, 'starting the node workers');
      } catch (e) {
        this.runtimeKind = 'in-process';
        pushNotice(
          'warning',
          `Web Workers are unavailable (${errorText(e)}); the nodes now run on the page's main thread. Behaviour is identical, only slower.`,
          { sticky: true },
        );
      }
    }
    if (cluster === undefined) {
      try {
        cluster = await Cluster.create(configFor(inProcessRuntime));
      } catch (e) {
        setClusterStatus('error');
        pushNotice('error', `Could not start the cluster: ${errorText(e)}`, { sticky: true });
        return;
      }
    }
    if (gen !== this.generation) {
      await cluster.dispose().catch(() => undefined);
      return;
    }
    this.cluster = cluster;
    setClusterStatus('booting', this.runtimeKind);
    setVirtualTime(0);
    const c = cluster;
    const announced = new Set<string>();
    this.feed = (o) => {
      if (gen !== this.generation) return;
      for (const text of newPanics(o.nodes, announced)) pushNotice('error', text);
      if (this.script !== undefined) this.held = [o, c.recorder.actions.slice(), c.recorder.branches.length];
      else applyObservation(o, c.recorder.actions.slice(), c.recorder.branches.length);
    };
    this.unsubscribe = c.subscribe(this.feed);
    await c.observe().catch(() => undefined);
    this.publish();
  }

  /** What feeds the store with the current cluster's observations. */
  private feed: ((o: ClusterObservation) => void) | undefined;

  /**
   * Runs a scripted sequence of actions (a lesson step) with the store's feed detached,
   * then feeds it the state at the end: one observation and one render instead of one
   * per action. Resolves to fn's result; throws what fn throws.
   */
  async quietly<T>(c: Cluster, fn: () => Promise<T>): Promise<T> {
    const attached = c === this.cluster && this.feed !== undefined;
    if (attached) this.unsubscribe?.();
    try {
      return await fn();
    } finally {
      if (attached && c === this.cluster && this.feed !== undefined) {
        this.unsubscribe = c.subscribe(this.feed);
        await c.observe().catch(() => undefined);
      }
    }
  }

  /** Makes the façade and the controller reachable from tests and the console. */
  private publish(): void {
    if (typeof window === 'undefined') return;
    const w = window as unknown as { raftlab?: Cluster; raftlabUi?: Controller };
    if (this.cluster === undefined) delete w.raftlab;
    else w.raftlab = this.cluster;
    w.raftlabUi = this;
  }

  // ---- script mode ----

  /** Shows a script instead of the cluster: stops playing; from now on actions go to the seam. */
  enterScript(seam: ScriptSeam): void {
    this.pause();
    this.script = seam;
  }

  /** Back to the cluster (the caller has restored its slices): shows what it did meanwhile, if anything. */
  leaveScript(): void {
    this.script = undefined;
    const h = this.held;
    this.held = undefined;
    if (h !== undefined) applyObservation(...h);
  }

  /** A node's durable state: the cluster's disk, or the script's storage while one is shown. */
  disk(id: number): DiskState | undefined {
    try {
      return this.script !== undefined ? this.script.disk(id) : this.cluster?.disk(id);
    } catch {
      return undefined;
    }
  }

  /** Resolves once no reset is under way and every queued cluster action has finished. */
  async idle(): Promise<void> {
    await this.resetting;
    await this.cluster?.observe().catch(() => undefined);
  }

  // ---- the action wrapper ----

  /**
   * Runs one user action against the cluster: counts it as pending, and turns any
   * failure into an error notice (resolving undefined) so the session goes on.
   */
  private async run<T>(label: string, fn: (c: Cluster) => Promise<T>): Promise<T | undefined> {
    if (this.script !== undefined) {
      this.script.refuse(label);
      return undefined;
    }
    const c = this.cluster;
    if (c === undefined) {
      pushNotice('warning', `${label}: the cluster is still starting`);
      return undefined;
    }
    addPending(1);
    try {
      return await fn(c);
    } catch (e) {
      pushNotice('error', `${label} failed: ${errorText(e)}`);
      return undefined;
    } finally {
      addPending(-1);
    }
  }

  /** Client operations: also reports a failure the operation itself ends with. */
  private async op(label: string, fn: (c: Cluster) => Promise<OpHandle>): Promise<OpHandle | undefined> {
    const h = await this.run(label, fn);
    h?.done.then(
      (op) => {
        if (op.status === 'failed') pushNotice('warning', `${label}: ${op.result ?? 'failed'}`);
      },
      () => undefined,
    );
    return h;
  }

  // ---- playback ----

  play(): void {
    if (this.script !== undefined) return this.script.refuse('Play');
    if (getState().playback.mode !== 'play') void this.setMode('play');
    setPlaying(true);
    this.startLoop();
  }

  pause(): void {
    setPlaying(false);
    this.stopLoop();
    // Bring the cluster's clock to what the user sees, so actions happen "now".
    const c = this.cluster;
    const vt = quantize(getState().playback.virtualTime);
    if (c !== undefined && vt > c.time && getState().playback.mode !== 'manual' && this.script === undefined) {
      void this.run('sync clock', (cl) => cl.runUntil(vt));
    }
  }

  togglePlay(): void {
    if (getState().playback.playing) this.pause();
    else this.play();
  }

  setSpeed(speed: number): void {
    setSpeedInStore(speed);
  }

  async setMode(mode: SchedulerMode): Promise<void> {
    if (this.script !== undefined) return this.script.refuse('changing the mode');
    if (mode !== 'play' && getState().playback.playing) this.pause();
    setModeInStore(mode);
    await this.run('change mode', (c) => (c.mode === mode ? Promise.resolve() : c.setMode(mode)));
  }

  /** One scheduler event (step mode's unit). In manual mode nothing is scheduled: say so. */
  async step(): Promise<boolean> {
    if (this.script !== undefined) return this.script.act({ kind: 'step' }).then(() => true);
    if (getState().playback.playing) this.pause();
    if (getState().playback.mode === 'manual') {
      pushNotice(
        'info',
        'Manual mode: nothing happens by itself. Tick a node, deliver a message or run a Ready stage.',
      );
      return false;
    }
    const did = await this.run('step', (c) => c.step());
    if (did === false) pushNotice('info', 'Nothing is scheduled.');
    const c = this.cluster;
    if (c !== undefined) setVirtualTime(c.time);
    return did ?? false;
  }

  /** Runs `ticks` of virtual time at once (fast-forward). */
  async advance(ticks: number): Promise<void> {
    await this.run('advance', (c) => c.advance(ticks));
    const c = this.cluster;
    if (c !== undefined) setVirtualTime(Math.max(c.time, getState().playback.virtualTime));
  }

  private startLoop(): void {
    if (this.frame !== 0 || typeof requestAnimationFrame === 'undefined') return;
    this.lastFrameTs = undefined;
    this.frame = requestAnimationFrame(this.onFrame);
  }

  private stopLoop(): void {
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.lastFrameTs = undefined;
  }

  private readonly onFrame = (ts: number): void => {
    this.frame = 0;
    const st = getState();
    if (!st.playback.playing) return;
    this.frame = requestAnimationFrame(this.onFrame);
    const last = this.lastFrameTs;
    this.lastFrameTs = ts;
    if (last === undefined) return;
    const c = this.cluster;
    if (c === undefined || this.advancing !== undefined || st.cluster.status !== 'ready') return;
    const dt = Math.min(maxFrameSeconds, Math.max(0, (ts - last) / 1000));
    const desired = quantize(st.playback.virtualTime + st.playback.speed * dt);
    const next = st.cluster.observation?.upcoming[0]?.time ?? Infinity;
    if (desired < next) {
      setVirtualTime(desired);
      return;
    }
    // An event is due: show the clock at the event, and let the cluster run up to the target.
    setVirtualTime(Math.max(st.playback.virtualTime, Math.min(next, desired)));
    this.advancing = desired;
    const gen = this.generation;
    c.runUntil(desired).then(
      () => {
        this.advancing = undefined;
        if (gen === this.generation) setVirtualTime(Math.max(getState().playback.virtualTime, c.time));
      },
      (e: unknown) => {
        this.advancing = undefined;
        if (gen !== this.generation) return;
        setPlaying(false);
        this.stopLoop();
        pushNotice('error', `Playback stopped: ${errorText(e)}`);
      },
    );
  };

  // ---- manual actions ----

  tick(node: number, count = 1): Promise<void | undefined> {
    if (this.script !== undefined) return this.script.act({ kind: 'tick', node });
    return this.run(`tick node ${node}`, (c) => c.tick(node, count));
  }
  deliver(msgId: number): Promise<void | undefined> {
    if (this.script !== undefined) return this.script.act({ kind: 'deliver', msgId });
    return this.run(`deliver message ${msgId}`, (c) => c.deliver(msgId));
  }
  drop(msgId: number): Promise<void | undefined> {
    if (this.script !== undefined) return this.script.act({ kind: 'drop', msgId });
    return this.run(`drop message ${msgId}`, (c) => c.drop(msgId));
  }
  duplicate(msgId: number): Promise<number | undefined> {
    return this.run(`duplicate message ${msgId}`, (c) => c.duplicate(msgId));
  }
  hold(msgId: number, held = true): Promise<void | undefined> {
    return this.run(`${held ? 'hold' : 'release'} message ${msgId}`, (c) => c.hold(msgId, held));
  }
  reorder(msgId: number, dueTime: number): Promise<void | undefined> {
    return this.run(`reorder message ${msgId}`, (c) => c.reorder(msgId, dueTime));
  }
  /** Sends a message to the back of its link, so the others on the link overtake it (a recorded reorder). */
  delay(msgId: number): Promise<void | undefined> {
    return this.run(`delay message ${msgId}`, (c) => c.reorder(msgId, backOfLinkDue(msgId, c.inFlight())));
  }
  /** Runs one Ready stage of a node (default: its next pending stage). */
  runStage(node: number, stage?: ReadyStage): Promise<CycleRecord | undefined> {
    if (this.script !== undefined) return this.script.act({ kind: 'runStage', node, stage }).then(() => undefined);
    return this.run(`Ready stage ${stage ?? ''} on node ${node}`, (c) => c.runStage(node, stage));
  }
  runCycle(node: number): Promise<CycleRecord[] | undefined> {
    if (this.script !== undefined) return this.script.act({ kind: 'runCycle', node }).then(() => undefined);
    return this.run(`Ready cycle on node ${node}`, (c) => c.runCycle(node));
  }
  campaign(node: number): Promise<void | undefined> {
    if (this.script !== undefined) return this.script.act({ kind: 'campaign', node });
    return this.run(`campaign on node ${node}`, (c) => c.campaign(node));
  }

  // ---- faults ----

  crash(id: number): Promise<void | undefined> {
    return this.run(`crash node ${id}`, (c) => c.crash(id));
  }
  restart(id: number): Promise<void | undefined> {
    return this.run(`restart node ${id}`, (c) => c.restart(id));
  }
  pauseNode(id: number): Promise<void | undefined> {
    return this.run(`pause node ${id}`, (c) => c.pause(id));
  }
  resumeNode(id: number): Promise<void | undefined> {
    return this.run(`resume node ${id}`, (c) => c.resume(id));
  }
  togglePauseNode(id: number): Promise<void | undefined> {
    const n = getState().cluster.nodesById.get(id);
    return n?.paused ? this.resumeNode(id) : this.pauseNode(id);
  }
  /** Cuts (up=false) or restores the link between a and b (both directions unless oneWay). */
  cut(from: number, to: number, opts: { oneWay?: boolean; up?: boolean } = {}): Promise<void | undefined> {
    return this.run(`${opts.up ? 'restore' : 'cut'} link ${from}-${to}`, (c) => c.cut(from, to, opts));
  }
  /** Cuts the link if it is up in either direction, else restores both directions. */
  toggleLink(a: number, b: number): Promise<void | undefined> {
    const down = getState().cluster.downLinks;
    const bothDown = down.has(`${a}>${b}`) && down.has(`${b}>${a}`);
    return this.cut(a, b, { up: bothDown });
  }
  partition(groups: number[][]): Promise<void | undefined> {
    return this.run('partition', (c) => c.partition(groups));
  }
  heal(): Promise<void | undefined> {
    return this.run('heal', (c) => c.heal());
  }
  setLinkFaults(from: number | null, to: number | null, faults: Partial<LinkFaults>): Promise<void | undefined> {
    return this.run('link faults', (c) => c.setLinkFaults(from, to, faults));
  }
  setGlobalFaults(faults: Partial<LinkFaults>): Promise<void | undefined> {
    return this.run('network faults', (c) => c.setGlobalFaults(faults));
  }

  // ---- client ----

  put(key: string, value: string, opts: { node?: number; client?: string } = {}): Promise<OpHandle | undefined> {
    return this.op(`put ${key}`, (c) => c.put(key, value, opts));
  }
  get(
    key: string,
    opts: { node?: number; linearizable?: boolean; client?: string } = {},
  ): Promise<OpHandle | undefined> {
    return this.op(`get ${key}`, (c) => c.get(key, opts));
  }
  addNode(id?: number, opts: { at?: number; v2?: boolean } = {}): Promise<OpHandle | undefined> {
    if (getState().cluster.nodeIds.length >= 9 && id === undefined) {
      pushNotice('warning', 'The laboratory shows at most 9 nodes.');
      return Promise.resolve(undefined);
    }
    return this.op(`add node${id === undefined ? '' : ` ${id}`}`, (c) => c.addNode(id, opts));
  }
  addLearner(id?: number, opts: { at?: number; v2?: boolean } = {}): Promise<OpHandle | undefined> {
    return this.op(`add learner${id === undefined ? '' : ` ${id}`}`, (c) => c.addLearner(id, opts));
  }
  promote(id: number, opts: { at?: number; v2?: boolean } = {}): Promise<OpHandle | undefined> {
    return this.op(`promote node ${id}`, (c) => c.promote(id, opts));
  }
  removeNode(id: number, opts: { at?: number; v2?: boolean } = {}): Promise<OpHandle | undefined> {
    return this.op(`remove node ${id}`, (c) => c.removeNode(id, opts));
  }
  changeMembership(
    changes: ConfChangeSingle[],
    opts: { at?: number; transition?: ConfChangeTransition } = {},
  ): Promise<OpHandle | undefined> {
    return this.op('membership change', (c) => c.changeMembership(changes, opts));
  }
  leaveJoint(opts: { at?: number } = {}): Promise<OpHandle | undefined> {
    return this.op('leave joint configuration', (c) => c.leaveJoint(opts));
  }
  transferLeadership(to: number, opts: { at?: number } = {}): Promise<OpHandle | undefined> {
    if (this.script !== undefined) return this.script.act({ kind: 'transferLeadership', to }).then(() => undefined);
    return this.op(`transfer leadership to ${to}`, (c) => c.transferLeadership(to, opts));
  }
  compact(index: number, opts: { node?: number } = {}): Promise<OpHandle | undefined> {
    if (this.script !== undefined)
      return this.script.act({ kind: 'compact', index, node: opts.node }).then(() => undefined);
    return this.op(`compact to ${index}`, (c) => c.compact(index, opts));
  }

  // ---- time travel ----

  async seek(step: number): Promise<void> {
    if (getState().playback.playing) this.pause();
    await this.run(`seek to step ${step}`, (c) => c.seek(step));
    const c = this.cluster;
    if (c !== undefined) setVirtualTime(c.time);
    this.backToWorkersSoon();
  }
  async fork(step: number): Promise<number | undefined> {
    if (getState().playback.playing) this.pause();
    const b = await this.run(`fork at step ${step}`, (c) => c.fork(step));
    const c = this.cluster;
    if (c !== undefined) setVirtualTime(c.time);
    this.backToWorkersSoon();
    return b;
  }

  private backToWorkers: ReturnType<typeof setTimeout> | undefined;

  /**
   * After a replay (seek, fork, import, link) the nodes run on the main thread: move
   * them back to their workers once no other seek came for backToWorkersMs. The next
   * action would move them anyway; this keeps the first Play after scrubbing prompt.
   */
  private backToWorkersSoon(): void {
    clearTimeout(this.backToWorkers);
    const c = this.cluster;
    if (c === undefined || !c.onReplayRuntime) return;
    this.backToWorkers = setTimeout(() => {
      if (c !== this.cluster) return;
      c.toLiveRuntime().catch((e: unknown) =>
        pushNotice('error', `Moving the nodes back to their workers failed: ${errorText(e)}`),
      );
    }, backToWorkersMs);
  }
  /** The run so far as JSON text (undefined while booting). */
  exportRun(): string | undefined {
    try {
      return this.cluster?.exportRunJson();
    } catch (e) {
      pushNotice('error', `export failed: ${errorText(e)}`);
      return undefined;
    }
  }
  async importRun(text: string): Promise<void> {
    if (getState().playback.playing) this.pause();
    await this.run('import run', (c) => c.importRun(text));
    const c = this.cluster;
    if (c !== undefined) setVirtualTime(c.time);
    this.backToWorkersSoon();
  }

  /**
   * The link that shares this run (the whole branch, the current step, the open panel
   * and the selected node), built from the page's own address. undefined while booting.
   */
  shareLink(): { url: string; chars: number; tooLong: boolean } | undefined {
    const c = this.cluster;
    if (c === undefined) return undefined;
    const st = getState();
    const view: LinkView = { panel: st.ui.activePanel };
    if (st.selection.selectedNode !== 0) view.node = st.selection.selectedNode;
    return runLinkUrl(window.location.href, c.linkedRun(view));
  }

  /**
   * Opens a shared run (the value of a link's run parameter): replays it, checks its
   * trace hash, stands at its step and restores its view. A malformed link or a replay
   * that differs becomes an error notice, and the session stays exactly as it was.
   */
  async openLink(value: string): Promise<boolean> {
    if (getState().playback.playing) this.pause();
    const view = await this.run('Opening the shared run', (c) => c.openLink(value));
    const c = this.cluster;
    if (view === undefined || c === undefined) return false;
    setVirtualTime(c.time);
    this.backToWorkersSoon();
    // An id this build does not know falls back to the first panel (App.tsx).
    if (view.panel !== undefined) setActivePanel(view.panel);
    selectNodeId(view.node ?? 0);
    pushNotice('info', `Opened the shared run at step ${c.currentStep} of ${c.recorder.actions.length}`);
    return true;
  }

  /** Stops the loop and the cluster (page unload, tests). */
  async dispose(): Promise<void> {
    this.stopLoop();
    clearTimeout(this.backToWorkers);
    this.generation++;
    this.unsubscribe?.();
    const c = this.cluster;
    this.cluster = undefined;
    await c?.dispose().catch(() => undefined);
  }
}

/** The app's controller (one per page). */
export const controller = new Controller();

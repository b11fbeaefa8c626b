// NodeHost: the application around one raft node, as etcd's raftexample raftNode is.
// It owns a RawNode, the MemoryStorage raft reads its stable log from, and the state
// machine, and runs each Ready through the documented cycle:
//
//   persist  HardState, snapshot and entries go to the disk (returned as a DiskWrite,
//            which the scheduler applies to the node's Disk) and to MemoryStorage;
//   send     the Ready's messages are handed to the transport (CycleRecord.sent) —
//            never before the same Ready's persist stage;
//   apply    a received snapshot is restored into the state machine, then committed
//            entries are applied (configuration changes through applyConfChange);
//            then, every snapCount applied entries, the host takes its own snapshot
//            and compacts MemoryStorage (raftexample's maybeTriggerSnapshot);
//   advance  the RawNode is told the Ready was handled.
//
// A host is a deterministic function of its BootInfo and the commands it receives:
// no clock, no I/O, and the only randomness is the seeded source from NodeConfig.seed.
// It never throws out of run(): failures become {kind:'error'} results. A raft panic
// (or any unexpected exception) kills the host: like a crashed process it refuses
// every later command, and `panicked` says why (runtimes turn that into a rejection,
// the scheduler's signal for "this node crashed").

import { RaftError } from '../raft/errors';
import { logLevelNames, LogLevel, SinkLogger } from '../raft/logger';
import { SnapshotFailure, SnapshotFinish } from '../raft/node';
import type { Config } from '../raft/raft';
import { decodeConfChange, decodeConfChangeV2 } from '../raft/raftpb/codec';
import { asV2, confChangesToString } from '../raft/raftpb/confchange';
import type { ConfChangeI } from '../raft/raftpb/confchange';
import {
  emptyBytes,
  EntryConfChange,
  EntryConfChangeV2,
  EntryNormal,
  newConfState,
  MsgSnap,
  newSnapshot,
} from '../raft/raftpb/types';
import type { ConfState, Entry, Message, Snapshot } from '../raft/raftpb/types';
import { newRawNode } from '../raft/rawNode';
import type { RawNode } from '../raft/rawNode';
import { ErrCompacted, MemoryStorage } from '../raft/storage';
import { stateTypeNames as progressStateNames } from '../raft/tracker/state';
import { mutation } from '../raft/mutation';
import { isEmptySnap } from '../raft/types';
import type { Ready } from '../raft/types';
import { cloneConfState } from '../raft/util';
import { diskStateToStorage } from './disk';
import type {
  AppliedEntry,
  BootInfo,
  CycleRecord,
  DiskWrite,
  HostCommand,
  HostResult,
  LogLine,
  NodeConfig,
  NodeObservation,
  ProgressObservation,
  ReadyStage,
} from './protocol';
import type { EntryCache } from './entryTable';
import { HostCodec, type HostRestorePayload, type RawHostImage } from './hostImage';
import type { DecodeContext, ShapeTable } from './objectGraph';
import { createRandom, randomSource, type Random } from './random';
import { RaftProbe } from './raftProbe';
import { createStateMachine } from './stateMachines';
import type { StateMachine } from './stateMachines/stateMachine';

/** The stages of a Ready, in the only order they may run. */
export const readyStages: readonly ReadyStage[] = ['persist', 'send', 'apply', 'advance'];

/** A HostResult before the host attaches the command's log lines. */
type Outcome =
  | { kind: 'ok' }
  | { kind: 'error'; message: string }
  | { kind: 'cycles'; records: CycleRecord[] }
  | { kind: 'observation'; observation: NodeObservation }
  | { kind: 'value'; value: string | undefined };

/** A Ready handed out by the RawNode whose cycle is not finished yet. */
interface ReadyInProgress {
  rd: Ready;
  done: ReadyStage[];
}

/** What one or more stages of a Ready did (merged into a CycleRecord). */
interface StageOutput {
  persisted?: DiskWrite;
  sent: Message[];
  applied: AppliedEntry[];
  readStates: Ready['readStates'];
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function isEmptyWrite(w: DiskWrite): boolean {
  return w.hardState === undefined && w.entries.length === 0 && w.snapshot === undefined && w.ownSnapshot === undefined;
}

/**
 * The raft Config a NodeConfig describes (storage, logger and random source supplied
 * by the host). rng is the generator behind Config.random (by default a new one
 * seeded from c.seed); the host keeps it so that a checkpoint can save its state.
 */
export function raftConfig(
  c: NodeConfig,
  storage: MemoryStorage,
  logger: SinkLogger,
  applied: number,
  rng: Random = createRandom(c.seed),
): Config {
  return {
    id: c.id,
    electionTick: c.electionTick,
    heartbeatTick: c.heartbeatTick,
    storage,
    applied,
    asyncStorageWrites: false,
    maxSizePerMsg: c.maxSizePerMsg,
    maxCommittedSizePerReady: 0,
    maxUncommittedEntriesSize: c.maxUncommittedEntriesSize,
    maxInflightMsgs: c.maxInflightMsgs,
    maxInflightBytes: 0,
    checkQuorum: c.checkQuorum,
    preVote: c.preVote,
    readOnlyOption: c.readOnlyOption,
    logger,
    disableProposalForwarding: c.disableProposalForwarding,
    disableConfChangeValidation: false,
    stepDownOnRemoval: c.stepDownOnRemoval,
    random: randomSource(rng),
  };
}

/** The logger sink of a host: lines wait in the host's buffer until the next result carries them. */
function hostSink(host: NodeHost): (level: LogLevel, text: string) => void {
  return (level, text) => host.log(level, text);
}

/** Host images: the NodeHost class joins the raft classes of hostImage.ts. */
let codec: HostCodec | undefined;
function hostCodec(): HostCodec {
  codec ??= new HostCodec([
    { name: 'NodeHost', cls: NodeHost },
    // The sink writes into the restored host's buffer (the root of the graph).
    {
      name: 'SinkLogger',
      cls: SinkLogger,
      skip: ['sink'],
      make: (ctx) => new SinkLogger(hostSink(ctx.root as NodeHost)),
    },
  ]);
  return codec;
}

export class NodeHost {
  readonly id: number;
  readonly config: NodeConfig;
  readonly storage: MemoryStorage;
  readonly rn: RawNode;
  readonly sm: StateMachine;
  /** The generator behind raft's randomized election timeout (Config.random draws from it). */
  readonly rng: Random;
  /** Measures the facts behind events around every raft call (see raftProbe.ts). */
  readonly probe: RaftProbe;

  /** Highest log index reflected in the state machine. */
  appliedIndex: number;
  /** Index of the newest snapshot in MemoryStorage (received or own). */
  snapshotIndex: number;
  /** The configuration as of appliedIndex (raftexample's confState); goes into own snapshots. */
  confState: ConfState;
  /** Set once the host died of a panic: every later command fails with this message. */
  panicked: string | undefined;

  private readonly logger: SinkLogger;
  /** Log lines not yet handed out. Lines logged while booting go out with the first command's result. */
  private lines: LogLine[] = [];
  private current: ReadyInProgress | undefined;
  /** A durable write produced outside a Ready (boot snapshot, compact command), flushed with the next persist. */
  private pendingWrite: DiskWrite | undefined;

  constructor(boot: BootInfo) {
    const c = boot.config;
    this.id = c.id;
    this.config = c;
    this.logger = new SinkLogger(hostSink(this), LogLevel.DEBUG);
    this.sm = createStateMachine(c.stateMachine);
    this.rng = createRandom(c.seed);

    if (boot.disk !== undefined) {
      // etcd's RestartNode: everything comes from the disk. The state machine starts
      // from the snapshot; committed entries after it come back through Readys.
      const disk = boot.disk;
      this.storage = diskStateToStorage(disk);
      const snap = disk.snapshot;
      this.sm.restore(snap.data);
      this.appliedIndex = snap.metadata.index;
      this.snapshotIndex = snap.metadata.index;
      this.confState = cloneConfState(snap.metadata.confState);
      this.rn = newRawNode(raftConfig(c, this.storage, this.logger, this.appliedIndex, this.rng));
    } else if (boot.learners.length > 0) {
      // Bootstrap with learners. etcd's Bootstrap only adds voters, so start as etcd's
      // interaction harness does: from a snapshot whose ConfState lists everyone. Its
      // index is what a conf-change-entry bootstrap would have reached (one entry per
      // member), term 1. Every fresh member builds the same snapshot.
      this.storage = new MemoryStorage();
      const cs = newConfState({
        voters: boot.voters.slice().sort((a, b) => a - b),
        learners: boot.learners.slice().sort((a, b) => a - b),
      });
      const index = boot.voters.length + boot.learners.length;
      const snap: Snapshot = newSnapshot({ data: this.sm.snapshot(), index, term: 1, confState: cs });
      this.storage.applySnapshot(snap);
      this.appliedIndex = index;
      this.snapshotIndex = index;
      this.confState = cloneConfState(cs);
      this.rn = newRawNode(raftConfig(c, this.storage, this.logger, index, this.rng));
      // The snapshot reaches the disk with the first persist.
      this.pendingWrite = { entries: [], snapshot: snap };
    } else {
      // Fresh voters-only cluster (etcd's StartNode with peers), or a joining node with
      // nothing at all: it learns the configuration from the leader.
      this.storage = new MemoryStorage();
      this.appliedIndex = 0;
      this.snapshotIndex = 0;
      this.confState = newConfState();
      this.rn = newRawNode(raftConfig(c, this.storage, this.logger, 0, this.rng));
      if (boot.voters.length > 0) {
        this.rn.bootstrap(boot.voters.map((id) => ({ id, context: emptyBytes })));
      }
    }
    this.probe = new RaftProbe(this.rn, c.stateMachine);
  }

  /** The logger's sink: keeps a line for the next result. */
  log(level: LogLevel, text: string): void {
    this.lines.push({ node: this.id, level: logLevelNames[level] ?? String(level), text });
  }

  // ---- checkpoints (see hostImage.ts) ----

  /**
   * The host's complete state, packed; entries the process's cache knows go by eid,
   * shapes by their number in the process's table (the first knownShapes are not sent).
   */
  image(cache: EntryCache, shapes: ShapeTable, knownShapes: number): RawHostImage {
    return hostCodec().encode(this, cache, shapes, knownShapes);
  }

  /** Rebuilds a host from an image, identical to the one it was taken from. */
  static fromImage(payload: HostRestorePayload, cache: EntryCache): NodeHost {
    const ctx: DecodeContext = { root: undefined };
    const host = hostCodec().decode(payload, cache, ctx);
    if (!(host instanceof NodeHost)) throw new Error('restore: the image is not a node host');
    // The one closure raft holds over restored state: its random source.
    host.rn.raft.random = randomSource(host.rng);
    return host;
  }

  /** Runs the commands in order; one result each. Never throws. */
  run(commands: readonly HostCommand[]): HostResult[] {
    return commands.map((c) => this.execute(c));
  }

  /** Runs one command. Never throws. */
  execute(cmd: HostCommand): HostResult {
    if (this.panicked !== undefined) return { kind: 'error', message: this.panicked, logLines: [] };
    let out: Outcome;
    try {
      out = this.dispatch(cmd);
    } catch (e) {
      // Errors raft reports as values (ErrProposalDropped, ErrStepPeerNotFound, ...)
      // leave the node healthy, except inside a Ready cycle, where any failure leaves
      // persistence half-done: that, and every panic, kills the host.
      const inCycle = cmd.kind === 'cycle' || cmd.kind === 'stage';
      if (e instanceof RaftError && !inCycle) {
        out = { kind: 'error', message: e.message };
      } else {
        this.panicked = `node ${this.id} panicked: ${errorMessage(e)}`;
        out = { kind: 'error', message: this.panicked };
      }
    }
    const res: HostResult = { ...out, logLines: this.takeLines() };
    const notes = this.probe.take();
    if (notes !== undefined) res.notes = notes;
    return res;
  }

  private takeLines(): LogLine[] {
    const l = this.lines;
    this.lines = [];
    return l;
  }

  private dispatch(cmd: HostCommand): Outcome {
    const rn = this.rn;
    switch (cmd.kind) {
      case 'tick':
        // One at a time, so that the probe sees every role change.
        for (let i = 0; i < cmd.count; i++) this.probe.run('tick', () => rn.tick());
        return { kind: 'ok' };
      case 'step': {
        // Each message is stepped on its own; a message raft refuses (e.g. from a peer
        // no longer in the configuration) does not keep the others from arriving.
        const errs: string[] = [];
        const msgs = cmd.msgs;
        for (let i = 0; i < msgs.length; i++) {
          const m = msgs[i]!;
          const err = this.probe.step(m, i, () => rn.step(m));
          if (err !== undefined) errs.push(err);
        }
        return errs.length === 0 ? { kind: 'ok' } : { kind: 'error', message: errs.join('; ') };
      }
      case 'campaign':
        this.probe.run('campaign', () => rn.campaign());
        return { kind: 'ok' };
      case 'propose':
        this.probe.request('propose', 'propose', () => rn.propose(cmd.data));
        return { kind: 'ok' };
      case 'proposeConfChange':
        this.probe.request('confchange', 'propose', () => rn.proposeConfChange(cmd.cc));
        return { kind: 'ok' };
      case 'readIndex':
        this.probe.request('readIndex', 'readIndex', () => rn.readIndex(cmd.ctx));
        return { kind: 'ok' };
      case 'transferLeader':
        this.probe.request('transferLeader', 'transferLeader', () => rn.transferLeader(cmd.to));
        return { kind: 'ok' };
      case 'forgetLeader':
        this.probe.run('forgetLeader', () => rn.forgetLeader());
        return { kind: 'ok' };
      case 'reportUnreachable':
        this.probe.run('reportUnreachable', () => rn.reportUnreachable(cmd.id));
        return { kind: 'ok' };
      case 'reportSnapshot':
        this.probe.run('reportSnapshot', () =>
          rn.reportSnapshot(cmd.id, cmd.failed ? SnapshotFailure : SnapshotFinish),
        );
        return { kind: 'ok' };
      case 'compact':
        return this.compact(cmd.index);
      case 'cycle':
        return { kind: 'cycles', records: this.cycle(cmd.maxCycles) };
      case 'stage':
        return this.stage(cmd.stage);
      case 'observe':
        return { kind: 'observation', observation: this.observe() };
      case 'get':
        return { kind: 'value', value: this.sm.get(cmd.key) };
      default: {
        const k: never = cmd;
        return { kind: 'error', message: `unknown command ${JSON.stringify(k)}` };
      }
    }
  }

  // ---- the Ready cycle ----

  /** Runs whole Ready cycles (finishing a half-done manual one first) until none is left or maxCycles ran. */
  cycle(maxCycles: number): CycleRecord[] {
    const records: CycleRecord[] = [];
    if (this.current !== undefined && records.length < maxCycles) {
      const cur = this.current;
      const out = this.runStages(cur, readyStages.slice(cur.done.length));
      records.push(this.record(cur, out));
    }
    while (records.length < maxCycles && this.rn.hasReady()) {
      const cur = this.begin();
      const out = this.runStages(cur, readyStages);
      records.push(this.record(cur, out));
    }
    return records;
  }

  /** Manual mode: runs exactly one stage of the current Ready, starting one if none is in progress. */
  stage(stage: ReadyStage): Outcome {
    let cur = this.current;
    if (cur === undefined) {
      if (stage !== 'persist') {
        return {
          kind: 'error',
          message: `stage ${stage} out of order: no Ready in progress, the first stage is persist`,
        };
      }
      if (!this.rn.hasReady()) return { kind: 'error', message: 'no Ready to process' };
      cur = this.begin();
    }
    const next = readyStages[cur.done.length];
    if (stage !== next) {
      return {
        kind: 'error',
        message: `stage ${stage} out of order: the next stage of the current Ready is ${next ?? 'none'} (done: ${cur.done.join(', ')})`,
      };
    }
    const out = this.runStages(cur, [stage]);
    return { kind: 'cycles', records: [this.record(cur, out)] };
  }

  private begin(): ReadyInProgress {
    const rd = this.rn.ready();
    this.current = { rd, done: [] };
    return this.current;
  }

  private record(cur: ReadyInProgress, out: StageOutput): CycleRecord {
    const rec: CycleRecord = {
      node: this.id,
      ready: cur.rd,
      // Left empty: the scheduler describes the Ready when something reads the text
      // (withLazyText in scheduler.ts). A Ready is never changed once handed out, so the
      // text made later from the copy the scheduler received is the one made here now;
      // made here, a restarted node's catch-up of 20,000 entries took 300 ms to describe.
      readyText: '',
      stagesDone: cur.done.slice(),
      sent: out.sent,
      applied: out.applied,
      readStates: out.readStates,
      logLines: this.takeLines(),
    };
    if (out.persisted !== undefined) rec.persisted = out.persisted;
    const notes = this.probe.take();
    if (notes !== undefined) rec.notes = notes;
    return rec;
  }

  /** Runs the given stages of cur, in order, merging what they did. */
  private runStages(cur: ReadyInProgress, stages: readonly ReadyStage[]): StageOutput {
    const out: StageOutput = { sent: [], applied: [], readStates: [] };
    let write: DiskWrite | undefined;
    for (const st of stages) {
      if (readyStages[cur.done.length] !== st) throw new Error(`internal: stage ${st} out of order`);
      switch (st) {
        case 'persist':
          write = this.persist(cur.rd);
          break;
        case 'send':
          out.sent = this.send(cur.rd);
          break;
        case 'apply': {
          const a = this.probe.run('apply', () => this.apply(cur.rd));
          out.applied = a.applied;
          out.readStates = cur.rd.readStates;
          if (a.ownSnapshot !== undefined) {
            write ??= { entries: [] };
            write.ownSnapshot = a.ownSnapshot;
          }
          break;
        }
        case 'advance':
          this.probe.run('advance', () => this.rn.advance(cur.rd));
          this.current = undefined;
          break;
      }
      cur.done.push(st);
    }
    if (write !== undefined && !isEmptyWrite(write)) out.persisted = write;
    return out;
  }

  /** Stage 1: the durable write (to the disk via the record, and to MemoryStorage). */
  private persist(rd: Ready): DiskWrite {
    const w: DiskWrite = { entries: rd.entries };
    const pending = this.pendingWrite;
    this.pendingWrite = undefined;
    if (pending?.snapshot !== undefined) w.snapshot = pending.snapshot;
    if (pending?.ownSnapshot !== undefined) w.ownSnapshot = pending.ownSnapshot;
    if (!isEmptySnap(rd.snapshot)) w.snapshot = rd.snapshot;
    // Mutant vote-not-persisted: the disk never learns whom we voted for.
    if (rd.hardState !== undefined)
      w.hardState = mutation.voteNotPersisted ? { ...rd.hardState, vote: 0 } : rd.hardState;

    // MemoryStorage, in raftexample's order: snapshot, then entries.
    if (!isEmptySnap(rd.snapshot)) {
      this.storage.applySnapshot(rd.snapshot!);
      this.snapshotIndex = rd.snapshot!.metadata.index;
    }
    if (rd.hardState !== undefined) this.storage.setHardState(rd.hardState);
    this.storage.append(rd.entries);
    return w;
  }

  /**
   * Stage 2: the messages for the transport. A MsgSnap leaves with a fresh snapshot of
   * the state machine at the applied index, as etcd's server sends it, not the older
   * one raft took from MemoryStorage: that one carries the ConfState of its own index,
   * and a member added since would refuse it for not being in it, forever (its host
   * never snapshots again before the next snapCount entries). The fresh one is at
   * least as new, committed (applied implies committed), and its ConfState lists every
   * peer this leader tracks (a peer is tracked once its conf change is applied).
   */
  private send(rd: Ready): Message[] {
    return rd.messages.map((m) => {
      const old = m.snapshot;
      if (m.type !== MsgSnap || old === undefined || this.appliedIndex <= old.metadata.index) return m;
      const fresh = newSnapshot({
        data: this.sm.snapshot(),
        index: this.appliedIndex,
        term: this.storage.term(this.appliedIndex),
        confState: cloneConfState(this.confState),
      });
      return { ...m, snapshot: fresh };
    });
  }

  /** Stage 3 (and 4): apply to the state machine, then maybe snapshot and compact. */
  private apply(rd: Ready): { applied: AppliedEntry[]; ownSnapshot?: { snapshot: Snapshot; compactedTo: number } } {
    if (!isEmptySnap(rd.snapshot)) {
      const snap = rd.snapshot!;
      if (snap.metadata.index > this.appliedIndex) {
        this.sm.restore(snap.data);
        this.appliedIndex = snap.metadata.index;
        this.confState = cloneConfState(snap.metadata.confState);
      }
    }
    const applied: AppliedEntry[] = [];
    for (const e of rd.committedEntries) {
      // Entries covered by a snapshot the state machine already holds are skipped.
      if (e.index <= this.appliedIndex) continue;
      applied.push(this.applyEntry(e));
      this.appliedIndex = e.index;
    }
    // Mutant apply-before-commit: also apply the newly appended (uncommitted) normal entries.
    if (mutation.applyBeforeCommit) {
      for (const e of rd.entries) {
        if (e.type !== EntryNormal) break;
        if (e.index === this.appliedIndex + 1) {
          applied.push(this.applyEntry(e));
          this.appliedIndex = e.index;
        }
      }
    }
    const own = this.maybeTriggerSnapshot();
    return own === undefined ? { applied } : { applied, ownSnapshot: own };
  }

  private applyEntry(e: Entry): AppliedEntry {
    if (e.type === EntryConfChange || e.type === EntryConfChangeV2) {
      const cc: ConfChangeI = e.type === EntryConfChange ? decodeConfChange(e.data) : decodeConfChangeV2(e.data);
      const cs = this.rn.applyConfChange(asV2(cc));
      this.confState = cloneConfState(cs);
      this.sm.applyConfChange(cc.context);
      const changes = asV2(cc).changes;
      const applied: AppliedEntry = {
        index: e.index,
        term: e.term,
        kind: 'confchange',
        summary: changes.length > 0 ? confChangesToString(changes) : 'leave-joint',
        confState: cloneConfState(cs),
      };
      // The client puts its request id in the context; reporting it lets the client
      // complete exactly the request this entry came from (not merely the oldest one).
      if (cc.context.length > 0) applied.requestId = new TextDecoder().decode(cc.context);
      return applied;
    }
    if (e.data.length === 0) {
      // The appender still sees it (it appends nothing), so both machines see every entry.
      this.sm.applyNormal(e.data);
      return { index: e.index, term: e.term, kind: 'empty', summary: 'empty' };
    }
    const r = this.sm.applyNormal(e.data);
    const a: AppliedEntry = { index: e.index, term: e.term, kind: 'normal', summary: r.summary };
    if (r.requestId !== undefined) a.requestId = r.requestId;
    return a;
  }

  /** Stage 4: every snapCount applied entries, snapshot the state machine and compact (raftexample's maybeTriggerSnapshot). */
  private maybeTriggerSnapshot(): { snapshot: Snapshot; compactedTo: number } | undefined {
    const n = this.config.snapCount;
    if (!(n > 0) || this.appliedIndex - this.snapshotIndex <= n) return undefined;
    return this.takeSnapshot(this.compactIndexFor(this.appliedIndex));
  }

  private compactIndexFor(applied: number): number {
    const keep = this.config.snapshotCatchUpEntries;
    return applied > keep ? applied - keep : 1;
  }

  /** Snapshots the state machine at appliedIndex and compacts MemoryStorage to compactIndex (if that is still in the log). */
  private takeSnapshot(compactIndex: number): { snapshot: Snapshot; compactedTo: number } {
    const snapshot = this.storage.createSnapshot(this.appliedIndex, this.confState, this.sm.snapshot());
    this.snapshotIndex = this.appliedIndex;
    try {
      this.storage.compact(compactIndex);
    } catch (e) {
      if (e !== ErrCompacted) throw e;
    }
    return { snapshot, compactedTo: this.storage.firstIndex() - 1 };
  }

  /**
   * The 'compact' command: snapshot the state machine now (if anything was applied
   * since the last snapshot) and compact MemoryStorage up to index (at most the
   * applied index). The snapshot reaches the disk with the next persist stage.
   */
  private compact(index: number): Outcome {
    if (index > this.appliedIndex) {
      return { kind: 'error', message: `compact ${index} is beyond the applied index ${this.appliedIndex}` };
    }
    if (this.appliedIndex > this.snapshotIndex) {
      const own = this.takeSnapshot(index);
      this.pendingWrite ??= { entries: [] };
      this.pendingWrite.ownSnapshot = own;
    } else {
      this.storage.compact(index);
    }
    return { kind: 'ok' };
  }

  // ---- observation ----

  observe(): NodeObservation {
    const rn = this.rn;
    const r = rn.raft;
    const st = rn.status();
    const progress: ProgressObservation[] = [];
    const ids = [...st.progress.keys()].sort((a, b) => a - b);
    for (const id of ids) {
      const pr = st.progress.get(id)!;
      progress.push({
        id,
        match: pr.match,
        next: pr.next,
        state: (progressStateNames[pr.state] ?? 'StateProbe') as ProgressObservation['state'],
        isLearner: pr.isLearner,
        paused: pr.isPaused(),
        recentActive: pr.recentActive,
        pendingSnapshot: pr.pendingSnapshot,
        inflight: pr.inflights.count(),
        inflightFull: pr.inflights.full(),
      });
    }
    const bs = st.basicStatus;
    return {
      id: this.id,
      role: bs.softState.raftState,
      term: bs.hardState.term,
      vote: bs.hardState.vote,
      lead: bs.softState.lead,
      commit: bs.hardState.commit,
      applied: this.appliedIndex,
      firstIndex: this.storage.firstIndex(),
      persistedLastIndex: this.storage.lastIndex(),
      // raft internals without an accessor: raftLog, timers.
      lastIndex: r.raftLog.lastIndex(),
      confState: r.trk.confState(),
      progress,
      hasReady: this.current === undefined ? rn.hasReady() : true,
      pendingStages: this.current === undefined ? [] : readyStages.slice(this.current.done.length),
      kv: this.sm.view(),
      electionElapsed: r.electionElapsed,
      randomizedElectionTimeout: r.randomizedElectionTimeout,
      heartbeatElapsed: r.heartbeatElapsed,
      leadTransferee: bs.leadTransferee,
      electionTimeout: r.electionTimeout,
      checkQuorum: r.checkQuorum,
      isLearner: r.isLearner,
      unappliedConfChange: r.hasUnappliedConfChanges(),
      pendingConfIndex: r.pendingConfIndex,
      uncommittedSize: r.uncommittedSize,
    };
  }
}

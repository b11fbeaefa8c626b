// Checkpoints: periodic images of the whole world, so that seeking to step s restores
// the latest checkpoint at or before s and replays only the actions after it, instead
// of replaying the run from step 0.
//
// A checkpoint must give EXACTLY the state a straight replay reaches: same trace hash
// (and hash state), same bus message ids, same PRNG states (the bus's, each host's),
// same client history and pending operations, same node observations, same later
// behaviour. checkpoint.test.ts checks it: seek to a step, play the rest of the run,
// compare with playing straight through.
//
// What a checkpoint holds (WorldImage), one part per component, each made by the
// component's own checkpoint() and put back by its restore():
//
//   sched    Scheduler.checkpoint: clock, mode, stats, and per node its slot (timer,
//            status, queue of commands with their continuations, owed cycle, applied,
//            incarnation, panic, last cycle), its Disk (entries as eid runs), and the
//            image of its host (hostImage.ts) when it runs: fetched from its worker.
//   bus      Bus.checkpoint: envelopes, links, faults, next id, counters, PRNG state.
//   client   Client.checkpoint: what operations wait for (the operations themselves
//            go to the OpArchive, once per state they were in).
//   trace    Trace.checkpoint: length, FNV state, kept events (as shared segments).
//   lines    LogWindow.checkpoint: the recent raft log lines (as shared segments).
//   roles    World's own field.
//
// HOW TO ADD STATE. A new field of a component that changes while the run goes on
// must be saved and restored, or seeking silently gives a different run:
//   - in a host (src/raft, NodeHost, a state machine): nothing to do, the object-graph
//     codec takes every field; a new class or a closure is reported by hostImage.test.ts;
//   - in Scheduler / Bus / Client / Trace: add it to that component's image type and to
//     its checkpoint() and restore();
//   - in World (cluster.ts): add it to WorldImage and to World.checkpoint/restore, one
//     line each (a new component with its own checkpoint()/restore() likewise);
//   - caches that are rebuilt on demand (observation caches) need nothing.
// checkpoint.test.ts compares observations, history, hash and later behaviour after a
// seek with a straight run; extend its comparison if the new state is observable
// elsewhere.
//
// Memory. A checkpoint keeps its images packed (packed.ts): one byte array for the
// main thread's parts and one per host, which takes about its length in the heap (the
// same data as small JS arrays takes about six times more). What does not change is
// shared instead of copied: log entries are interned once per run (EntryTable) and
// named by eid runs, client operations live in the OpArchive, trace events and log
// lines in segments that each hold what was new since the previous checkpoint, and a
// host image equal to the node's previous one is the same array. `memory()` counts all
// of it, each shared part once.
//
// Policy. After an action (recorded, replayed by a seek, or imported), a checkpoint is
// taken when `everyActions` actions or `everyEvents` trace events have passed since the
// latest checkpoint at or before that step, so a seek replays at most that much. Some
// single actions cost far more to replay than their trace shows: the step after a
// restart, in which the node re-applies thousands of committed entries from its disk
// (raftexample's replay), took 76-133 ms with 2-161 trace events. So a third count,
// `everyEntries`, the log entries that went through the hosts' Readies (the
// scheduler's stats.entries), takes a checkpoint soon after such a heavy action, so
// that seeks past it do not replay it again. Not right after it: the heavy cycle is
// then that node's "last cycle", which a checkpoint copies (the Ready panel shows
// it), and a checkpoint of a 10,000-entry catch-up would weigh a megabyte. It waits
// for the first step at which no last cycle holds more than `lightCycle` entries
// (usually the node's next cycle, a few actions later; with no leader it can take
// longer, and the other intervals may come first). All of it comes from the run
// itself: the same run takes its checkpoints at the same steps. A fork drops the
// checkpoints after the fork point.
//
// Bounded memory. Everything the store holds (`memory().bytes`) stays within
// `budgetBytes` (200 MB by default, the aim of issue #13 for a 100,000-action run): when
// an added checkpoint takes it over, every other checkpoint is dropped (except those
// taken after a heavy action, as long as that is enough: dropping one would bring its
// replay back) and the three intervals double, so a longer run keeps fewer, sparser
// checkpoints (its seeks replay more) instead of more memory. Only what is the run's own record rather than a copy
// of it, the interned log entries and the archived client operations (each held once,
// shared with the live world), grows with the run whatever the budget; thinning never
// drops the latest checkpoint.

import type { BusImage } from './bus';
import { OpArchive, type ClientImage } from './client';
import { EntryTable, LogRuns, internable, pushRun, type Interned } from './entryTable';
import { decodeLeafList, isInternedLeaf, type HostImage } from './hostImage';
import type { LineSegment, LogWindowImage } from './logWindow';
import { GraphCodec, LEAF, LEAVES, ShapeTable, type LeafCodec } from './objectGraph';
import { pack, unpack } from './packed';
import type { TraceImage, EventSegment } from './recorder';
import type { SchedulerImage } from './scheduler';
import { serializedSize } from './serializedSize';
import { emptyBytes } from '../raft/raftpb/types';
import type { StateType } from '../raft/types';

/** The main thread's part of the world at one step, before packing (see WorldImage.main). */
export interface WorldParts {
  /** Slots without their hosts (those are in WorldImage.hosts). */
  sched: SchedulerImage;
  bus: BusImage;
  client: ClientImage;
  roles: [number, { raftState: StateType; lead: number; term: number }][];
}

/** The world at one step. */
export interface WorldImage {
  /** WorldParts, encoded by the store's world codec and packed. */
  main: Uint8Array;
  /** The images of the running hosts, by node id. */
  hosts: [number, HostImage][];
  trace: TraceImage;
  lines: LogWindowImage;
}

export interface WorldCheckpoint {
  /** The number of actions applied (the recorder's cursor). */
  step: number;
  /** Trace events at that step. */
  events: number;
  /** The scheduler's stats.entries at that step (the work measure of the policy). */
  entries: number;
  /** The actions since the previous checkpoint put everyEntries or more entries through the Readies. */
  heavy: boolean;
  world: WorldImage;
  /** Bytes of what this checkpoint added (parts shared with earlier checkpoints counted there). */
  bytes: number;
  /** Of which host images. */
  hostBytes: number;
}

export interface CheckpointPolicy {
  /** Take a checkpoint once this many actions passed since the latest one. */
  everyActions: number;
  /** ... or once this many trace events did. */
  everyEvents: number;
  /**
   * ... or once the hosts' Readies carried this many log entries (to persist or apply),
   * at the first step where no node's last cycle holds more than lightCycle entries.
   */
  everyEntries: number;
  lightCycle: number;
  /** Thin out (drop every other checkpoint, double the intervals) above this many bytes. */
  budgetBytes: number;
}

export const defaultCheckpointPolicy: CheckpointPolicy = {
  everyActions: 24,
  everyEvents: 700,
  // A put costs about 18 (9 nodes persist it and apply it); 24 ordinary actions stay
  // far below, a restarted node's catch-up (up to ~20,000) far above.
  everyEntries: 2000,
  lightCycle: 64,
  budgetBytes: 200 * 1024 * 1024,
};

/** What components need to write and read their images. */
export interface CheckpointContext {
  readonly table: EntryTable;
  readonly archive: OpArchive;
  /** A run-list cache for one log owner (a Disk), kept across checkpoints. */
  logRuns(owner: object): LogRuns;
  /** Takes a host image in: the node's previous image instead, when they are the same bytes. */
  adoptHost(node: number, image: HostImage): HostImage;
  /** Marks an object that never changes (a node's config) to be kept once for all checkpoints. */
  share<T extends object>(v: T): T;
}

/** Memory figures of a store, in bytes. */
export interface CheckpointMemory {
  checkpoints: number;
  /** Everything the checkpoints hold except the trace events themselves (the sum of the parts below). */
  bytes: number;
  /** Packed world images (hosts included), and the objects they share (configs). */
  worlds: number;
  /** Of which host images. */
  hosts: number;
  /** The interned log entries (serialized size). */
  entries: number;
  /** The archived client operations (serialized size). */
  ops: number;
  /** The arrays that name the kept trace events (8 bytes per event), and the packed log lines. */
  segments: number;
  /**
   * The trace events the segments keep (serialized size; not in `bytes`): the live trace
   * keeps the same events while the world is at the latest step, so they are the run's
   * record rather than an extra cost of checkpoints; after a seek back, checkpoints keep
   * them alive.
   */
  traceEvents: number;
}

/** Heap bytes of a Uint8Array beyond its contents (object, buffer), roughly. */
const arrayOverhead = 100;

/**
 * Log entries (and large byte arrays: snapshot data) in the world codec: interned into
 * the run's table as they are met, read back from it.
 */
class TableLeaves implements LeafCodec<Interned> {
  constructor(private readonly table: EntryTable) {}
  is(v: object): v is Interned {
    return isInternedLeaf(v);
  }
  encodeOne(v: Interned): unknown[] {
    return internable(v) ? [LEAF, this.table.intern(v)] : [LEAF, v];
  }
  encodeList(vs: Interned[]): unknown[] {
    const runs: number[] = [];
    let inline: (number | Interned)[] | undefined;
    vs.forEach((v, i) => {
      if (!internable(v)) (inline ??= []).push(i, v);
      else pushRun(runs, this.table.intern(v));
    });
    return inline === undefined ? [LEAVES, runs] : [LEAVES, runs, inline];
  }
  decodeOne(m: unknown[]): Interned {
    const r = m[1];
    return typeof r === 'number' ? this.table.get(r) : (r as Interned);
  }
  decodeList(m: unknown[]): Interned[] {
    return decodeLeafList(m, {
      one: (eid) => this.table.get(eid),
      run: (first, n) => this.table.entriesOf([first, n]),
    });
  }
}

export class CheckpointStore implements CheckpointContext {
  readonly table = new EntryTable();
  readonly archive = new OpArchive();
  /** Shapes of the packed main-thread parts. */
  readonly shapes = new ShapeTable();
  policy: CheckpointPolicy;
  private list: WorldCheckpoint[] = [];
  private readonly runs = new WeakMap<object, LogRuns>();
  private readonly worldCodec = new GraphCodec<Interned>(
    { classes: [], constants: { emptyBytes } },
    new TableLeaves(this.table),
  );
  /** Objects kept once for all checkpoints (see share). */
  private readonly sharedList: object[] = [];
  private readonly sharedIndex = new WeakMap<object, number>();
  private sharedBytes = 0;
  private readonly sharedObjects = {
    indexOf: (v: object) => this.sharedIndex.get(v),
    at: (i: number) => this.sharedList[i],
  };
  /** The latest image of each node (a new image with the same bytes is replaced by it). */
  private lastHosts = new Map<number, HostImage>();
  /** Arrays already counted in some checkpoint's bytes (host images shared by checkpoints). */
  private counted = new WeakSet<object>();
  private worldBytes = 0;
  private hostBytes = 0;
  private countedEntries = 0;
  private entryBytes = 0;
  private countedSegments = new WeakSet<object>();
  private segmentBytes = 0;
  private eventBytes = 0;

  constructor(policy: Partial<CheckpointPolicy> = {}) {
    this.policy = { ...defaultCheckpointPolicy, ...policy };
  }

  logRuns(owner: object): LogRuns {
    let r = this.runs.get(owner);
    if (r === undefined) this.runs.set(owner, (r = new LogRuns()));
    return r;
  }

  adoptHost(node: number, image: HostImage): HostImage {
    const prev = this.lastHosts.get(node);
    if (prev !== undefined && sameHostImage(prev, image)) return prev;
    this.lastHosts.set(node, image);
    return image;
  }

  share<T extends object>(v: T): T {
    if (!this.sharedIndex.has(v)) {
      this.sharedIndex.set(v, this.sharedList.length);
      this.sharedList.push(v);
      this.sharedBytes += serializedSize(v);
    }
    return v;
  }

  /** Packs the main thread's parts of a world. */
  packWorld(parts: WorldParts): Uint8Array {
    return pack(this.worldCodec.encode(parts, this.shapes, undefined, this.sharedObjects));
  }

  unpackWorld(bytes: Uint8Array): WorldParts {
    return this.worldCodec.decode(unpack(bytes), this.shapes.shapes, undefined, this.sharedObjects) as WorldParts;
  }

  get size(): number {
    return this.list.length;
  }

  /** The checkpoints, by step (read-only). */
  get all(): readonly WorldCheckpoint[] {
    return this.list;
  }

  /** The latest checkpoint at or before `step`. */
  latest(step: number): WorldCheckpoint | undefined {
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.list[mid]!.step <= step) lo = mid + 1;
      else hi = mid;
    }
    return this.list[lo - 1];
  }

  /**
   * Whether a checkpoint is due after `step` actions, with `events` trace events,
   * `entries` Ready entries so far, and `largestCycle` entries in the largest last cycle.
   */
  due(step: number, events: number, entries: number, largestCycle: number): boolean {
    const cp = this.latest(step);
    if (cp?.step === step) return false;
    const p = this.policy;
    const heavy = largestCycle <= p.lightCycle && this.heavy(cp, entries);
    if (cp === undefined) return step >= p.everyActions || events >= p.everyEvents || heavy;
    return step - cp.step >= p.everyActions || events - cp.events >= p.everyEvents || heavy;
  }

  /** Whether the work since checkpoint cp (undefined: since the start) reaches everyEntries. */
  private heavy(cp: WorldCheckpoint | undefined, entries: number): boolean {
    return entries - (cp?.entries ?? 0) >= this.policy.everyEntries;
  }

  /** Adds a checkpoint (in step order), then thins the store if it is over budget. */
  add(step: number, events: number, entries: number, world: WorldImage): WorldCheckpoint {
    const heavy = this.heavy(this.latest(step - 1), entries);
    const cp: WorldCheckpoint = { step, events, entries, heavy, world, bytes: 0, hostBytes: 0 };
    const last = this.list[this.list.length - 1];
    if (last === undefined || last.step < step) {
      this.list.push(cp);
      this.count(cp);
    } else {
      // Taken while replaying a stretch that had none: keep the order.
      const at = this.list.findIndex((c) => c.step >= step);
      if (this.list[at]!.step === step) this.list[at] = cp;
      else this.list.splice(at, 0, cp);
      this.recount();
    }
    if (this.memory().bytes > this.policy.budgetBytes) {
      this.thin(true);
      // Still over: the heavy checkpoints are much of what is left (a write-heavy run
      // makes many); they go like the others, so the budget always holds.
      if (this.memory().bytes > this.policy.budgetBytes) this.thin(false);
    }
    return cp;
  }

  /** Drops the checkpoints after `step` (a fork), and the operation states recorded after it. */
  dropAfter(step: number): void {
    const keep = this.list.filter((c) => c.step <= step);
    if (keep.length === this.list.length) return;
    this.list = keep;
    this.archive.dropAfter(step);
    this.lastHosts = new Map();
    this.recount();
  }

  /** Drops every checkpoint and every archived operation state (the entry table stays: the live world shares it). */
  clear(): void {
    this.list = [];
    this.archive.dropAfter(-1);
    this.lastHosts = new Map();
    this.recount();
  }

  /** Drops every other checkpoint (the latest stays, and the heavy ones if keepHeavy) and doubles the intervals. */
  private thin(keepHeavy: boolean): void {
    this.list = this.list.filter((c, i) => i % 2 === 1 || (keepHeavy && c.heavy) || i === this.list.length - 1);
    this.policy = {
      ...this.policy,
      everyActions: this.policy.everyActions * 2,
      everyEvents: this.policy.everyEvents * 2,
      everyEntries: this.policy.everyEntries * 2,
    };
    this.recount();
  }

  /** Memory figures. */
  memory(): CheckpointMemory {
    for (; this.countedEntries < this.table.size; this.countedEntries++)
      this.entryBytes += serializedSize(this.table.entries[this.countedEntries]);
    return {
      checkpoints: this.list.length,
      bytes: this.worldBytes + this.sharedBytes + this.entryBytes + this.archive.bytes + this.segmentBytes,
      worlds: this.worldBytes + this.sharedBytes,
      hosts: this.hostBytes,
      entries: this.entryBytes,
      ops: this.archive.bytes,
      segments: this.segmentBytes,
      traceEvents: this.eventBytes,
    };
  }

  /** Counts a checkpoint's arrays (a host image it shares with an earlier checkpoint is counted there). */
  private count(c: WorldCheckpoint): void {
    let hosts = 0;
    for (const [, h] of c.world.hosts) {
      if (this.counted.has(h)) continue;
      this.counted.add(h);
      hosts += h.bytes.length + 4 * h.fresh.length + 8 * h.eids.length + 2 * arrayOverhead;
    }
    c.hostBytes = hosts;
    c.bytes = hosts + c.world.main.length + arrayOverhead;
    this.worldBytes += c.bytes;
    this.hostBytes += hosts;
    this.countChains(c);
  }

  /** Counts everything again, in step order (after checkpoints were dropped or inserted). */
  private recount(): void {
    this.counted = new WeakSet();
    this.countedSegments = new WeakSet();
    this.worldBytes = 0;
    this.hostBytes = 0;
    this.segmentBytes = 0;
    this.eventBytes = 0;
    for (const c of this.list) this.count(c);
  }

  private countChains(c: WorldCheckpoint): void {
    for (let s: EventSegment | undefined = c.world.trace.segment; s !== undefined; s = s.prev) {
      if (this.countedSegments.has(s)) break;
      this.countedSegments.add(s);
      const b = segmentSize(s);
      this.segmentBytes += b.refs;
      this.eventBytes += b.events;
    }
    for (let s: LineSegment | undefined = c.world.lines.segment; s !== undefined; s = s.prev) {
      if (this.countedSegments.has(s)) break;
      this.countedSegments.add(s);
      this.segmentBytes += s.bytes.length + arrayOverhead;
    }
  }
}

function sameHostImage(a: HostImage, b: HostImage): boolean {
  if (a.bytes.length !== b.bytes.length || a.shapes !== b.shapes || a.fresh.length !== b.fresh.length) return false;
  for (let i = 0; i < a.bytes.length; i++) if (a.bytes[i] !== b.bytes[i]) return false;
  for (let i = 0; i < a.fresh.length; i++) if (a.fresh[i] !== b.fresh[i]) return false;
  return true;
}

/** Sizes of a trace segment: its array of references, and the events (measured once). */
const segmentSizes = new WeakMap<EventSegment, { refs: number; events: number }>();
function segmentSize(s: EventSegment): { refs: number; events: number } {
  let b = segmentSizes.get(s);
  if (b === undefined) {
    let events = 0;
    for (const ev of s.events) events += serializedSize(ev);
    b = { refs: 16 + 8 * s.events.length, events };
    segmentSizes.set(s, b);
  }
  return b;
}

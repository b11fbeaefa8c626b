// The recorder: everything that happened in a run, in order, and the means to go back.
//
// Two logs are kept. The action log holds the user's actions (the only input a run
// has besides its config and seed); replaying it on a fresh cluster rebuilds the run
// exactly, which is how seek, fork and import work. The trace holds every event the
// scheduler produced (ticks, deliveries, sends, drops, Ready cycles, client results),
// each as a canonical line of text; the trace hash is a 64-bit FNV-1a (fnv.ts) over those lines,
// so two runs are the same run exactly when their hashes agree.
//
// Exported runs (runFile.ts) are JSON: { format, version, config, seed, actions,
// summary }; imports are validated before anything is touched.

import type { Action, RecordedAction } from './actions';
import { Fnv1a64 } from './fnv';
import { CheckpointStore, type CheckpointPolicy } from './checkpoint';

// ---- the trace ----

export type TraceKind =
  'tick' | 'deliver' | 'drop' | 'send' | 'cycle' | 'command' | 'action' | 'fault' | 'client' | 'panic';

/** One event of the run. text is canonical: it alone (with seq, time, kind, node) enters the hash. */
export interface TraceEvent {
  seq: number;
  time: number;
  kind: TraceKind;
  /** The node concerned, 0 when none. */
  node: number;
  text: string;
}

/** The canonical line of an event (what the hash covers). */
export function traceLine(ev: TraceEvent): string {
  return `${ev.seq} ${ev.time} ${ev.kind} ${ev.node} ${ev.text}\n`;
}

/**
 * Events a checkpoint keeps: those appended since the previous checkpoint of the same
 * lineage (`prev`), so that all checkpoints together hold each event once. A restore
 * walks back along `prev` for the events it keeps.
 */
export interface EventSegment {
  readonly prev: EventSegment | undefined;
  /** seq of events[0]; events cover [from, to). */
  readonly from: number;
  readonly to: number;
  readonly events: readonly TraceEvent[];
}

/** The trace in a checkpoint: its length, hash state, and kept events. */
export interface TraceImage {
  count: number;
  /** seq of the first kept event (count when none is kept). */
  first: number;
  hash: [number, number, number, number];
  segment: EventSegment | undefined;
}

/**
 * The append-only event trace of a run, hashed as it grows.
 *
 * After a restore the kept events are not copied at once (a long run keeps millions):
 * they stay in the checkpoint's segments, new events go to a tail, and the `events`
 * array is put together the first time someone reads it.
 */
export class Trace {
  /** The kept events, when put together (see `events`). */
  private arr: TraceEvent[] | undefined = [];
  /** After a restore, until `events` is read: the restored segments and the events pushed since. */
  private restored: EventSegment | undefined;
  private tail: TraceEvent[] = [];
  private readonly hasher = new Fnv1a64();
  private count = 0;
  /** seq of the first kept event. */
  private first = 0;
  /** The segment of the last checkpoint taken or restored (events before its `to` are in it or its predecessors). */
  private lastSegment: EventSegment | undefined;

  /** Keep at most this many events in memory (the hash still covers all). */
  constructor(private readonly keep = Infinity) {}

  get length(): number {
    return this.count;
  }

  /** The kept events, oldest first (events trimmed by `keep` are gone; seq tells where they start). */
  get events(): readonly TraceEvent[] {
    return (this.arr ??= this.assemble());
  }

  push(time: number, kind: TraceKind, node: number, text: string): TraceEvent {
    const ev: TraceEvent = { seq: this.count++, time, kind, node, text };
    this.hasher.updateString(traceLine(ev));
    (this.arr ?? this.tail).push(ev);
    // Trim in chunks so that a capped trace stays O(1) per event on average.
    if (this.count - this.first > this.keep + Math.max(1000, this.keep / 2)) {
      this.first = this.count - this.keep;
      const a = this.arr ?? this.tail;
      const drop = a.length - (this.count - this.first);
      if (drop > 0) a.splice(0, drop);
    }
    return ev;
  }

  hash(): string {
    return this.hasher.digest();
  }

  /** The events [first, count) from the restored segments and the tail. */
  private assemble(): TraceEvent[] {
    const segs: EventSegment[] = [];
    const tailFrom = this.count - this.tail.length;
    for (let s = this.restored; s !== undefined && s.to > this.first; s = s.prev) segs.push(s);
    const out: TraceEvent[] = [];
    for (let i = segs.length - 1; i >= 0; i--) {
      const s = segs[i]!;
      const lo = Math.max(this.first, s.from);
      const hi = Math.min(s.to, tailFrom);
      for (let q = lo; q < hi; q++) out.push(s.events[q - s.from]!);
    }
    for (const ev of this.tail) out.push(ev);
    this.restored = undefined;
    this.tail = [];
    return out;
  }

  checkpoint(): TraceImage {
    const prev = this.lastSegment;
    const from = Math.max(prev?.to ?? 0, this.first);
    if (this.count > from || prev === undefined) {
      // The new events since the previous segment: the end of the kept events.
      const kept = this.arr ?? this.tail;
      const n = this.count - from;
      const events = n > 0 ? kept.slice(kept.length - n) : [];
      this.lastSegment = { prev, from, to: this.count, events };
    }
    return { count: this.count, first: this.first, hash: this.hasher.getState(), segment: this.lastSegment };
  }

  /** Forgets the segments of earlier checkpoints (after the checkpoints were dropped). */
  forgetSegments(): void {
    this.lastSegment = undefined;
  }

  /** Makes this (fresh) trace the one of a checkpoint. */
  restore(img: TraceImage): void {
    this.count = img.count;
    this.first = img.first;
    this.hasher.setState(img.hash);
    this.lastSegment = img.segment;
    this.restored = img.segment;
    this.tail = [];
    this.arr = undefined;
  }
}

// ---- the action log ----

export { actionKinds, type Action, type ActionKind, type RecordedAction } from './actions';

/** Taken after every action: where the run stood. */
export interface Checkpoint {
  actionIndex: number;
  time: number;
  events: number;
  traceHash: string;
}

/**
 * The action log, with a summary of where the run stood after each action
 * (`checkpoints`: time, events, trace hash), the world checkpoints that seeking
 * restores (`store`; when they are taken and the memory bound: checkpoint.ts), and the
 * abandoned branches.
 */
export class Recorder {
  actions: RecordedAction[] = [];
  /** One summary per action (not a world image: see `store` for those). */
  checkpoints: Checkpoint[] = [];
  /** World checkpoints of the current branch. */
  readonly store: CheckpointStore;

  constructor(policy: Partial<CheckpointPolicy> = {}) {
    this.store = new CheckpointStore(policy);
  }
  /** Tails cut off by forks, most recent last. */
  readonly branches: { forkedAt: number; actions: RecordedAction[] }[] = [];
  /** Number of actions applied to the current state (< actions.length after a seek back). */
  cursor = 0;

  record(a: Action, time: number, result: string, cp: Omit<Checkpoint, 'actionIndex'>): RecordedAction {
    if (this.cursor < this.actions.length) this.fork(this.cursor);
    const rec = { ...a, index: this.actions.length, time, result } as RecordedAction;
    this.actions.push(rec);
    this.cursor = this.actions.length;
    this.checkpoints.push({ actionIndex: this.cursor, ...cp });
    return rec;
  }

  /** Keeps actions [0, step) and saves the rest as a branch; returns the branch index (-1 if nothing was cut). */
  fork(step: number): number {
    if (step < 0 || step > this.actions.length)
      throw new Error(`recorder: no step ${step} (0..${this.actions.length})`);
    this.cursor = step;
    if (step === this.actions.length) return -1;
    const tail = this.actions.splice(step);
    this.checkpoints = this.checkpoints.filter((c) => c.actionIndex <= step);
    this.store.dropAfter(step);
    this.branches.push({ forkedAt: step, actions: tail });
    return this.branches.length - 1;
  }
}

// ---- export / import: see runFile.ts ----

export {
  RunImportError,
  exportedRunSchema,
  parseRun,
  runFormat,
  runFormatVersion,
  serializedConfigSchema,
  stringifyRun,
  type ExportedRun,
  type SerializedConfig,
} from './runFile';

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

/** The append-only event trace of a run, hashed as it grows. */
export class Trace {
  readonly events: TraceEvent[] = [];
  private readonly hasher = new Fnv1a64();
  /** Keep at most this many events in memory (the hash still covers all). */
  constructor(private readonly keep = Infinity) {}
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(time: number, kind: TraceKind, node: number, text: string): TraceEvent {
    const ev: TraceEvent = { seq: this.count++, time, kind, node, text };
    this.hasher.updateString(traceLine(ev));
    this.events.push(ev);
    // Trim in chunks so that a capped trace stays O(1) per event on average.
    if (this.events.length > this.keep + Math.max(1000, this.keep / 2))
      this.events.splice(0, this.events.length - this.keep);
    return ev;
  }

  hash(): string {
    return this.hasher.digest();
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

/** The action log with its checkpoints and its abandoned branches. */
export class Recorder {
  actions: RecordedAction[] = [];
  checkpoints: Checkpoint[] = [];
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

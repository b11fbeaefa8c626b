// The recorder: everything that happened in a run, in order, and the means to go back.
//
// Two logs are kept. The action log holds the user's actions (the only input a run
// has besides its config and seed); replaying it on a fresh cluster rebuilds the run
// exactly, which is how seek, fork and import work. The trace holds every event the
// scheduler produced (ticks, deliveries, sends, drops, Ready cycles, client results),
// each as a canonical line of text; the trace hash is a 64-bit FNV-1a (fnv.ts) over those lines,
// so two runs are the same run exactly when their hashes agree.
//
// Exported runs are JSON: { format, version, config, seed, actions, summary }. Imports
// are validated with zod before anything is touched.

import { z } from 'zod';
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

/** A user action: its name and arguments (plain JSON), as given to the Cluster façade. */
export interface Action {
  kind: ActionKind;
  args: unknown[];
}

export const actionKinds = [
  'advance',
  'runUntil',
  'step',
  'tick',
  'deliver',
  'drop',
  'duplicate',
  'reorder',
  'hold',
  'runStage',
  'runCycle',
  'campaign',
  'put',
  'get',
  'addNode',
  'addLearner',
  'promote',
  'removeNode',
  'changeMembership',
  'leaveJoint',
  'transferLeadership',
  'compact',
  'crash',
  'restart',
  'pause',
  'resume',
  'partition',
  'heal',
  'cut',
  'setLinkFaults',
  'setGlobalFaults',
  'setMode',
] as const;
export type ActionKind = (typeof actionKinds)[number];

/** An action as recorded, with the virtual time it was issued at and a short result. */
export interface RecordedAction extends Action {
  index: number;
  time: number;
  result: string;
}

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
    const rec: RecordedAction = { kind: a.kind, args: a.args, index: this.actions.length, time, result };
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

// ---- export / import ----

export const runFormat = 'raftlab-run';
export const runFormatVersion = 1;

/** A number, where "no limit" is Infinity in memory and the string "Infinity" in JSON. */
const finiteOrInfinity = z
  .union([z.number(), z.literal('Infinity'), z.custom<number>((v) => v === Infinity, 'expected a number or Infinity')])
  .transform((v) => (v === 'Infinity' ? Infinity : v));

const raftSettingsSchema = z
  .object({
    electionTick: z.number().int().positive(),
    heartbeatTick: z.number().int().positive(),
    preVote: z.boolean(),
    checkQuorum: z.boolean(),
    readOnlyOption: z.union([z.literal(0), z.literal(1)]),
    maxSizePerMsg: finiteOrInfinity,
    maxInflightMsgs: z.number().int().positive(),
    maxUncommittedEntriesSize: finiteOrInfinity,
    disableProposalForwarding: z.boolean(),
    stepDownOnRemoval: z.boolean(),
    snapCount: z.number().int().positive(),
    snapshotCatchUpEntries: z.number().int().nonnegative(),
    stateMachine: z.enum(['kv', 'appender']),
  })
  .partial()
  .strict();

const linkFaultsSchema = z
  .object({
    loss: z.number().min(0).max(1),
    duplication: z.number().min(0).max(1),
    latency: z.number().min(0),
    jitter: z.number().min(0),
    hold: z.boolean(),
  })
  .partial()
  .strict();

export const serializedConfigSchema = z
  .object({
    nodes: z.number().int().min(1).max(64),
    seed: z.number().int(),
    raft: raftSettingsSchema.optional(),
    network: linkFaultsSchema.optional(),
    tickInterval: z.number().positive().optional(),
    skew: z.record(z.string().regex(/^\d+$/), z.number()).optional(),
    mode: z.enum(['play', 'step', 'manual']).optional(),
  })
  .strict();

const jsonValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

export const recordedActionSchema = z
  .object({
    index: z.number().int().nonnegative(),
    time: z.number().nonnegative(),
    kind: z.enum(actionKinds),
    args: z.array(jsonValue),
    result: z.string(),
  })
  .strict();

export const exportedRunSchema = z
  .object({
    format: z.literal(runFormat),
    version: z.literal(runFormatVersion),
    config: serializedConfigSchema,
    seed: z.number().int(),
    actions: z.array(recordedActionSchema),
    summary: z
      .object({
        time: z.number(),
        events: z.number().int().nonnegative(),
        traceHash: z.string().regex(/^[0-9a-f]{16}$/),
        counts: z.record(z.string(), z.number()),
      })
      .strict(),
  })
  .strict()
  .superRefine((run, ctx) => {
    run.actions.forEach((a, i) => {
      if (a.index !== i)
        ctx.addIssue({ code: 'custom', path: ['actions', i, 'index'], message: `expected index ${i}` });
    });
    if (run.seed !== run.config.seed)
      ctx.addIssue({ code: 'custom', path: ['seed'], message: 'seed differs from config.seed' });
  });

export type SerializedConfig = z.output<typeof serializedConfigSchema>;
export type ExportedRun = z.output<typeof exportedRunSchema>;

/** Thrown by parseRun: the message says what is wrong and where. */
export class RunImportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RunImportError';
  }
}

/** JSON with Infinity written as the string "Infinity" (JSON has no infinities). */
export function stringifyRun(run: ExportedRun): string {
  return JSON.stringify(run, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? 'Infinity' : v), 2);
}

/** Parses and validates an exported run (text or an already parsed value). Throws RunImportError. */
export function parseRun(input: string | unknown): ExportedRun {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (e) {
      throw new RunImportError(`import: not valid JSON (${(e as Error).message})`);
    }
  }
  const r = exportedRunSchema.safeParse(value);
  if (!r.success) {
    const issues = r.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
      .join('; ');
    throw new RunImportError(`import: invalid run file: ${issues}`);
  }
  return r.data;
}

// The recorder: everything that happened in a run, in order, and the means to go back.
//
// Two logs are kept. The action log holds the user's actions (the only input a run
// has besides its config and seed); replaying it on a fresh cluster rebuilds the run
// exactly, which is how seek, fork and import work. The trace holds every event the
// scheduler produced (ticks, deliveries, sends, drops, Ready cycles, client results),
// each as a canonical line of text; the trace hash is a 64-bit FNV-1a over those lines,
// so two runs are the same run exactly when their hashes agree.
//
// Exported runs are JSON: { format, version, config, seed, actions, summary }. Imports
// are validated before anything is touched.

import type { LinkFaults } from './bus';
import type { NodeConfig } from './protocol';
import type { SchedulerMode } from './scheduler';

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

/** Incremental 64-bit FNV-1a over UTF-8 bytes, with 16-bit limbs so it stays exact in doubles. */
export class Fnv1a64 {
  // h = h3:h2:h1:h0 (16 bits each); offset basis 0xcbf29ce484222325
  private h0 = 0x2325;
  private h1 = 0x8422;
  private h2 = 0x9ce4;
  private h3 = 0xcbf2;
  private readonly encoder = new TextEncoder();

  updateString(s: string): void {
    this.updateBytes(this.encoder.encode(s));
  }

  updateBytes(bytes: Uint8Array): void {
    let { h0, h1, h2, h3 } = this;
    for (let i = 0; i < bytes.length; i++) {
      h0 ^= bytes[i]!;
      // multiply by the prime 0x100000001b3 = 2^40 + 0x1b3
      const t0 = h0 * 0x1b3;
      const t1 = h1 * 0x1b3;
      const t2 = h2 * 0x1b3;
      const t3 = h3 * 0x1b3;
      // 2^40 = limb 2 shifted by 8 bits: contributes (h0 << 8) to limb 2, (h1 << 8) to limb 3
      let c = t0;
      const n0 = c & 0xffff;
      c = t1 + (c >>> 16);
      const n1 = c & 0xffff;
      c = t2 + (h0 << 8) + Math.floor(c / 0x10000);
      const n2 = c & 0xffff;
      c = t3 + (h1 << 8) + Math.floor(c / 0x10000);
      const n3 = c & 0xffff;
      h0 = n0;
      h1 = n1;
      h2 = n2;
      h3 = n3;
    }
    this.h0 = h0;
    this.h1 = h1;
    this.h2 = h2;
    this.h3 = h3;
  }

  digest(): string {
    const hex = (v: number) => v.toString(16).padStart(4, '0');
    return hex(this.h3) + hex(this.h2) + hex(this.h1) + hex(this.h0);
  }
}

/** FNV-1a 64 of a string, as 16 hex digits. */
export function fnv1a64(s: string): string {
  const h = new Fnv1a64();
  h.updateString(s);
  return h.digest();
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

// Imports are checked by hand rather than with a schema library: the checks are few,
// and a library cost a tenth of the app's whole download budget. Every problem is
// reported as "path: what is wrong" (path "(root)" for the top level).

/** Settings as a file holds them: "no limit" (Infinity) is the string "Infinity" in JSON. */
export interface SerializedConfig {
  nodes: number;
  seed: number;
  raft?: Partial<Omit<NodeConfig, 'id' | 'seed'>>;
  network?: Partial<LinkFaults>;
  tickInterval?: number;
  skew?: Record<string, number>;
  mode?: SchedulerMode;
}

export interface ExportedRun {
  format: typeof runFormat;
  version: typeof runFormatVersion;
  config: SerializedConfig;
  seed: number;
  actions: RecordedAction[];
  summary: { time: number; events: number; traceHash: string; counts: Record<string, number> };
}

type Path = readonly (string | number)[];
/** Checks a value at a path, reporting problems through `bad`; returns the value to keep. */
type Check = (v: unknown, path: Path, bad: (path: Path, msg: string) => void) => unknown;

const show = (v: unknown): string => (v === undefined ? 'nothing' : (JSON.stringify(v) ?? String(v)));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function num(o: { int?: boolean; min?: number; max?: number; above?: number } = {}): Check {
  return (v, p, bad) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) bad(p, `expected a number, got ${show(v)}`);
    else if (o.int === true && !Number.isInteger(v)) bad(p, `expected an integer, got ${v}`);
    else if (o.min !== undefined && v < o.min) bad(p, `expected at least ${o.min}, got ${v}`);
    else if (o.max !== undefined && v > o.max) bad(p, `expected at most ${o.max}, got ${v}`);
    else if (o.above !== undefined && v <= o.above) bad(p, `expected more than ${o.above}, got ${v}`);
    return v;
  };
}
const count = num({ int: true, min: 0 });
const positiveInt = num({ int: true, above: 0 });
/** A number, or "Infinity" (kept as Infinity). */
const numOrInfinity: Check = (v, p, bad) => (v === 'Infinity' || v === Infinity ? Infinity : num()(v, p, bad));

function oneOf(values: readonly unknown[]): Check {
  return (v, p, bad) => {
    if (!values.includes(v)) bad(p, `expected ${values.map((x) => show(x)).join(' or ')}, got ${show(v)}`);
    return v;
  };
}
const bool = oneOf([true, false]);

function str(re?: RegExp): Check {
  return (v, p, bad) => {
    if (typeof v !== 'string') bad(p, `expected a string, got ${show(v)}`);
    else if (re !== undefined && !re.test(v)) bad(p, `expected a string matching ${String(re)}, got ${show(v)}`);
    return v;
  };
}

/** An object with exactly these keys (those listed in `optional`, or all when true, may be missing). */
function obj(shape: Record<string, Check>, optional: readonly string[] | true = []): Check {
  return (v, p, bad) => {
    if (!isObject(v)) {
      bad(p, `expected an object, got ${show(v)}`);
      return v;
    }
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) if (!(k in shape)) bad([...p, k], 'unrecognized key');
    for (const [k, check] of Object.entries(shape)) {
      if (v[k] === undefined) {
        if (optional !== true && !optional.includes(k)) bad([...p, k], 'required');
      } else out[k] = check(v[k], [...p, k], bad);
    }
    return out;
  };
}

function arr(item: Check): Check {
  return (v, p, bad) => {
    if (!Array.isArray(v)) {
      bad(p, `expected an array, got ${show(v)}`);
      return v;
    }
    return v.map((x, i) => item(x, [...p, i], bad));
  };
}

function record(item: Check, keys = /^/): Check {
  return (v, p, bad) => {
    if (!isObject(v)) {
      bad(p, `expected an object, got ${show(v)}`);
      return v;
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (!keys.test(k)) bad([...p, k], `key does not match ${String(keys)}`);
      out[k] = item(x, [...p, k], bad);
    }
    return out;
  };
}

/** Any JSON value (an action's arguments). */
const json: Check = (v, p, bad) => {
  if (Array.isArray(v)) return arr(json)(v, p, bad);
  if (isObject(v)) return record(json)(v, p, bad);
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  return num()(v, p, bad);
};

const raftSettingsCheck = obj(
  {
    electionTick: positiveInt,
    heartbeatTick: positiveInt,
    preVote: bool,
    checkQuorum: bool,
    readOnlyOption: oneOf([0, 1]),
    maxSizePerMsg: numOrInfinity,
    maxInflightMsgs: positiveInt,
    maxUncommittedEntriesSize: numOrInfinity,
    disableProposalForwarding: bool,
    stepDownOnRemoval: bool,
    snapCount: positiveInt,
    snapshotCatchUpEntries: count,
    stateMachine: oneOf(['kv', 'appender']),
  },
  true,
);

const linkFaultsCheck = obj(
  {
    loss: num({ min: 0, max: 1 }),
    duplication: num({ min: 0, max: 1 }),
    latency: num({ min: 0 }),
    jitter: num({ min: 0 }),
    hold: bool,
  },
  true,
);

const configCheck = obj(
  {
    nodes: num({ int: true, min: 1, max: 64 }),
    seed: num({ int: true }),
    raft: raftSettingsCheck,
    network: linkFaultsCheck,
    tickInterval: num({ above: 0 }),
    skew: record(num(), /^\d+$/),
    mode: oneOf(['play', 'step', 'manual']),
  },
  ['raft', 'network', 'tickInterval', 'skew', 'mode'],
);

const actionCheck = obj({
  index: count,
  time: num({ min: 0 }),
  kind: oneOf(actionKinds),
  args: arr(json),
  result: str(),
});

const runCheck = obj({
  format: oneOf([runFormat]),
  version: oneOf([runFormatVersion]),
  config: configCheck,
  seed: num({ int: true }),
  actions: arr(actionCheck),
  summary: obj({
    time: num(),
    events: count,
    traceHash: str(/^[0-9a-f]{16}$/),
    counts: record(num()),
  }),
});

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
  const issues: string[] = [];
  const bad = (path: Path, msg: string) => issues.push(`${path.length > 0 ? path.join('.') : '(root)'}: ${msg}`);
  const run = runCheck(value, [], bad) as ExportedRun;
  if (issues.length === 0) {
    run.actions.forEach((a, i) => {
      if (a.index !== i) bad(['actions', i, 'index'], `expected index ${i}`);
    });
    if (run.seed !== run.config.seed) bad(['seed'], 'seed differs from config.seed');
  }
  if (issues.length > 0) throw new RunImportError(`import: invalid run file: ${issues.slice(0, 5).join('; ')}`);
  return run;
}

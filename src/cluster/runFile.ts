// Run files: a run exported as JSON, and imported back.
//
//   { format: "raftlab-run", version: 1, config, seed, actions, summary }
//
// `actions` are the recorded actions (actions.ts: kind, positional arguments, plus
// index, virtual time and result); `summary.traceHash` is the trace hash after them,
// which an import reproduces before it replaces anything. Everything is checked here
// first, so a malformed file is refused with a sentence naming the field at fault.

import * as z from 'zod/mini';
import { actionArgs, describeArgIssues, describeIssues, isActionKind, type RecordedAction } from './actions';

export const runFormat = 'raftlab-run';
export const runFormatVersion = 1;

/** Thrown for a malformed run file or link: the message says what is wrong and where. */
export class RunImportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RunImportError';
  }
}

/** A number, where "no limit" is Infinity in memory and the string "Infinity" in JSON. */
const finiteOrInfinity = z.pipe(
  z.union([z.number(), z.literal('Infinity'), z.literal(Infinity)]),
  z.transform((v: number | 'Infinity') => (v === 'Infinity' ? Infinity : v)),
);

const raftSettingsSchema = z.strictObject({
  electionTick: z.optional(z.int().check(z.positive())),
  heartbeatTick: z.optional(z.int().check(z.positive())),
  preVote: z.optional(z.boolean()),
  checkQuorum: z.optional(z.boolean()),
  readOnlyOption: z.optional(z.union([z.literal(0), z.literal(1)])),
  maxSizePerMsg: z.optional(finiteOrInfinity),
  maxInflightMsgs: z.optional(z.int().check(z.positive())),
  maxUncommittedEntriesSize: z.optional(finiteOrInfinity),
  disableProposalForwarding: z.optional(z.boolean()),
  stepDownOnRemoval: z.optional(z.boolean()),
  snapCount: z.optional(z.int().check(z.positive())),
  snapshotCatchUpEntries: z.optional(z.int().check(z.nonnegative())),
  stateMachine: z.optional(z.enum(['kv', 'appender'])),
});

const linkFaultsSchema = z.strictObject({
  loss: z.optional(z.number().check(z.gte(0), z.lte(1))),
  duplication: z.optional(z.number().check(z.gte(0), z.lte(1))),
  latency: z.optional(z.number().check(z.gte(0))),
  jitter: z.optional(z.number().check(z.gte(0))),
  hold: z.optional(z.boolean()),
});

export const serializedConfigSchema = z.strictObject({
  nodes: z.int().check(z.gte(1), z.lte(64)),
  seed: z.int(),
  raft: z.optional(raftSettingsSchema),
  network: z.optional(linkFaultsSchema),
  tickInterval: z.optional(z.number().check(z.positive())),
  skew: z.optional(z.record(z.string().check(z.regex(/^\d+$/)), z.number())),
  mode: z.optional(z.enum(['play', 'step', 'manual'])),
});

/**
 * One recorded action: the fields every action has; its arguments are checked against
 * the schema of its own kind afterwards (so an error names the kind and the argument).
 */
const recordedActionShape = z.strictObject({
  index: z.int().check(z.nonnegative()),
  time: z.number().check(z.nonnegative()),
  kind: z.string(),
  args: z.array(z.unknown()),
  result: z.string(),
});

export const exportedRunSchema = z.strictObject({
  format: z.literal(runFormat),
  version: z.literal(runFormatVersion),
  config: serializedConfigSchema,
  seed: z.int(),
  actions: z.array(recordedActionShape),
  summary: z.strictObject({
    time: z.number(),
    events: z.int().check(z.nonnegative()),
    traceHash: z.string().check(z.regex(/^[0-9a-f]{16}$/)),
    counts: z.record(z.string(), z.number()),
  }),
});

export type SerializedConfig = z.output<typeof serializedConfigSchema>;
export type ExportedRun = Omit<z.output<typeof exportedRunSchema>, 'actions'> & { actions: RecordedAction[] };

/** JSON with Infinity written as the string "Infinity" (JSON has no infinities). */
export function stringifyRun(run: ExportedRun): string {
  return JSON.stringify(run, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? 'Infinity' : v), 2);
}

/**
 * Checks each action's kind and arguments against its own schema and that indices
 * count up from 0. Returns the typed actions, or throws RunImportError naming the
 * first action at fault (`where` says under which field the list sits).
 */
export function checkRecordedActions(
  actions: readonly { index: number; kind: string; args: unknown[]; time: number; result: string }[],
  where: string,
): RecordedAction[] {
  const out: RecordedAction[] = [];
  actions.forEach((a, i) => {
    if (a.index !== i) throw new RunImportError(`${where}.${i}.index: expected index ${i}, found ${a.index}`);
    if (!isActionKind(a.kind)) throw new RunImportError(`${where}.${i}.kind: unknown action "${a.kind}"`);
    const r = actionArgs[a.kind].safeParse(a.args, { reportInput: true });
    if (!r.success) throw new RunImportError(`${where}.${i} (${a.kind}): ${describeArgIssues(r.error.issues)}`);
    out.push({ ...a, kind: a.kind, args: r.data } as RecordedAction);
  });
  return out;
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
  const r = exportedRunSchema.safeParse(value, { reportInput: true });
  if (!r.success) throw new RunImportError(`import: invalid run file: ${describeIssues(r.error.issues)}`);
  const run = r.data;
  if (run.seed !== run.config.seed) throw new RunImportError('import: invalid run file: seed differs from config.seed');
  try {
    return { ...run, actions: checkRecordedActions(run.actions, 'actions') };
  } catch (e) {
    throw new RunImportError(`import: invalid run file: ${(e as Error).message}`);
  }
}

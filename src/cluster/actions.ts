// The user actions a run is made of, one schema per kind.
//
// A run is (config, seed, actions): every public Cluster method that changes the run
// records one of these, and replaying them rebuilds the run exactly. The same schemas
// check an imported run file, a shared link and what `dispatch` receives, and the
// TypeScript type `Action` is inferred from them, so the three can never disagree.
//
// Arguments are positional JSON, exactly as recorded since format 1: an argument left
// out is `null` in the middle of the list and absent at its end (the recorder drops
// trailing nulls). The trace hash covers `kind` + JSON of the arguments, so this form
// is part of what makes an old run replay byte for byte: change it only with a new
// format version.

import * as z from 'zod/mini';

// No code generation: zod would otherwise probe `new Function` when a schema is built,
// which the app's Content-Security-Policy refuses and reports as a violation. This is
// the first module of the project that builds schemas (runFile.ts and runLink.ts
// import it), so the setting holds for all of them.
z.config({ jitless: true });

const nodeId = z.int().check(z.positive());
const msgId = z.int().check(z.nonnegative());
const time = z.number().check(z.nonnegative());
/** An optional argument: null in the middle of a list, absent at its end. */
const opt = <T extends z.ZodMiniType>(t: T) => z.optional(z.nullable(t));

const confChangeOpts = z.strictObject({ at: z.optional(nodeId), v2: z.optional(z.boolean()) });
const linkFaults = z.strictObject({
  loss: z.optional(z.number().check(z.gte(0), z.lte(1))),
  duplication: z.optional(z.number().check(z.gte(0), z.lte(1))),
  latency: z.optional(z.number().check(z.gte(0))),
  jitter: z.optional(z.number().check(z.gte(0))),
  hold: z.optional(z.boolean()),
});

/** What a ConfChangeSingle carries (type: 0 add voter, 1 remove, 2 update, 3 add learner). */
const confChangeSingle = z.strictObject({ type: z.int().check(z.gte(0), z.lte(3)), nodeId });

/** kind -> the schema of its argument list. */
export const actionArgs = {
  /** Runs every event of the next `ticks` of virtual time. */
  advance: z.tuple([time]),
  /** Runs every event up to virtual time t. */
  runUntil: z.tuple([time]),
  /** Exactly one scheduler event. */
  step: z.tuple([]),
  tick: z.tuple([nodeId, opt(z.int().check(z.positive()))]),
  deliver: z.tuple([msgId]),
  drop: z.tuple([msgId]),
  /** [message, due time of the copy] */
  duplicate: z.tuple([msgId, opt(time)]),
  /** [message, new due time] */
  reorder: z.tuple([msgId, time]),
  /** [message, held] */
  hold: z.tuple([msgId, z.boolean()]),
  /** [node, stage (default: the next one)] */
  runStage: z.tuple([nodeId, opt(z.enum(['persist', 'send', 'apply', 'advance']))]),
  runCycle: z.tuple([nodeId]),
  campaign: z.tuple([nodeId]),
  /** [key, value, node (default: the leader), client] */
  put: z.tuple([z.string(), z.string(), opt(nodeId), opt(z.string())]),
  /** [key, node, {linearizable, client}] */
  get: z.tuple([
    z.string(),
    opt(nodeId),
    opt(z.strictObject({ linearizable: z.optional(z.boolean()), client: z.optional(z.string()) })),
  ]),
  /** [new node id (default: next free), options] */
  addNode: z.tuple([opt(nodeId), opt(confChangeOpts)]),
  addLearner: z.tuple([opt(nodeId), opt(confChangeOpts)]),
  promote: z.tuple([nodeId, opt(confChangeOpts)]),
  removeNode: z.tuple([nodeId, opt(confChangeOpts)]),
  /** [changes, {at, transition (0 auto, 1 implicit, 2 explicit)}] */
  changeMembership: z.tuple([
    z.array(confChangeSingle),
    opt(z.strictObject({ at: z.optional(nodeId), transition: z.optional(z.int().check(z.gte(0), z.lte(2))) })),
  ]),
  /** [at] */
  leaveJoint: z.tuple([opt(nodeId)]),
  /** [to, at] */
  transferLeadership: z.tuple([nodeId, opt(nodeId)]),
  /** [index, node] */
  compact: z.tuple([z.int().check(z.nonnegative()), opt(nodeId)]),
  crash: z.tuple([nodeId]),
  restart: z.tuple([nodeId]),
  pause: z.tuple([nodeId]),
  resume: z.tuple([nodeId]),
  /** [groups of node ids] */
  partition: z.tuple([z.array(z.array(nodeId))]),
  heal: z.tuple([]),
  /** [from, to, {oneWay, up}] */
  cut: z.tuple([nodeId, nodeId, opt(z.strictObject({ oneWay: z.optional(z.boolean()), up: z.optional(z.boolean()) }))]),
  /** [from, to, faults]; (null, null) clears every link's own settings. */
  setLinkFaults: z.tuple([z.nullable(nodeId), z.nullable(nodeId), opt(linkFaults)]),
  setGlobalFaults: z.tuple([linkFaults]),
  setMode: z.tuple([z.enum(['play', 'step', 'manual'])]),
} as const;

export type ActionKind = keyof typeof actionArgs;
export const actionKinds = Object.keys(actionArgs) as ActionKind[];

/** The argument list of one kind, as recorded (nulls for arguments left out). */
export type ActionArgs<K extends ActionKind> = z.infer<(typeof actionArgs)[K]>;

/** One action: its kind and its argument list. A discriminated union on `kind`. */
export type Action = { [K in ActionKind]: { kind: K; args: ActionArgs<K> } }[ActionKind];

/** An action as recorded: with its position in the run, the virtual time it was issued at and a short result. */
export type RecordedAction = Action & { index: number; time: number; result: string };

/** The schema of one action object ({ kind, args }), as dispatch and imports check it. */
export const actionSchema = z.discriminatedUnion(
  'kind',
  actionKinds.map((kind) => z.object({ kind: z.literal(kind), args: actionArgs[kind] })) as unknown as [
    z.ZodMiniObject<{ kind: z.ZodMiniLiteral<ActionKind>; args: z.ZodMiniType }>,
  ],
);

/** Whether s names an action kind. */
export function isActionKind(s: string): s is ActionKind {
  return Object.prototype.hasOwnProperty.call(actionArgs, s);
}

/**
 * Checks one action (kind + arguments) against its schema. Returns the action, typed,
 * or a sentence saying what is wrong and where (argument position or field).
 */
export function checkAction(kind: string, args: unknown): { ok: true; action: Action } | { ok: false; error: string } {
  if (!isActionKind(kind)) return { ok: false, error: `unknown action "${kind}"` };
  const r = actionArgs[kind].safeParse(args, { reportInput: true });
  if (!r.success) return { ok: false, error: `${kind}: ${describeArgIssues(r.error.issues)}` };
  return { ok: true, action: { kind, args: r.data } as Action };
}

/** Issues of an argument list, with positions counted from 1 ("argument 2: expected a string"). */
export function describeArgIssues(issues: readonly Issue[]): string {
  return issues
    .slice(0, 5)
    .map((i) => {
      const [first, ...rest] = i.path;
      const what = describeIssue(i, 'argument');
      if (first === undefined) return what;
      const where = typeof first === 'number' ? `argument ${first + 1}` : String(first);
      return `${[where, ...rest.map(String)].join('.')}: ${what}`;
    })
    .join('; ');
}

/** One schema issue as zod/mini reports it (its messages are generic; the codes are not). */
interface Issue {
  code: string;
  path: PropertyKey[];
  expected?: unknown;
  minimum?: unknown;
  maximum?: unknown;
  inclusive?: boolean;
  values?: unknown[];
  keys?: string[];
  origin?: unknown;
  input?: unknown;
  message: string;
}

/**
 * Plain sentences for schema issues: "actions.3.args.0: expected a number",
 * "config.nodes: must be at most 64". zod/mini carries no English messages (they
 * would cost bundle size), so the codes are turned into words here. At most 5 issues.
 */
export function describeIssues(issues: readonly Issue[], arrayItem = 'item'): string {
  return issues
    .slice(0, 5)
    .map((i) => {
      const where = i.path.length > 0 ? i.path.map(String).join('.') : '(root)';
      return `${where}: ${describeIssue(i, arrayItem)}`;
    })
    .join('; ');
}

function describeIssue(i: Issue, arrayItem: string): string {
  switch (i.code) {
    case 'invalid_type':
      if ('input' in i && i.input === undefined) return 'is missing';
      return i.expected === 'tuple' || i.expected === 'array'
        ? 'expected a list'
        : `expected ${article(String(i.expected))}`;
    case 'too_big':
      return i.origin === 'array'
        ? `too many ${arrayItem}s (at most ${String(i.maximum)})`
        : `must be at most ${String(i.maximum)}`;
    case 'too_small':
      if (i.origin === 'array') return `too few ${arrayItem}s (at least ${String(i.minimum)})`;
      return i.minimum === 0 && i.inclusive === false
        ? 'must be positive'
        : `must be at least ${String(i.minimum)}${i.inclusive === false ? ' (exclusive)' : ''}`;
    case 'invalid_value': {
      const vals = (i.values ?? []).map((v) => JSON.stringify(v));
      return vals.length === 1 ? `expected ${vals[0]}` : `expected one of ${vals.join(', ')}`;
    }
    case 'unrecognized_keys':
      return `unknown field${(i.keys ?? []).length > 1 ? 's' : ''} ${(i.keys ?? []).join(', ')}`;
    case 'invalid_union':
      return 'matches none of the allowed forms';
    case 'invalid_format':
      return `has the wrong format`;
    case 'not_multiple_of':
      return 'must be a whole number';
    default:
      return i.message === 'Invalid input' ? `is invalid (${i.code})` : i.message;
  }
}

function article(t: string): string {
  if (t === 'int') return 'a whole number';
  if (t === 'object') return 'an object';
  if (t === 'undefined') return 'nothing';
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

// Run links: a whole run in the fragment of a URL, so a scenario can be sent as a link.
//
//   https://…/raftlab/#run=1.<lz-string data>
//
// The number before the dot is the link format. The data is lz-string's URL-safe
// compression of a compact JSON object:
//
//   { c: config, a: actions, s: step, h: trace hash after every action, u: view }
//
// where each action is `[kind, ...args]` (the recorded positional arguments of
// actions.ts) with the kind prefixed by "!" when the action was refused when it was
// recorded (a replay expects it to be refused again). `s` is the step the link opens
// at; `h` lets the opener check that its replay is the same run, byte for byte; `u` is
// which panel was open and which node was selected. Times and results are not carried:
// the replay recomputes them.
//
// Decoding checks everything before anything is touched and throws RunImportError
// with a sentence that says what is wrong: a link from a newer Raftlab, a link cut
// short when copied (it no longer decompresses), or the field at fault.

// lz-string is CommonJS: Node's ESM loader (tsx: npm run sim, fuzz) gives it only a
// default export, so take the functions from that rather than as named imports.
import lzString from 'lz-string';
import * as z from 'zod/mini';
import { checkAction, describeIssues, type Action } from './actions';
import { RunImportError, serializedConfigSchema, type SerializedConfig } from './runFile';

const { compressToEncodedURIComponent, decompressFromEncodedURIComponent } = lzString;

/** The link format this build writes and reads. Older formats are listed in decodeRunLink. */
export const runLinkVersion = 1;

/** The fragment parameter that holds a run. */
export const runLinkParam = 'run';

/** Past this many characters a link is refused: mail, chat and QR codes mangle longer ones. */
export const maxLinkChars = 8 * 1024;

/** What the link's view part restores besides the run. */
export interface LinkView {
  /** The open side panel's id. */
  panel?: string;
  /** The selected node (0: none). */
  node?: number;
}

/** A run as a link carries it. */
export interface LinkedRun {
  config: SerializedConfig;
  /** The actions in order; `failed` marks one that was refused when recorded. */
  actions: (Action & { failed?: boolean })[];
  /** The step to open at (0 ..= actions.length). */
  step: number;
  /** The trace hash after every action. */
  traceHash: string;
  view: LinkView;
}

const payloadSchema = z.strictObject({
  c: serializedConfigSchema,
  a: z.array(z.array(z.unknown()).check(z.minLength(1))),
  s: z.int().check(z.nonnegative()),
  h: z.string().check(z.regex(/^[0-9a-f]{16}$/)),
  u: z.optional(
    z.strictObject({
      p: z.optional(z.string().check(z.regex(/^[a-z][a-z0-9-]{0,31}$/))),
      n: z.optional(z.int().check(z.nonnegative())),
    }),
  ),
});

/** JSON with Infinity as the string "Infinity", as in run files. */
function toJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' && !Number.isFinite(x) ? 'Infinity' : x));
}

/** The fragment value (without `#run=`) for a run. */
export function encodeRunLink(run: LinkedRun): string {
  const u: { p?: string; n?: number } = {};
  if (run.view.panel !== undefined) u.p = run.view.panel;
  if (run.view.node !== undefined && run.view.node !== 0) u.n = run.view.node;
  const payload = {
    c: run.config,
    a: run.actions.map((a) => [a.failed === true ? `!${a.kind}` : a.kind, ...a.args]),
    s: run.step,
    h: run.traceHash,
    ...(Object.keys(u).length > 0 ? { u } : {}),
  };
  return `${runLinkVersion}.${compressToEncodedURIComponent(toJson(payload))}`;
}

/** The run parameter of a URL fragment ("#run=…&x=y" or "run=…"), or undefined when it has none. */
export function runParamOf(hash: string): string | undefined {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  for (const part of h.split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq) === runLinkParam) return part.slice(eq + 1);
  }
  return undefined;
}

/** Decodes the value of a link's run parameter. Throws RunImportError saying what is wrong. */
export function decodeRunLink(value: string): LinkedRun {
  const fail = (what: string): never => {
    throw new RunImportError(`run link: ${what}`);
  };
  const dot = value.indexOf('.');
  const versionText = dot < 0 ? value : value.slice(0, dot);
  if (!/^\d{1,4}$/.test(versionText))
    fail('it has no format number (a link looks like #run=1.…); was it copied whole?');
  const version = Number(versionText);
  if (version > runLinkVersion)
    fail(
      `it was made by a newer Raftlab (link format ${version}); this one reads format ${runLinkVersion}. Export the run as a file from the newer version, or open the link there.`,
    );
  if (version < 1) fail(`link format ${version} does not exist`);
  const data = dot < 0 ? '' : value.slice(dot + 1);
  if (data === '') fail('it carries no run data');
  let text: string | null;
  try {
    text = decompressFromEncodedURIComponent(data);
  } catch {
    text = null;
  }
  if (text === null || text === '')
    fail('its data is damaged (it does not decompress); the link was probably cut short when it was copied');
  let json: unknown;
  try {
    json = JSON.parse(text!);
  } catch {
    fail('its data is damaged (not valid JSON once decompressed)');
  }
  const r = payloadSchema.safeParse(json, { reportInput: true });
  if (!r.success) fail(`invalid run: ${describeIssues(r.error.issues, 'action')}`);
  const p = r.data!;
  const actions = p.a.map((raw, i) => {
    const head = raw[0];
    if (typeof head !== 'string')
      return fail(`invalid run: action ${i}: expected its kind first, found ${toJson(head)}`);
    const failed = head.startsWith('!');
    const checked = checkAction(failed ? head.slice(1) : head, raw.slice(1));
    if (!checked.ok) return fail(`invalid run: action ${i}: ${checked.error}`);
    return failed ? { ...checked.action, failed: true } : checked.action;
  });
  if (p.s > actions.length) fail(`it opens at step ${p.s}, but the run has only ${actions.length} actions`);
  const view: LinkView = {};
  if (p.u?.p !== undefined) view.panel = p.u.p;
  if (p.u?.n !== undefined) view.node = p.u.n;
  return { config: p.c, actions, step: p.s, traceHash: p.h, view };
}

/**
 * The full link for a run, from the page's address without its fragment. `tooLong`
 * says the link is past maxLinkChars, and then the run is better sent as a file.
 */
export function runLinkUrl(pageUrl: string, run: LinkedRun): { url: string; chars: number; tooLong: boolean } {
  const base = pageUrl.split('#')[0]!;
  const url = `${base}#${runLinkParam}=${encodeRunLink(run)}`;
  return { url, chars: url.length, tooLong: url.length > maxLinkChars };
}

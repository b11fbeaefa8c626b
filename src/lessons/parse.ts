// The lesson file reader. A lesson file is a data-driven script (interaction/datadriven.ts:
// directive line, input lines, "----", output up to the first blank line) whose cases are:
//
//   lesson ORDER nodes=5 seed=3 prevote=true ...     first: the cluster; input = prologue
//   ----                                             commands; output = title, then what
//   Title                                            the lesson teaches
//   What it teaches.
//
//   ask Which node wins the election?                a predict pause before the next step:
//   Node 1 if leader=1                               2-4 choices "<label> if <fact>";
//   Node 2 if leader=2                               output = the explanation ({answer})
//   ----
//   Explanation.
//
//   part prevote=true                                a fresh cluster from here on, with these
//   process-ready 1 2 3                              settings changed; input = its prologue;
//   ----                                             output = the part's title
//   With PreVote
//
//   step Title of the step                           input = setup commands (commands.ts),
//   deliver MsgVote from=1                           then `expect <fact>` and
//   expect node=2 vote=1                             `highlight <what>` lines;
//   highlight node=2                                 output = the narration ({placeholders})
//   ----
//   Narration.
//
// Every mistake is reported as "file:line: what was expected", and nothing else is thrown.

import { parseDataDriven, tokenize, type TestData } from '../interaction/datadriven';
import { parseCommand } from './commands';
import type { Ask, Highlight, Lesson, LessonConfig, Part, Step } from './format';
import { LessonError, parsePredicate } from './predicates';
import { checkTemplate } from './template';

export const defaultLessonConfig: LessonConfig = {
  nodes: 3,
  seed: 1,
  preVote: false,
  checkQuorum: false,
  electionTick: 10,
  heartbeatTick: 1,
  maxInflightMsgs: 256,
  maxSizePerMsg: 1024 * 1024,
  snapCount: 10000,
  snapshotCatchUpEntries: 5,
  readOnly: 'safe',
  mode: 'manual',
};

/** lesson header keys: name, field, lowest and highest value (booleans: 0..1). */
const configKeys: Record<string, [keyof LessonConfig, number, number]> = {
  nodes: ['nodes', 1, 9],
  seed: ['seed', 0, 0xffffffff],
  prevote: ['preVote', 0, 1],
  checkquorum: ['checkQuorum', 0, 1],
  election: ['electionTick', 2, 100],
  heartbeat: ['heartbeatTick', 1, 50],
  inflight: ['maxInflightMsgs', 1, 1024],
  'max-msg-size': ['maxSizePerMsg', 1, 1 << 30],
  'snap-count': ['snapCount', 1, 100000],
  catchup: ['snapshotCatchUpEntries', 0, 100000],
};

const caseNames = ['lesson', 'part', 'step', 'ask'];

function fail(pos: string, msg: string): never {
  throw new LessonError(`${pos}: ${msg}`);
}

/** The input lines of a case with their positions, without blank and comment lines. */
function inputLines(td: TestData, file: string): { pos: string; text: string }[] {
  if (td.input === '') return [];
  return td.input
    .split('\n')
    .map((text, i) => ({ pos: `${file}:${td.line + 1 + i}`, text: text.trim() }))
    .filter((l) => {
      if (l.text === '' || l.text.startsWith('#')) return false;
      const first = l.text.split(/\s/)[0]!;
      if (caseNames.includes(first))
        fail(l.pos, `"${first}" cannot appear inside the ${td.cmd} at line ${td.line}: is its "----" line missing?`);
      return true;
    });
}

/** The output block (title, narration, explanation) and the position of its first line. */
function outputText(td: TestData, file: string, what: string): { pos: string; lines: string[] } {
  const lines = td.expected.split('\n').filter((l) => l !== '');
  const inputCount = td.input === '' ? 0 : td.input.split('\n').length;
  const pos = `${file}:${td.line + inputCount + 2}`;
  if (lines.length === 0) fail(`${file}:${td.line}`, `${td.cmd} needs ${what} in the lines after "----"`);
  return { pos, lines };
}

function parseConfig(td: TestData, file: string, base: LessonConfig): { order: number; config: LessonConfig } {
  const pos = `${file}:${td.line}`;
  const config = { ...base };
  let order = 0;
  for (const a of td.cmdArgs) {
    const v = a.vals[0] ?? '';
    if (a.vals.length === 0 && /^\d+$/.test(a.key) && order === 0 && td.cmd === 'lesson') {
      order = Number(a.key);
      continue;
    }
    if (a.key === 'read-only' && (v === 'safe' || v === 'lease')) {
      config.readOnly = v;
      continue;
    }
    if (a.key === 'mode' && (v === 'manual' || v === 'play')) {
      config.mode = v;
      continue;
    }
    const k = configKeys[a.key];
    if (k === undefined)
      fail(
        pos,
        `${td.cmd}: unexpected ${JSON.stringify(a.key)} (expected ${td.cmd === 'lesson' ? "the lesson's number, then " : ''}any of ` +
          `${Object.keys(configKeys).join('=, ')}=, read-only=safe|lease, mode=manual|play)`,
      );
    const [field, lo, hi] = k;
    const bool = hi === 1 && lo === 0;
    const n = bool ? (v === 'true' ? 1 : v === 'false' ? 0 : NaN) : /^\d+$/.test(v) ? Number(v) : NaN;
    if (!(n >= lo && n <= hi))
      fail(
        pos,
        `${td.cmd}: ${a.key}= expects ${bool ? 'true or false' : `a whole number from ${lo} to ${hi}`}, got ${JSON.stringify(v)}`,
      );
    (config as unknown as Record<string, number | boolean>)[field] = bool ? n === 1 : n;
  }
  if (order === 0 && td.cmd === 'lesson')
    fail(pos, 'lesson: expected its number in the index first, e.g. "lesson 5 nodes=5"');
  return { order, config };
}

/** Everything after the directive word, as written. */
const rest = (td: TestData) => td.directive.slice(td.cmd.length).trim();

function parseAsk(td: TestData, file: string): Ask {
  const pos = `${file}:${td.line}`;
  const question = rest(td);
  if (question === '') fail(pos, 'ask needs its question on the same line, e.g. "ask Which node wins?"');
  checkTemplate(pos, question, false);
  const choices = inputLines(td, file).map((l) => {
    const i = l.text.lastIndexOf(' if ');
    if (i <= 0) fail(l.pos, `expected a choice "<label> if <fact>", got ${JSON.stringify(l.text)}`);
    const label = l.text.slice(0, i).trim();
    checkTemplate(l.pos, label, false);
    const cond = l.text.slice(i + 4).trim();
    return { pos: l.pos, label, when: parsePredicate(l.pos, tokenize(cond, l.pos), cond) };
  });
  if (choices.length < 2 || choices.length > 4)
    fail(pos, `ask needs 2 to 4 choices (lines "<label> if <fact>" before "----"), got ${choices.length}`);
  const out = outputText(td, file, 'an explanation');
  const explanation = out.lines.join(' ');
  checkTemplate(out.pos, explanation, true);
  return { pos, question, choices, explanation };
}

function parseStep(td: TestData, file: string, ask: Ask | undefined, part: number): Step {
  const pos = `${file}:${td.line}`;
  const title = rest(td);
  if (title === '') fail(pos, 'step needs a title on the same line, e.g. "step Node 1 campaigns"');
  const step: Step = { pos, part, title, setup: [], expects: [], highlights: [], narration: '', ask };
  for (const l of inputLines(td, file)) {
    const words = tokenize(l.text, l.pos);
    const verb = words[0]!;
    const args = words.slice(1);
    const text = l.text.slice(verb.length).trim();
    if (verb === 'expect') step.expects.push(parsePredicate(l.pos, args, text));
    else if (verb === 'highlight') step.highlights.push(parseHighlight(l.pos, args, text));
    else if (step.expects.length > 0 || step.highlights.length > 0)
      fail(l.pos, `"${verb}": a step's commands come before its expect and highlight lines`);
    else step.setup.push(parseCommand(l.pos, l.text));
  }
  const out = outputText(td, file, 'its narration');
  step.narration = out.lines.join(' ');
  checkTemplate(out.pos, step.narration, false);
  return step;
}

const fields = ['term', 'vote', 'commit', 'lead', 'state', 'applied', 'voters', 'learners', 'hardstate', 'snapshot'];

function parseHighlight(pos: string, words: string[], text: string): Highlight {
  const h: Highlight = { pos, kind: 'node', node: 0, value: 0, field: '', msg: undefined };
  if (words.some((w) => w.startsWith('msg='))) return { ...h, kind: 'msg', msg: parsePredicate(pos, words, text) };
  const usage = 'highlight expects node=N, optionally with one of entry=I, field=F or peer=P; or msg=Type with filters';
  const a = new Map(words.map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]));
  const num = (k: string) => {
    const v = a.get(k) ?? '';
    if (!/^\d+$/.test(v)) fail(pos, `${usage}; ${k}= expects a whole number, got ${JSON.stringify(v)}`);
    return Number(v);
  };
  if (words.some((w) => !w.includes('=')) || a.size > 2 || !a.has('node')) fail(pos, usage);
  h.node = num('node');
  if (a.has('entry')) return { ...h, kind: 'entry', value: num('entry') };
  if (a.has('peer')) return { ...h, kind: 'peer', value: num('peer') };
  if (a.has('field')) {
    h.field = a.get('field')!;
    if (!fields.includes(h.field)) fail(pos, `highlight field= expects one of ${fields.join(', ')}`);
    return { ...h, kind: 'field' };
  }
  if (a.size > 1) fail(pos, usage);
  return h;
}

/** Parses one lesson file. `file` names it in errors; the id is its name without folder and extension. */
export function parseLesson(text: string, file: string): Lesson {
  let cases: TestData[];
  try {
    cases = parseDataDriven(text, file);
  } catch (e) {
    throw new LessonError((e as Error).message);
  }
  const first = cases[0];
  if (first === undefined || first.cmd !== 'lesson')
    fail(`${file}:${first?.line ?? 1}`, 'a lesson file starts with its "lesson" header (see README "Lessons")');
  const { order, config } = parseConfig(first, file, defaultLessonConfig);
  const head = outputText(first, file, 'the title and what the lesson teaches');
  if (head.lines.length < 2) fail(head.pos, 'lesson: expected the title, then a line saying what the lesson teaches');
  const part = (td: TestData, title: string): Part => ({
    pos: `${file}:${td.line}`,
    title,
    config: parseConfig(td, file, config).config,
    prologue: inputLines(td, file).map((l) => parseCommand(l.pos, l.text)),
  });
  const lesson: Lesson = {
    id: file.replace(/^.*\//, '').replace(/\.[^.]*$/, ''),
    file,
    order,
    title: head.lines[0]!,
    summary: head.lines.slice(1).join(' '),
    parts: [part(first, head.lines[0]!)],
    steps: [],
  };
  let ask: Ask | undefined;
  /** Whether a part directive was seen (one before any step names the first part). */
  let named = false;
  for (const td of cases.slice(1)) {
    const pos = `${file}:${td.line}`;
    if (td.cmd === 'ask') {
      if (ask !== undefined) fail(pos, `ask: the ask at ${ask.pos} has no step after it`);
      ask = parseAsk(td, file);
    } else if (td.cmd === 'step') {
      lesson.steps.push(parseStep(td, file, ask, lesson.parts.length - 1));
      ask = undefined;
    } else if (td.cmd === 'part') {
      if (ask !== undefined) fail(ask.pos, 'ask: expected a step after it, not a part');
      const p = part(td, outputText(td, file, "the part's title").lines.join(' '));
      const first = lesson.parts[0]!;
      // A part before any step names the first part (its settings and prologue add to the header's).
      if (lesson.steps.length === 0 && !named) lesson.parts[0] = { ...p, prologue: [...first.prologue, ...p.prologue] };
      else if (lesson.steps[lesson.steps.length - 1]?.part !== lesson.parts.length - 1)
        fail(pos, 'part: the part before it has no step');
      else lesson.parts.push(p);
      named = true;
    } else fail(pos, `expected "step", "ask" or "part", got ${JSON.stringify(td.cmd)}`);
  }
  if (ask !== undefined) fail(ask.pos, 'ask: expected a step after it (an ask is answered by the step that follows)');
  if (lesson.steps[lesson.steps.length - 1]?.part !== lesson.parts.length - 1)
    fail(
      lesson.parts[lesson.parts.length - 1]!.pos,
      `${lesson.parts.length > 1 ? 'part' : 'lesson'}: needs at least one step`,
    );
  return lesson;
}

/** Parses every file of a catalog; a broken file is reported, never thrown, and the others still load. */
export function parseCatalog(files: Record<string, string>): { lessons: Lesson[]; problems: string[] } {
  const lessons: Lesson[] = [];
  const problems: string[] = [];
  for (const [file, text] of Object.entries(files)) {
    try {
      lessons.push(parseLesson(text, file));
    } catch (e) {
      problems.push(e instanceof Error ? e.message : String(e));
    }
  }
  lessons.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  return { lessons, problems };
}

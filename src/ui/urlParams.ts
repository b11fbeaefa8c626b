// The page's URL parameters, for demos, links handed to a class, and tests:
//   ?nodes=N          initial cluster size, a whole number from 1 to 9
//   ?seed=S           initial seed, a whole number from 0 to 4294967295
//   ?autoplay=0|1     start paused (0) or playing (1, the default)
//   ?runtime=worker|inprocess   where the nodes run (Web Workers by default)
//   ?theme=light|dark  ?projector=0|1 (a bare ?projector means 1)
//   ?lesson=ID&step=N  open a lesson (ID: its file name, e.g. figure-8) at step N (default 1)
// A value that does not parse is ignored, not guessed at, and reported, so a mistyped
// link says what went wrong instead of silently opening something else.
// Pure: no DOM, no store.

export interface UrlOptions {
  nodes?: number;
  seed?: number;
  autoplay: boolean;
  runtime: 'worker' | 'in-process';
  theme?: 'light' | 'dark';
  projector?: boolean;
  /** A lesson to open, and its step (1-based). */
  lesson?: string;
  lessonStep?: number;
  /** One sentence per parameter that was ignored, saying what it should have been. */
  problems: string[];
}

const known = ['nodes', 'seed', 'autoplay', 'runtime', 'theme', 'projector', 'lesson', 'step'];

/** What the URL needs to know of the bundled lessons: their ids and lengths. */
export type LessonIds = readonly { id: string; steps: number }[];

/** A whole number in [lo, hi] written in decimal, or undefined. */
function wholeNumber(raw: string, lo: number, hi: number): number | undefined {
  if (!/^\s*\d+\s*$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= lo && n <= hi ? n : undefined;
}

/** Reads the query string (`window.location.search`, with or without the leading `?`). */
export function readUrlOptions(search: string, lessons: LessonIds = []): UrlOptions {
  const params = new URLSearchParams(search);
  const out: UrlOptions = { autoplay: true, runtime: 'worker', problems: [] };
  const bad = (name: string, value: string, expected: string) =>
    out.problems.push(`${name}=${JSON.stringify(value)} ignored: expected ${expected}.`);

  const nodes = params.get('nodes');
  if (nodes !== null) {
    out.nodes = wholeNumber(nodes, 1, 9);
    if (out.nodes === undefined) bad('nodes', nodes, 'a whole number from 1 to 9');
  }
  const seed = params.get('seed');
  if (seed !== null) {
    out.seed = wholeNumber(seed, 0, 0xffffffff);
    if (out.seed === undefined) bad('seed', seed, 'a whole number from 0 to 4294967295');
  }
  const autoplay = params.get('autoplay');
  if (autoplay === '0' || autoplay === '1') out.autoplay = autoplay === '1';
  else if (autoplay !== null) bad('autoplay', autoplay, '0 or 1');
  const runtime = params.get('runtime');
  if (runtime === 'inprocess' || runtime === 'worker') out.runtime = runtime === 'inprocess' ? 'in-process' : 'worker';
  else if (runtime !== null) bad('runtime', runtime, 'worker or inprocess');
  const theme = params.get('theme');
  if (theme === 'light' || theme === 'dark') out.theme = theme;
  else if (theme !== null) bad('theme', theme, 'light or dark');
  const projector = params.get('projector');
  // A bare `?projector` turns it on too.
  if (projector === '0' || projector === '1' || projector === '') out.projector = projector !== '0';
  else if (projector !== null) bad('projector', projector, '0 or 1');

  const lesson = params.get('lesson');
  const step = params.get('step');
  const found = lessons.find((l) => l.id === lesson);
  if (lesson !== null && found === undefined)
    out.problems.push(
      `lesson=${JSON.stringify(lesson)} ignored: there is no such lesson (known: ${lessons.map((l) => l.id).join(', ')}).`,
    );
  else if (found !== undefined) {
    out.lesson = found.id;
    out.lessonStep = 1;
    if (step !== null) {
      const n = wholeNumber(step, 1, found.steps);
      if (n === undefined)
        bad('step', step, `a step of lesson ${found.id}, from 1 to ${found.steps}; it opens at step 1`);
      else out.lessonStep = n;
    }
  }
  if (step !== null && lesson === null) bad('step', step, 'a lesson=ID with it');

  const unknown = [...new Set(params.keys())].filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    out.problems.push(
      `Unknown URL parameter${unknown.length > 1 ? 's' : ''} ignored: ${unknown.join(', ')} (known: ${known.join(', ')}).`,
    );
  }
  return out;
}
